"""Pixels the decoder clips, and pixels nobody sees: ``encode(..., tables="psnr")``'s targets.

Every decoder clips what its inverse DCT gives to 0..255. So where the
picture is pure white (255), any reconstruction of 255 *or more* is exact
after clipping, and where it is pure black (0), any of 0 or less. And the
pixels that pad the last row and column of blocks past the picture's edge
are cut off by the decoder: any value is exact there.

The encoder may therefore aim its levels at a *target* block other than the
picture's own, as long as the target agrees with the picture on every pixel
that is neither saturated nor padding, and lies on the far side of 255 (or
0) where the picture is saturated. For such a target ``t``, a
reconstruction ``r`` and the picture ``p``, pixel by pixel,
``(clip(r) - p)**2 <= (r - t)**2``: if ``p = 255 <= t`` and ``r >= 255``,
the left side is 0; if ``r < 255``, then ``255 - r <= t - r``. So the error
the trellis measures against the target is at most the error the viewer
gets, and a target that is cheaper to code (a smoother block, with fewer
fast waves to send) buys bits for free. A black letter on white paper is
the case in point: let the white around the stroke swell past 255 and the
black dip below 0, and the block's sharp edge becomes a softer, larger wave.

Which target: the one a few rounds of "quantize, reconstruct, move the
free pixels to the reconstruction" converge to (alternating projections, as
in the POCS methods of image restoration). Each round rounds the target's
coefficients with the table's steps and reconstructs; saturated pixels take
the reconstruction where it lies beyond 255 (or 0) and stay at 255 (0)
otherwise, padding pixels take it as it is, all others keep the picture's
value. The target stays within 32 levels of 0..255, so that no level
leaves a baseline file's range (steps of 2 or more: with a step of 1 the
picture is left as it is). mozjpeg's "overshoot deringing" does the same
for white pixels with a curve fitted through each run of them.
"""

from __future__ import annotations

import numpy as np

from ..dct import _matrix
from ._tables import _natural, _zigzag

#: Rounds of quantize -> reconstruct -> move the free pixels (5 and 10 differ by less than 0.1 % on the text).
ROUNDS = 5

#: How far past 0..255 a target pixel may go, in grey levels (keeps every level in a baseline file's range).
OVERSHOOT = 32


def targets(
    samples: np.ndarray, height: int, width: int, steps: np.ndarray, coefficients: np.ndarray
) -> np.ndarray:
    """The DCT coefficients (block rows, block columns, 64; zigzag) of the cheapest-to-code target.

    ``samples``: a component's samples padded to whole blocks (0..255), the
    picture's own in the first ``height`` rows and ``width`` columns;
    ``coefficients``: their DCT (zigzag order), returned as they are when no
    block has a saturated or padding pixel, or a step is 1; ``steps``: the
    component's quantization table, zigzag order.
    """
    if steps.min() < 2:
        return coefficients
    rows, cols = samples.shape[0] // 8, samples.shape[1] // 8
    picture = samples.astype(np.float64) - 128.0  # the level shift, as the encoder does it
    padding = np.ones(samples.shape, bool)
    padding[:height, :width] = False
    white, black = (samples >= 255) & ~padding, (samples <= 0) & ~padding

    def blocks(a: np.ndarray) -> np.ndarray:
        return a.reshape(rows, 8, cols, 8).swapaxes(1, 2)

    free = (blocks(white) | blocks(black) | blocks(padding)).any(axis=(2, 3))
    if not free.any():
        return coefficients
    start, white, black, padding = (blocks(a)[free] for a in (picture, white, black, padding))
    c, table = _matrix(8), _natural(steps.astype(np.float64))
    target = start
    for _ in range(ROUNDS):
        rebuilt = c.T @ (np.rint(c @ target @ c.T / table) * table) @ c  # rounded, then decoded
        target = np.where(white, np.clip(rebuilt, 127.0, 127.0 + OVERSHOOT),
                          np.where(black, np.clip(rebuilt, -128.0 - OVERSHOOT, -128.0),
                                   np.where(padding, np.clip(rebuilt, -128.0 - OVERSHOOT, 127.0 + OVERSHOOT),
                                            start)))  # fmt: skip
    coefficients = coefficients.copy()
    coefficients[free] = _zigzag(c @ target @ c.T)
    return coefficients
