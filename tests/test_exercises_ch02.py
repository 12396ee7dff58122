"""Chapter 02's exercises: every reference solution is "right", typical wrong answers get a hint, not a traceback."""

import math

import numpy as np
import pytest

from exercise_tools import check, not_tried_and_one_line, wrong
from helpers import images, metrics, quantize
from helpers.exercises import ch02

NUMPY_2 = np.lib.NumpyVersion(np.__version__) >= "2.0.0"

GREY = images.load("astronaut", grey=True)
PICTURE_5 = quantize.quantize(GREY, 5)  # the chapter's `picture_5`


# The reference solutions, as the chapter's <details> blocks give them.

def quantize_levels(picture, levels):
    step = 256 / levels
    level = np.floor(picture / step)  # 0 .. levels - 1
    return np.floor((level + 0.5) * step).astype(np.uint8)  # the middle, rounded down


def my_psnr(original, changed):
    error = original.astype(float) - changed  # float first: in uint8, 3 - 5 is 254
    mse = np.mean(error**2)
    if mse == 0:
        return np.inf  # identical pictures: no error at all
    return 10 * np.log10(255**2 / mse)


def fewest_levels_answer():
    for n in range(2, 257):
        if my_psnr(GREY, quantize_levels(GREY, n)) >= 40:
            return n


def nearest_values(picture, values):  # the chapter's, as it is in the challenge's stub cell
    values = np.asarray(values, dtype=float)
    distance = np.abs(picture[..., np.newaxis] - values)  # one distance per pixel and value
    return values[distance.argmin(axis=-1)].astype(np.uint8)


def lloyd_values():
    values = np.arange(16) * 16 + 8.0  # start from the chapter's 16 middles
    for _ in range(10):
        nearest = np.abs(GREY[..., np.newaxis] - values).argmin(axis=-1)  # which value each pixel goes to
        values = np.array([GREY[nearest == k].mean() for k in range(16)])  # each moves to the mean of its pixels
    return np.rint(values)


LLOYD = lloyd_values()


@pytest.mark.parametrize("name, answer", [
    ("02.any-levels", quantize_levels),
    ("02.any-levels", lambda p, n: (np.floor(p * (n / 256)) * (256 / n) + 128 / n).astype(np.uint8)),  # truncates
    ("02.any-levels", lambda p, n: ((2 * (p.astype(int) * n // 256) + 1) * 128 // n).astype(np.uint8)),  # integers
    ("02.any-levels", lambda p, n: (p // (256 / n) * (256 / n) + 128 / n).astype(np.uint8)),  # float //
    ("02.psnr", my_psnr),
    ("02.psnr", metrics.psnr),
    ("02.psnr", lambda a, b: 20 * np.log10(255 / np.sqrt(np.mean((a.astype(float) - b) ** 2)))),  # inf by itself
    ("02.fewest-levels", 33),
    ("02.fewest-levels", np.int64(33)),
    ("02.own-16-values", LLOYD),
    ("02.own-16-values", [int(v) for v in LLOYD]),
])
def test_the_reference_solutions_are_right(name, answer):
    assert check(name, answer).status == "right"


def test_the_solutions_say_what_the_chapter_says():
    ramp = np.arange(256, dtype=np.uint8)
    assert np.array_equal(quantize_levels(GREY, 32), PICTURE_5)
    assert all(np.array_equal(quantize_levels(GREY, 2**b), quantize.quantize(GREY, b)) for b in range(1, 9))
    # 3 levels: 0..85 -> 42, 86..170 -> 128, 171..255 -> 213; the whole step 85 leaves a fourth level for 255
    assert np.array_equal(np.unique(quantize_levels(ramp, 3), return_counts=True)[1], [86, 85, 85])
    assert list(quantize_levels(ramp, 3)[[0, 85, 86, 170, 171, 255]]) == [42, 42, 128, 128, 213, 213]
    assert 255 // (256 // 3) == 3 and 254 // (256 // 3) == 2
    # my_psnr: 39.93 dB for picture_5; computed in uint8, 2.6 dB
    assert round(my_psnr(GREY, PICTURE_5), 2) == 39.93 and np.isclose(my_psnr(GREY, PICTURE_5),
                                                                      metrics.psnr(GREY, PICTURE_5))
    wrapped = GREY - PICTURE_5  # uint8
    assert wrapped[PICTURE_5 > GREY].min() > 250
    assert round(10 * np.log10(255**2 / np.mean(wrapped.astype(float) ** 2)), 1) == 2.6
    # 33 levels, 40.6 dB, 0.7 dB over 32; most of the gain from the 11 % black pixels (0 -> 4 with 32, 3 with 33)
    assert fewest_levels_answer() == 33
    psnr_33 = my_psnr(GREY, quantize_levels(GREY, 33))
    assert round(psnr_33, 1) == 40.6 and round(psnr_33 - my_psnr(GREY, PICTURE_5), 1) == 0.7
    assert (quantize_levels(np.uint8([0]), 32)[0], quantize_levels(np.uint8([0]), 33)[0]) == (4, 3)
    black = np.mean(GREY == 0)
    gain = metrics.mse(GREY, PICTURE_5) - metrics.mse(GREY, quantize_levels(GREY, 33))
    assert round(black, 2) == 0.11 and black * (16 - 9) > gain / 2
    assert 2**5 < 33 <= 2**6 and round(my_psnr(GREY, quantize_levels(GREY, 64)), 1) == 45.7
    # the challenge: 16 equal levels 33.9 dB, black comes back as 8; the lowest at 0 alone 34.9; Lloyd 35.3, lowest 1
    equal_16 = np.arange(16) * 16 + 8
    assert round(metrics.psnr(GREY, nearest_values(GREY, equal_16)), 1) == 33.9
    assert np.array_equal(np.abs(nearest_values(GREY, equal_16) - GREY.astype(int)),  # a tie may go either way
                          np.abs(quantize.quantize(GREY, 4) - GREY.astype(int)))
    assert quantize.quantize(np.uint8([[0]]), 4)[0, 0] == 8
    assert round(metrics.psnr(GREY, nearest_values(GREY, np.r_[0, equal_16[1:]])), 1) == 34.9
    assert round(metrics.psnr(GREY, nearest_values(GREY, LLOYD)), 1) == 35.3 and LLOYD.min() == 1
    assert np.array_equal(nearest_values(GREY, LLOYD), ch02.nearest_values(GREY, LLOYD))


def test_the_old_try_it_answers_still_hold():
    """What the chapter's old "checks the answers above" cell checked."""
    assert len(quantize.pack(quantize.indices(GREY, 3), 3)) == 98_304
    colour_2 = quantize.quantize(images.load("astronaut"), 2)
    assert all(len(np.unique(colour_2[..., c])) == 4 for c in range(3))
    assert len(np.unique(colour_2.reshape(-1, 3), axis=0)) == 36  # of the 64 colours 2 bits a channel can show
    both = quantize.quantize(quantize.downsample(GREY, 2), 4)
    assert len(quantize.pack(quantize.indices(both, 4), 4)) == 32_768
    psnr_both = metrics.psnr(GREY, quantize.upsample(both, 2))
    psnr_1_bit = metrics.psnr(GREY, quantize.quantize(GREY, 1))
    psnr_third = metrics.psnr(GREY, quantize.upsample(quantize.downsample(GREY, 3), 3, shape=GREY.shape))
    assert 26 < psnr_both < 28 and psnr_both > psnr_1_bit and psnr_both > psnr_third


@pytest.mark.parametrize("name", ["02.any-levels", "02.psnr", "02.fewest-levels", "02.own-16-values"])
def test_a_stub_is_not_tried_yet_and_an_error_is_one_line(name):
    not_tried_and_one_line(name, function=name in ("02.any-levels", "02.psnr"))


def _step(p, n):
    return 256 / n


@pytest.mark.parametrize("function, words", [
    (lambda p, n: (p // (256 // n) * (256 // n) + (256 // n) // 2).astype(np.uint8),  # a whole step
     [", 3)", "4 different values", "3 expected: look at the step",
      "256 // 3 leaves a level too many"]),
    (lambda p, n: (p // (255 // n) * (255 // n) + (255 // n) // 2).astype(np.uint8),  # 255 for 256
     ["37 different values", "32 expected: look at the step"]),
    (lambda p, n: quantize.quantize(p, int(np.log2(n))), ["2 different values", "3 expected"]),  # bits
    (lambda p, n: np.floor((np.rint(p / _step(p, n)) + 0.5) * _step(p, n)).astype(np.uint8),  # nearest level
     ["rounding down", "not to the nearest"]),
    (lambda p, n: np.floor((np.minimum(np.rint(p / _step(p, n)), n - 1) + 0.5) * _step(p, n)).astype(np.uint8),
     ["not to the nearest"]),
    (lambda p, n: np.rint((np.floor(p / _step(p, n)) + 0.5) * _step(p, n)).astype(np.uint8),  # np.rint's halves
     [", 256)", "value 1 comes back in the next level up", "rounds a half to the even number", "np.floor"]),
    (lambda p, n: np.floor(np.floor(p / _step(p, n)) * _step(p, n)).astype(np.uint8),  # level * 8
     ["at the bottom of its level", "half a step higher"]),
    (lambda p, n: np.floor((np.floor(p / _step(p, n)) + 1) * _step(p, n) - 1).astype(np.uint8),
     ["at the top of its level"]),
    (lambda p, n: np.floor(p / _step(p, n)).astype(np.uint8), ["the level numbers 0..31", "middle"]),
    (lambda p, n: np.floor((np.floor(p / _step(p, n)) + 0.5) * _step(p, n)),  # float
     ["right values, but as float64", ".astype(np.uint8)"]),
    (lambda p, n: (np.floor(p / _step(p, n)) + 0.5) * _step(p, n),  # not rounded: first wrong at 3 levels
     ["right values, but as float64"]),
    (lambda p, n: quantize_levels(p, n).astype(int), ["right values, but as int64"]),
    (lambda p, n: (np.floor(p / _step(p, n)) + 0.5) * _step(p, n) if n == 3 else quantize_levels(p, n),
     [", 3) gives values that are not whole numbers", "np.floor"]),
    (lambda p, n: np.floor((np.floor(p * n / 256) + 0.5) * _step(p, n)).astype(np.uint8),  # p * n in uint8
     ["the same value", "wraps around"]),
    # // 256 on uint8: numpy 2 raises (256 is no uint8); numpy 1 casts up, and p * n has wrapped by then
    (lambda p, n: ((p * n // 256) * (256 / n) + 128 / n).astype(np.uint8),
     ["raised OverflowError", "uint8, which holds only 0..255", "astype(float)"] if NUMPY_2
     else ["the same value", "wraps around", "astype(float)"]),
    (lambda p, n: quantize_levels(p, n).ravel(), ["has shape (256,)", "keep the picture's shape, (16, 16)"]),
    (lambda p, n: quantize_levels(p, n)[..., 0] if p.ndim == 3 else quantize_levels(p, n),
     ["the eye in colour", "shape (12, 12)", "(12, 12, 3)"]),
    (lambda p, n: quantize_levels(p, n) - 1 if n == 100 else quantize_levels(p, n),
     [", 100)", "pixels are wrong", "the first, 0, comes back as 0: in its level, but not at its middle"]),
    (lambda p, n: quantize_levels(p, n).astype(float) - 300, ["outside 0..255"]),
    (lambda p, n: "picture", ["should be a picture", "<U7"]),
])
def test_any_levels_wrong(function, words):
    wrong("02.any-levels", function, *words)


def test_any_levels_must_leave_the_picture_alone():
    def in_place(picture, levels):
        picture //= 8
        picture *= 8
        picture += 4
        return picture
    wrong("02.any-levels", in_place, "changed the picture it was given")


def _from_error(f):
    return lambda a, b: f(a.astype(float) - b)


@pytest.mark.parametrize("function, words", [
    (lambda a, b: 10 * np.log10(255**2 / np.mean((a - b).astype(float) ** 2)), ["right for pictures of int64",
                                                                                "3 - 5 wraps around", "float"]),
    (lambda a, b: 10 * np.log10(255**2 / np.mean((a - b) ** 2)), ["uint8 has no negative numbers"]),
    (_from_error(lambda e: np.mean(e**2)), ["that is the MSE"]),
    (_from_error(lambda e: np.sqrt(np.mean(e**2))), ["the root of the MSE"]),
    (_from_error(lambda e: 10 * np.log10(255 / np.mean(e**2))), ["255 must be squared"]),
    (_from_error(lambda e: 10 * np.log10(255 / np.sqrt(np.mean(e**2)))), ["half the PSNR", "20 log10(255 / RMSE)"]),
    (_from_error(lambda e: 10 * np.log10(255**2 / np.sqrt(np.mean(e**2)))), ["without a square root"]),
    (_from_error(lambda e: 10 * np.log(255**2 / np.mean(e**2))), ["natural logarithm", "np.log10"]),
    (_from_error(lambda e: 10 * np.log10(256**2 / np.mean(e**2))), ["the peak is 255"]),
    (_from_error(lambda e: 10 * np.log10(255**2 / np.sum(e**2))), ["not their sum"]),
    (_from_error(lambda e: 10 * np.log10(255**2 / np.mean(np.abs(e)))), ["square the differences"]),
    (_from_error(lambda e: 10 * np.log10(np.mean(e**2) / 255**2)), ["the wrong sign"]),
    (_from_error(lambda e: np.log10(255**2 / np.mean(e**2))), ["in bels", "multiply by 10"]),
    (lambda a, b: round(my_psnr(a, b), 2), ["close, but rounded"]),
    (lambda a, b: my_psnr(a, b) + 1, ["dB, which is not right", "10 log10(255² / MSE)"]),
    (lambda a, b: my_psnr(GREY, PICTURE_5), ["dB, which is not right"]),  # not the pictures it is given
    (lambda a, b: 10 * math.log10(255**2 / float(np.mean((a.astype(float) - b) ** 2))),
     ["the eye and itself", "raised ZeroDivisionError", "return np.inf"]),
    (lambda a, b: 10 * np.log10(255**2 / (np.mean((a.astype(float) - b) ** 2) + 1e-10)),
     ["gives 148.1", "return np.inf"]),
    (lambda a, b: 0.0 if np.array_equal(a, b) else my_psnr(a, b), ["gives 0", "MSE 0"]),
    (lambda a, b: 10 * np.log10(255**2 / np.mean((a.astype(float) - b) ** 2, axis=0)), ["should be one number"]),
    (lambda a, b: "40 dB", ["should be a number, got str"]),
])
def test_psnr_wrong(function, words):
    message = wrong("02.psnr", function, *words)
    eye = GREY[94:106, 198:210]
    expected = my_psnr(eye, quantize.quantize(eye, 3))
    assert f"{expected:.4g}" not in message and f"{expected:.2f}" not in message  # never the expected PSNR


def test_psnr_must_leave_the_pictures_alone():
    def in_place(a, b):
        a -= b
        return my_psnr(a, b)
    wrong("02.psnr", in_place, "changed a picture it was given")


@pytest.mark.parametrize("answer, words", [
    (32, ["with 32 levels", "39.93 dB, under 40", "more levels"]),
    (30, ["under 40"]),
    (34, ["34 levels reach 40 dB", "fewer levels do too", "from 2 up"]),
    (64, ["64 levels reach 40 dB", "not only powers of two"]),
    (6, ["a number of bits?", "asks for levels"]),
    (5, ["a number of bits?"]),
    (33.0, ["whole number, got float"]),
    (True, ["whole number, got bool"]),
    ("33", ["whole number, got str"]),
    (300, ["from 2 to 256"]),
    (1, ["from 2 to 256"]),
])
def test_fewest_levels_wrong(answer, words):
    message = wrong("02.fewest-levels", answer, *words)
    assert "33" not in message.replace("33.0", "")  # never the answer


@pytest.mark.parametrize("answer, words", [
    (np.arange(16) * 16 + 8, ["33.87 dB, at least 35.0 asked", "the chapter's 16 equal levels"]),
    (np.r_[0, np.arange(1, 16) * 16 + 8], ["34.90 dB", "close", "mean of the pixels nearest to it"]),
    (np.arange(16) * 10, ["dB, at least 35.0 asked", "np.bincount", "where many pixels are"]),
    (LLOYD + 0.5, ["whole numbers", "np.rint"]),
    (np.arange(17) * 15, ["17 different values", "only 16 apart"]),
    (LLOYD.reshape(4, 4), ["flat list", "shape (4, 4)"]),
    ([], ["flat list", "shape (0,)"]),
    ([300] * 16, ["0..255"]),
    (np.r_[LLOYD[:15], np.nan], ["NaN"]),
    ("0, 16, 32", ["list or array of numbers, got str"]),
    ([True] * 16, ["list or array of numbers"]),
    (quantize_levels, ["list or array of numbers, got function"]),
])
def test_own_16_values_wrong(answer, words):
    wrong("02.own-16-values", answer, *words)


def test_own_16_values_fewer_values_are_fine():
    assert check("02.own-16-values", np.r_[LLOYD, LLOYD[:3]]).right  # repeats: still 16 different values
    assert "your 2 values" in check("02.own-16-values", [0, 200]).message
