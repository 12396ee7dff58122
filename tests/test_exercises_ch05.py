"""Chapter 05's exercises: every reference solution is "right", typical wrong answers get a hint, not a traceback."""

import math

import numpy as np
import pytest

from exercise_tools import check, not_tried_and_one_line, wrong
from helpers import dct, exercises, images, jpeg

C = dct.dct_matrix(8)
GREY = images.load("astronaut", grey=True)
COEFFICIENTS = dct.block_dct(GREY.astype(float) - 128)  # the chapter's `coefficients`


# The reference solutions, as the chapter's <details> blocks give them.

def dct2_two_passes(block):
    return C @ block @ C.T


def basis_image(u, v):
    def cosine_filter(k):
        i = np.arange(8)
        return (np.sqrt(1 / 8) if k == 0 else np.sqrt(2 / 8)) * np.cos((2 * i + 1) * k * np.pi / 16)

    return np.outer(cosine_filter(v), cosine_filter(u))


def keep_largest(block_coefficients, k):
    largest = np.argsort(np.abs(block_coefficients).ravel())[::-1][:k]  # positions of the k largest sizes
    out = np.zeros(64)
    out[largest] = block_coefficients.ravel()[largest]
    return out.reshape(8, 8)


def largest_6_share():
    return np.mean([(keep_largest(b, 6) ** 2).sum() / (b ** 2).sum() for b in COEFFICIENTS.reshape(-1, 8, 8)])


def rms_largest_10():
    largest_10 = np.array([keep_largest(b, 10) for b in COEFFICIENTS.reshape(-1, 8, 8)]).reshape(COEFFICIENTS.shape)
    rebuilt_10 = dct.block_idct(largest_10, GREY.shape) + 128
    return np.sqrt(np.mean((rebuilt_10 - GREY) ** 2))


@pytest.mark.parametrize("name, answer", [
    ("05.two-passes", dct2_two_passes),
    ("05.two-passes", dct.dct2),
    ("05.basis-image", basis_image),
    ("05.basis-image", dct.basis),
    ("05.keep-largest", keep_largest),
    ("05.largest-share", largest_6_share()),
    ("05.largest-share", float(largest_6_share())),
    ("05.rms-largest-10", rms_largest_10()),
])
def test_the_reference_solutions_are_right(name, answer):
    assert check(name, answer).status == "right"


@pytest.mark.parametrize("name", ["05.two-passes", "05.basis-image", "05.keep-largest", "05.largest-share",
                                  "05.rms-largest-10"])
def test_a_stub_is_not_tried_yet_and_an_error_is_one_line(name):
    not_tried_and_one_line(name, function=name in ("05.two-passes", "05.basis-image", "05.keep-largest"))


@pytest.mark.parametrize("function, words", [
    (lambda b: C.T @ b @ C, ["inverse 2-D DCT"]),
    (lambda b: C @ b, ["only the first pass"]),
    (lambda b: b @ C.T, ["only the pass along every row"]),
    (lambda b: C @ b @ C, ["needs C.T, not C"]),
    (lambda b: (C @ b @ C.T).T, ["transposed", "[v, u]"]),
    (lambda b: C * b * C.T, ["matrix product", "@"]),
    (lambda b: np.round(C @ b @ C.T), ["rounded to whole numbers"]),
    (lambda b: (C @ b @ C.T)[:, :7], ["has shape (8, 7), (8, 8) expected"]),
    (lambda b: "C @ block @ C.T", ["should hold numbers"]),
    (lambda b: 2 * C @ b @ C.T, ["64 of 64 values differ", "dct.dct2(block)"]),
])
def test_two_passes_wrong(function, words):
    wrong("05.two-passes", function, *words)


def test_two_passes_must_use_its_argument_and_leave_it_alone():
    eye = GREY[96:104, 200:208].astype(float) - 128  # the chapter's `block`
    wrong("05.two-passes", lambda b: dct.dct2(eye), "same coefficients for every block")

    def in_place(b):
        b -= 0
        b *= 2
        return C @ (b / 2) @ C.T

    wrong("05.two-passes", in_place, "changed the block")
    calls = []

    def always_the_first(b):  # right for the first block it sees, then the same again
        calls.append(b.copy())
        return C @ calls[0] @ C.T

    wrong("05.two-passes", always_the_first, "same coefficients for every block")


def no_a(u, v):
    i = np.arange(8)
    return np.outer(np.cos((2 * i + 1) * v * np.pi / 16), np.cos((2 * i + 1) * u * np.pi / 16))


def same_a(u, v):
    return np.sqrt(2 / 8) ** 2 * no_a(u, v)


@pytest.mark.parametrize("function, words", [
    (lambda u, v: basis_image(v, u), ["basis_image(1, 0) is pattern (0, 1)", "u counts half-waves across"]),
    (lambda u, v: np.outer(C[u], C[v]), ["is pattern ("]),
    (same_a, ["right for u, v >= 1", "a(0)"]),
    (lambda u, v: 2 * basis_image(u, v), ["not the size", "64 of 64", "2 times too large", "a(k)"]),
    (no_a, ["off by a factor", "basis_image(0, 0) is 8 times too large", "a(k)"]),
    (lambda u, v: -basis_image(u, v), ["wrong sign"]),
    (lambda u, v: np.outer(np.cos(np.arange(8) * v * np.pi / 8), np.cos(np.arange(8) * u * np.pi / 8)) / 8,
     ["patterns differ"]),
    (lambda u, v: basis_image(u, v).ravel(), ["has shape (64,), (8, 8) expected"]),
    (lambda u, v: C[v] * C[u], ["has shape (8,), (8, 8) expected"]),
    (lambda u, v: np.rint(100 * basis_image(u, v)).astype(int), ["patterns"]),
])
def test_basis_image_wrong(function, words):
    message = wrong("05.basis-image", function, *words)
    assert "0.3535" not in message and "0.125" not in message  # no values of the patterns


def keep_first(block_coefficients, k):
    return jpeg.keep_first(block_coefficients, k)


def keep_most_positive(block_coefficients, k):
    largest = np.argsort(block_coefficients.ravel())[::-1][:k]
    out = np.zeros(64)
    out[largest] = block_coefficients.ravel()[largest]
    return out.reshape(8, 8)


def keep_smallest(block_coefficients, k):
    smallest = np.argsort(np.abs(block_coefficients).ravel())[:k]
    out = np.zeros(64)
    out[smallest] = block_coefficients.ravel()[smallest]
    return out.reshape(8, 8)


def keep_one_more(block_coefficients, k):
    return keep_largest(block_coefficients, k + 1)


def keep_with_negative_slice(block_coefficients, k):  # np.argsort(...)[-k:]: right, but not for k = 0
    largest = np.argsort(np.abs(block_coefficients).ravel())[-k:]
    out = np.zeros(64)
    out[largest] = block_coefficients.ravel()[largest]
    return out.reshape(8, 8)


def keep_in_place(block_coefficients, k):
    threshold = np.sort(np.abs(block_coefficients).ravel())[::-1][k - 1] if k else np.inf
    block_coefficients[np.abs(block_coefficients) < threshold] = 0
    return block_coefficients


def keep_sizes(block_coefficients, k):
    return np.abs(keep_largest(block_coefficients, k))


@pytest.mark.parametrize("function, words", [
    (keep_first, ["with k = 6 you kept the first 6 in zigzag order", "the 6 largest"]),
    (keep_most_positive, ["most positive", "np.abs"]),
    (keep_smallest, ["smallest in size", "sort the other way"]),
    (keep_one_more, ["leaves 7 coefficients that are not 0", "should keep 6"]),
    (keep_with_negative_slice, ["k = 0", "a[-0:]"]),
    (keep_in_place, ["changed the coefficients it was given"]),
    (keep_sizes, ["keep each one's value and sign"]),
    (lambda c, k: keep_largest(c, k).ravel(), ["has shape (64,), (8, 8) expected"]),
    (lambda c, k: keep_largest(c, k).T, ["right values, but some in the wrong place", "[v, u]"]),
    (lambda c, k: keep_largest(c, k) + (np.arange(64).reshape(8, 8) == 63) * 0.01, ["leaves 7", "should keep 6"]),
])
def test_keep_largest_wrong(function, words):
    wrong("05.keep-largest", function, *words)


def test_largest_share_wrong():
    right = largest_6_share()
    zigzag = np.mean([(jpeg.keep_first(b, 6) ** 2).sum() / (b ** 2).sum() for b in COEFFICIENTS.reshape(-1, 8, 8)])
    assert round(100 * zigzag, 1) == 93.9 and round(100 * right, 1) == 96.7  # the numbers the chapter gives
    pooled = sum((keep_largest(b, 6) ** 2).sum() for b in COEFFICIENTS.reshape(-1, 8, 8)) / (COEFFICIENTS ** 2).sum()
    unshifted = dct.block_dct(GREY.astype(float)).reshape(-1, 8, 8)
    with np.errstate(invalid="ignore"):
        no_shift = np.mean([(keep_largest(b, 6) ** 2).sum() / (b ** 2).sum() for b in unshifted])
    seven = np.mean([(keep_largest(b, 7) ** 2).sum() / (b ** 2).sum() for b in COEFFICIENTS.reshape(-1, 8, 8)])
    for answer, words in [
        (100 * right, "as a percentage"),
        (97.0, "between 0 and 1"),
        (zigzag, "first 6 in zigzag order"),
        (pooled, "each block's share first"),
        (seven, "off by one"),
        (no_shift, "without the shift by -128"),  # nan: the black blocks' 0 / 0
        (round(right, 3), "rounded"),
        (0.5, "cannot be below share[5]"),
        (0.99, "np.mean"),
        (np.array([right, right]), "one number, got ndarray"),
        ("96.7 %", "a number, got str"),
        (np.nan, "0 / 0"),
    ]:
        message = wrong("05.largest-share", answer, words)
        assert f"{right:.3f}" not in message and "96.7" not in message


def test_rms_largest_10_wrong():
    right = rms_largest_10()
    assert round(right, 1) == 6.0
    assert exercises.check("05.rms-largest-10", np.float32(right)).right  # 6 digits are enough
    largest_10 = np.array([keep_largest(b, 10) for b in COEFFICIENTS.reshape(-1, 8, 8)]).reshape(COEFFICIENTS.shape)
    rebuilt_10 = dct.block_idct(largest_10, GREY.shape) + 128
    clipped = np.sqrt(np.mean((np.clip(rebuilt_10, 0, 255) - GREY) ** 2))
    assert exercises.check("05.rms-largest-10", clipped).right  # clipping to 0..255 first is right too
    first_10 = np.sqrt(np.mean((dct.block_idct(jpeg.keep_first(COEFFICIENTS, 10), GREY.shape) + 128 - GREY) ** 2))
    assert round(first_10, 1) == 8.9  # the chapter's number
    rounded = np.sqrt(np.mean((np.clip(np.rint(rebuilt_10), 0, 255) - GREY) ** 2))
    eye = np.s_[96:104, 200:208]
    for answer, words in [
        (first_10, "first 10 in zigzag order"),
        (np.mean((rebuilt_10 - GREY) ** 2), "square root"),
        (np.sqrt(np.mean((rebuilt_10[eye] - GREY[eye]) ** 2)), "eye block alone"),
        (rounded, "rounded the rebuilt picture"),
        (round(right, 2), "close, but rounded"),
        (12.0, "below their 8.9"),
        (3.0, "block_idct"),
        ([right], "one number, got list"),
    ]:
        message = wrong("05.rms-largest-10", answer, words)
        assert f"{right:.2f}" not in message


def test_the_old_try_it_answers_still_hold():
    """What the chapter's old "checks the answers above" cell checked (its questions gave way to the exercises)."""
    signs = np.sign(dct.basis(7, 7))  # (7, 7) is a checkerboard
    assert np.all(signs[:, 1:] == -signs[:, :-1]) and np.all(signs[1:, :] == -signs[:-1, :])
    ramp = dct.dct2(np.tile(np.linspace(-50, 50, 8), (8, 1)))  # a left-to-right ramp centred on 0
    assert np.allclose(ramp[1:, :], 0) and np.allclose(ramp[0, ::2], 0)
    assert abs(ramp[0, 1]) > 5 * np.abs(ramp[0, 2:]).max()


def test_the_facts_in_the_solutions():
    # the challenge's answer: telling the decoder which 10 of 64 a block kept costs about 37 bits
    assert round(math.log2(math.comb(64, 10))) == 37
    # the two passes agree with the chapter's other route, and with dct.dct2
    block = GREY[96:104, 200:208].astype(float) - 128
    assert np.allclose(dct2_two_passes(block), dct.dct2(block))


def test_the_facts_in_the_exercises():
    eye = dct.dct2(GREY[96:104, 200:208].astype(float) - 128)  # the chapter's `block_coefficients`
    largest = set(np.argsort(-np.abs(eye).ravel())[:10].tolist())
    assert len(largest - set(jpeg.ZIGZAG[:10].tolist())) == 3  # 3 of its 10 largest are not among its first 10
    largest_10 = np.array([keep_largest(b, 10) for b in COEFFICIENTS.reshape(-1, 8, 8)]).reshape(COEFFICIENTS.shape)
    shortcut = np.sqrt(((COEFFICIENTS - largest_10) ** 2).sum() / GREY.size)  # the error from what is left out
    assert np.isclose(shortcut, rms_largest_10())
    assert round(math.comb(64, 10) / 1e9) == 151  # "about 150 billion choices"
