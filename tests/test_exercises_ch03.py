"""Chapter 03's exercises: every reference solution is "right", typical wrong answers get a hint, not a traceback."""

import numpy as np
import pytest

from exercise_tools import check, in_place, not_tried_and_one_line, wrong
from helpers import images, metrics
from helpers.exercises import ch03

GREY = images.load("astronaut", grey=True)
CAMERA = images.load("camera", grey=True)


# The reference solutions, as the chapter's <details> blocks give them.

def left_residuals(picture):
    pixels = picture.astype(int)
    return np.diff(pixels, axis=1, prepend=0)


def entropy_from_histogram(values):
    values = np.asarray(values)
    counts = np.bincount((values - values.min()).ravel())
    p = counts[counts > 0] / values.size
    return np.sum(p * np.log2(1 / p))


def average_residuals(picture):
    pixels = picture.astype(int)
    prediction = (pixels[1:, :-1] + pixels[:-1, 1:]) // 2  # left neighbour + upper neighbour, halved
    return pixels[1:, 1:] - prediction


def residuals_with(picture, predict):
    pixels = picture.astype(int)
    return pixels[1:, 1:] - predict(pixels[1:, :-1], pixels[:-1, 1:], pixels[:-1, :-1])


def neighbours(picture):
    """(here, left, up, up_left): every pixel outside row 0 and column 0, and its three neighbours, as int."""
    pixels = picture.astype(int)
    return pixels[1:, 1:], pixels[1:, :-1], pixels[:-1, 1:], pixels[:-1, :-1]


@np.vectorize
def paeth_png(a, b, c):
    """PaethPredictor as the PNG specification writes it, one pixel at a time (a left, b up, c up-left)."""
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    if pb <= pc:
        return b
    return c


def best_predictor_bits(picture=CAMERA):
    """The challenge's answer, worked out apart from the check's PREDICTORS (an independent reference, not a copy
    of the chapter's solution, which the check repeats): each guess as an array, Paeth pixel by pixel as in PNG."""
    here, left, up, up_left = neighbours(picture)
    guesses = {"left": left, "up": up, "up-left": up_left, "average": (left + up) // 2,
               "gradient": left + up - up_left, "paeth": paeth_png(left, up, up_left)}
    return {name: entropy_from_histogram(here - guess) for name, guess in guesses.items()}


@pytest.mark.parametrize("name, answer", [
    ("03.left-residuals", left_residuals),
    ("03.left-residuals", lambda picture: np.diff(picture.astype(np.int16), axis=1, prepend=0)),
    ("03.entropy-histogram", entropy_from_histogram),
    ("03.entropy-histogram", metrics.entropy),
    ("03.average-residuals", average_residuals),
    ("03.best-predictor", best_predictor_bits()),
])
def test_the_reference_solutions_are_right(name, answer):
    assert check(name, answer).status == "right"


@pytest.mark.parametrize("name", ["03.left-residuals", "03.entropy-histogram", "03.average-residuals",
                                  "03.best-predictor"])
def test_a_stub_is_not_tried_yet_and_an_error_is_one_line(name):
    not_tried_and_one_line(name, function=name != "03.best-predictor")


@pytest.mark.parametrize("answer, words", [
    (lambda p: np.hstack([p[:, :1], p[:, 1:] - p[:, :-1]]), "of type uint8, which cannot hold"),  # no astype(int)
    (lambda p: np.diff(p.astype(int), axis=1), "one column short"),                           # no prepend
    (lambda p: np.diff(p.astype(int), axis=0, prepend=0), "down the columns"),                # wrong axis
    (lambda p: -np.diff(p.astype(int), axis=1, prepend=0), "signs are the wrong way round"),  # neighbour - pixel
    (lambda p: np.diff(p.astype(int), axis=1, prepend=p[:, :1].astype(int)), "column 0 is all 0"),
    (lambda p: np.diff(p.astype(float), axis=1, prepend=0), "as floats"),                     # float dtype
    (lambda p: np.hstack([p[:, :1], p[:, 1:] - p[:, :-1]]).astype(int), "wrapped around by 256"),  # too late
    (lambda p: np.diff(p.astype(int), axis=1, prepend=0) + 1, "off-by-one"),
    (lambda p: "residuals", "should hold numbers"),
])
def test_left_residuals_wrong_answers_get_a_hint(answer, words):
    assert words in wrong("03.left-residuals", answer)


@pytest.mark.parametrize("name, solution", [("03.left-residuals", left_residuals),
                                            ("03.average-residuals", average_residuals)])
def test_residuals_must_not_change_the_picture(name, solution):
    wrong(name, in_place(solution), "changed the picture it was given")


def _counts(values):
    values = np.asarray(values)
    return np.bincount(values - values.min())


def entropy_without_shift(values):
    counts = np.bincount(values)  # raises for negative values
    p = counts[counts > 0] / values.size
    return np.sum(p * np.log2(1 / p))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the wrong answers' own 1/0
@pytest.mark.parametrize("answer, words", [
    (entropy_without_shift, "subtract the smallest value first"),
    (lambda v: float(np.sum(_counts(v) / len(v) * np.log2(len(v) / _counts(v)))), "is nan"),   # empty bins kept
    (lambda v: np.sum((c := _counts(v)[_counts(v) > 0]) / len(v) * np.log(len(v) / c)), "nats"),
    (lambda v: np.sum((c := _counts(v)[_counts(v) > 0]) / len(v) * np.log10(len(v) / c)), "np.log10"),
    (lambda v: np.sum((c := _counts(v)[_counts(v) > 0]) / len(v) * np.log2(c / len(v))), "is negative"),
    (lambda v: np.sum(np.log2(len(v) / _counts(v)[_counts(v) > 0])), "weigh each cost"),
    (lambda v: (c := _counts(v)[_counts(v) > 0]) / len(v) * np.log2(len(v) / c), "one expected"),  # no sum
    (lambda v: len(v) * entropy_from_histogram(v), "for all"),
    (lambda v: np.sum(np.log2(len(v) / _counts(v)[_counts(v) > 0])) / len(v), "not its entropy"),
    (lambda v: "8 bits", "should be a number, got str"),
])
def test_entropy_wrong_answers_get_a_hint(answer, words):
    message = wrong("03.entropy-histogram", answer)
    assert words in message
    assert "2.58" not in message and "4.88" not in message  # never the expected value


@pytest.mark.parametrize("answer, words", [
    (lambda p: p[1:, 1:] - (p[1:, :-1] + p[:-1, 1:]) // 2, "of type uint8"),
    (lambda p: p[1:, 1:].astype(int) - (p[1:, :-1] + p[:-1, 1:]) // 2, "overflowed in uint8"),
    (lambda p: (q := p.astype(int))[1:, 1:] - (q[1:, :-1] + q[:-1, 1:]) / 2, "halves"),
    (lambda p: (q := p.astype(int))[1:, 1:] - np.rint((q[1:, :-1] + q[:-1, 1:]) / 2), "rounded to the nearest"),
    (lambda p: (q := p.astype(int))[1:, 1:] - (q[:-1, :-1] + q[:-1, 1:]) // 2, "up and to the left"),
    (lambda p: (q := p.astype(int))[:-1, :-1] - (q[:-1, 1:] + q[1:, :-1]) // 2, "wrong pixels"),
    (lambda p: -average_residuals(p), "signs are the wrong way round"),
    (lambda p: np.pad(average_residuals(p), ((1, 0), (1, 0))), "the picture's shape"),
    (lambda p: average_residuals(p)[1:], "has shape"),
    (lambda p: average_residuals(p) * 2, "differ"),
])
def test_average_residuals_wrong_answers_get_a_hint(answer, words):
    assert words in wrong("03.average-residuals", answer)


def test_best_predictor_wrong_answers_get_a_hint():
    right = best_predictor_bits()
    assert check("03.best-predictor", {}).status == "not tried"
    assert "should be a dict" in wrong("03.best-predictor", [4.7, 4.6])
    assert "does not know" in wrong("03.best-predictor", {**right, "median": 4.4})
    assert "still missing: ['paeth']" in wrong("03.best-predictor", {k: v for k, v in right.items() if k != "paeth"})
    assert "astronaut's" in wrong("03.best-predictor", best_predictor_bits(GREY))
    whole = {**right, "left": metrics.entropy(np.diff(CAMERA.astype(int), axis=1, prepend=0))}
    assert "row 0 and column 0 too" in wrong("03.best-predictor", whole)
    camera = CAMERA.astype(int)
    halves = camera[1:, 1:] - (camera[1:, :-1] + camera[:-1, 1:]) / 2
    doubled = entropy_from_histogram((2 * halves).astype(int))
    assert "whole number" in wrong("03.best-predictor", {**right, "average": doubled})
    here, left, up, up_left = neighbours(CAMERA)
    wrapped = {**right, "gradient": metrics.entropy((here - (left + up - up_left)) % 256)}
    assert "wrapped around" in wrong("03.best-predictor", wrapped)
    def paeth_without_abs(left, up, up_left):  # distances to p that can be negative
        p = left + up - up_left
        to_left, to_up, to_up_left = p - left, p - up, p - up_left
        return np.where((to_left <= to_up) & (to_left <= to_up_left), left, np.where(to_up <= to_up_left, up, up_left))

    ties = {**right, "paeth": entropy_from_histogram(residuals_with(CAMERA, paeth_without_abs))}
    message = wrong("03.best-predictor", ties)
    assert "['paeth']" in message and "closest to p" in message
    assert "should be one number, got list" in wrong("03.best-predictor", {**right, "up": [4.66]})
    assert "should be a number, got str" in wrong("03.best-predictor", {**right, "up": "4.66"})


def test_the_checks_paeth_is_the_png_specifications():
    for picture in (CAMERA, GREY, np.random.default_rng(0).integers(0, 256, (40, 30))):
        _, left, up, up_left = neighbours(picture)
        assert np.array_equal(ch03.PREDICTORS["paeth"](left, up, up_left), paeth_png(left, up, up_left))


def test_the_challenge_numbers_the_chapter_quotes():
    bits = best_predictor_bits()
    assert min(bits, key=bits.get) == "average" and round(bits["average"], 2) == 4.46
    assert round(bits["paeth"], 2) == 4.50 and max(bits, key=bits.get) == "up-left"  # Paeth next, up-left last
    astronaut = best_predictor_bits(GREY)
    assert min(astronaut, key=astronaut.get) == "paeth"  # PNG's cleverest guess wins on the astronaut
    assert (round(astronaut["paeth"], 2), round(astronaut["average"], 2)) == (4.37, 4.48)
    assert astronaut["average"] < astronaut["up"] < astronaut["left"]  # two guesses miss by less than either


def test_what_the_old_try_it_cell_checked():
    vertical = np.corrcoef(GREY[:-1, :].ravel(), GREY[1:, :].ravel())[0, 1]
    across = np.corrcoef(GREY[:, :-1].ravel(), GREY[:, 1:].ravel())[0, 1]
    assert across < vertical < 0.99  # a little more alike up and down than side by side
    left_bits = entropy_from_histogram(left_residuals(GREY))
    average_bits = entropy_from_histogram(average_residuals(GREY))
    assert 4.4 < average_bits < 4.6 < left_bits and round(left_bits - average_bits, 2) == 0.40
