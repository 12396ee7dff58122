"""Checks for the exercises of chapter 05 · The 2-D DCT basis."""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import dct, images, jpeg
from . import call, close, compare, exercise, number

C = dct.dct_matrix(8)


def _test_blocks() -> list[np.ndarray]:
    """Blocks to try the learner's functions on: random, and a smooth ramp (no two coefficients tie in either)."""
    rng = np.random.default_rng(5)
    noisy = rng.integers(0, 256, (8, 8)).astype(float) - 128
    ramp = np.add.outer(np.arange(8) * 3.0, np.arange(8) * 11.0) - 90 + rng.normal(0, 2, (8, 8))
    return [noisy, ramp]


def _same(a: object, b: np.ndarray) -> bool:
    a = np.asarray(a)
    return a.shape == b.shape and np.issubdtype(a.dtype, np.number) and np.allclose(a, b, rtol=1e-6, atol=1e-6)


@exercise("05.two-passes")
def _(function):
    """dct2_two_passes(block): the 1-D DCT down every column, then along every row."""
    blocks = _test_blocks()
    results = []
    for block in blocks:
        given = block.copy()
        results.append(call(function, given, what="dct2_two_passes"))
        if not np.array_equal(given, block):
            return "your function changed the block it was given: compute a new array instead"
    if _same(results[0], np.asarray(results[1])):
        return "your function gives the same coefficients for every block: does it use the block it is given?"
    for block, got in zip(blocks, results):
        expected = C @ block @ C.T
        if _same(got, expected):
            continue
        for wrong, hint in [
            (C.T @ block @ C, "that is the inverse 2-D DCT (C.T @ ... @ C rebuilds a block from coefficients): "
                              "which of C and C.T takes the DCT of a column?"),
            (C @ block, "that is only the first pass, down every column: now take the 1-D DCT along every row"),
            (block @ C.T, "that is only the pass along every row: the columns need their 1-D DCT too"),
            (C @ block @ C, "the pass down the columns is right; along the rows it needs C.T, not C "
                            "(row @ C.T is C @ row)"),
            ((C @ block @ C.T).T, "your coefficients are transposed: coefficient (u, v) belongs at [v, u], "
                                  "row v (wave down), column u (wave across)"),
        ]:
            if _same(got, wrong):
                return hint
        if _same(got, C * block * C.T):
            return "* multiplies number by number; the matrix product that takes a DCT is @"
        return (compare(got, expected, "dct2_two_passes(block)") or "not yet") + ": compare with dct.dct2(block)"
    return None


@exercise("05.basis-image")
def _(function):
    """basis_image(u, v): the outer product of cosine filter v (down) and filter u (across)."""
    wrong = []  # (u, v, message, got / expected where that is one number for the whole pattern)
    for v in range(8):
        for u in range(8):
            got = call(function, u, v, what=f"basis_image({u}, {v})")
            expected = dct.basis(u, v)  # no value of a DCT basis image is 0
            message = compare(got, expected, f"basis_image({u}, {v})")
            if message is None:
                continue
            if any(words in message for words in ("shape", "numbers", "NaN")):
                return message
            got = np.asarray(got, dtype=float)
            if u != v and _same(got, dct.basis(v, u)):
                return (f"basis_image({u}, {v}) is pattern ({v}, {u}): u counts half-waves across (along a row, "
                        "so it changes with the column x), v down: "
                        "pixel [y, x] gets filter v at y times filter u at x")
            if _same(got, -expected):
                return f"basis_image({u}, {v}) has the wrong sign everywhere: look at the cosine's angle"
            ratio = got / expected
            wrong.append((u, v, message, ratio.flat[0] if np.allclose(ratio, ratio.flat[0]) else None))
    if not wrong:
        return None
    if all(ratio is not None for *_, ratio in wrong):
        if all(u == 0 or v == 0 for u, v, *_ in wrong):
            return (f"right for u, v >= 1, but the {len(wrong)} patterns with u or v = 0 have the wrong size: "
                    f"the flat filter's factor a(0) is not the a(k) of the others")
        u, v, _, ratio = wrong[0]
        return (f"the stripes are right but not the size: {len(wrong)} of 64 patterns are off by a factor, "
                f"basis_image({u}, {v}) is {ratio:.3g} times too large; look at the factor a(k) in front of the cosine")
    u, v, message, _ = wrong[0]
    return f"{len(wrong)} of 64 patterns differ; {message}: compare your filters with the rows of C"


@exercise("05.keep-largest")
def _(function):
    """keep_largest(block_coefficients, k): the k largest in size keep their values, the others become 0."""
    for block in _test_blocks():
        coeffs = C @ block @ C.T
        for k in (6, 1, 10, 63):
            given = coeffs.copy()
            got = call(function, given, k, what=f"keep_largest(coefficients, {k})")
            if not np.array_equal(given, coeffs):
                return "your function changed the coefficients it was given: fill in a new array (np.zeros_like)"
            keep = np.argsort(-np.abs(coeffs).ravel(), kind="stable")[:k]
            expected = np.zeros(64)
            expected[keep] = coeffs.ravel()[keep]
            expected = expected.reshape(8, 8)
            message = compare(got, expected, f"keep_largest(coefficients, {k})")
            if message is None:
                continue
            if "shape" in message or "numbers" in message or "NaN" in message:
                return message
            got = np.asarray(got, dtype=float)
            kept = np.count_nonzero(got)
            if _same(got, jpeg.keep_first(coeffs, k)):
                return f"with k = {k} you kept the first {k} in zigzag order: the exercise asks for the {k} largest"
            if kept != k:
                return f"with k = {k} your function leaves {kept} coefficients that are not 0: it should keep {k}"
            if np.allclose(np.sort(got[got != 0]), np.sort(expected[expected != 0])):
                return (f"with k = {k} you kept the right values, but some in the wrong place: "
                        f"each coefficient stays where it was, at its [v, u]")
            if not np.allclose(got[got != 0], coeffs[got != 0]):
                return f"with k = {k}, the coefficients you keep changed: keep each one's value and sign"
            by_value = np.argsort(-coeffs.ravel())[:k]
            if set(np.flatnonzero(got)) == set(by_value):
                return (f"with k = {k} you kept the {k} most positive: a large negative coefficient carries "
                        f"as much energy as a large positive one, so compare sizes (np.abs)")
            if set(np.flatnonzero(got)) == set(np.argsort(np.abs(coeffs).ravel())[:k]):
                return f"with k = {k} you kept the {k} smallest in size: sort the other way"
            return message + " (the right number of coefficients, but not the largest ones)"
    given = C @ _test_blocks()[0] @ C.T
    got = call(function, given, 0, what="keep_largest(coefficients, 0)")
    if np.asarray(got).shape == (8, 8) and np.count_nonzero(got):
        return ("right for k >= 1, but with k = 0 your function keeps coefficients: "
                "note that a[-0:] is the whole array, not an empty one")
    return compare(got, np.zeros((8, 8)), "keep_largest(coefficients, 0)")


@cache
def _picture_coefficients() -> np.ndarray:
    """The chapter's `coefficients`: the block DCT of the grey astronaut, shifted by -128."""
    grey = images.load("astronaut", grey=True)
    return dct.block_dct(grey.astype(float) - 128)


def _energy_shares(k: int) -> tuple[float, float, float]:
    """For k kept: the average per-block share kept by the k largest, by the first k (zigzag), and pooled."""
    energy = _picture_coefficients().reshape(-1, 64) ** 2
    total = energy.sum(axis=1)
    largest = -np.sort(-energy, axis=1)[:, :k].sum(axis=1)
    first = jpeg.to_zigzag(_picture_coefficients()).reshape(-1, 64)[:, :k] ** 2
    return (largest / total).mean(), (first.sum(axis=1) / total).mean(), largest.sum() / total.sum()


#: Why a share can be NaN: the learner's coefficients are not the chapter's.
_ZERO_ENERGY = ("a block with no energy at all gives 0 / 0 (without the shift by -128, the black background's "
                "blocks are all 0): use the chapter's coefficients, of grey - 128")


@exercise("05.largest-share")
def _(answer):
    """The share of each block's energy in its 6 largest coefficients, averaged over the picture's blocks."""
    value = number(answer, "largest_6_share", finite=_ZERO_ENERGY)
    if isinstance(value, str):
        return value
    expected, zigzag, pooled = _energy_shares(6)
    if close(value, 100 * expected):
        return "right, but as a percentage: give the share as a number between 0 and 1"
    if value > 1:
        return "a share of the energy is a number between 0 and 1"
    if close(value, expected):
        return None
    if close(value, zigzag):
        return "that is the share of the first 6 in zigzag order (share[5]): use keep_largest"
    if close(value, pooled):
        return ("that is the share of all the picture's energy together, where the blocks with most energy weigh most: "
                "take each block's share first, then the average of the 4,096 shares")
    if any(close(value, _energy_shares(k)[0]) for k in (5, 7)):
        return "off by one: that is the share of the 5 or the 7 largest, 6 asked"
    if abs(value - expected) < 5e-4:
        return "close, but rounded: give the value your code computes, unrounded"
    if value < zigzag - 1e-9:
        return ("the 6 largest of a block keep at least as much of its energy as any other 6, "
                "the first 6 in zigzag too, so the average cannot be below share[5]")
    return "for each block, the energy of keep_largest(b, 6) over the energy of b, then np.mean of those"


@cache
def _rms_values() -> dict[str, float]:
    """RMS errors (grey levels) of the astronaut rebuilt from 10 coefficients per block, several ways."""
    grey = images.load("astronaut", grey=True).astype(float)
    coeffs = _picture_coefficients()
    flat = coeffs.reshape(-1, 64)
    order = np.argsort(-np.abs(flat), axis=1, kind="stable")
    values = {}
    for k in (9, 10, 11):
        mask = np.zeros_like(flat, dtype=bool)
        np.put_along_axis(mask, order[:, :k], True, axis=1)
        rebuilt = dct.block_idct((flat * mask).reshape(coeffs.shape), grey.shape) + 128
        values[f"largest {k}"] = np.sqrt(np.mean((rebuilt - grey) ** 2))
        if k == 10:
            values["clipped"] = np.sqrt(np.mean((np.clip(rebuilt, 0, 255) - grey) ** 2))
            values["rounded"] = np.sqrt(np.mean((np.clip(np.rint(rebuilt), 0, 255) - grey) ** 2))
            values["mse"] = np.mean((rebuilt - grey) ** 2)
            eye = np.s_[96:104, 200:208]
            values["eye"] = np.sqrt(np.mean((rebuilt[eye] - grey[eye]) ** 2))
    first = dct.block_idct(jpeg.keep_first(coeffs, 10), grey.shape) + 128
    values["first 10"] = np.sqrt(np.mean((first - grey) ** 2))
    return values


@exercise("05.rms-largest-10")
def _(answer):
    """Challenge: the RMS error of the whole picture when every block keeps its 10 largest coefficients."""
    value = number(answer, "rms_largest_10", finite="a finite number expected")
    if isinstance(value, str):
        return value
    rms = _rms_values()
    if close(value, rms["largest 10"]) or close(value, rms["clipped"]):
        return None
    if close(value, rms["first 10"]):
        return "that is the error of the first 10 in zigzag order (8.9 in the chapter): keep the 10 largest instead"
    if close(value, rms["mse"]):
        return "that is the mean of the squared errors: the RMS is its square root"
    if close(value, rms["eye"]):
        return "that is the error of the eye block alone: every block of the picture keeps its 10 largest"
    if close(value, rms["largest 9"]) or close(value, rms["largest 11"]):
        return "off by one: that is 9 or 11 coefficients per block, 10 asked"
    if close(value, rms["rounded"]):
        return "close: you rounded the rebuilt picture to whole grey levels; measure the error before rounding"
    if abs(value - rms["largest 10"]) < 0.05:
        return "close, but rounded: give the value your code computes, unrounded"
    if value >= rms["first 10"]:
        return ("the 10 largest of a block leave less error than any other 10, the first 10 in zigzag too, "
                "so the answer must be below their 8.9")
    return "rebuild with dct.block_idct(..., grey.shape) + 128, then the root of the mean squared error"
