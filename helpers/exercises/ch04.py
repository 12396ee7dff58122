"""Checks for the exercises of chapter 04 · Waves and the 1-D DCT."""

from __future__ import annotations

import numpy as np

from .. import dct, images
from . import call, call_on_copies, compare, exercise, number


def _dct(n: int, *, offset: float = 1, scale: str = "ortho") -> np.ndarray:
    """The DCT matrix, or a typical slip: (2i + offset) in the cosine, or another factor a(k)."""
    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    a = {"ortho": np.where(k == 0, np.sqrt(1 / n), np.sqrt(2 / n)), "no sqrt(2)": np.full((n, 1), np.sqrt(1 / n)),
         "all sqrt(2/n)": np.full((n, 1), np.sqrt(2 / n)), "none": np.ones((n, 1))}[scale]
    return a * np.cos((2 * i + offset) * k * np.pi / (2 * n))


def _close(a: object, b: np.ndarray) -> bool:
    a = np.asarray(a)
    return a.shape == b.shape and np.issubdtype(a.dtype, np.number) and np.allclose(a, b, rtol=1e-6, atol=1e-6)


@exercise("04.dct-matrix")
def _(function):
    """dct_matrix(n): row k is filter k, C[k, i] = a(k) cos((2i + 1) k pi / 2n)."""
    for n in (8, 2, 4, 16):
        got = call(function, n, what=f"dct_matrix({n})")
        expected = dct.dct_matrix(n)
        if _close(got, expected):
            continue
        message = compare(got, expected, f"dct_matrix({n})")
        if n != 8:  # right for n = 8 (checked first), so the formula is right but for n
            return (f"right for n = 8, but not for n = {n} ({message}): is an 8 (or 16) left in your formula "
                    f"where n (or 2n) belongs?")
        got_array = np.asarray(got)
        if got_array.shape != (n, n) or not np.issubdtype(got_array.dtype, np.number):
            return message
        got_array = got_array.astype(float)
        if not np.isfinite(got_array).all():
            return message
        if _close(got_array.T, expected):
            return (f"dct_matrix({n}) is transposed: row k is filter k (k half-cycles along the row), "
                    f"column i is pixel i; C[k, i]")
        if _close(-got_array, expected):
            return "every sign is the wrong way round: look at the cosine's angle"
        for offset, where in [(0, "2i"), (2, "2i + 2"), (-1, "2i - 1")]:
            if _close(got_array, _dct(n, offset=offset)):
                return (f"your cosine samples at ({where}) where (2i + 1) belongs: the wave is sampled at the "
                        f"centre of each pixel, i + 1/2 pixels from the row's left edge")
        if not np.allclose(got_array[0], got_array[0, 0]):
            return ("row 0 (filter 0, frequency 0) should be flat, all its values equal: "
                    "check the cosine's angle for k = 0")
        if _close(got_array, _dct(n, scale="no sqrt(2)")):
            return ("rows 1 and up are too short by a factor sqrt(2): their squared values add up to 1/2, not 1; "
                    "look at a(k) for k >= 1")
        if _close(got_array, _dct(n, scale="all sqrt(2/n)")):
            return "right from row 1 on, but row 0 is sqrt(2) too large: filter 0 has its own factor, a(0)"
        if _close(got_array, _dct(n, scale="none")):
            return "the waves are right, but not their size: each filter needs its factor a(k) to have length 1"
        if _close(got_array, _dct(n) / _row_norms(_dct(n)) * _row_norms(got_array)):
            return "the waves are right, but not their size: look at the factor a(k) in front of the cosine"
        gram = got_array @ got_array.T
        if not np.allclose(gram, np.eye(n), atol=1e-6):
            return (f"dct_matrix({n}) is not orthonormal (C @ C.T should be the identity): "
                    f"compare its rows with the formula, one k at a time")
        return (compare(got_array, expected, f"dct_matrix({n})") or "not yet") + ": compare with the formula"
    return None


def _row_norms(matrix: np.ndarray) -> np.ndarray:
    return np.sqrt((matrix**2).sum(axis=1, keepdims=True))


def _rows() -> list[np.ndarray]:
    """uint8 rows of 8 pixels: the cheek, the row across the eye, a bright and a random one."""
    grey = images.load("astronaut", grey=True)
    rng = np.random.default_rng(4)
    return [grey[150, 190:198], grey[100, 196:204], np.full(8, 200, np.uint8), rng.integers(0, 256, 8).astype(np.uint8)]


@exercise("04.coefficient")
def _(function):
    """coefficient(pixels, k): shift the 8 grey levels by -128, then the sum of their products with filter k."""
    C = dct.dct_matrix(8)
    for pixels in _rows():
        centred = pixels.astype(float) - 128
        for k in (1, 0, 3, 7):
            got = call_on_copies(function, pixels, k, what=f"coefficient(pixels, {k})", given="pixels",
                                 hint="compute new numbers instead")
            expected = C[k] @ centred
            if np.ndim(got) != 0:
                if _close(got, C[k] * centred) or np.shape(got) == (8,):
                    return f"coefficient(pixels, {k}) gives 8 numbers: those are the products, add them up"
                return f"coefficient(pixels, {k}) gives {np.size(got)} numbers, one expected"
            value = number(got, f"coefficient(pixels, {k})")
            if isinstance(value, str):
                return value
            if np.isclose(value, expected, rtol=1e-6, atol=1e-6):
                continue
            if np.isclose(value, C[k] @ pixels.astype(float)):
                return (f"coefficient(pixels, {k}) is right for k >= 1 but not for k = 0: the pixels need the shift "
                        f"by -128 first (filters 1 to 7 add up to 0, so only filter 0 sees it)")
            if np.isclose(value, C[k] @ (pixels - np.uint8(128)).astype(float)):  # uint8 arithmetic wraps
                return ("your shift wrapped around: pixels - 128 in uint8 arithmetic has no negative numbers; "
                        "convert first, pixels.astype(float) - 128")
            if np.isclose(value, C[:, k] @ centred):
                return f"you used column {k} of C, which holds pixel {k} of every filter: filter {k} is row {k}, C[{k}]"
            if 0 < k < 7 and (np.isclose(value, C[k + 1] @ centred) or np.isclose(value, C[k - 1] @ centred)):
                return f"that is the coefficient of a neighbouring filter: k = {k} asks for filter {k}"
            if np.isclose(value, np.sum(np.cos((2 * np.arange(8) + 1) * k * np.pi / 16) * centred)):
                return "right cosine, but without the factor a(k): multiply by sqrt(1/8) for k = 0, sqrt(2/8) otherwise"
            return (f"coefficient(pixels, {k}) gives {value:.4g}, which is not it: multiply the shifted pixels "
                    f"by filter {k} point by point and add the 8 products")
    return None


@exercise("04.rebuild-error")
def _(function):
    """rebuild_error(row, k): the RMS error of the row rebuilt from its first k coefficients."""
    C = dct.dct_matrix(8)
    for pixels in _rows()[:2] + _rows()[3:]:
        row = pixels.astype(float) - 128
        coefficients = C @ row
        errors = [np.sqrt(np.sum(coefficients[t:] ** 2) / 8) for t in range(9)]
        for k in (3, 1, 5, 8, 0):
            got = call_on_copies(function, row, k, what=f"rebuild_error(row, {k})", given="row",
                                 hint="compute new numbers instead")
            if np.ndim(got) != 0:
                if np.shape(got) == (8,):
                    return (f"rebuild_error(row, {k}) gives 8 numbers, the rebuilt row perhaps: "
                            f"return one number, the RMS error of the rebuilt row against the row")
                return f"rebuild_error(row, {k}) gives {np.size(got)} numbers, one expected"
            value = number(got, f"rebuild_error(row, {k})")
            if isinstance(value, str):
                return value
            expected = errors[k]
            if np.isclose(value, expected, rtol=1e-6, atol=1e-6):
                continue
            if np.isclose(value, expected**2):
                return "that is the mean of the squared errors: the RMS error is its square root"
            if np.isclose(value, np.sqrt(8) * expected):
                return "that is the root of the sum of the squared errors: RMS divides by the 8 pixels before the root"
            if np.isclose(value, 8 * expected**2):
                return "that is the sum of the squared errors: the RMS error is the root of their mean"
            if (0 < k and np.isclose(value, errors[k - 1])) or (k < 8 and np.isclose(value, errors[k + 1])):
                return (f"off by one: that is the error with {k - 1} or {k + 1} coefficients kept; "
                        f"keep k = {k} (0 to k - 1)")
            kept = np.where(np.arange(8) < k, coefficients, 0)
            if np.isclose(value, np.sqrt(np.mean((C @ kept - row) ** 2))):
                return "to rebuild, multiply by C.T, not C: C takes a row apart, its transpose puts it back"
            last = np.where(np.arange(8) >= 8 - k, coefficients, 0)
            if k not in (0, 8) and np.isclose(value, np.sqrt(np.mean((C.T @ last - row) ** 2))):
                return f"you kept the last {k} coefficients (the fastest waves): keep the first {k}"
            return (f"rebuild_error(row, {k}) gives {value:.4g}, which is not it: keep coefficients 0 to k - 1, "
                    f"rebuild with C.T @ ..., then the root of the mean squared difference")
    return None


def _dft_error(row: np.ndarray, slowest: int) -> float:
    """The RMS error of the row rebuilt by the DFT from its average and its waves 1..slowest (with their mirrors)."""
    spectrum = np.fft.fft(row, norm="ortho")
    kept = np.zeros(8, complex)
    waves = [0, *range(1, slowest + 1), *range(8 - slowest, 8)]
    kept[waves] = spectrum[waves]
    return float(np.sqrt(np.mean((np.fft.ifft(kept, norm="ortho").real - row) ** 2)))


#: Real numbers the DFT keeps with its average and waves 1..m: wave 4 is real, waves 1-3 are complex.
DFT_NUMBERS = [1, 3, 5, 7, 8]


def _dft_needed(row: np.ndarray, max_error: float) -> tuple[int, int]:
    """(numbers, waves): the fewest the DFT needs to rebuild the row within max_error."""
    for slowest, numbers in enumerate(DFT_NUMBERS):
        if _dft_error(row, slowest) <= max_error + 1e-9:
            return numbers, slowest + 1
    raise AssertionError("all 8 numbers rebuild the row exactly")


def _challenge_cases() -> list[tuple[np.ndarray, float]]:
    C = dct.dct_matrix(8)
    cheek, eye, _, noise = (pixels.astype(float) - 128 for pixels in _rows())
    dct_2 = float(np.sqrt(np.sum((C @ cheek)[2:] ** 2) / 8))  # the cheek from its first 2 DCT coefficients
    return [(cheek, dct_2), (cheek, 6.0), (cheek, 3.0), (eye, 10.0), (eye, 40.0), (cheek, 100.0), (noise, 60.0),
            (noise, 0.5)]


@exercise("04.dft-numbers")
def _(function):
    """Challenge: dft_numbers_needed(row, max_error), the fewest real numbers the DFT keeps for that error."""
    for row, max_error in _challenge_cases():
        numbers, waves = _dft_needed(row, max_error)
        shown = f"dft_numbers_needed(row, {max_error:.3g})"
        got = call(function, row.copy(), max_error, what=shown)
        if isinstance(got, (bool, np.bool_)) or np.ndim(got) != 0:
            return f"{shown} should return one whole number, a count of numbers kept"
        value = number(got, shown)
        if isinstance(value, str):
            return value
        if value == numbers:
            continue
        if value == waves:
            return (f"{shown} counts waves: the average is 1 number, but each of waves 1 to 3 is a complex "
                    f"number, 2 real ones (wave 4 is real: 1)")
        if value == 9 and numbers == 8:
            return f"{shown}: all five waves are 8 numbers, not 9: wave 4 (frequency 8) is real, its mirror is itself"
        if value not in (1, 2, 3, 4, 5, 6, 7, 8):
            return f"{shown} gives {got}: the DFT of 8 pixels keeps 1 to 8 numbers"
        return (f"{shown} gives {got}: rebuild the row from that many numbers (the average, then waves 1, 2, ... "
                f"each with its mirror 8 - m) and measure the RMS error against max_error")
    return None
