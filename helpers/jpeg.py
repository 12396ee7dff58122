"""JPEG, one piece at a time: quantization tables, zigzag order, colour, subsampling.

At the end the pieces come together: :func:`encode` writes a baseline JPEG
file and :func:`decode` reads one, both in numpy and close enough to
libjpeg that Pillow and libjpeg-turbo agree with them (see the tests).
``encode(..., rdo=True)`` chooses the levels by trellis quantization
(:func:`trellis_quantize`) as mozjpeg does: the same kind of file, about 10 %
smaller for the same PSNR. :func:`bit_budget` and :func:`block_bits` show
where the bits of a file go.

Blocks follow the layout of :mod:`helpers.dct`: the DCT of a picture is an
array of shape ``(rows, cols, n, n)``, one ``n x n`` coefficient block per
``n x n`` pixel block, and inside a block ``[v, u]`` is (vertical frequency,
horizontal frequency), so ``[0, 0]`` is the DC coefficient. Every function
here that takes blocks accepts any array whose last two axes are ``n x n``.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from . import _jfif, huffman
from ._checks import _describe, array, choice, integer, number, picture
from .dct import block_dct, block_idct

__all__ = [
    "LUMINANCE", "CHROMINANCE", "quantization_table",
    "ZIGZAG", "zigzag_order", "to_zigzag", "from_zigzag",
    "quantize", "dequantize", "keep_first",
    "rgb_to_ycbcr", "ycbcr_to_rgb",
    "SUBSAMPLING", "subsample", "upsample",
    "encode", "decode", "bit_budget", "block_bits", "Segment", "segments",
    "trellis_quantize", "rd_cost", "rdo_lambda",
]  # fmt: skip


def _read_only(values: np.ndarray) -> np.ndarray:
    """Mark ``values`` read-only, so a module constant cannot be changed by accident."""
    values.setflags(write=False)
    return values


#: ITU-T T.81 Annex K, Table K.1: luminance quantization table (natural order).
LUMINANCE = _read_only(np.array([
    [16, 11, 10, 16, 24, 40, 51, 61],
    [12, 12, 14, 19, 26, 58, 60, 55],
    [14, 13, 16, 24, 40, 57, 69, 56],
    [14, 17, 22, 29, 51, 87, 80, 62],
    [18, 22, 37, 56, 68, 109, 103, 77],
    [24, 35, 55, 64, 81, 104, 113, 92],
    [49, 64, 78, 87, 103, 121, 120, 101],
    [72, 92, 95, 98, 112, 100, 103, 99],
], dtype=np.uint16))  # fmt: skip

#: ITU-T T.81 Annex K, Table K.2: chrominance quantization table (natural order).
CHROMINANCE = _read_only(np.array([
    [17, 18, 24, 47, 99, 99, 99, 99],
    [18, 21, 26, 66, 99, 99, 99, 99],
    [24, 26, 56, 99, 99, 99, 99, 99],
    [47, 66, 99, 99, 99, 99, 99, 99],
    *[[99] * 8] * 4,
], dtype=np.uint16))  # fmt: skip


def quantization_table(quality: int, *, chroma: bool = False) -> np.ndarray:
    """The 8 x 8 quantization table libjpeg (and so Pillow) uses at ``quality``.

    Quality 50 is the table of the standard; higher qualities shrink every
    step (finer levels, bigger files), lower ones stretch it. Exactly libjpeg's
    ``jpeg_quality_scaling`` and ``jpeg_add_quant_table(force_baseline=TRUE)``:
    ``scale = 5000 // q`` below 50, else ``200 - 2 * q``; each entry becomes
    ``(base * scale + 50) // 100``, kept within 1..255.

    Parameters
    ----------
    quality : int
        1 (smallest file) .. 100 (every step 1).
    chroma : bool
        ``True`` for the colour-difference table (:data:`CHROMINANCE`),
        ``False`` for the brightness table (:data:`LUMINANCE`).

    Returns
    -------
    numpy.ndarray
        Read-only ``uint16`` array of shape (8, 8), natural (row-major) order.
    """
    quality = integer(quality, "quality", low=1, high=100)
    if not isinstance(chroma, (bool, np.bool_)):
        raise TypeError(f"chroma must be True or False, got {chroma!r}")
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    base = (CHROMINANCE if chroma else LUMINANCE).astype(np.int64)
    return _read_only(np.clip((base * scale + 50) // 100, 1, 255).astype(np.uint16))


def zigzag_order(n: int = 8) -> np.ndarray:
    """Flat indices ``row * n + col`` of an ``n x n`` block in zigzag order.

    The scan walks the anti-diagonals from the top-left (low frequencies)
    to the bottom-right (high frequencies), so the zeros left by
    quantization end up together at the end. Diagonal ``s = row + col`` runs
    up-right (row falling) when ``s`` is even and down-left when it is odd.
    """
    n = integer(n, "n", low=1)
    row, col = np.divmod(np.arange(n * n), n)
    diagonal = row + col
    return np.lexsort((np.where(diagonal % 2 == 1, row, -row), diagonal))


#: Zigzag order of an 8 x 8 block, as JPEG stores coefficients: 0, 1, 8, 16, 9, 2, ...
ZIGZAG = _read_only(zigzag_order(8))


def _blocks(value: object, name: str) -> np.ndarray:
    """Check an array whose last two axes are one square n x n block."""
    value = array(value, name)
    if value.ndim < 2 or value.shape[-1] != value.shape[-2]:
        raise ValueError(
            f"{name} must end in two equal axes n x n (one block, or rows x cols x n x n), "
            f"got shape {value.shape}"
        )
    return value


def to_zigzag(blocks: np.ndarray) -> np.ndarray:
    """Read each ``n x n`` block in zigzag order: shape ``(..., n, n)`` -> ``(..., n * n)``."""
    blocks = _blocks(blocks, "blocks")
    n = blocks.shape[-1]
    return blocks.reshape(*blocks.shape[:-2], n * n)[..., zigzag_order(n)]


def from_zigzag(vectors: np.ndarray, n: int | None = None) -> np.ndarray:
    """Put zigzag-ordered vectors back into blocks: ``(..., n * n)`` -> ``(..., n, n)``.

    ``n`` is worked out from the length of the last axis when not given.
    """
    vectors = array(vectors, "vectors")
    if vectors.ndim < 1:
        raise ValueError("vectors must have at least 1 dimension, got a single number")
    length = vectors.shape[-1]
    side = math.isqrt(length) if n is None else integer(n, "n", low=1)
    if side * side != length:
        wanted = f"n * n = {side * side}" if n is not None else "a perfect square (64 for 8 x 8)"
        raise ValueError(f"vectors must have a last axis of {wanted}, got length {length}")
    inverse = np.argsort(zigzag_order(side))
    return vectors[..., inverse].reshape(*vectors.shape[:-1], side, side)


def _table(table: object, n: int) -> np.ndarray:
    """Check a quantization table: positive, n x n to match the blocks."""
    table = array(table, "table", ndim=2, square=True)
    if table.shape != (n, n):
        raise ValueError(f"table must be {n} x {n} to match the blocks, got shape {table.shape}")
    if (table <= 0).any():
        raise ValueError(f"table must hold steps > 0, got a minimum of {table.min()}")
    return table.astype(np.float64)


def quantize(coeffs: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Divide each coefficient by its step and round: the one lossy step of JPEG.

    Halves round away from zero (2.5 -> 3, -2.5 -> -3), as libjpeg's integer
    encoder does; ``np.rint`` would send 2.5 to 2.

    Parameters
    ----------
    coeffs : numpy.ndarray
        DCT coefficients, shape ``(..., n, n)``.
    table : numpy.ndarray
        ``n x n`` steps, all > 0, applied to every block.

    Returns
    -------
    numpy.ndarray
        ``int32`` levels, same shape as ``coeffs``.
    """
    coeffs = _blocks(coeffs, "coeffs")
    ratio = coeffs / _table(table, coeffs.shape[-1])
    levels = np.sign(ratio) * np.floor(np.abs(ratio) + 0.5)
    if np.abs(levels).max() > np.iinfo(np.int32).max:
        raise ValueError("coeffs are too large: some levels do not fit in int32")
    return levels.astype(np.int32)


def dequantize(levels: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Multiply levels back by their steps: each coefficient returns to within step / 2."""
    levels = _blocks(levels, "levels")
    if levels.dtype.kind == "f" and not np.array_equal(levels, np.round(levels)):
        raise ValueError("levels must be whole numbers (the output of quantize)")
    return levels * _table(table, levels.shape[-1])


def keep_first(coeffs: np.ndarray, k: int) -> np.ndarray:
    """Keep the first ``k`` coefficients of every block in zigzag order, zero the rest.

    A crude compressor: the low frequencies carry most of what the eye sees.
    """
    coeffs = _blocks(coeffs, "coeffs")
    n = coeffs.shape[-1]
    k = integer(k, "k", low=0, high=n * n)
    mask = np.zeros(n * n, dtype=bool)
    mask[zigzag_order(n)[:k]] = True
    return coeffs * mask.reshape(n, n)


#: JFIF (T.871) matrices: ycbcr = _TO_YCBCR @ rgb + _OFFSET, rgb = _TO_RGB @ (ycbcr - _OFFSET).
_TO_YCBCR = np.array(
    [[0.299, 0.587, 0.114], [-0.168736, -0.331264, 0.5], [0.5, -0.418688, -0.081312]]
)
_TO_RGB = np.array([[1.0, 0.0, 1.402], [1.0, -0.344136, -0.714136], [1.0, 1.772, 0.0]])
_OFFSET = np.array([0.0, 128.0, 128.0])


def _colour(image: object) -> np.ndarray:
    image = array(image, "image", ndim=3)
    if image.shape[2] != 3:
        raise ValueError(f"image must be H x W x 3, got shape {image.shape}")
    return image.astype(np.float64)


def rgb_to_ycbcr(image: np.ndarray) -> np.ndarray:
    """Split colour into brightness Y and two colour differences Cb, Cr (JFIF, T.871).

    The eye sees detail in Y far better than in Cb and Cr, so JPEG can keep
    the colour planes at lower resolution. Full range: all three in 0..255,
    grey pixels have Cb = Cr = 128.

    Parameters
    ----------
    image : numpy.ndarray
        H x W x 3 RGB picture, ``uint8`` or float in 0..255.

    Returns
    -------
    numpy.ndarray
        H x W x 3 ``float64`` (Y, Cb, Cr), not rounded.
    """
    return _colour(image) @ _TO_YCBCR.T + _OFFSET


def ycbcr_to_rgb(image: np.ndarray) -> np.ndarray:
    """Turn Y, Cb, Cr back into RGB: the inverse of :func:`rgb_to_ycbcr`.

    Returns an H x W x 3 ``uint8`` picture, rounded to the nearest value and
    clipped to 0..255 (quantized Y, Cb, Cr can give colours just outside).
    """
    rgb = (_colour(image) - _OFFSET) @ _TO_RGB.T
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


#: Chroma subsampling modes: (vertical, horizontal) factor of each colour plane.
SUBSAMPLING = {"4:4:4": (1, 1), "4:2:2": (1, 2), "4:2:0": (2, 2)}


def subsample(plane: np.ndarray, mode: str) -> np.ndarray:
    """Average every ``fy x fx`` group of samples of a colour plane into one.

    "4:2:0" keeps one colour sample per 2 x 2 pixels: half the rows, half the
    columns. Odd sides are padded by repeating the last row / column, so the
    result has ``ceil(H / fy)`` x ``ceil(W / fx)`` samples (``float64``).
    """
    plane = array(plane, "plane", ndim=2)
    fy, fx = SUBSAMPLING[choice(mode, "mode", SUBSAMPLING)]
    rows, cols = -(-plane.shape[0] // fy), -(-plane.shape[1] // fx)
    pad = ((0, rows * fy - plane.shape[0]), (0, cols * fx - plane.shape[1]))
    padded = np.pad(plane.astype(np.float64), pad, mode="edge")
    return padded.reshape(rows, fy, cols, fx).mean(axis=(1, 3))


def upsample(plane: np.ndarray, mode: str, shape: tuple[int, int]) -> np.ndarray:
    """Bring a subsampled plane back to ``shape`` = (H, W) by repeating each sample.

    Plain pixel replication, then cropping the padding :func:`subsample`
    added. libjpeg's decoder by default uses a smoother "fancy" upsampling
    (a triangle filter between neighbouring samples); a later chapter adds it.
    Returns ``float64``.
    """
    plane = array(plane, "plane", ndim=2)
    fy, fx = SUBSAMPLING[choice(mode, "mode", SUBSAMPLING)]
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise TypeError(f"shape must be a (height, width) pair of integers, got {shape!r}")
    height, width = integer(shape[0], "shape[0]", low=1), integer(shape[1], "shape[1]", low=1)
    if plane.shape != (-(-height // fy), -(-width // fx)):
        raise ValueError(
            f"plane of shape {plane.shape} does not come from a {height} x {width} plane in "
            f"mode {mode!r}, which gives {(-(-height // fy), -(-width // fx))}"
        )
    big = plane.astype(np.float64).repeat(fy, axis=0).repeat(fx, axis=1)
    return big[:height, :width]


# --- A baseline JPEG encoder ----------------------------------------------------------
#
# encode() = colour -> downsample -> block DCT -> quantize -> zigzag -> MCU order
#          -> run-length symbols -> Huffman codes -> packed bits, between headers.
# Each step is one of the pieces above, applied to the whole picture at once.


def _ceil(a: int, b: int) -> int:
    return -(-a // b)


#: libjpeg's rounding bias when it averages (rows, columns) samples into one,
#: alternating from column to column so that halves round up as often as down.
_BIAS = {(1, 1): (0,), (1, 2): (0, 1), (2, 2): (1, 2)}


def _downsample(plane: np.ndarray, ry: int, rx: int, shape: tuple[int, int]) -> np.ndarray:
    """Average ``ry x rx`` samples into one exactly as libjpeg-turbo's encoder does.

    Its ``h2v2_downsample`` computes ``(a + b + c + d + bias) >> 2`` with
    ``bias`` 1, 2, 1, 2, ... along a row, and ``h2v1_downsample``
    ``(a + b + bias) >> 1`` with 0, 1, 0, 1, ... (``jcsample.c``). Before
    that the plane's last column is repeated until ``shape[1]`` output columns
    fit, and its last row until the row count is a multiple of ``ry``;
    afterwards the last *output* row is repeated down to ``shape[0]`` rows
    (``jcprepct.c``). Returns ``int32`` samples of the given ``shape``.
    """
    rows, cols = shape
    height, width = plane.shape
    tall = _ceil(height, ry) * ry
    padded = np.pad(plane, ((0, tall - height), (0, cols * rx - width)), mode="edge")
    padded = padded.astype(np.int32)
    total = sum(padded[dy::ry, dx::rx] for dy in range(ry) for dx in range(rx))  # each group
    small = (total + np.resize(_BIAS[ry, rx], cols)) >> (ry * rx // 2)  # / 1, 2 or 4
    return np.pad(small, ((0, rows - small.shape[0]), (0, 0)), mode="edge")


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


def _coefficients(
    image: np.ndarray, subsampling: str
) -> tuple[list[np.ndarray], list[tuple[int, int]]]:
    """The DCT coefficients of every real block of every component, before quantization.

    Returns
    -------
    coeffs : list of numpy.ndarray
        Per component (Y or grey, then Cb, Cr): ``float64`` array
        (block rows, block columns, 64), zigzag order.
    factors : list of (int, int)
        Sampling factors (h, v) of each component, as the SOF header states them.
    """
    height, width = image.shape[:2]
    if image.ndim == 2:
        planes, factors = [image], [(1, 1)]
    else:
        ycbcr = np.clip(np.rint(rgb_to_ycbcr(image)), 0, 255).astype(np.uint8)
        ry, rx = SUBSAMPLING[subsampling]
        planes, factors = [ycbcr[..., k] for k in range(3)], [(rx, ry), (1, 1), (1, 1)]
    hmax, vmax = factors[0]
    coeffs = []
    for plane, (h, v) in zip(planes, factors, strict=True):
        ry, rx = vmax // v, hmax // h
        rows, cols = _ceil(_ceil(height, ry), 8), _ceil(_ceil(width, rx), 8)  # real blocks
        samples = _downsample(plane, ry, rx, (8 * rows, 8 * cols))
        coeffs.append(to_zigzag(block_dct(samples - 128.0)))  # level shift, then the DCT
    return coeffs, factors


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


def _quantized_blocks(
    image: np.ndarray, quality: int, subsampling: str
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Every block's 64 levels, in zigzag order and in the order the scan sends them.

    Plain rounding (:func:`quantize`); returns the blocks and components of
    :func:`_scan_blocks` and the sampling factors of :func:`_coefficients`.
    """
    coeffs, factors = _coefficients(image, subsampling)
    levels = [
        to_zigzag(quantize(from_zigzag(c), quantization_table(quality, chroma=k > 0)))
        for k, c in enumerate(coeffs)
    ]
    return *_scan_blocks(levels, factors, *image.shape[:2]), factors


# What each symbol of the scan is: used by bit_budget().
_DC, _AC, _ZRL, _EOB = 0, 1, 2, 3


class _Symbols(NamedTuple):
    """The scan as a list of Huffman symbols, one entry per symbol, in the order written."""

    kind: np.ndarray  # _DC, _AC, _ZRL or _EOB
    table: np.ndarray  # 0 DC luma, 1 AC luma, 2 DC chroma, 3 AC chroma
    symbol: np.ndarray  # the byte the Huffman code stands for
    size: np.ndarray  # number of amplitude bits after the code
    bits: np.ndarray  # the amplitude bits themselves
    block: np.ndarray  # index of the block that sends it, in scan order


def _run_length(blocks: np.ndarray, component: np.ndarray) -> _Symbols:
    """Turn zigzag levels into JPEG's symbols (T.81 F.1.2), for all blocks at once.

    Each block sends its DC as the difference from the previous block of the
    same component (symbol: the difference's size), then for each nonzero AC
    level the zeros before it and its size (symbol ``run << 4 | size``); a
    run of 16 zeros or more first sends ZRL (0xF0) for each 16, and EOB
    (0x00) ends a block whose last level is zero. Every symbol is followed
    by ``size`` amplitude bits (:func:`helpers.huffman.amplitude_bits`).
    """
    n = len(blocks)
    dc = blocks[:, 0].astype(np.int64)
    difference = np.empty_like(dc)
    for c in np.unique(component):  # DC prediction, separately for each component
        mine = component == c
        difference[mine] = np.diff(dc[mine], prepend=0)

    block, position = np.nonzero(blocks[:, 1:])  # every nonzero AC level, block by block
    position += 1
    first = np.diff(block, prepend=-1) != 0  # the first nonzero level of its block?
    last = np.diff(block, append=n) != 0  # the last one?
    run = position - np.where(first, 0, np.roll(position, 1)) - 1  # zeros before it
    zrl = run >> 4  # ZRL symbols it needs first
    end = np.zeros(n, np.int64)
    end[block[last]] = position[last]
    needs_eob = end < 63

    # Where each symbol goes: a block sends 1 DC, zrl + 1 symbols per nonzero level, maybe EOB.
    step = zrl + 1
    per_block = np.bincount(block, weights=step, minlength=n).astype(np.int64)
    count = 1 + per_block + needs_eob
    start = np.cumsum(count) - count  # index of each block's DC symbol
    before = np.cumsum(per_block) - per_block  # AC symbols in all earlier blocks
    at = start[block] + np.cumsum(step) - before[block]  # index of each nonzero's own symbol

    total = int(count.sum())
    kind = np.full(total, _ZRL, np.int8)  # whatever is not set below is a ZRL
    runs = np.full(total, 15, np.int64)
    amplitude = np.zeros(total, np.int64)
    kind[start], runs[start], amplitude[start] = _DC, 0, difference
    kind[at], runs[at], amplitude[at] = _AC, run & 15, blocks[block, position]
    eob = (start + count - 1)[needs_eob]
    kind[eob], runs[eob] = _EOB, 0
    size, bits = huffman.amplitude_bits(amplitude)
    symbol = np.where(kind == _DC, size, runs << 4 | size)
    table = 2 * (np.repeat(component, count) > 0) + (kind != _DC)
    return _Symbols(kind, table, symbol, size, bits, np.repeat(np.arange(n), count))


#: The tables of T.81 Annex K.3, in the order of _Symbols.table.
_STANDARD = (
    huffman.DC_LUMINANCE,
    huffman.AC_LUMINANCE,
    huffman.DC_CHROMINANCE,
    huffman.AC_CHROMINANCE,
)


# --- Rate-distortion optimized quantization: the trellis ---------------------------------
#
# Plain rounding picks, for every coefficient on its own, the level closest to it. But
# what a level costs in bits depends on its neighbours: a lone 1 far down the zigzag
# costs a long (run, size) code, and ending a block early saves every symbol after it.
# The trellis picks the levels of a whole block together, minimising
#
#     cost = distortion + lam * bits
#
# where distortion is the squared error sum((coef - level * step)**2) over the block
# (the DCT is orthonormal, so this is also the squared error of the block's 64 pixels)
# and bits are the Huffman codes plus amplitude bits of the block's AC levels. The file
# stays an ordinary baseline JPEG: only the choice of levels changes.

#: Blocks the trellis works on at once: bounds its memory (about 50 MB at most).
_CHUNK = 8192

#: Trellis passes with optimized tables: levels -> tables -> levels -> tables.
_PASSES = 2


def _sizes(magnitudes: np.ndarray) -> np.ndarray:
    """JPEG's size category of non-negative integers: their number of bits, 0 for 0."""
    return np.frexp(np.asarray(magnitudes, np.float64))[1]


def _ac_lengths(spec: huffman.HuffmanSpec) -> np.ndarray:
    """Bits of the code of every AC symbol, as the trellis prices them.

    A symbol the table has no code for (an optimized table leaves out those
    that did not occur) is priced one bit longer than the table's longest
    code: if the trellis used it, the next table would have to give it one.
    """
    lengths = huffman.code_table(spec)[1].astype(np.float64)
    lengths[lengths == 0] = min(lengths.max() + 1, 16)
    return lengths


def _rate_table(lengths: np.ndarray, sizes: int) -> np.ndarray:
    """Bits of a nonzero AC level after ``run`` zeros: rows run 0..62, columns size 0..sizes.

    A run of 16 zeros or more first sends one ZRL (0xF0) per 16, then the
    symbol ``(run % 16) << 4 | size`` and ``size`` amplitude bits. Column 0
    (size 0) is never used.
    """
    run = np.arange(63)[:, None]
    size = np.arange(sizes + 1)[None, :]
    return lengths[(run & 15) << 4 | size] + size + (run >> 4) * lengths[0xF0]


def _trellis(coeffs: np.ndarray, steps: np.ndarray, lengths: np.ndarray, lam: float) -> np.ndarray:
    """The levels of least ``distortion + lam * bits`` for every block, all blocks at once.

    The idea: a block's AC levels are sent as jumps from one nonzero level to
    the next along the zigzag. A jump from position ``j`` to ``i`` costs the
    code of (``i - j - 1`` zeros skipped, size of the new level) plus its
    amplitude bits, and the zeros skipped cost their squared error. After the
    last nonzero level come EOB and the squared error of all the zeros after it.

    So the cheapest block is a shortest path, found by dynamic programming
    (the "trellis", as in mozjpeg's ``quantize_trellis``). Walking the
    positions ``i = 1..63`` left to right, ``best[:, i]`` is the least cost
    of everything up to ``i`` for a path whose latest nonzero level is at
    ``i``: the best of all earlier ``j`` (``j = 0`` means "none yet") plus
    the jump. At ``i`` the level may be plain rounding's ``a`` or, for each
    smaller size, the largest level of that size (1, 3, 7, 15, ...): every
    level of a size costs the same bits, so the one closest to the
    coefficient is the only one worth trying. Finally each block stops
    after the ``j`` whose cost plus the EOB code and the zeros after it is
    least, and following the stored choices back from there gives the levels.

    Each step works on all blocks at once, so the Python loop runs over the 63
    positions only; its work grows as ``63 * 63 / 2 * sizes`` per block.

    Parameters
    ----------
    coeffs : numpy.ndarray
        (blocks, 64) DCT coefficients in zigzag order.
    steps : numpy.ndarray
        (64,) quantization steps in zigzag order.
    lengths : numpy.ndarray
        (256,) bits of the Huffman code of each AC symbol (:func:`_ac_lengths`).
    lam : float
        What one bit is worth, in units of squared error.

    Returns
    -------
    numpy.ndarray
        ``int32`` levels (blocks, 64), zigzag order; the DC (index 0) is plain rounding.
    """
    if len(coeffs) > _CHUNK:
        parts = [_trellis(coeffs[k : k + _CHUNK], steps, lengths, lam)
                 for k in range(0, len(coeffs), _CHUNK)]  # fmt: skip
        return np.concatenate(parts)
    n, rows = len(coeffs), np.arange(len(coeffs))
    magnitude, sign = np.abs(coeffs), np.where(coeffs < 0, -1, 1)
    nearest = np.floor(magnitude / steps + 0.5)  # plain rounding, halves away from zero
    levels = np.zeros((n, 64), np.int32)
    levels[:, 0] = sign[:, 0] * nearest[:, 0]
    zeroed = np.zeros((n, 64))  # zeroed[:, i]: squared error of AC levels 1..i all set to 0
    zeroed[:, 1:] = np.cumsum(coeffs[:, 1:] ** 2, axis=1)
    rate = lam * _rate_table(lengths, int(_sizes(nearest[:, 1:].max())))  # (run, size)

    best = np.full((n, 64), np.inf)  # least cost with the latest nonzero level at i
    best[:, 0] = 0.0  # no AC level yet (the DC costs the same whatever we choose)
    came_from = np.zeros((n, 64), np.int64)  # on that path: the nonzero level before i
    chosen = np.zeros((n, 64), np.int64)  # on that path: the magnitude of the level at i
    for i in range(1, 64):
        a = nearest[:, i]
        top = int(_sizes(a.max()))
        if top == 0:  # every block rounds this coefficient to 0: no path has a level here
            continue
        size = np.arange(1, top + 1)
        candidate = np.minimum(a[:, None], (1 << size) - 1)  # (blocks, sizes)
        error = (magnitude[:, i, None] - candidate * steps[i]) ** 2
        error[a[:, None] < 1 << (size - 1)] = np.inf  # sizes above a's: not candidates
        # From j = 0..i-1: best[j], the zeros j+1..i-1 (zeroed[i-1] - zeroed[j]) and the
        # jump's bits (a run of i-1-j zeros: rate rows i-1, i-2, ..., 0).
        jump = (best[:, :i] - zeroed[:, :i])[:, :, None] + rate[i - 1 :: -1, 1 : top + 1]
        j = jump.argmin(axis=1)  # (blocks, sizes): the best j for a level of each size
        total = np.take_along_axis(jump, j[:, None, :], axis=1)[:, 0] + error
        s = total.argmin(axis=1)
        best[:, i] = total[rows, s] + zeroed[:, i - 1]
        came_from[:, i], chosen[:, i] = j[rows, s], candidate[rows, s]
    eob = np.where(np.arange(64) < 63, lam * lengths[0x00], 0.0)  # no EOB after level 63
    position = (best + (zeroed[:, 63:] - zeroed) + eob).argmin(axis=1)  # where each block ends
    while (active := np.flatnonzero(position)).size:  # walk every path back to its start
        p = position[active]
        levels[active, p] = sign[active, p] * chosen[active, p]
        position[active] = came_from[active, p]
    return levels


def rdo_lambda(quality: int) -> float:
    """The trellis' default price of a bit at ``quality``: the mean AC step of the luma table.

    ``lam = mean(quantization_table(quality)[AC])``: 58.3 at quality 50,
    29.4 at 75, 11.6 at 90, 1 at 100.

    Why this: raising the quality a notch costs bits and removes squared
    error, and the ratio of the two is the price of a bit that libjpeg's own
    quality scale already pays. Measured between qualities ``q - 5`` and
    ``q + 5`` on the course's four photographs, it is 0.4 to 1.1 times the
    mean AC step for ``q`` in 30..90, about 0.9 on average. Pricing the
    trellis' bits the same way keeps each quality's picture about as good
    (a few tenths of a dB lower PSNR). In ``benchmarks/bench_rdo.py`` the
    factors 0.5, 0.7, 1, 1.4 and 2 times this formula gave mean BD-rates
    against libjpeg of about -7.5, -9, -10, -10.8 and -10.8 %, with the
    PSNR at a given quality 0.1 dB lower for 0.5 and up to 1 dB for 2: 1 is
    most of the gain for little loss. A square law
    ``lam ~ mean(step**2)``, the classic high-rate formula for one
    quantizer, gave -8 % for the same loss: it prices bits too high at low
    qualities and too low at high ones.

    Parameters
    ----------
    quality : int
        1..100, as in :func:`encode`.

    Returns
    -------
    float
        Squared error (summed over a block's pixels) that one bit is worth.
    """
    return float(np.mean(quantization_table(quality).ravel()[1:]))


def _weights(components: int, subsampling: str) -> list[float]:
    """How much a unit of squared error in Y, Cb, Cr adds to the squared error of R, G, B.

    A Y error moves R, G and B alike (weight 1 for 3 channels); a Cb error
    moves G by 0.344 and B by 1.772 times as much, a Cr error R by 1.402 and
    G by 0.714 (:func:`ycbcr_to_rgb`), and a subsampled chroma sample covers
    2 or 4 pixels. The trellis divides ``lam`` by these, so chroma, whose
    errors spread wider, is quantized a little more carefully.
    """
    if components == 1:
        return [1.0]
    fy, fx = SUBSAMPLING[subsampling]
    rgb = (_TO_RGB**2).sum(axis=0)  # squared RGB error per unit of Y, Cb, Cr error
    return [1.0, *(fy * fx * rgb[1:] / rgb[0]).tolist()]


def _blocks_8x8(value: object, name: str) -> np.ndarray:
    """Check blocks of JPEG's size: an array whose last two axes are 8 x 8."""
    value = _blocks(value, name)
    if value.shape[-1] != 8:
        raise ValueError(f"{name} must be 8 x 8 blocks (JPEG's zigzag), got shape {value.shape}")
    return value


def _lam(value: object) -> float:
    return number(value, "lam", low=0.0)


def trellis_quantize(
    coeffs: np.ndarray,
    table: np.ndarray,
    lam: float,
    *,
    ac_table: huffman.HuffmanSpec = huffman.AC_LUMINANCE,
) -> np.ndarray:
    """Quantize 8 x 8 blocks for the least ``distortion + lam * bits``: trellis quantization.

    Like :func:`quantize`, but each block's AC levels are chosen together:
    a coefficient may be zeroed or rounded down (toward zero) when the bits
    it saves are worth more than the error it adds, ``lam`` squared-error
    units per bit. Distortion is ``sum((coeffs - levels * table)**2)`` over
    the block, the bits those of its AC symbols with the code lengths of
    ``ac_table`` plus amplitude bits (:func:`rd_cost`). The DC level is
    plain rounding. ``lam = 0`` gives plain rounding's levels (except,
    perhaps, for a coefficient exactly halfway between two levels, where
    either is as close).

    Parameters
    ----------
    coeffs : numpy.ndarray
        DCT coefficients, shape ``(..., 8, 8)``, natural order.
    table : numpy.ndarray
        8 x 8 steps, all > 0.
    lam : float
        What a bit is worth in squared error, >= 0; :func:`rdo_lambda` gives
        the one :func:`encode` uses.
    ac_table : huffman.HuffmanSpec
        The AC Huffman table whose code lengths price the bits.

    Returns
    -------
    numpy.ndarray
        ``int32`` levels, same shape as ``coeffs``.
    """
    coeffs = _blocks_8x8(coeffs, "coeffs").astype(np.float64)
    steps = to_zigzag(_table(table, 8))
    lengths = _ac_lengths(huffman._spec(ac_table, "ac_table"))
    flat = to_zigzag(coeffs).reshape(-1, 64)
    levels = _trellis(flat, steps, lengths, _lam(lam))
    return from_zigzag(levels.reshape(*coeffs.shape[:-2], 64))


def rd_cost(
    coeffs: np.ndarray,
    levels: np.ndarray,
    table: np.ndarray,
    lam: float,
    *,
    ac_table: huffman.HuffmanSpec = huffman.AC_LUMINANCE,
) -> np.ndarray:
    """What the trellis minimises: ``distortion + lam * bits`` of each block.

    Distortion is ``sum((coeffs - levels * table)**2)`` over the block's 64
    coefficients, DC included; bits are those of its AC levels: each nonzero
    level's (run, size) code from ``ac_table``, one ZRL code per 16 zeros of
    a longer run, its ``size`` amplitude bits, and the EOB code unless the
    last level is nonzero. The DC's bits are left out: they depend on the
    block before. A symbol ``ac_table`` has no code for is priced one bit
    longer than its longest code, as the trellis does.

    Parameters
    ----------
    coeffs, levels : numpy.ndarray
        DCT coefficients and their levels, same shape ``(..., 8, 8)``.
    table : numpy.ndarray
        8 x 8 steps.
    lam : float
        What a bit is worth in squared error, >= 0.
    ac_table : huffman.HuffmanSpec
        The AC Huffman table whose code lengths price the bits.

    Returns
    -------
    numpy.ndarray
        ``float64``, one cost per block: shape ``coeffs.shape[:-2]``.
    """
    coeffs = _blocks_8x8(coeffs, "coeffs").astype(np.float64)
    levels = _blocks_8x8(levels, "levels")
    if levels.shape != coeffs.shape:
        raise ValueError(f"levels must have the shape of coeffs {coeffs.shape}, got {levels.shape}")
    if levels.dtype.kind == "f" and not np.array_equal(levels, np.round(levels)):
        raise ValueError("levels must be whole numbers")
    lam = _lam(lam)
    lengths = _ac_lengths(huffman._spec(ac_table, "ac_table"))
    distortion = ((coeffs - levels * _table(table, 8)) ** 2).sum(axis=(-2, -1))
    flat = to_zigzag(levels).reshape(-1, 64).astype(np.int64)
    symbols = _run_length(flat, np.zeros(len(flat), np.int64))
    ac = symbols.kind != _DC
    bits = lengths[symbols.symbol[ac]] + symbols.size[ac]
    per_block = np.bincount(symbols.block[ac], weights=bits, minlength=len(flat))
    return distortion + lam * per_block.reshape(coeffs.shape[:-2])


# --- The encoder, put together ------------------------------------------------------------


class _Encoded(NamedTuple):
    """A file as encode() writes it, in pieces, and what bit_budget() counts in it."""

    headers: bytes  # SOI up to and including SOS
    scan: bytes  # the entropy-coded data
    symbols: _Symbols
    lengths: np.ndarray  # Huffman code length of each symbol
    factors: list[tuple[int, int]]  # sampling factors (h, v) of each component


def _specs(symbols: _Symbols, tables: int, optimize: bool) -> list[huffman.HuffmanSpec]:
    """The Huffman tables for these symbols: the best ones (T.81 K.2) or the standard ones."""
    if optimize:
        counts = np.bincount(symbols.table * 256 + symbols.symbol, minlength=tables * 256)
        return [huffman.optimal_spec(c) for c in counts.reshape(tables, 256)]
    return list(_STANDARD[:tables])


def _bool(value: object, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_describe(value)}")
    return bool(value)


def _encode(
    image: object,
    quality: object,
    subsampling: object,
    optimize: object,
    rdo: object = False,
    lam: object = None,
) -> _Encoded:
    image = picture(image, "image", dtype="uint8")
    if max(image.shape[:2]) > 65535:
        raise ValueError(f"image must be at most 65535 x 65535 pixels for JPEG, got {image.shape}")
    quality = integer(quality, "quality", low=1, high=100)
    subsampling = choice(subsampling, "subsampling", SUBSAMPLING)
    optimize, rdo = _bool(optimize, "optimize"), _bool(rdo, "rdo")
    if lam is not None:
        lam = _lam(lam)
        if not rdo:
            raise ValueError(f"lam={lam} prices bits for the trellis: pass rdo=True to use it")

    height, width = image.shape[:2]
    coeffs, factors = _coefficients(image, subsampling)
    steps = [to_zigzag(quantization_table(quality, chroma=k > 0)) for k in range(len(coeffs))]
    levels = [to_zigzag(quantize(from_zigzag(c), from_zigzag(t)))
              for c, t in zip(coeffs, steps, strict=True)]  # fmt: skip
    tables = 2 if len(factors) == 1 else 4  # DC and AC for luma, and for chroma if any
    symbols = _run_length(*_scan_blocks(levels, factors, height, width))
    specs = _specs(symbols, tables, optimize)
    if rdo:
        # Price bits with the tables of the levels so far; with optimized tables these
        # change with the levels, so do it again with the tables of the trellis' levels.
        lam = rdo_lambda(quality) if lam is None else lam
        weights = _weights(len(coeffs), subsampling)
        for _ in range(_PASSES if optimize else 1):
            levels = [
                _trellis(c.reshape(-1, 64), t.astype(np.float64),
                         _ac_lengths(specs[3 if k else 1]), lam / w).reshape(c.shape)
                for k, (c, t, w) in enumerate(zip(coeffs, steps, weights, strict=True))
            ]  # fmt: skip
            symbols = _run_length(*_scan_blocks(levels, factors, height, width))
            specs = _specs(symbols, tables, optimize)
    codes, lengths = np.stack([huffman.code_table(s) for s in specs], axis=1)
    code = codes[symbols.table, symbols.symbol].astype(np.int64)
    length = lengths[symbols.table, symbols.symbol].astype(np.int64)
    # Each Huffman code with its amplitude bits after it, as one code of length + size bits.
    scan = huffman.pack_bits(code << symbols.size | symbols.bits, length + symbols.size)

    chroma = [min(k, 1) for k in range(len(factors))]  # table id of each component: 0 Y, 1 Cb, Cr
    headers = [b"\xff\xd8", _jfif.jfif()]
    for t in range(tables // 2):
        headers.append(_jfif.dqt(t, steps[t].tolist()))
    frame = [(k + 1, h, v, t) for k, ((h, v), t) in enumerate(zip(factors, chroma, strict=True))]
    headers.append(_jfif.sof0(height, width, frame))
    for t in range(tables // 2):
        headers += [_jfif.dht(0, t, specs[2 * t]), _jfif.dht(1, t, specs[2 * t + 1])]
    headers.append(_jfif.sos([(k + 1, t, t) for k, t in enumerate(chroma)]))
    return _Encoded(b"".join(headers), scan, symbols, length, factors)


def encode(
    image: np.ndarray,
    quality: int = 75,
    *,
    subsampling: str = "4:2:0",
    optimize: bool = False,
    rdo: bool = False,
    lam: float | None = None,
) -> bytes:
    """Compress a picture into a baseline JPEG file, the way libjpeg does.

    The file has the segments libjpeg (and so Pillow) writes: SOI, a JFIF
    APP0 header, the quantization tables (DQT), the frame header (SOF0), the
    Huffman tables (DHT), one scan (SOS and its data) holding every
    component, and EOI. Pillow, libjpeg's ``djpeg`` and :func:`decode` read it.

    Parameters
    ----------
    image : numpy.ndarray
        ``uint8`` picture, H x W (grey: one component) or H x W x 3 (RGB,
        stored as Y, Cb, Cr), any size from 1 x 1 to 65535 x 65535.
    quality : int
        1..100, scaling libjpeg's tables (:func:`quantization_table`).
    subsampling : {"4:2:0", "4:2:2", "4:4:4"}
        How much colour detail to keep (:data:`SUBSAMPLING`); ignored for grey.
    optimize : bool
        ``False`` uses the standard Huffman tables of T.81 Annex K.3;
        ``True`` builds the best tables for this picture
        (:func:`helpers.huffman.optimal_spec`), as libjpeg's ``optimize_coding``
        does: a smaller file for the cost of counting symbols first.
    rdo : bool
        ``True`` chooses the AC levels of each block by rate-distortion
        optimization (:func:`trellis_quantize`, as mozjpeg's trellis
        quantization) instead of plain rounding: about 10 % fewer bytes than
        libjpeg for the same PSNR on photographs, and a few tenths of a dB
        lower PSNR than plain rounding at the same quality. Best with
        ``optimize=True``: the trellis then runs twice, pricing bits with the
        optimized tables of plain rounding's levels, then with those of its
        own first result, and the file gets the tables of its final levels.
        With the standard tables it runs once. Takes about 0.1 to 0.5 s for a
        512 x 512 colour picture.
    lam : float, optional
        Only with ``rdo=True``: what one bit is worth in squared error
        (summed over a block's pixels), >= 0. Default :func:`rdo_lambda` of
        ``quality``. Luma blocks use ``lam`` itself; chroma blocks use
        ``lam`` divided by how much a chroma error weighs in the RGB
        picture (about 4.3 for Cb and 3.3 for Cr in 4:2:0, 1.1 and 0.8 in
        4:4:4), which is what the RGB PSNR measures. Larger: smaller files,
        lower PSNR; 0 gives plain rounding's levels.

    Returns
    -------
    bytes
        The whole file: write it to a ``.jpg`` as it is.

    Notes
    -----
    Colour planes are averaged exactly as libjpeg-turbo does it. The DCT is
    the exact floating-point one of :mod:`helpers.dct`, where libjpeg uses an
    integer approximation, and Y, Cb, Cr are rounded from the float formula:
    so fewer than 1 level in 100 comes out 1 apart from libjpeg's (about 6 in
    100 at quality 100), and files are within a fraction of a percent of
    libjpeg's size.
    """
    encoded = _encode(image, quality, subsampling, optimize, rdo, lam)
    return encoded.headers + encoded.scan + b"\xff\xd9"


def bit_budget(
    image: np.ndarray,
    quality: int = 75,
    *,
    subsampling: str = "4:2:0",
    optimize: bool = False,
    rdo: bool = False,
    lam: float | None = None,
) -> dict[str, float]:
    """Where the bytes of :func:`encode`'s file go, with the same arguments.

    Returns
    -------
    dict
        Bytes (bits / 8, so fractions are possible) spent on:
        ``"headers"`` (every marker segment, SOI and EOI included),
        ``"DC codes"`` and ``"DC amplitudes"`` (the DC differences),
        ``"AC codes"`` (the run/size symbols, ZRL included),
        ``"AC amplitudes"``, ``"EOB codes"``, and ``"padding and stuffing"``
        (1-bits that fill the last byte, 0x00 after each 0xFF). The values
        add up to the length of the file.
    """
    encoded = _encode(image, quality, subsampling, optimize, rdo, lam)
    kind, size, length = encoded.symbols.kind, encoded.symbols.size, encoded.lengths
    codes = np.bincount(kind, weights=length, minlength=4)
    amplitudes = np.bincount(kind, weights=size, minlength=4)
    scan_bits = codes.sum() + amplitudes.sum()
    parts = {
        "headers": len(encoded.headers) + 2,
        "DC codes": codes[_DC] / 8,
        "DC amplitudes": amplitudes[_DC] / 8,
        "AC codes": (codes[_AC] + codes[_ZRL]) / 8,
        "AC amplitudes": amplitudes[_AC] / 8,
        "EOB codes": codes[_EOB] / 8,
        "padding and stuffing": len(encoded.scan) - scan_bits / 8,
    }
    return {key: float(value) for key, value in parts.items()}


#: Component names for block_bits().
_COMPONENTS = ("Y", "Cb", "Cr")


def block_bits(
    image: np.ndarray,
    quality: int = 75,
    *,
    subsampling: str = "4:2:0",
    optimize: bool = False,
    rdo: bool = False,
    lam: float | None = None,
    component: str = "Y",
) -> np.ndarray:
    """Bits each 8 x 8 block of one component costs in :func:`encode`'s file: a heat map.

    A block's bits are everything the scan sends for it: the code and
    amplitude bits of its DC difference (from the block before it in the
    same component), and of its AC levels (run/size codes, ZRLs, amplitudes,
    EOB). Over the blocks of Y, Cb and Cr they add up to the scan's bits;
    headers, padding of the last byte and stuffed bytes come on top (see
    :func:`bit_budget`).

    Parameters
    ----------
    image, quality, subsampling, optimize, rdo, lam
        As for :func:`encode`.
    component : {"Y", "Cb", "Cr"}
        Which component; a grey picture has only "Y".

    Returns
    -------
    numpy.ndarray
        ``int64`` bits, shape (block rows, block columns) of the component
        as the scan sends it, whole MCUs: for Y, ``ceil(H / 16) * 2`` by
        ``ceil(W / 16) * 2`` in 4:2:0 (``ceil(H / 8)`` by ``ceil(W / 8)``
        in 4:4:4 and for grey). The picture's own blocks are the first
        ``ceil(H / 8)`` rows and ``ceil(W / 8)`` columns (half that, rounded
        up, for subsampled chroma); any beyond are the padding blocks
        libjpeg adds to fill the last MCUs, each "DC unchanged, EOB"
        (usually 2 to 6 bits).
    """
    encoded = _encode(image, quality, subsampling, optimize, rdo, lam)
    components = _COMPONENTS[: len(encoded.factors)]
    if component not in components:  # a clear message also for "Cb" of a grey picture
        component = choice(component, "component", components)
    k = components.index(component)
    symbols, factors = encoded.symbols, encoded.factors
    bits = np.bincount(symbols.block, weights=encoded.lengths + symbols.size).astype(np.int64)
    height, width = image.shape[:2]
    mcu_rows, mcu_cols = _ceil(height, 8 * factors[0][1]), _ceil(width, 8 * factors[0][0])
    sizes = [h * v for h, v in factors]  # blocks of each component in an MCU
    start = sum(sizes[:k])
    mine = bits.reshape(mcu_rows, mcu_cols, sum(sizes))[..., start : start + sizes[k]]
    h, v = factors[k]  # undo _scan_blocks: (MCU row, MCU column, v x h) -> block grid
    return mine.reshape(mcu_rows, mcu_cols, v, h).transpose(0, 2, 1, 3).reshape(
        mcu_rows * v, mcu_cols * h
    )


# --- A baseline JPEG decoder ----------------------------------------------------------
#
# decode() walks the segments, keeps the tables they define, Huffman-decodes
# each scan (the one truly sequential step, a Python loop), then undoes the
# rest for the whole picture at once: dequantize -> inverse DCT -> upsample
# -> colour.

# Building a decoder table takes about a millisecond; the same few tables come back often.
_decoder_table = lru_cache(maxsize=16)(huffman.decoder_table)


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


def _decode_scan(
    data: bytes,
    blocks: list[int],
    owner: list[int],
    per_mcu: int,
    tables: list[tuple[tuple[int, ...], tuple[int, ...]]],
    restart: int,
    positions: list[int],
    values: list[int],
) -> None:
    """Huffman-decode the entropy-coded data of one scan (T.81 F.2.2).

    The inverse of :func:`_run_length`, one symbol at a time: for each block
    read the DC difference and add it to the component's prediction, then
    read (run, size) symbols and amplitudes until EOB or the 63rd AC level.
    Appends, for every level sent, its position ``block * 64 + zigzag
    index`` to ``positions`` and its value to ``values``. ``tables`` holds
    the (DC, AC) decoder tables of each component of the scan; every
    ``restart`` MCUs (0: never) the data has an RST marker and the
    predictions start again from 0.
    """
    reader = huffman.BitReader(data)
    read_symbol, read_amplitude = reader.decode_huffman, reader.receive_extend
    put, keep = positions.append, values.append
    interval = restart * per_mcu if restart else len(blocks)
    for number, first in enumerate(range(0, len(blocks), interval)):
        if number:
            reader.read_restart((number - 1) % 8)
        prediction = [0] * len(tables)
        for j in range(first, min(first + interval, len(blocks))):
            c, base = owner[j], blocks[j] * 64
            dc_table, ac_table = tables[c]
            size = read_symbol(dc_table)
            if size:
                prediction[c] += read_amplitude(size)
            put(base)
            keep(prediction[c])
            k = 1
            while k < 64:
                symbol = read_symbol(ac_table)
                run, size = symbol >> 4, symbol & 15
                if size:
                    k += run
                    if k > 63:
                        raise ValueError(f"corrupt JPEG: block {j} of a scan goes past level 63")
                    put(base + k)
                    keep(read_amplitude(size))
                    k += 1
                elif run == 15:  # ZRL: 16 zeros
                    k += 16
                    if k > 64:
                        raise ValueError(f"corrupt JPEG: block {j} of a scan goes past level 63")
                else:  # EOB: the rest of the block is zero
                    break


def _upsample_fancy(plane: np.ndarray, ry: int, rx: int) -> np.ndarray:
    """libjpeg's default ("fancy") upsampling by ``ry`` x ``rx`` (each 1 or 2), in integers.

    Each new sample is 3/4 of the nearest old sample plus 1/4 of the next
    nearest, first down the columns, then along the rows: a triangle filter
    between sample centres, with libjpeg-turbo's exact rounding
    (``jdsample.c``). Across one direction, ``(3 * near + far + 1) >> 2`` and
    ``(3 * near + far + 2) >> 2`` alternate; across both, the column sums
    ``s = 3 * near + far`` give ``(3 * s + s_far + 8) >> 4`` and
    ``(3 * s + s_far + 7) >> 4``. The edges repeat the outermost sample.
    Like libjpeg, a plane only 1 or 2 samples wide that is to be twice as
    wide is upsampled by repeating samples instead, in both directions.
    """
    p = plane.astype(np.int32)
    rows, cols = p.shape
    if (ry, rx) == (1, 1) or (rx == 2 and cols <= 2):
        return p.repeat(ry, axis=0).repeat(rx, axis=1)
    if ry == 2:  # rows: output rows 2i and 2i + 1 lean on rows i - 1 and i + 1
        above, below = np.r_[p[:1], p[:-1]], np.r_[p[1:], p[-1:]]
        p = np.stack([3 * p + above, 3 * p + below], axis=1).reshape(2 * rows, cols)
        if rx == 1:
            return (p + np.tile([[1], [2]], (rows, 1))) >> 2
    left, right = np.c_[p[:, :1], p[:, :-1]], np.c_[p[:, 1:], p[:, -1:]]
    if ry == 2:
        pair = [(3 * p + left + 8) >> 4, (3 * p + right + 7) >> 4]
    else:
        pair = [(3 * p + left + 1) >> 2, (3 * p + right + 2) >> 2]
    return np.stack(pair, axis=2).reshape(p.shape[0], 2 * cols)


def _check_bytes(data: object) -> bytes:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes (the contents of a JPEG file), got {_describe(data)}")
    return bytes(data)


class _Levels(NamedTuple):
    """What a file holds once its Huffman codes are undone."""

    frame: _jfif.Frame
    levels: list[np.ndarray]  # per component: (block rows, block columns, 64), zigzag order
    steps: list[np.ndarray]  # per component: its 8 x 8 quantization table, natural order
    rgb: bool  # True if the components are R, G, B rather than Y, Cb, Cr


def _start_scan(
    frame: _jfif.Frame | None,
    payload: bytes,
    offset: int,
    steps: dict[int, np.ndarray],
    tables: dict[tuple[int, int], tuple[int, ...]],
    latched: dict[int, np.ndarray],
) -> list[tuple[int, int, int]]:
    """Read an SOS header and check that everything its scan needs is defined.

    Fixes ("latches") each component's quantization table as it is now, as
    libjpeg does: a DQT after the scan may redefine the table for later ones.
    """
    if frame is None:
        raise ValueError(f"corrupt JPEG: a scan (SOS) at byte {offset} before the frame header")
    scan = _jfif.read_sos(payload, frame)
    for i, dc, ac in scan:
        ident, tq = frame.components[i].ident, frame.components[i].tq
        if i in latched:
            raise ValueError(f"corrupt JPEG: component {ident} is in two scans")
        if tq not in steps:
            raise ValueError(
                f"corrupt JPEG: component {ident} needs quantization table {tq}, "
                "which no DQT before its scan defines"
            )
        latched[i] = steps[tq]
        for table_class, table_id in ((0, dc), (1, ac)):
            if (table_class, table_id) not in tables:
                raise ValueError(
                    f"corrupt JPEG: the scan at byte {offset} needs {('DC', 'AC')[table_class]} "
                    f"Huffman table {table_id}, which no DHT defines"
                )
    return scan


def _read_levels(data: bytes) -> _Levels:
    """Walk the segments of a file, keep the tables, and Huffman-decode every scan."""
    frame = None  # the SOF header, once seen
    steps: dict[int, np.ndarray] = {}  # quantization tables by id, natural order
    tables: dict[tuple[int, int], tuple[int, ...]] = {}  # (class, id) -> decoder table
    latched: dict[int, np.ndarray] = {}  # each component's table, fixed at its scan
    restart, scan, saw_jfif, adobe = 0, [], False, None
    positions: list[int] = []  # every level read: block * 64 + zigzag index ...
    values: list[int] = []  # ... and its value
    for offset, code, payload in _jfif.walk(data):
        if code in _jfif.UNSUPPORTED:
            raise ValueError(f"{_jfif.UNSUPPORTED[code]} is not supported: only baseline")
        if code == _jfif.SOI and offset == 0:
            continue
        if code == _jfif.DQT:
            for table_id, zigzag in _jfif.read_dqt(payload):
                if min(zigzag) == 0:
                    raise ValueError(f"corrupt JPEG: quantization table {table_id} has a step of 0")
                steps[table_id] = from_zigzag(np.array(zigzag))
        elif code == _jfif.DHT:
            for table_class, table_id, spec in _jfif.read_dht(payload):
                tables[table_class, table_id] = _decoder_table(spec)
        elif code == _jfif.DRI:
            restart = _jfif.read_dri(payload)
        elif code in (_jfif.SOF0, _jfif.SOF1):
            if frame is not None:
                raise ValueError(f"corrupt JPEG: a second frame header (SOF) at byte {offset}")
            frame = _jfif.read_sof(code, payload)
        elif code == _jfif.SOS:
            scan = _start_scan(frame, payload, offset, steps, tables, latched)
        elif code == _jfif.ECS:  # the data of the scan just started
            blocks = math.prod(_scan_shape(frame, scan))
            if 2 * blocks > 8 * len(payload):  # every block takes 2 bits or more
                raise ValueError(
                    f"truncated JPEG: the scan data at byte {offset} has {len(payload)} bytes, "
                    f"too few for {blocks} blocks"
                )
            scan_tables = [(tables[0, dc], tables[1, ac]) for _, dc, ac in scan]
            order = _scan_order(frame, scan)
            _decode_scan(payload, *order, scan_tables, restart, positions, values)
        elif code == _jfif.EOI:
            break
        elif code == _jfif.APP0 and payload[:5] == b"JFIF\x00":
            saw_jfif = True
        elif code == _jfif.APP14 and adobe is None:
            adobe = _jfif.adobe_transform(payload)
        elif code not in _jfif.APP and code != _jfif.COM:
            raise ValueError(f"corrupt JPEG: unexpected marker {_jfif.name(code)} at byte {offset}")

    if frame is None:
        raise ValueError("truncated JPEG: no frame header (SOF)")
    missing = [c.ident for i, c in enumerate(frame.components) if i not in latched]
    if missing:
        raise ValueError(f"truncated JPEG: no scan holds component(s) {missing}")
    grids, starts, total = _layout(frame)
    flat = np.zeros(total * 64, np.int64)
    flat[np.array(positions, np.int64)] = values
    levels = []
    for c, (rows, cols), start in zip(frame.components, grids, starts, strict=True):
        grid = flat[start * 64 : (start + rows * cols) * 64].reshape(rows, cols, 64)
        height, width = _component_size(frame, c)
        levels.append(grid[: _ceil(height, 8), : _ceil(width, 8)])  # drop the MCU padding
    # libjpeg's rule: JFIF means YCbCr; else an Adobe APP14 says; else ids 'R', 'G', 'B' mean RGB.
    ids = tuple(c.ident for c in frame.components)
    rgb = not saw_jfif and (adobe == 0 if adobe is not None else ids == (82, 71, 66))
    return _Levels(frame, levels, [latched[i] for i in range(len(levels))], rgb)


def decode(data: bytes) -> np.ndarray:
    """Read a baseline JPEG file into pixels, as libjpeg does by default.

    Reads what baseline encoders write: 1 (grey) or 3 (YCbCr) components,
    sampling factors 1 or 2 (4:4:4, 4:2:2, 4:2:0, 4:4:0, ...), one
    interleaved scan or one scan per component, restart markers, tables
    defined or redefined anywhere before the scan that uses them, 8- or
    16-bit quantization tables; APPn and COM segments are skipped. Inverse
    DCT with :mod:`helpers.dct`, chroma upsampled with libjpeg's "fancy"
    triangle filter, YCbCr to RGB with :func:`ycbcr_to_rgb`.

    Parameters
    ----------
    data : bytes
        The whole file.

    Returns
    -------
    numpy.ndarray
        ``uint8``, H x W (grey) or H x W x 3 (RGB).

    Raises
    ------
    ValueError
        For progressive, lossless, hierarchical, arithmetic-coded or 12-bit
        files (the message names the feature), and for any truncated or
        corrupt file (the message says what is wrong and where).

    Notes
    -----
    libjpeg's inverse DCT works in integers, ours in floating point, so a few
    pixels in a hundred come out 1 to 3 levels apart from libjpeg's (about
    60 dB PSNR between the two, on photographs). Upsampling follows
    libjpeg's integer arithmetic exactly, colour conversion in all but about
    0.1 % of cases.
    """
    coded = _read_levels(_check_bytes(data))
    frame, planes = coded.frame, []
    for c, levels, steps in zip(frame.components, coded.levels, coded.steps, strict=True):
        height, width = _component_size(frame, c)
        coeffs = dequantize(from_zigzag(levels), steps)
        samples = np.clip(np.rint(block_idct(coeffs, (height, width)) + 128), 0, 255)
        big = _upsample_fancy(samples.astype(np.uint8), frame.vmax // c.v, frame.hmax // c.h)
        planes.append(big[: frame.height, : frame.width].astype(np.uint8))
    if len(planes) == 1:
        return planes[0]
    if coded.rgb:
        return np.stack(planes, axis=-1)
    return ycbcr_to_rgb(np.stack(planes, axis=-1))


# --- Looking inside a file --------------------------------------------------------------


class Segment(NamedTuple):
    """One entry of :func:`segments`."""

    offset: int  # where it starts in the file
    name: str  # "SOI", "APP0", "DQT", "SOF0", "DHT", "SOS", "ECS" (scan data), "EOI", ...
    size: int  # bytes it takes, marker and length included
    marker: int  # the marker, 0xFFD8 for SOI ...; 0 for "ECS"


def segments(data: bytes) -> list[Segment]:
    """List the segments of a JPEG file, for an annotated dump.

    Each marker segment is one entry, and so is the entropy-coded data
    after each SOS (named ``"ECS"``, RST markers included). Works for any
    JPEG, progressive ones too: it reads only the markers and lengths.
    Raises ``ValueError`` if the file's structure is broken.
    """
    data = _check_bytes(data)
    items = list(_jfif.walk(data))
    ends = [offset for offset, _, _ in items[1:]]
    last_code = items[-1][1]
    ends.append(items[-1][0] + 2 if last_code == _jfif.EOI else len(data))
    return [
        Segment(offset, _jfif.name(code), end - offset, 0xFF00 | code if code != _jfif.ECS else 0)
        for (offset, code, _), end in zip(items, ends, strict=True)
    ]
