"""Checks for the exercises of chapter 03 · Neighbours."""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import images
from . import NotTried, _LearnerError, call, call_on_copies, compare, exercise, number


def _pictures() -> list[np.ndarray]:
    """uint8 pictures to try the learner's functions on: small random ones (dark and bright) and the astronaut."""
    rng = np.random.default_rng(3)
    small = rng.integers(0, 256, (5, 7)).astype(np.uint8)
    bright = rng.integers(200, 256, (6, 4)).astype(np.uint8)  # sums of two neighbours overflow uint8
    return [small, bright, images.load("astronaut", grey=True)]


def _entropy(values: np.ndarray) -> float:
    _, counts = np.unique(values, return_counts=True)
    p = counts / counts.sum()
    return float(np.sum(p * np.log2(1 / p)))


def _same(a: object, b: np.ndarray) -> bool:
    a = np.asarray(a)
    return a.shape == b.shape and np.issubdtype(a.dtype, np.number) and np.array_equal(a, b)


def _wrapped(got: np.ndarray, expected: np.ndarray) -> bool:
    """Equal but for multiples of 256: uint8 arithmetic wrapped around."""
    return got.shape == expected.shape and np.array_equal(got.astype(np.int64) % 256, expected % 256)


def _residuals(function: object, what: str):
    """(picture, its pixels as int64, the learner's residuals) for each test picture, the learner's on a copy."""
    for picture in _pictures():
        got = call_on_copies(function, picture, what=what, given="picture", hint="compute a new array instead")
        yield picture, picture.astype(np.int64), got


@exercise("03.left-residuals")
def _(function):
    """left_residuals(picture): pixel minus its left neighbour; column 0 predicted as 0 (keeps its value)."""
    for picture, pixels, got in _residuals(function, "left_residuals(picture)"):
        expected = np.diff(pixels, axis=1, prepend=0)
        got_array = np.asarray(got)
        if got_array.shape == (picture.shape[0], picture.shape[1] - 1):
            return (f"your residuals have shape {got_array.shape}, one column short of the picture's {picture.shape}: "
                    f"column 0 has no left neighbour, it is predicted as 0 (np.diff's prepend=0)")
        if got_array.shape == (picture.shape[0] - 1, picture.shape[1]) or (
                got_array.shape == picture.shape and _same(got_array, np.diff(pixels, axis=0, prepend=0))):
            return ("your residuals go down the columns (the pixel above): "
                    "the left neighbour is in the same row (axis=1)")
        if got_array.shape == picture.shape and np.issubdtype(got_array.dtype, np.number):
            if np.issubdtype(got_array.dtype, np.unsignedinteger) or got_array.dtype == np.int8:
                return (f"your residuals are of type {got_array.dtype}, which cannot hold every residual "
                        f"(-3 becomes 253 in uint8): make the picture signed and wide first, picture.astype(int)")
            if not _same(got_array, expected) and _wrapped(got_array, expected):
                return ("some residuals wrapped around by 256: the subtraction happened in uint8; "
                        "convert the picture first, picture.astype(int)")
            if _same(-got_array, expected) or _same(-got_array[:, 1:], expected[:, 1:]):
                return ("the signs are the wrong way round: "
                        "the residual is pixel minus prediction (minus its left neighbour)")
            if _same(got_array[:, 1:], expected[:, 1:]) and not _same(got_array[:, :1], expected[:, :1]):
                if np.all(got_array[:, 0] == 0):
                    return ("right from column 1 on, but column 0 is all 0: "
                            "the first pixel of a row is predicted as 0, so its residual is the pixel's own value")
                return "right from column 1 on, but not column 0: predicted as 0, it keeps the pixel's own value"
            if np.issubdtype(got_array.dtype, np.floating) and np.allclose(got_array, expected):
                return ("right values, but as floats: a residual of whole grey levels is a whole number; "
                        "keep it an integer (picture.astype(int), no division)")
        message = compare(got, expected, "left_residuals(picture)")
        if message is not None:
            return message + ": each residual is pixel[r, c] - pixel[r, c - 1]"
    return None


def _histogram_cases() -> list[tuple[np.ndarray, float]]:
    astronaut = images.load("astronaut", grey=True).astype(np.int64)
    residuals = np.diff(astronaut, axis=1, prepend=0)
    cases = [np.array([3, 3, 3, 5]), np.array([-2, -2, 1, 7]),  # 4 never occurs; negative values
             np.array([0, 1]), np.array([1, 2, 3, 4, 5, 6]), np.full(10, 42), residuals]
    return [(values, _entropy(values)) for values in cases]


@exercise("03.entropy-histogram")
def _(function):
    """entropy_from_histogram(values): count with np.bincount, then the sum of p * log2(1/p)."""
    for values, expected in _histogram_cases():
        shown = "the residuals" if values.size > 100 else f"{values.tolist()}"
        try:
            with np.errstate(divide="ignore", invalid="ignore"):  # log2(1/0) is the hint below, not a warning
                got = call(function, values.copy(), what=f"entropy_from_histogram({shown})")
        except _LearnerError as error:
            if "negative" in str(error):
                raise _LearnerError(f"{error}: np.bincount counts only values from 0 up; "
                                    f"subtract the smallest value first (values - values.min())") from None
            raise
        if np.ndim(got) != 0:
            return (f"entropy_from_histogram({shown}) gives {np.shape(got)} numbers, one expected: "
                    f"the entropy is the sum of p * log2(1/p) over the values")
        value = number(got, f"entropy_from_histogram({shown})")
        if isinstance(value, str):
            return value
        if np.isnan(value):
            return (f"entropy_from_histogram({shown}) is nan: a value that never occurs has count 0, and "
                    f"0 * log2(1/0) is nan; leave the empty bins out (counts[counts > 0])")
        if np.isclose(value, expected, rtol=1e-9, atol=1e-9):
            continue
        if expected > 0 and np.isclose(value, -expected):
            return f"entropy_from_histogram({shown}) is negative: log2(1/p) is positive, log2(p) is its negative"
        if expected > 0 and np.isclose(value, expected * np.log(2)):
            return "your entropy is in nats (np.log, base e): bits need np.log2"
        if expected > 0 and np.isclose(value, expected * np.log10(2)):
            return "your entropy uses np.log10: bits need np.log2"
        counts = np.bincount(values - values.min())
        counts = counts[counts > 0]
        if np.isclose(value, np.sum(np.log2(counts.sum() / counts))):
            return ("you added up log2(1/p) once per value that occurs: weigh each cost by how often it is paid, "
                    "the sum of p * log2(1/p)")
        if np.isclose(value, expected * values.size):
            return f"that is the bits for all {values.size} values together; the entropy is per value"
        return (f"entropy_from_histogram({shown}) gives {value:.4g}, which is not its entropy: "
                f"p is each count divided by the number of values; compare with entropy_by_hand({shown})")
    return None


@exercise("03.average-residuals")
def _(function):
    """average_residuals(picture): outside row 0 and column 0, pixel minus (left + up) // 2."""
    for picture, pixels, got in _residuals(function, "average_residuals(picture)"):
        left, up, up_left = pixels[1:, :-1], pixels[:-1, 1:], pixels[:-1, :-1]
        here = pixels[1:, 1:]
        expected = here - (left + up) // 2
        got_array = np.asarray(got)
        if got_array.shape == picture.shape:
            return (f"your residuals have the picture's shape {picture.shape}: row 0 has no upper neighbour and "
                    f"column 0 no left one, so give the residuals of the other pixels, "
                    f"shape {expected.shape} (pixels[1:, 1:])")
        if got_array.shape != expected.shape or not np.issubdtype(got_array.dtype, np.number):
            break  # compare says what is wrong
        if np.issubdtype(got_array.dtype, np.unsignedinteger):
            return (f"your residuals are of type {got_array.dtype}, which has no negative numbers: "
                    f"make the picture signed and wide first, picture.astype(int)")
        if _same(got_array, expected):
            continue
        if _wrapped(got_array, expected) or _same(got_array, here - ((left + up) % 256) // 2):
            return ("some residuals are off by a multiple of 128 or 256: left + up overflowed in uint8 "
                    "(200 + 100 is 44 there); convert the picture first, picture.astype(int)")
        if np.allclose(got_array, here - (left + up) / 2):
            return ("your predictions have halves (the average of 3 and 4 is 3.5): "
                    "the prediction is a whole grey level, rounded down with // 2, as PNG's Average filter does")
        if _same(got_array, here - np.rint((left + up) / 2)) or _same(got_array, here - np.round((left + up) / 2)):
            return "your averages are rounded to the nearest; round down with // 2, as PNG's Average filter does"
        if _same(-got_array, expected):
            return "the signs are the wrong way round: the residual is pixel minus prediction"
        for first, second in [(up_left, up), (left, up_left)]:
            if _same(got_array, here - (first + second) // 2):
                return ("one of your neighbours is the pixel up and to the left: the left neighbour of [r, c] is "
                        "[r, c - 1], the upper one [r - 1, c]")
        if _same(got_array, pixels[:-1, :-1] - (pixels[:-1, 1:] + pixels[1:, :-1]) // 2):
            return ("your residuals belong to the wrong pixels: the pixel predicted is [r, c] (pixels[1:, 1:]), "
                    "from [r, c - 1] and [r - 1, c]")
        break
    else:
        return None
    message = compare(got, expected, "average_residuals(picture)")
    return (message or "not yet") + ": each residual is pixel[r, c] - (pixel[r, c - 1] + pixel[r - 1, c]) // 2"


#: The challenge's predictors: each takes the left, upper and upper-left neighbours and guesses the pixel.
def _paeth(left: np.ndarray, up: np.ndarray, up_left: np.ndarray) -> np.ndarray:
    p = left + up - up_left
    to_left, to_up, to_up_left = np.abs(p - left), np.abs(p - up), np.abs(p - up_left)
    return np.where((to_left <= to_up) & (to_left <= to_up_left), left, np.where(to_up <= to_up_left, up, up_left))


PREDICTORS = {
    "left": lambda left, up, up_left: left,
    "up": lambda left, up, up_left: up,
    "up-left": lambda left, up, up_left: up_left,
    "average": lambda left, up, up_left: (left + up) // 2,
    "gradient": lambda left, up, up_left: left + up - up_left,
    "paeth": _paeth,
}


@cache
def _camera_bits() -> dict[str, dict[str, float]]:
    """The cameraman's entropy of residuals for each predictor, right and with typical slips."""
    pixels = images.load("camera", grey=True).astype(np.int64)
    here, left, up, up_left = pixels[1:, 1:], pixels[1:, :-1], pixels[:-1, 1:], pixels[:-1, :-1]
    right = {name: _entropy(here - predict(left, up, up_left)) for name, predict in PREDICTORS.items()}
    wide = np.diff(pixels, axis=1, prepend=0), np.diff(pixels, axis=0, prepend=0)
    slips = {
        "whole picture": {"left": _entropy(wide[0]), "up": _entropy(wide[1])},
        "float average": {"average": _entropy(here - (left + up) / 2)},
        "uint8": {name: _entropy((here - predict(left, up, up_left)) % 256) for name, predict in PREDICTORS.items()},
        "astronaut": {},
    }
    astronaut = images.load("astronaut", grey=True).astype(np.int64)
    a_here, a_left, a_up, a_up_left = astronaut[1:, 1:], astronaut[1:, :-1], astronaut[:-1, 1:], astronaut[:-1, :-1]
    slips["astronaut"] = {name: _entropy(a_here - predict(a_left, a_up, a_up_left))
                          for name, predict in PREDICTORS.items()}
    return {"right": right, **slips}


@exercise("03.best-predictor")
def _(bits):
    """Challenge: the entropy of the cameraman's residuals (outside row 0 and column 0) for six predictors."""
    if not isinstance(bits, dict):
        return f"bits should be a dict, name -> entropy (bits['left'] = ...), got {type(bits).__name__}"
    if not bits:
        raise NotTried("bits is still empty: fill it with one entropy per predictor, then run this cell again")
    unknown = sorted(set(bits) - set(PREDICTORS))
    if unknown:
        return f"bits has names the exercise does not know: {unknown}; use {list(PREDICTORS)}"
    values = _camera_bits()
    wrong = []
    for name in PREDICTORS:
        if name not in bits:
            continue
        value = number(bits[name], f"bits[{name!r}]")
        if isinstance(value, str):
            return value
        if np.isclose(value, values["right"][name], rtol=1e-9, atol=1e-9):
            continue
        if np.isclose(value, values["astronaut"][name]):
            return (f"bits[{name!r}] is the astronaut's: "
                    "the challenge is on the cameraman, images.load('camera', grey=True)")
        if np.isclose(value, values["whole picture"].get(name, np.nan)):
            return (f"bits[{name!r}] counts row 0 and column 0 too: for the six to compare, every predictor "
                    f"gets the same pixels, those with all three neighbours ([1:, 1:])")
        if np.isclose(value, values["float average"].get(name, np.nan)):
            return f"bits[{name!r}]: the average's prediction is a whole number, (left + up) // 2"
        if np.isclose(value, values["uint8"][name]):
            return (f"bits[{name!r}]: the residuals wrapped around in uint8 arithmetic; "
                    f"convert the picture first, .astype(int)")
        wrong.append(name)
    if wrong:
        hint = (" (for 'paeth': p = left + up - up_left, then whichever neighbour is closest to p, "
                "ties to left first, then up)") if "paeth" in wrong else ""
        return (f"these entries are not right yet: {wrong}{hint}; each is the entropy of the cameraman's "
                f"residuals outside row 0 and column 0")
    missing = [name for name in PREDICTORS if name not in bits]
    if missing:
        return f"right so far; still missing: {missing}"
    return None
