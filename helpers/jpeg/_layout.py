"""Where the blocks of each component go: the MCU layout, one for the encoder and the decoder.

A picture of ``H x W`` pixels is sent in *MCUs* (minimum coded units). With
sampling factors ``(v, h)`` per component (1 or 2 each, (vertical,
horizontal) as in :data:`helpers.jpeg.SUBSAMPLING`) and ``vmax``, ``hmax``
their largest values, an MCU covers ``8 * vmax x 8 * hmax`` pixels and holds
``v`` rows of ``h`` blocks of every component (T.81 A.2). A 17 x 17 picture
in 4:2:0 has 2 x 2 MCUs of 16 x 16 pixels, each with 2 x 2 Y blocks, one Cb
and one Cr: 16 Y blocks are sent, 9 of which hold the picture.

:class:`Layout` works this out once. Both sides keep every component's
blocks, padded to whole MCUs, in one array for the frame: component 0's grid
row by row, then component 1's, ... A scan is then a list of indices into
that array, in the order the scan sends the blocks (:meth:`Layout.scan_order`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .._checks import ceil_div
from ._markers import Frame


@dataclass(frozen=True)
class Layout:
    """The MCU layout of a frame of ``height x width`` pixels.

    ``factors`` holds the sampling factors ``(v, h)`` of each component, in
    frame order: ``((2, 2), (1, 1), (1, 1))`` for 4:2:0, ``((1, 1),)`` for grey.
    """

    height: int
    width: int
    factors: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, frame: Frame) -> Layout:
        """The layout of a frame header read from a file."""
        return cls(frame.height, frame.width, frame.factors)

    @property
    def vmax(self) -> int:
        return max(v for v, _ in self.factors)

    @property
    def hmax(self) -> int:
        return max(h for _, h in self.factors)

    @property
    def mcus(self) -> tuple[int, int]:
        """MCU rows and columns: each MCU covers ``8 * vmax x 8 * hmax`` pixels."""
        return ceil_div(self.height, 8 * self.vmax), ceil_div(self.width, 8 * self.hmax)

    def ratio(self, k: int) -> tuple[int, int]:
        """How many pixels (down, across) one sample of component ``k`` stands for."""
        v, h = self.factors[k]
        return self.vmax // v, self.hmax // h

    def samples(self, k: int) -> tuple[int, int]:
        """Samples of component ``k``: ``ceil(H * v / vmax) x ceil(W * h / hmax)`` (T.81 A.1.1)."""
        v, h = self.factors[k]
        return ceil_div(self.height * v, self.vmax), ceil_div(self.width * h, self.hmax)

    def blocks(self, k: int) -> tuple[int, int]:
        """Rows and columns of the blocks that hold component ``k``'s samples."""
        rows, cols = self.samples(k)
        return ceil_div(rows, 8), ceil_div(cols, 8)

    def grid(self, k: int) -> tuple[int, int]:
        """Rows and columns of component ``k``'s blocks in whole MCUs (dummy blocks included)."""
        (mcu_rows, mcu_cols), (v, h) = self.mcus, self.factors[k]
        return mcu_rows * v, mcu_cols * h

    @cached_property
    def starts(self) -> tuple[int, ...]:
        """Index of each component's first block in the frame's array, then the total."""
        sizes = [rows * cols for rows, cols in map(self.grid, range(len(self.factors)))]
        return tuple(np.cumsum([0, *sizes]).tolist())

    @property
    def total(self) -> int:
        """Blocks in the frame's array: every component in whole MCUs."""
        return self.starts[-1]

    def scan_shape(self, components: tuple[int, ...]) -> tuple[int, int, int]:
        """MCU rows, MCU columns and blocks per MCU of a scan of these components.

        A scan of one component sends its own blocks row by row, one block per
        MCU, and no dummy blocks; a scan of several sends the frame's MCUs,
        each holding ``v`` rows of ``h`` blocks of every component.
        """
        if len(components) == 1:
            return (*self.blocks(components[0]), 1)
        return (*self.mcus, sum(v * h for v, h in (self.factors[k] for k in components)))

    def scan_order(self, components: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        """The blocks a scan of ``components`` sends, in its order (see :meth:`scan_shape`).

        Returns the index of each block in the frame's array and which
        component (its index in the frame) it belongs to.
        """
        mcu_rows, mcu_cols, _ = self.scan_shape(components)
        if len(components) == 1:
            (k,) = components
            index = self.starts[k] + np.arange(mcu_rows)[:, None] * self.grid(k)[1]
            index = index + np.arange(mcu_cols)
            return index.ravel(), np.full(index.size, k)
        parts, owner = [], []
        for k in components:
            v, h = self.factors[k]
            row = np.arange(mcu_rows)[:, None, None, None] * v + np.arange(v)[:, None]
            col = np.arange(mcu_cols)[:, None, None] * h + np.arange(h)
            index = self.starts[k] + row * self.grid(k)[1] + col  # (MCU row, MCU column, v, h)
            parts.append(index.reshape(mcu_rows, mcu_cols, v * h))
            owner += [k] * (v * h)
        index = np.concatenate(parts, axis=2).ravel()  # each MCU: its Y blocks, then Cb, Cr
        return index, np.tile(owner, mcu_rows * mcu_cols)

    def split(self, frame: np.ndarray) -> list[np.ndarray]:
        """Cut the frame's array (blocks first) into each component's grid of whole MCUs."""
        starts = self.starts
        return [
            frame[starts[k] : starts[k + 1]].reshape(*self.grid(k), *frame.shape[1:])
            for k in range(len(self.factors))
        ]


def fill_mcus(levels: np.ndarray, grid: tuple[int, int], h: int) -> np.ndarray:
    """Place a component's blocks in its grid of whole MCUs, filling the rest like libjpeg.

    When the MCUs overhang the component's blocks (a 17-pixel-wide picture in
    4:2:0 has 3 columns of luma blocks, but 2 MCUs hold 4), libjpeg sends
    *dummy* blocks: all AC zero, and a DC equal to that of the block sent
    just before, so that each costs only "difference 0, EOB" (``jccoefct.c``).
    ``h`` is the component's horizontal sampling factor (blocks per MCU across).
    """
    rows, cols = levels.shape[:2]
    filled = np.zeros((*grid, 64), np.int32)
    filled[:rows, :cols] = levels
    filled[:rows, cols:, 0] = levels[:, -1:, 0]  # right edge: the row's last real DC
    for r in range(rows, grid[0]):  # bottom edge: the DC of the MCU's block above, on its right
        filled[r, :, 0] = np.repeat(filled[r - 1, h - 1 :: h, 0], h)
    return filled
