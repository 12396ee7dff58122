"""Checks for the exercises of chapter 06 · The DCT as a convolution.

The learner builds the chapter's convolution: one response as a sum of
products, the slide-and-sum loop with a stride, the block DCT as 64 filters
slid in steps of 8, and (challenge) the way back, pasting each filter times its
response. Each check tries the learner's function on small pictures and filters
of its own (not square, not symmetric, so that a swapped axis or a flipped
filter shows) and compares it with ``scipy.signal.correlate2d``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import signal

from .. import dct, images, jpeg
from . import _LearnerError, call, compare, exercise

#: Filter number 8 * v + u is DCT pattern (u, v), as in the chapter's `dct_filters`.
DCT_FILTERS = np.array([dct.basis(u, v) for v in range(8) for u in range(8)])


def _same(a: object, b: np.ndarray) -> bool:
    a = np.asarray(a)
    return a.shape == b.shape and np.issubdtype(a.dtype, np.number) and np.allclose(a, b, rtol=1e-6, atol=1e-6)


def _pictures() -> list[np.ndarray]:
    """Pictures to slide over: random (21 x 30), and a crop of the grey astronaut, shifted by -128 (24 x 40)."""
    rng = np.random.default_rng(6)
    noisy = rng.normal(0, 50, (21, 30))
    crop = images.load("astronaut", grey=True)[96:120, 184:224].astype(float) - 128
    return [noisy, crop]


def _filters() -> list[np.ndarray]:
    """Filters that are neither symmetric nor square-agnostic: a random 8 x 8 and a random 3 x 3."""
    rng = np.random.default_rng(60)
    return [rng.normal(0, 1, (8, 8)), rng.normal(0, 1, (3, 3))]


def _correlate(picture: np.ndarray, kernel: np.ndarray, stride: int = 1) -> np.ndarray:
    return signal.correlate2d(picture, kernel, mode="valid")[::stride, ::stride]


def _call(function: object, *args: object, what: str) -> object:
    """:func:`call`, with a hint when the learner's function uses another of theirs that still returns nothing."""
    try:
        return call(function, *args, what=what)
    except _LearnerError as error:
        if "NoneType" in str(error):
            raise _LearnerError(f"{error} (does a function it calls, such as your response_at or slide, "
                                f"still return nothing?)") from None
        raise


def _nan(got: object, what: str) -> str | None:
    """A hint for NaN in the learner's array: most often a stub's None, put into a float array."""
    got = np.asarray(got)
    if np.issubdtype(got.dtype, np.floating) and np.isnan(got).any():
        return (f"{what} contains NaN (not a number): does a function it calls, such as your response_at or "
                f"slide, still return nothing? None put into a float array becomes NaN")
    return None


def _whole_numbers(got: object, expected: np.ndarray, what: str) -> str | None:
    """A hint when the learner's array holds only whole numbers (integers, rounding) where fractions are expected."""
    got = np.asarray(got)
    if got.shape != expected.shape or not np.issubdtype(got.dtype, np.number):
        return None
    if np.all(got == np.rint(got)) and not np.all(expected == np.rint(expected)):
        kind = "an integer array" if np.issubdtype(got.dtype, np.integer) else "rounded"
        return (f"{what} holds only whole numbers ({kind}): responses are sums of fractions, keep them as floats "
                f"(np.zeros(shape) is float; np.zeros_like of an integer picture is not)")
    return None


@exercise("06.response-at")
def _(function):
    """response_at(picture, kernel, row, column): the window at (row, column), its top-left pixel, times the filter."""
    picture = _pictures()[0]
    for kernel in _filters():  # 8 x 8 first, then 3 x 3
        size = kernel.shape[0]
        full = _correlate(picture, kernel)
        for row, column in [(5, 11), (0, 0), (12, 2), (picture.shape[0] - size, picture.shape[1] - size)]:
            given = picture.copy()
            what = f"response_at(picture, {size} x {size} filter, {row}, {column})"
            try:
                got = call(function, given, kernel.copy(), row, column, what=what)
            except _LearnerError as error:
                if size == 8:
                    raise
                hint = "Right for an 8 x 8 filter: take the window's size from kernel.shape"
                raise _LearnerError(f"{str(error).rstrip()}. {hint}") from None
            if not np.array_equal(given, picture):
                return "your function changed the picture it was given: multiply a copy of the window, not the picture"
            if np.ndim(got) != 0:
                return (f"{what} gives an array of shape {np.shape(got)}: the response is one number, "
                        f"the products added up (.sum())")
            if isinstance(got, bool) or not np.issubdtype(np.asarray(got).dtype, np.number):
                return f"{what} should be a number, got {type(got).__name__}"
            got = float(got)
            expected = full[row, column]
            if np.isclose(got, expected, rtol=1e-6, atol=1e-6):
                continue
            window = picture[row:row + size, column:column + size]
            if np.isclose(got, expected / size**2, rtol=1e-6):
                return f"{what} is {size * size} times too small: add the products up (sum), do not average them"
            if np.isclose(got, (window * kernel[::-1, ::-1]).sum()):
                return ("your function flips the filter (that is a convolution in the strict sense): "
                        "here the filter lies on the window as it is, kernel[0, 0] on the window's top-left pixel")
            if np.isclose(got, (window @ kernel).sum()) or np.isclose(got, (window @ kernel.T).sum()):
                return "@ is a matrix product; the 64 products are number times number at the same place: *"
            for dy in range(-size, size + 1):
                for dx in range(-size, size + 1):
                    if (dy, dx) == (0, 0) or not (0 <= row + dy <= picture.shape[0] - size
                                                  and 0 <= column + dx <= picture.shape[1] - size):
                        continue
                    if np.isclose(got, full[row + dy, column + dx], rtol=1e-9, atol=1e-9):
                        if (row + dy, column + dx) == (column, row):
                            return f"{what}: row and column are swapped: the row picks pixels down, picture[row:...]"
                        return (f"{what}: your window starts {dy} rows and {dx} columns away from where it should: "
                                f"(row, column) is the window's top-left pixel")
            if size == 3:
                return (f"right for an 8 x 8 filter, but not for a 3 x 3 one ({what} is off): "
                        f"take the window's size from kernel.shape")
            return f"{what} is off: multiply each pixel of the window by the filter value on it and add the products up"
    return None


@exercise("06.slide")
def _(function):
    """slide(picture, kernel, stride): the response map, one response per window position, `stride` pixels apart."""
    for picture in _pictures():
        for kernel in _filters():
            for stride in (1, 2, 8):
                size = kernel.shape[0]
                height, width = picture.shape
                what = f"slide(picture of {height} x {width}, {size} x {size} filter, stride {stride})"
                given = picture.copy()
                got = _call(function, given, kernel.copy(), stride, what=what)
                if not np.array_equal(given, picture):
                    return "your function changed the picture it was given: compute a new array instead"
                expected = _correlate(picture, kernel, stride)
                if _same(got, expected):
                    continue
                shape = np.shape(got)
                if _same(got, _correlate(picture, kernel)) and stride > 1:
                    return (f"{what} gives the map of stride 1: with stride {stride}, "
                            f"move the window {stride} pixels at a time")
                if _same(got, signal.convolve2d(picture, kernel, mode="valid")[::stride, ::stride]):
                    return ("your map is right for a flipped filter (a convolution in the strict sense): "
                            "lay the filter on the window as it is")
                if len(shape) == 2 and shape != expected.shape and shape != expected.shape[::-1]:
                    off = {(-1, -1): " (one place too few along each side)", (1, 1): " (one too many along each side)"}
                    extra = off.get((shape[0] - expected.shape[0], shape[1] - expected.shape[1]), "")
                    nth = f"{stride}{'nd' if stride == 2 else 'th'}"
                    every = f", and stride {stride} keeps every {nth} of them, the first included" if stride > 1 else ""
                    return (f"{what} has shape {shape}, {expected.shape} expected{extra}: an {size} x {size} filter "
                            f"fits at H - {size} + 1 places along a side of H pixels{every}").replace("an 3", "a 3")
                return _nan(got, what) or _whole_numbers(got, expected, what) or compare(got, expected, what) \
                    or "not yet"
    return None


def _block_dct_wrong(got: np.ndarray, picture: np.ndarray, what: str) -> str | None:
    """The hint for a learner's block DCT that is not dct.block_dct(picture)."""
    expected = dct.block_dct(picture)
    rows, columns = expected.shape[:2]
    shape = np.shape(got)
    if shape == (8, 8, rows, columns):
        return (f"{what} has shape {shape}: the 64 maps are in front; the block DCT's layout is "
                f"(block row, block column, v, u), so move the maps' axes to the end (.transpose(2, 3, 0, 1))")
    if shape in ((64, rows, columns), (rows, columns, 64)):
        return (f"{what} has shape {shape}, {expected.shape} expected: "
                f"each block's 64 coefficients as an 8 x 8 grid [v, u]")
    if len(shape) == 4 and shape[2:] == (8, 8) and shape[:2] == (picture.shape[0] - 7, picture.shape[1] - 7):
        return f"{what} has shape {shape}: that is every position (stride 1); the block DCT takes every 8th, stride 8"
    if len(shape) == 4 and shape == expected.shape:
        got = np.asarray(got, dtype=float)
        if _same(got, expected.transpose(0, 1, 3, 2)):
            return (f"{what}: each block's coefficients are transposed: dct.basis(u, v) is the pattern with u "
                    f"half-waves across, and its response belongs at [..., v, u]")
        if _same(got, dct.block_dct(picture - 128)):
            return (f"{what}: only the (0, 0) coefficients differ, as if you shifted by -128 again: the picture "
                    f"you are given is already centred on zero")
        if _same(got[..., 1:, :], expected[..., 1:, :]) and _same(got[..., 0, 1:], expected[..., 0, 1:]):
            return f"{what}: all right but the (0, 0) coefficient of every block: look at filter (0, 0)"
    return _nan(got, what) or _whole_numbers(got, expected, what) or compare(got, expected, what)


@exercise("06.block-dct-by-sliding")
def _(function):
    """block_dct_by_sliding(picture): the 64 DCT filters slid with stride 8, as an array laid out like dct.block_dct."""
    pictures = [_pictures()[1], np.random.default_rng(66).normal(0, 40, (16, 32))]
    for picture in pictures:
        what = f"block_dct_by_sliding(a {picture.shape[0]} x {picture.shape[1]} picture)"
        given = picture.copy()
        got = _call(function, given, what=what)
        if not np.array_equal(given, picture):
            return "your function changed the picture it was given: compute a new array instead"
        if _same(got, dct.block_dct(picture)):
            continue
        return _block_dct_wrong(got, picture, what) or "not yet"
    return None


@lru_cache(maxsize=1)
def _chapter_ratio_10() -> tuple[float, ...]:
    """Blocking ratios (jumps across / inside): k = 10, clipped, k = 9, 11 and 3, vertical jumps, the original."""
    grey = images.load("astronaut", grey=True)
    coefficients = dct.block_dct(grey.astype(float) - 128)

    def ratio(picture, axis=1):
        jumps = np.abs(np.diff(picture, axis=axis))
        across = np.take(jumps, np.arange(7, jumps.shape[axis], 8), axis=axis)
        inside = np.delete(jumps, np.s_[7::8], axis=axis)
        return across.mean() / inside.mean()

    def rebuilt(k):
        return dct.block_idct(jpeg.keep_first(coefficients, k), grey.shape) + 128

    return (ratio(rebuilt(10)), ratio(np.clip(rebuilt(10), 0, 255)), ratio(rebuilt(9)), ratio(rebuilt(11)),
            ratio(rebuilt(3)), ratio(rebuilt(10), axis=0), ratio(grey.astype(float)))


@exercise("06.blocking-10")
def _(answer):
    """The blocking ratio (mean jump across block edges / inside blocks) with 10 coefficients per block."""
    if isinstance(answer, (tuple, list)) and len(answer) == 2:
        return ("that looks like the two means edge_and_inside returns: the ratio is one number, "
                "the jumps across edges divided by those inside")
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return f"the ratio is one number, got {type(answer).__name__}"
    answer = float(answer)
    right, clipped, nine, eleven, three, vertical, original = _chapter_ratio_10()
    if any(np.isclose(answer, value, rtol=1e-6) for value in (right, clipped)):
        return None
    if not np.isfinite(answer) or answer <= 0:
        return "a ratio of two average jumps is a positive number: divide the mean jump across edges by the one inside"
    if any(np.isclose(answer, 1 / value, rtol=1e-6) for value in (right, clipped)):
        return "your ratio is upside down: the jumps across block edges go on top, the jumps inside below"
    if np.isclose(answer, three, rtol=1e-3):
        return "that is the chapter's ratio with 3 coefficients per block: keep 10 (jpeg.keep_first(..., 10))"
    if np.isclose(answer, nine, rtol=1e-3) or np.isclose(answer, eleven, rtol=1e-3):
        return "close, but that is one coefficient too few or too many: keep the first 10 of every block"
    if np.isclose(answer, vertical, rtol=1e-3):
        return ("that is the ratio for jumps between vertical neighbours (axis 0); the chapter's edge_and_inside "
                "measures them between horizontal neighbours, across the vertical block edges")
    if np.isclose(answer, original, rtol=1e-3):
        return "that is the original picture's ratio: measure the picture rebuilt from 10 coefficients per block"
    if abs(answer - right) < 0.01:
        return "close, but rounded: give the ratio as Python computes it, not rounded"
    return ("not the ratio of the picture rebuilt from the first 10 coefficients of every block: rebuild it as "
            "`rough` is rebuilt, then divide the two means edge_and_inside gives")


@exercise("06.unslide")
def _(function):
    """unslide(responses, filters): every filter times its response, pasted at its block (stride 8), added up."""
    rng = np.random.default_rng(606)
    orthonormal = np.linalg.qr(rng.normal(size=(64, 64)))[0].T.reshape(64, 8, 8)  # another basis, like the PCA's
    picture = _pictures()[1]
    for filters, name in ((DCT_FILTERS, "the DCT filters"), (orthonormal, "another orthonormal bank of 64 filters")):
        windows = np.lib.stride_tricks.sliding_window_view(picture, (8, 8))[::8, ::8]
        responses = np.einsum("ijyx,fyx->fij", windows, filters)  # what the chapter's conv_layer gives
        what = f"unslide(responses, {name})"
        given_responses, given_filters = responses.copy(), filters.copy()
        got = _call(function, given_responses, given_filters, what=what)
        if not (np.array_equal(given_responses, responses) and np.array_equal(given_filters, filters)):
            return "your function changed the arrays it was given: build a new picture instead"
        if _same(got, picture):
            continue
        shape = np.shape(got)
        if shape == (64, 8, 8) or shape == (3, 5, 8, 8) or shape == (3, 5, 64):
            return (f"{what} has shape {shape}: the blocks have to be put back in place, "
                    f"8 * rows x 8 * columns pixels, {picture.shape} here")
        if shape == picture.shape:
            got = np.asarray(got, dtype=float)
            if name != "the DCT filters" and _same(got, dct.block_idct(
                    responses.reshape(8, 8, 3, 5).transpose(2, 3, 0, 1), picture.shape)):
                return (f"right with the DCT filters, but not with {name}: paste the filters you are given, "
                        f"not dct.basis")
            last = np.kron(responses[-1], np.ones((8, 8))) * np.tile(filters[-1], (3, 5))
            if _same(got, last):
                return (f"{what} holds only the last filter: "
                        f"each pixel gets the sum of all 64 filters' parts (+=, not =)")
            if _same(got, np.kron(responses.sum(axis=0), np.ones((8, 8)))):
                return (f"{what}: every block is flat: "
                        f"paste each filter's pattern, times its response, not the response alone")
            flipped = sum(np.kron(r, np.ones((8, 8))) * np.tile(f.T, (3, 5)) for r, f in zip(responses, filters))
            if _same(got, flipped):
                return f"{what}: the filters are pasted transposed: filter[y, x] goes to row y, column x of its block"
        return compare(got, picture, what) or "not yet"
    return None
