"""Choosing the quantization tables for one picture: ``encode(..., tables="psnr")``.

libjpeg's tables are one shape for every picture, scaled by ``quality``. But
each of the 64 frequencies of *this* picture has its own spread of
coefficients, and its step trades squared error against bits on its own:

    cost(step) = squared error(step) + lam * bits(step)

summed over the blocks. For each frequency the search tries a ladder of
steps from 1 to 255 and keeps the cheapest, the rate-distortion choice of
Ratnakar and Livny's RD-OPT (1995), with bits estimated by the entropy of
the rounded levels (of the DC's differences from block to block, as the
file codes them). The two tables' frequencies are searched one by one: a
step changes only its own frequency's error and, to this estimate, bits.
The chroma table serves Cb and Cr together, their errors weighted by how
much each shows in the RGB picture (:func:`._trellis._weights`).

A larger ``lam`` (a lower quality) buys fewer bits with more error: it
picks a step whose estimated bits are no more than before, in practice
never a finer one (the tests check it), so the tables, and the file,
shrink as ``quality`` falls.
"""

from __future__ import annotations

import numpy as np

from ._tables import _natural

#: The steps tried for each frequency: 1 to 255, about 8 % apart (every whole step up to 13).
LADDER = np.unique(np.rint(np.geomspace(1, 255, 72))).astype(np.int64)

#: The price of a bit in the search, as a share of the trellis' ``lam``. The entropy estimate
#: counts bits the trellis then saves, so the search prices them lower: of the shares 0.25 to 1.5
#: tried on the cameraman and chelsea, 0.6 to 0.8 gave the best BD-rate against libjpeg.
SEARCH_SHARE = 0.7


def _entropy_bits(levels: np.ndarray) -> np.ndarray:
    """Bits to code each row of ``levels`` (candidates x values) at its first-order entropy.

    ``n log2 n - sum(c log2 c)`` over the counts ``c`` of each value in the row.
    """
    rows, n = levels.shape
    low = levels.min(axis=1, keepdims=True)
    span = int((levels - low).max()) + 1
    counts = np.bincount(((levels - low) + np.arange(rows)[:, None] * span).ravel(), minlength=rows * span)
    counts = counts.reshape(rows, span).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        sums = np.where(counts > 0, counts * np.log2(counts), 0.0).sum(axis=1)
    return n * np.log2(n) - sums


def _costs(coefficients: np.ndarray, weight: float, lam: float, dc: bool) -> np.ndarray:
    """The cost of each step of :data:`LADDER` for one frequency: ``weight * squared error + lam * bits``.

    ``coefficients``: that frequency's value in every block of a component
    (block rows x block columns), unquantized.
    """
    x = coefficients.ravel()
    costs = []
    group = max(1, (1 << 21) // max(len(x), 1))  # steps tried at once: a few MB, however large the picture
    for first in range(0, len(LADDER), group):
        steps = LADDER[first : first + group, None]
        levels = np.rint(x / steps)
        error = ((x - steps * levels) ** 2).sum(axis=1)
        if dc:  # the file codes each DC as its difference from the block before
            levels = np.diff(levels, axis=1, prepend=0)
        costs.append(weight * error + lam * _entropy_bits(levels.astype(np.int64)))
    return np.concatenate(costs)


def search_tables(
    coefficients: list[np.ndarray], weights: list[float], lam: float
) -> tuple[np.ndarray, np.ndarray]:
    """The (luma, chroma) tables, 8 x 8 in natural order, that minimise the estimated cost at ``lam``.

    ``coefficients``: each component's unquantized DCT coefficients (block
    rows, block columns, 64), zigzag order, Y first; ``weights``: what a
    unit of each one's squared error costs. A grey picture's chroma table
    is its luma table (no component uses it).
    """
    tables = []
    for members in ([0], list(range(1, len(coefficients)))):
        if not members:
            tables.append(tables[0])
            continue
        steps = np.empty(64, np.int64)
        for i in range(64):
            total = sum(_costs(coefficients[k][..., i], weights[k], lam, i == 0) for k in members)
            steps[i] = LADDER[int(np.argmin(total))]
        tables.append(_natural(steps))
    return tables[0], tables[1]
