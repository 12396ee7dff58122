"""Where the blocks of each component go: the MCU layout."""

from __future__ import annotations

import numpy as np

from . import _markers as _jfif


def _ceil(a: int, b: int) -> int:
    return -(-a // b)


def _mcu_grid(levels: np.ndarray, shape: tuple[int, int], h: int) -> np.ndarray:
    """Place a component's blocks in its share of the MCU grid, filling the rest like libjpeg.

    When the MCUs overhang the component's blocks (a 17-pixel-wide picture in
    4:2:0 has 3 columns of luma blocks, but 2 MCUs hold 4), libjpeg sends
    *dummy* blocks: all AC zero, and a DC equal to that of the block sent
    just before, so that each costs only "difference 0, EOB" (``jccoefct.c``).
    """
    rows, cols = levels.shape[:2]
    grid = np.zeros((*shape, 64), np.int32)
    grid[:rows, :cols] = levels
    grid[:rows, cols:, 0] = levels[:, -1:, 0]  # right edge: the row's last real DC
    for r in range(rows, shape[0]):  # bottom edge: the DC of the MCU's block above, on its right
        grid[r, :, 0] = np.repeat(grid[r - 1, h - 1 :: h, 0], h)
    return grid


def _scan_blocks(
    levels: list[np.ndarray], factors: list[tuple[int, int]], height: int, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Put every component's zigzag levels in the order the scan sends them.

    Returns
    -------
    blocks : numpy.ndarray
        ``int32`` array (number of blocks, 64), MCU by MCU, dummy blocks included.
    component : numpy.ndarray
        For each block, 0 (Y or grey), 1 (Cb) or 2 (Cr).
    """
    hmax, vmax = factors[0]
    # An MCU (minimum coded unit) covers hmax x vmax blocks of Y: 8 x 8 to 16 x 16 pixels.
    mcu_rows, mcu_cols = _ceil(height, 8 * vmax), _ceil(width, 8 * hmax)
    per_mcu = []
    for grid, (h, v) in zip(levels, factors, strict=True):
        grid = _mcu_grid(grid, (mcu_rows * v, mcu_cols * h), h)
        # (block row, block column) -> (MCU row, MCU column, v x h blocks of this MCU)
        grid = grid.reshape(mcu_rows, v, mcu_cols, h, 64).transpose(0, 2, 1, 3, 4)
        per_mcu.append(grid.reshape(mcu_rows, mcu_cols, v * h, 64))
    blocks = np.concatenate(per_mcu, axis=2).reshape(-1, 64)  # each MCU: Y blocks, Cb, Cr
    component = np.repeat(np.arange(len(levels)), [h * v for h, v in factors])
    return blocks, np.tile(component, mcu_rows * mcu_cols)


def _layout(frame: _jfif.Frame) -> tuple[list[tuple[int, int]], list[int], int]:
    """Where each component's blocks live in one array for the whole frame.

    Returns the (rows, columns) of each component's grid of blocks, padded to
    whole MCUs; the index of its first block; and the total number of blocks.
    """
    mcu_rows, mcu_cols = _ceil(frame.height, 8 * frame.vmax), _ceil(frame.width, 8 * frame.hmax)
    grids = [(mcu_rows * c.v, mcu_cols * c.h) for c in frame.components]
    sizes = [rows * cols for rows, cols in grids]
    starts = np.cumsum([0, *sizes]).tolist()
    return grids, starts[:-1], starts[-1]


def _component_size(frame: _jfif.Frame, c: _jfif.Component) -> tuple[int, int]:
    """Samples of a component: ``ceil(H * v / vmax)`` x ``ceil(W * h / hmax)`` (T.81 A.1.1)."""
    return _ceil(frame.height * c.v, frame.vmax), _ceil(frame.width * c.h, frame.hmax)


def _scan_shape(frame: _jfif.Frame, scan: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    """MCU rows, MCU columns and blocks per MCU of a scan.

    A scan of one component sends its own blocks row by row, one block per
    MCU; a scan of several sends MCUs of ``hmax x vmax`` luma blocks' worth
    of picture, each holding ``v`` rows of ``h`` blocks of every component.
    """
    if len(scan) == 1:
        rows, cols = _component_size(frame, frame.components[scan[0][0]])
        return _ceil(rows, 8), _ceil(cols, 8), 1
    mcu_rows, mcu_cols = _ceil(frame.height, 8 * frame.vmax), _ceil(frame.width, 8 * frame.hmax)
    per_mcu = sum(frame.components[i].h * frame.components[i].v for i, _, _ in scan)
    return mcu_rows, mcu_cols, per_mcu


def _scan_order(
    frame: _jfif.Frame, scan: list[tuple[int, int, int]]
) -> tuple[list[int], list[int], int]:
    """The blocks of a scan in the order it sends them (see :func:`_scan_shape`).

    Returns the index of each block in the frame's block array (see
    :func:`_layout`), which of the scan's components it belongs to, and the
    number of blocks in an MCU.
    """
    grids, starts, _ = _layout(frame)
    mcu_rows, mcu_cols, per_mcu = _scan_shape(frame, scan)
    if len(scan) == 1:
        i = scan[0][0]
        index = starts[i] + np.arange(mcu_rows)[:, None] * grids[i][1] + np.arange(mcu_cols)
        return index.ravel().tolist(), [0] * index.size, 1
    parts, owner = [], []
    for n, (i, _, _) in enumerate(scan):
        c = frame.components[i]
        row = np.arange(mcu_rows)[:, None, None, None] * c.v + np.arange(c.v)[:, None]
        col = np.arange(mcu_cols)[:, None, None] * c.h + np.arange(c.h)
        index = starts[i] + row * grids[i][1] + col  # (MCU row, MCU column, v, h)
        parts.append(index.reshape(mcu_rows, mcu_cols, c.v * c.h))
        owner += [n] * (c.v * c.h)
    index = np.concatenate(parts, axis=2).ravel()
    return index.tolist(), owner * (mcu_rows * mcu_cols), per_mcu
