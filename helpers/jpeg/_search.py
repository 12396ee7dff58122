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

``tables="perceptual"``: the same search, and the trellis after it, with
the squared error weighted by how much it lowers SSIM instead
(:func:`perceptual_weights`): per block, by how little contrast the
picture has there to hide it; per frequency, by how much of it SSIM's
small window sees as a change of contrast rather than of brightness.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy import ndimage

from .. import metrics
from ..dct import idct2
from ._colour import _rgb_to_ycbcr
from ._layout import Layout
from ._tables import _natural

#: The steps tried for each frequency: 1 to 255, about 8 % apart (every whole step up to 13).
LADDER = np.unique(np.rint(np.geomspace(1, 255, 72))).astype(np.int64)

#: The price of a bit in the search, as a share of the trellis' ``lam``. The entropy estimate
#: counts bits the trellis then saves, so the search prices them lower: of the shares 0.25 to 1.5
#: tried on the cameraman and chelsea, 0.6 to 0.8 gave the best BD-rate against libjpeg.
SEARCH_SHARE = 0.7

#: SSIM's C2, ``(0.03 * 255)**2``: the contrast below which a window counts as flat.
_C2 = (0.03 * 255.0) ** 2

#: How strongly ``tables="perceptual"`` follows each block's contrast: its weight is the mean of
#: ``1 / (2 sigma^2 + C2)`` over its pixels to this power (1: SSIM's own first-order weight).
#: Tried 0.5, 0.75 and 1 on chelsea and the cameraman: 0.75 was best on SSIM BD-rate by a little
#: (see :func:`perceptual_weights`) and loses less PSNR than 1.
CONTRAST_EXPONENT = 0.75


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


def _costs(
    coefficients: np.ndarray, weight: float, lam: float, dc: bool, blocks: np.ndarray | None = None
) -> np.ndarray:
    """The cost of each step of :data:`LADDER` for one frequency: ``weight * squared error + lam * bits``.

    ``coefficients``: that frequency's value in every block of a component
    (block rows x block columns), unquantized; ``blocks``: optionally, a
    weight for each block's squared error, same shape.
    """
    x = coefficients.ravel()
    costs = []
    group = max(1, (1 << 21) // max(len(x), 1))  # steps tried at once: a few MB, however large the picture
    for first in range(0, len(LADDER), group):
        steps = LADDER[first : first + group, None]
        levels = np.rint(x / steps)
        squared = (x - steps * levels) ** 2
        error = (squared if blocks is None else squared * blocks.ravel()).sum(axis=1)
        if dc:  # the file codes each DC as its difference from the block before
            levels = np.diff(levels, axis=1, prepend=0)
        costs.append(weight * error + lam * _entropy_bits(levels.astype(np.int64)))
    return np.concatenate(costs)


def search_tables(
    coefficients: list[np.ndarray],
    weights: list[float],
    lam: float,
    blocks: list[np.ndarray] | None = None,
    frequencies: list[np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The (luma, chroma) tables, 8 x 8 in natural order, that minimise the estimated cost at ``lam``.

    ``coefficients``: each component's unquantized DCT coefficients (block
    rows, block columns, 64), zigzag order, Y first; ``weights``: what a
    unit of each one's squared error costs. Optionally, per component,
    ``blocks``: a weight for each block (block rows, block columns) and
    ``frequencies``: one for each of the 64 frequencies (zigzag order), both
    multiplying that squared error (:func:`perceptual_weights`). A grey
    picture's chroma table is its luma table (no component uses it).
    """
    tables = []
    for members in ([0], list(range(1, len(coefficients)))):
        if not members:
            tables.append(tables[0])
            continue
        steps = np.empty(64, np.int64)
        for i in range(64):
            total = sum(
                _costs(coefficients[k][..., i], weights[k] * (1.0 if frequencies is None else frequencies[k][i]),
                       lam, i == 0, None if blocks is None else blocks[k])
                for k in members
            )  # fmt: skip
            steps[i] = LADDER[int(np.argmin(total))]
        tables.append(_natural(steps))
    return tables[0], tables[1]



#: A flat step's share of the price of a bit: ``lam = FLAT_SHARE * step**2``. Rounding to a step ``s``
#: leaves an error of about ``s**2 / 12`` per coefficient, and one more bit halves the step, so at
#: high rates a bit is worth ``2 ln 2 x s**2 / 12`` of error: the price ``lam`` buys exactly the step
#: with ``lam = ln(2) / 6 x s**2``. (Measured: of the shares 0.045 to 0.2, 0.08 to 0.15 gave the
#: best BD-rates on the cameraman and the grey astronaut, within 0.3 % of each other.)
FLAT_SHARE = float(np.log(2) / 6)


def flat_tables(lam: float, weights: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """The flat (luma, chroma) tables for a trellis price ``lam``: every step ``sqrt(lam / FLAT_SHARE)``.

    The chroma's price is ``lam`` divided by the mean of Cb's and Cr's
    ``weights`` (how much a unit of their error costs in RGB), as the
    trellis divides it; a grey picture's chroma table is its luma table.
    """
    chroma = float(np.mean(weights[1:])) if len(weights) > 1 else weights[0]
    return tuple(np.full((8, 8), int(np.clip(np.rint(np.sqrt(lam / (FLAT_SHARE * w))), 1, 255)), np.int64)
                 for w in (weights[0], chroma))  # fmt: skip

@cache
def _window_shares(sigma: tuple[float, float]) -> np.ndarray:
    """How much of each frequency's error SSIM's window sees as contrast: (64,) zigzag order, 0..1.

    SSIM looks at an error through a Gaussian window (:func:`helpers.metrics.ssim_map`,
    standard deviation ``sigma`` (down, across) in samples of the component,
    5 / 1.5 of it each side). The part of the error the window averages
    shifts the window's mean, which SSIM divides by ``mean^2 + C1`` (about
    a thousand times ``C2`` at mid-grey) and all but ignores; the part left
    over changes its contrast and structure, which SSIM divides by
    ``sigma^2 + C2``. For one basis function of one block, with every other
    block's error independent of it, that part is
    ``1 - sum((window * basis)^2) / sum(basis^2)``: 0.37 for luma's DC (only
    its edges with the next blocks show), 0.64 for the first AC, more than
    0.99 from the fifth diagonal on. Chroma in 4:2:0 (half the resolution,
    half the window in its samples) gets less: 0.19 for the DC.
    """
    plane = np.zeros((8 + 2 * 8, 8 + 2 * 8))  # one block with room for the window's tails
    shares = np.empty(64)
    for i in range(64):
        coefficients = np.zeros(64)
        coefficients[i] = 1.0
        plane[8:16, 8:16] = idct2(_natural(coefficients))
        truncate = metrics._SSIM_RADIUS / metrics._SSIM_SIGMA
        seen = ndimage.gaussian_filter(plane, sigma, truncate=truncate, mode="constant")
        shares[i] = 1.0 - (seen**2).sum()  # each basis function has unit energy
    return shares


def perceptual_weights(image: np.ndarray, layout: Layout) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """What a unit of squared error costs in SSIM, for ``tables="perceptual"``: per block and per frequency.

    SSIM compares each window's contrast and structure through
    ``(2 sxy + C2) / (sx^2 + sy^2 + C2)``; an error of variance ``e^2``
    there lowers it by about ``e^2 / (2 sx^2 + C2)``. So the same error
    costs little where the picture is busy (large ``sx^2``) and much where
    it is flat, the "SSIM-motivated" rate-distortion optimization of video
    coders (Wang, Rehman and others). Each block's weight is the mean of
    ``1 / (2 sx^2 + C2)`` over the pixels it covers (``sx^2``: the local
    variance of the picture's luma in SSIM's window), to the power
    :data:`CONTRAST_EXPONENT`, divided by its component's mean weight so
    that ``quality`` still prices bits about as :func:`rdo_lambda` does.
    Each frequency's weight is the share of its error the window sees as
    contrast (:func:`_window_shares`): SSIM minds a block's ringing more
    than a shift of its brightness. The search and the trellis both weigh
    the squared error by the product of the two.

    What was measured (BD-rate at equal SSIM, ``-10 log10(1 - SSIM)`` dB,
    against ``tables="psnr"``, qualities 20..95, chelsea and the cameraman;
    against libjpeg-turbo in brackets, where "psnr" gives -17 % and -18 %):

    * the block weight from the variance of the block's own pixels
      (its AC energy / 64), search only: +5 % and +4 % (worse): one edge
      makes a block "busy" though most of SSIM's windows in it are flat
      and show its ringing; with the weight in the trellis too, +4 % and
      -2 %. The mean of the pixels' weights: +4 % and +1 %; with the
      trellis, +3 % and -3 %;
    * (b) weighting each frequency by Annex K's table shape at quality 50,
      ``(T / mean T)^(-2 alpha)``, as the eye's sensitivity: alpha 0.25
      +4 % and +2 %, alpha 0.5 +12 % and +9 %, alpha 1 worse still: SSIM
      has no contrast sensitivity curve, and keeping high frequencies
      fine spends bits it does not reward;
    * the window shares alone: -4 % and 0 %; with the pixels' block weights,
      search only: -2 % and -1 %; both, in the search and the trellis:
      -4 % and -6 % (exponent 1), -5 % and -6 % (0.75, kept: -21 % and -22 %
      against libjpeg), -6 % and -5 % (0.5).

    Checked afterwards on the astronaut, not used to choose: -5.6 % against
    "psnr" at equal SSIM (-22 % against libjpeg). The price: at equal PSNR
    these files need 4-11 % more bytes than the "psnr" ones on the three
    pictures: PSNR counts every squared error the same, wherever it is.

    Returns
    -------
    (list of numpy.ndarray, list of numpy.ndarray)
        Per component: the block weights (block rows, block columns), mean
        1, and the frequency weights (64,) in zigzag order.
    """
    luma = image.astype(np.float64) if image.ndim == 2 else _rgb_to_ycbcr(image)[..., 0]
    window = {"sigma": metrics._SSIM_SIGMA, "truncate": metrics._SSIM_RADIUS / metrics._SSIM_SIGMA,
              "mode": "reflect"}  # fmt: skip
    mean = ndimage.gaussian_filter(luma, **window)
    variance = np.maximum(ndimage.gaussian_filter(luma * luma, **window) - mean * mean, 0.0)
    pixels = 1.0 / (2.0 * variance + _C2)
    blocks, frequencies = [], []
    for k in range(len(layout.factors)):
        (rows, cols), (ry, rx) = layout.blocks(k), layout.ratio(k)
        height, width = 8 * ry * rows, 8 * rx * cols  # the pixels the blocks cover, edges repeated
        covered = np.pad(pixels, ((0, max(0, height - pixels.shape[0])), (0, max(0, width - pixels.shape[1]))),
                         mode="edge")[:height, :width]  # fmt: skip
        weight = covered.reshape(rows, 8 * ry, cols, 8 * rx).mean(axis=(1, 3)) ** CONTRAST_EXPONENT
        blocks.append(weight / weight.mean())
        frequencies.append(_window_shares((metrics._SSIM_SIGMA / ry, metrics._SSIM_SIGMA / rx)))
    return blocks, frequencies
