"""Checks for the exercises of chapter 02 · Quantization."""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import images, metrics, quantize
from . import _LearnerError, call, close, exercise, number


@cache
def _grey() -> np.ndarray:
    return images.load("astronaut", grey=True)


def quantize_levels(picture: np.ndarray, levels: int) -> np.ndarray:
    """The reference: ``levels`` equal levels of 256 / levels values, each pixel at its level's middle, rounded down."""
    step = 256 / levels
    level = np.floor(picture / step)
    return np.floor((level + 0.5) * step).astype(np.uint8)


# --- Exercise 1: a quantizer for any number of levels ---------------------------------------------------------

RAMP = np.arange(256, dtype=np.uint8).reshape(16, 16)  # every value 0..255 once
LEVELS_TRIED = (32, 16, 2, 256, 3, 6, 33, 100)  # the chapter's powers of two first, then steps that are not whole


def _allowed(values: np.ndarray, levels: int) -> list[np.ndarray]:
    """For each pixel value, the whole values it may come back as: its level's middle rounded down or up,
    inside the level. A value exactly on a boundary (value * levels a multiple of 256) may fall either side,
    as floating-point division can land just below."""
    values = values.astype(np.int64)
    step = 256 / levels
    level = values * levels // 256
    choices = []
    for k in (level, np.where(values * levels % 256 == 0, level - 1, level)):
        middle = (k + 0.5) * step
        for candidate in (np.floor(middle), np.ceil(middle)):
            inside = (candidate * levels // 256 == k) & (candidate >= 0) & (candidate <= 255)
            choices.append(np.where(inside, candidate, -1))
    return choices


def _pictures() -> list[tuple[str, np.ndarray]]:
    return [("a ramp of every value 0..255", RAMP),
            ("the eye", _grey()[94:106, 198:210]),
            ("the eye in colour", images.load("astronaut")[94:106, 198:210])]


@exercise("02.any-levels")
def _(function):
    """quantize_levels(picture, levels): levels of 256 / levels values, each pixel back at its level's middle."""
    for levels in LEVELS_TRIED:
        step = 256 / levels
        for name, picture in _pictures():
            what = f"quantize_levels({name}, {levels})"
            given = picture.copy()
            try:
                with np.errstate(all="ignore"):
                    got = call(function, given, levels, what=what)
            except _LearnerError as error:
                if "uint8" in str(error):
                    raise _LearnerError(f"{error}: the picture is uint8, which holds only 0..255; "
                                        f"convert it first (picture.astype(float))") from None
                raise
            if not np.array_equal(given, picture):
                return "your function changed the picture it was given: compute a new array instead"
            got = np.asarray(got)
            if got.dtype == object or not (np.issubdtype(got.dtype, np.number) or got.dtype == bool):
                return f"{what} should be a picture (an array of numbers), got {type(got).__name__} of {got.dtype}"
            if got.shape != picture.shape:
                return f"{what} has shape {got.shape}: it should keep the picture's shape, {picture.shape}"
            value = got.astype(float)
            if not np.isfinite(value).all():
                return f"{what} contains NaN or infinite values"
            if (value != np.floor(value)).any():
                return (f"{what} gives values that are not whole numbers: a picture stores whole values, "
                        f"so round the middle of each level down (np.floor) and make it .astype(np.uint8)")
            if ((value < 0) | (value > 255)).any():
                return f"{what} gives values outside 0..255"
            ok = np.zeros(picture.shape, dtype=bool)
            for choice in _allowed(picture, levels):
                ok |= value == choice
            if ok.all():
                if got.dtype != np.uint8:
                    return (f"{what} gives the right values, but as {got.dtype}: a picture is 8-bit, "
                            f"make it .astype(np.uint8)")
                continue
            if name.startswith("a ramp"):
                message = _what_is_wrong_on_the_ramp(value.ravel(), levels)
                if message:
                    return f"{what}: {message}"
            v = int(picture[~ok].flat[0])
            g = int(value[~ok].flat[0])
            k = v * levels // 256
            where = ("in its level, but not at its middle (rounded down)" if g * levels // 256 == k
                     else f"outside its level, {k}")
            return (f"{what}: {np.count_nonzero(~ok)} of {picture.size} pixels are wrong; the first, {v}, "
                    f"comes back as {g}: {where}; the step is {step:.4g}")
    return None


def _what_is_wrong_on_the_ramp(got: np.ndarray, levels: int) -> str | None:
    """A hint from the ramp 0..255 (``got``: what the learner's quantizer made of it, flat)."""
    values = np.arange(256)
    step = 256 / levels
    level = values * levels // 256
    distinct = len(np.unique(got))
    if distinct == 1:
        return ("every pixel comes back as the same value: if you multiply the uint8 picture, it wraps "
                "around above 255 (200 * 2 is 144 in uint8); divide, or convert it first (.astype(float))")
    if np.array_equal(got, level):
        return (f"these are the level numbers 0..{levels - 1}: turn each back into the value in the middle of "
                f"its level, as the chapter's level * 8 + 4 does for 32 levels")
    if np.array_equal(got, np.floor(level * step)):
        return ("each pixel comes back at the bottom of its level: the middle is half a step higher "
                "(for 32 levels, level * 8 + 4, not level * 8)")
    if np.array_equal(got, np.minimum(np.floor((level + 1) * step), 255)) or np.array_equal(
            got, np.floor((level + 1) * step) - 1):
        return "each pixel comes back at the top of its level: the middle is half a step lower"
    nearest = np.rint(values / step)  # the level found by rounding to the nearest instead of down
    halfway = (nearest + 0.5) * step
    for rebuilt in () if np.array_equal(nearest, level) else (np.floor(halfway), np.rint(halfway)):
        if np.array_equal(got, rebuilt % 256) or np.array_equal(got, np.minimum(rebuilt, 255)) or np.array_equal(
                got, np.floor((np.minimum(nearest, levels - 1) + 0.5) * step)):
            return ("a value's level is found by rounding down (// or np.floor), not to the nearest (np.rint, "
                    "round): rounding sends the top half of each level to the next one")
    halves = np.rint((level + 0.5) * step)
    if not np.array_equal(halves, np.floor((level + 0.5) * step)) and (
            np.array_equal(got, halves % 256) or np.array_equal(got, np.minimum(halves, 255))):
        v = int(values[got != np.floor((level + 0.5) * step)][0])
        return (f"value {v} comes back in the next level up: its level's middle is a half, and np.rint rounds "
                f"a half to the even number, up or down; round the middle down (np.floor, or //)")
    if distinct != levels:
        message = (f"your quantizer gives {distinct} different values on a ramp of all 256 values, "
                   f"{levels} expected: look at the step")
        whole = 256 // levels
        if 256 % levels and distinct == 255 // whole + 1:
            message += f" (256 / {levels} is not a whole number; 256 // {levels} leaves a level too many)"
        return message
    return None


# --- Exercise 2: measure the damage ----------------------------------------------------------------------------

def _pairs() -> list[tuple[str, np.ndarray, np.ndarray]]:
    eye = _grey()[94:106, 198:210]
    return [("the eye and its 8-level version", eye, quantize.quantize(eye, 3)),
            ("the ramp and its 2-level version", RAMP, quantize.quantize(RAMP, 1)),
            ("the 2-level ramp and the ramp", quantize.quantize(RAMP, 1), RAMP)]


@exercise("02.psnr")
def _(function):
    """my_psnr(original, changed): 10 log10(255² / MSE) in plain numpy; identical pictures give inf."""
    for name, a, b in _pairs():
        what = f"my_psnr({name})"
        given_a, given_b = a.copy(), b.copy()
        with np.errstate(all="ignore"):
            got = call(function, given_a, given_b, what=what)
        if not (np.array_equal(given_a, a) and np.array_equal(given_b, b)):
            return "your function changed a picture it was given: compute with new arrays instead"
        value = number(got, what)
        if isinstance(value, str):
            return value
        error = a.astype(float) - b
        mse = np.mean(error**2)
        expected = 10 * np.log10(255**2 / mse)
        if close(value, expected):
            continue
        try:
            with np.errstate(all="ignore"):
                as_int = call(function, a.astype(np.int64), b.astype(np.int64), what=what)
        except Exception:  # noqa: BLE001 - only a diagnosis: the learner's error is reported as it is below
            as_int = None
        if isinstance(as_int, (int, float, np.number)) and close(float(as_int), expected):
            return (f"{what} is right for pictures of int64 but not for np.uint8 ones, as photographs are: "
                    f"uint8 has no negative numbers, 3 - 5 wraps around to 254; convert to float first "
                    f"(.astype(float)), then subtract")
        rmse = np.sqrt(mse)
        for wrong, hint in [
            (mse, "that is the MSE: the PSNR is 10 log10(255² / MSE)"),
            (rmse, "that is the root of the MSE: the PSNR is 10 log10(255² / MSE)"),
            (10 * np.log10(255 / mse), "255 must be squared too: 10 log10(255² / MSE)"),
            (10 * np.log10(255 / rmse), "that is half the PSNR: with the root of the MSE the formula is "
                                        "20 log10(255 / RMSE), or use the MSE itself: 10 log10(255² / MSE)"),
            (10 * np.log10(255**2 / rmse), "the MSE is the mean of the squared errors, without a square root"),
            (10 * np.log(255**2 / mse), "np.log is the natural logarithm; decibels count powers of ten: np.log10"),
            (10 * np.log10(256**2 / mse), "the peak is 255, the largest value a pixel can have, not 256"),
            (10 * np.log10(255**2 / np.sum(error**2)), "the MSE is the mean of the squared errors, not their sum"),
            (10 * np.log10(255**2 / np.mean(np.abs(error))), "square the differences before taking their mean"),
            (-expected, "the wrong sign: 255² / MSE, not MSE / 255²"),
            (np.log10(255**2 / mse), "that is in bels: a decibel is a tenth of one, so multiply by 10"),
        ]:
            if close(value, wrong):
                return f"{what}: {hint}"
        if abs(value - expected) < 0.01:
            return f"{what} is close, but rounded: return the value your code computes, unrounded"
        return (f"{what} gives {value:.4g} dB, which is not right: the mean of the squared differences "
                f"(in float), then 10 log10(255² / MSE)")
    eye = _grey()[94:106, 198:210]
    what = "my_psnr(the eye and itself)"
    try:
        with np.errstate(all="ignore"):
            got = call(function, eye.copy(), eye.copy(), what=what)
    except _LearnerError as error:
        return (f"{error}: identical pictures have no error at all, MSE 0, so 255² / MSE is infinite; "
                f"return np.inf when the MSE is 0")
    value = number(got, what)
    if isinstance(value, str):
        return value
    if value != np.inf:
        return (f"{what} gives {value:.4g}: identical pictures have MSE 0, no error at all, and infinitely "
                f"many dB; return np.inf when the MSE is 0")
    return None


# --- Exercise 3: the fewest levels for 40 dB ------------------------------------------------------------------

TARGET_DB = 40


@cache
def _psnr_with(levels: int) -> float:
    grey = _grey()
    return metrics.psnr(grey, quantize_levels(grey, levels))


@cache
def _fewest_levels() -> int:
    return next(n for n in range(2, 257) if _psnr_with(n) >= TARGET_DB)


@exercise("02.fewest-levels")
def _(answer):
    """The fewest equal levels that keep the grey astronaut at 40 dB or more."""
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, np.integer)):
        return f"a number of levels is a whole number, got {type(answer).__name__}"
    n = int(answer)
    if not 2 <= n <= 256:
        return f"fewest_levels is {n}: a number of levels from 2 to 256 is asked"
    if n <= 8:
        return (f"fewest_levels is {n}: is that a number of bits? The exercise asks for levels; with {n} levels "
                f"the astronaut gets {_psnr_with(n):.1f} dB")
    fewest = _fewest_levels()
    if n == fewest:
        return None
    if _psnr_with(n) < TARGET_DB:
        return (f"with {n} levels the grey astronaut gets {_psnr_with(n):.2f} dB, under {TARGET_DB}: "
                f"it needs more levels")
    if n & (n - 1) == 0:
        return (f"{n} levels reach {TARGET_DB} dB ({_psnr_with(n):.1f}), but so do fewer: your quantizer takes "
                f"any number of levels, not only powers of two")
    return (f"{n} levels reach {TARGET_DB} dB ({_psnr_with(n):.2f}), but fewer levels do too: try them one by one, "
            f"from 2 up, and stop at the first that reaches {TARGET_DB}")


# --- Challenge: 16 values where the pixels are ----------------------------------------------------------------

CHALLENGE_DB = 35.0  # the chapter's 16 equal levels give 33.9 dB
MOST_VALUES = 16  # 4 bits per pixel


def nearest_values(picture: np.ndarray, values: object) -> np.ndarray:
    """Each pixel replaced by the nearest of ``values`` (the chapter's helper for the challenge)."""
    values = np.asarray(values, dtype=float)
    distance = np.abs(picture[..., np.newaxis] - values)
    return values[distance.argmin(axis=-1)].astype(np.uint8)


@exercise("02.own-16-values")
def _(answer):
    """Challenge: at most 16 whole values 0..255; each pixel to the nearest; the grey astronaut at >= 35 dB."""
    try:
        values = np.asarray(answer)
    except Exception:  # noqa: BLE001 - anything numpy cannot read is not a list of numbers
        return f"my_16_values should be a list or array of numbers, got {type(answer).__name__}"
    if values.dtype == object or not np.issubdtype(values.dtype, np.number) or values.dtype == bool:
        return f"my_16_values should be a list or array of numbers, got {type(answer).__name__} of {values.dtype}"
    if values.ndim != 1 or values.size == 0:
        return f"my_16_values should be a flat list of up to 16 numbers, got an array of shape {values.shape}"
    values = values.astype(float)
    if not np.isfinite(values).all():
        return "my_16_values contains NaN or infinite values"
    if (values != np.floor(values)).any():
        return "the values should be whole numbers, which a picture can hold: round them (np.rint)"
    if ((values < 0) | (values > 255)).any():
        return "the values should be pixel values, 0..255"
    distinct = len(np.unique(values))
    if distinct > MOST_VALUES:
        return f"you have {distinct} different values: 4 bits per pixel tell only {MOST_VALUES} apart"
    grey = _grey()
    db = metrics.psnr(grey, nearest_values(grey, values))
    if db >= CHALLENGE_DB:
        return None
    message = f"your {distinct} values give the grey astronaut {db:.2f} dB, at least {CHALLENGE_DB} asked"
    if np.array_equal(np.sort(values), np.arange(16) * 16 + 8):
        return message + ": those are the chapter's 16 equal levels; move them to where the pixels are"
    if db >= 34.5:
        return message + (": close; move each value to the mean of the pixels nearest to it, "
                          "then find the nearest again, and repeat")
    return message + (": where are most pixels? np.bincount(grey.ravel()) counts each value; "
                      "a value right where many pixels are costs them no error at all")
