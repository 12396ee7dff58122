"""Chapter 01's exercises: every reference solution is "right", typical wrong answers get a hint, not a traceback."""

import lzma
import math

import numpy as np
import pytest

from exercise_tools import check, in_place, not_tried_and_one_line, wrong
from helpers import images, metrics, quantize

GREY = images.load("astronaut", grey=True)
THUMB = quantize.downsample(GREY, 4)  # the chapter's `thumb`


# The reference solutions, as the chapter's <details> blocks give them.

def raw_bytes(picture):
    H, W = picture.shape[:2]
    C = picture.shape[2] if picture.ndim == 3 else 1  # a grey picture has one channel
    return W * H * C * 8 // 8


def histogram_entropy(picture):
    counts = np.bincount(picture.ravel(), minlength=256)
    p = counts[counts > 0] / counts.sum()  # values that never occur add nothing
    return (p * np.log2(1 / p)).sum()


def second_copy_cost(picture):
    one = len(lzma.compress(picture.tobytes(), preset=0))
    two = len(lzma.compress(np.stack([picture] * 2).tobytes(), preset=0))
    return two - one


RAMP = np.tile(np.arange(256, dtype=np.uint8), (256, 1))  # the challenge: every row 0, 1, ..., 255


@pytest.mark.parametrize("name, answer", [
    ("01.raw-bytes", raw_bytes),
    ("01.raw-bytes", lambda picture: picture.nbytes),
    ("01.raw-bytes", lambda picture: picture.size),
    ("01.entropy", histogram_entropy),
    ("01.entropy", metrics.entropy),
    ("01.entropy", lambda picture: float(histogram_entropy(picture))),
    ("01.second-copy", second_copy_cost),
    ("01.second-copy", lambda picture: len(lzma.compress(np.concatenate([picture, picture]), preset=0))
                                       - len(lzma.compress(picture, preset=0))),
    ("01.repeats", RAMP),
    ("01.repeats", np.tile(np.random.default_rng(0).permutation(256).astype(np.uint8).reshape(16, 16), (16, 16))),
])
def test_the_reference_solutions_are_right(name, answer):
    assert check(name, answer).status == "right"


@pytest.mark.parametrize("name", ["01.raw-bytes", "01.entropy", "01.second-copy", "01.repeats"])
def test_a_stub_is_not_tried_yet_and_an_error_is_one_line(name):
    not_tried_and_one_line(name, function=name != "01.repeats")


def _unpack_three(picture):
    H, W, C = picture.shape
    return W * H * C


@pytest.mark.parametrize("function, words", [
    (lambda p: p.size * 8, ["number of bits", "a byte is 8 bits"]),
    (lambda p: p.shape[0] * p.shape[1], ["counts the pixels", "C numbers"]),
    (lambda p: p.shape[0] * p.shape[1] * 8, ["one channel only"]),
    (lambda p: p.shape[0] * p.shape[1] * 3, ["one channel, C = 1", "from its shape"]),
    (lambda p: p.shape[0] * p.shape[1] * (3 if p.ndim == 3 else 1),
     ["4 channels", "from its shape"]),
    (lambda p: p.size * 8 / 8, ["as a float", "whole number", "//"]),
    (lambda p: p.size // 8, ["8 times too small"]),
    (_unpack_three, ["not enough values to unpack", "2-D array", "C = 1"]),
    (lambda p: p.shape[0] * p.shape[1] * p.shape[2], ["IndexError", "C = 1"]),
    (lambda p: p.size + 1, ["your function gives 786,433", "multiply the numbers of the shape"]),
    (lambda p: "786432", ["should be a number, got str"]),
])
def test_raw_bytes_wrong(function, words):
    message = wrong("01.raw-bytes", function, *words)
    assert "786,432" not in message.replace("786,433", "")  # never the expected size


def _with_log(log, skip_zeros=True):
    def entropy(picture):
        counts = np.bincount(picture.ravel(), minlength=256)
        if skip_zeros:
            counts = counts[counts > 0]
        p = counts / counts.sum()
        return (p * log(1 / p)).sum()
    return entropy


def _math_loop(picture):
    counts = np.bincount(picture.ravel(), minlength=256)
    return sum(c / picture.size * -math.log2(c / picture.size) for c in counts)  # log2(0) for a count of 0


@pytest.mark.parametrize("function, words", [
    (_with_log(np.log2, skip_zeros=False), ["is nan", "p = 0", "counts > 0"]),
    (_with_log(np.log), ["in nats", "np.log2"]),
    (_with_log(np.log10), ["np.log10", "np.log2"]),
    (lambda p: -histogram_entropy(p), ["wrong sign", "log2(1 / p)"]),
    (lambda p: histogram_entropy(p) * p.size, ["whole picture", "bits per pixel"]),
    (lambda p: histogram_entropy(p) * p.size / 8, ["in bytes for the whole picture"]),
    (lambda p: histogram_entropy(p) / 8, ["bytes per pixel"]),
    (lambda p: np.log2(len(np.unique(p))), ["as if all were equally common"]),
    (lambda p: (lambda c: (c * np.log2(1 / c)).sum())(np.bincount(p.ravel())[np.bincount(p.ravel()) > 0]),
     ["counts as probabilities"]),
    (lambda p: (lambda c: (c / 256 * np.log2(256 / c)).sum())(np.bincount(p.ravel())[np.bincount(p.ravel()) > 0]),
     ["not by 256"]),
    (lambda p: np.bincount(p), ["np.bincount counts a flat list", "ravel"]),
    (_math_loop, ["math domain error", "skip the zero counts"]),
    (lambda p: (lambda q: q * np.log2(1 / q))(np.bincount(p.ravel())[np.bincount(p.ravel()) > 0] / p.size),
     ["one per value", "sum"]),
    (lambda p: round(histogram_entropy(p), 2), ["close, but rounded"]),
    (lambda p: histogram_entropy(p) + 0.1, ["1.1 bits per pixel, which is not right"]),
])
def test_entropy_wrong(function, words):
    message = wrong("01.entropy", function, *words)
    assert "7.46" not in message and "1.5" not in message  # never an expected entropy


def test_entropy_must_use_its_picture():
    message = wrong("01.entropy", lambda p: histogram_entropy(THUMB), "7.464 bits per pixel, which is not right")
    assert "half black" in message  # the learner's own number, for the picture it is wrong on


@pytest.mark.parametrize("name, solution", [("01.entropy", histogram_entropy), ("01.second-copy", second_copy_cost)])
def test_the_picture_must_be_left_alone(name, solution):
    wrong(name, in_place(solution), "changed the picture it was given")


def test_the_second_copy_costs_little():
    """The facts the chapter's solution states: about 60 bytes for the thumbnail's second copy, 12,400 for the first,
    and a match of lzma is at most 273 bytes long, so the 16,384 bytes need some 60 of them."""
    assert second_copy_cost(THUMB) == 60 and len(lzma.compress(THUMB.tobytes(), preset=0)) == 12_400
    assert math.ceil(THUMB.size / 273) == 61
    for seed in range(6):  # whatever the chapter's rng gives: the noise's first copy dear, its second about 300 bytes
        noise = np.random.default_rng(seed).integers(0, 256, THUMB.shape, dtype=np.uint8)
        assert len(lzma.compress(noise.tobytes(), preset=0)) > THUMB.size and 250 < second_copy_cost(noise) < 350


@pytest.mark.parametrize("function, words", [
    (lambda p: p.size, ["raw size of one copy"]),
    (lambda p: len(lzma.compress(np.stack([p] * 2).tobytes(), preset=0)), ["2 copies cost together"]),
    (lambda p: -second_copy_cost(p), ["wrong way round"]),
    (lambda p: len(lzma.compress(np.stack([p] * 2).tobytes(), preset=0)) / len(lzma.compress(p.tobytes(), preset=0)),
     ["a ratio"]),
    (lambda p: len(lzma.compress(np.stack([p] * 2).tobytes())) - len(lzma.compress(p.tobytes())), ["preset=0"]),
    (lambda p: len(lzma.compress(np.concatenate([p, p], axis=1).tobytes(), preset=0))
     - len(lzma.compress(p.tobytes(), preset=0)), ["side by side", "np.stack"]),
    (lambda p: second_copy_cost(THUMB), ["the same number for every picture"]),
    (lambda p: second_copy_cost(p) + 1, ["not right", "np.stack"]),
    (lambda p: lzma.compress([p, p]), ["raised TypeError"]),
    (lambda p: [second_copy_cost(p)], ["should be one number"]),
])
def test_second_copy_wrong(function, words):
    wrong("01.second-copy", function, *words)


@pytest.mark.parametrize("picture, words", [
    (np.random.default_rng(0).integers(0, 256, (256, 256), dtype=np.uint8), ["lzma still keeps", "repeat"]),
    (np.zeros((256, 256), dtype=np.uint8), ["packs it well", "only 0.00 bits per pixel", "many different values"]),
    (THUMB, ["7.46 bits per pixel", "neither"]),
    (RAMP.astype(float), ["array of float64", "astype(np.uint8)"]),
    (np.stack([RAMP] * 3, axis=-1), ["3 dimensions", "2-D"]),
    (np.tile(RAMP, (8, 8)), ["4,194,304 pixels", "keep it under"]),
    (RAMP.tolist(), ["numpy array, got list"]),
    (np.tile(np.arange(256, dtype=np.uint8) // 4, (256, 1)), ["6.00 bits per pixel"]),
])
def test_repeats_wrong(picture, words):
    wrong("01.repeats", picture, *words)


def test_what_the_old_answers_cell_checked():
    """What the chapter's old "checks the answers above" cell checked (its questions gave way to the exercises)."""
    cat = images.load("chelsea")
    assert 451 * 300 * 3 * 8 == metrics.raw_bits(cat) == 3_247_200 and raw_bytes(cat) == 405_900
    full_bits_per_pixel = metrics.bits_per_pixel(len(lzma.compress(GREY.tobytes())), GREY)
    assert 4.5 < full_bits_per_pixel < 5.5, full_bits_per_pixel
    assert np.isclose(histogram_entropy(THUMB), 7.464, atol=5e-4) and histogram_entropy(RAMP) == 8
    # the ramp: 8 bits, yet lzma packs its 65,536 bytes to <400
    assert len(lzma.compress(RAMP.tobytes(), preset=0)) < 400
    assert np.all(np.bincount(RAMP.ravel()) == 256)  # every value 256 times
    assert round(len(lzma.compress(THUMB.tobytes(), preset=0)) / THUMB.size, 2) == 0.76  # the thumbnail keeps 76 %
    assert round(1 / np.log2(np.e), 2) == 0.69  # nats are 0.69 times the bits
