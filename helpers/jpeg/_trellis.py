"""Rate-distortion optimized quantization: the trellis."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import huffman
from .._checks import number
from . import _compiled
from ._colour import _TO_RGB, SUBSAMPLING
from ._entropy import _DC, _run_length
from ._tables import _blocks, _natural, _table, _zigzag, quantization_table

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

#: A trellis of at least this many blocks runs block by block in machine code (:func:`_paths`) when numba
#: is installed: a 512 x 512 picture's 4096 luma blocks in a fifteenth of the time (0.02 s against 0.33 s).
#: numba takes about half a second to load, once per process; smaller trellises stay with numpy.
COMPILED_BLOCKS = 256

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


def _trellis(
    coeffs: np.ndarray, steps: np.ndarray, lengths: np.ndarray, lam: float, weight: np.ndarray | None = None
) -> np.ndarray:
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
    weight : numpy.ndarray, optional
        (blocks,) what a unit of each block's squared error costs (default 1
        for all): the same as pricing that block's bits at ``lam / weight``.
        ``tables="perceptual"`` uses it (:func:`._search.perceptual_weights`).

    Returns
    -------
    numpy.ndarray
        ``int32`` levels (blocks, 64), zigzag order; the DC (index 0) is plain rounding.
    """
    if len(coeffs) > _CHUNK:
        parts = [_trellis(coeffs[k : k + _CHUNK], steps, lengths, lam,
                          None if weight is None else weight[k : k + _CHUNK])
                 for k in range(0, len(coeffs), _CHUNK)]  # fmt: skip
        return np.concatenate(parts)
    weight = np.ones((len(coeffs), 1)) if weight is None else np.asarray(weight, np.float64)[:, None]
    n, rows = len(coeffs), np.arange(len(coeffs))
    magnitude, sign = np.abs(coeffs), np.where(coeffs < 0, -1, 1)
    nearest = np.floor(magnitude / steps + 0.5)  # plain rounding, halves away from zero
    levels = np.zeros((n, 64), np.int32)
    levels[:, 0] = sign[:, 0] * nearest[:, 0]
    zeroed = np.zeros((n, 64))  # zeroed[:, i]: squared error of AC levels 1..i all set to 0
    zeroed[:, 1:] = np.cumsum(coeffs[:, 1:] ** 2, axis=1) * weight
    rate = lam * _rate_table(lengths, int(_sizes(nearest[:, 1:].max())))  # (run, size)

    eob = np.where(np.arange(64) < 63, lam * lengths[0x00], 0.0)  # no EOB after level 63
    if _compiled.available and n >= COMPILED_BLOCKS:  # the same dynamic program, block by block in machine code
        magnitudes = np.zeros((n, 64), np.int64)
        _compiled_paths()(magnitude, nearest, steps.astype(np.float64), zeroed, rate, eob, weight[:, 0], magnitudes)
        levels[:, 1:] = sign[:, 1:] * magnitudes[:, 1:]
        return levels
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
        error = (magnitude[:, i, None] - candidate * steps[i]) ** 2 * weight
        error[a[:, None] < 1 << (size - 1)] = np.inf  # sizes above a's: not candidates
        # From j = 0..i-1: best[j], the zeros j+1..i-1 (zeroed[i-1] - zeroed[j]) and the
        # jump's bits (a run of i-1-j zeros: rate rows i-1, i-2, ..., 0).
        jump = (best[:, :i] - zeroed[:, :i])[:, :, None] + rate[i - 1 :: -1, 1 : top + 1]
        j = jump.argmin(axis=1)  # (blocks, sizes): the best j for a level of each size
        total = np.take_along_axis(jump, j[:, None, :], axis=1)[:, 0] + error
        s = total.argmin(axis=1)
        best[:, i] = total[rows, s] + zeroed[:, i - 1]
        came_from[:, i], chosen[:, i] = j[rows, s], candidate[rows, s]
    position = (best + (zeroed[:, 63:] - zeroed) + eob).argmin(axis=1)  # where each block ends
    while (active := np.flatnonzero(position)).size:  # walk every path back to its start
        p = position[active]
        levels[active, p] = sign[active, p] * chosen[active, p]
        position[active] = came_from[active, p]
    return levels


def _paths(magnitude, nearest, steps, zeroed, rate, eob, weight, out):
    """:func:`_trellis`'s dynamic program one block at a time: ``out[b, i]``, the magnitude of each chosen AC level.

    The same sums in the same order as the vectorised loop, so the same
    levels to the last bit, ties included (the first of equal costs wins,
    as ``argmin`` picks it). What is faster: a block's path can only pass
    through the positions where the block has a level to choose (plain
    rounding's ``a >= 1``), so the jumps are tried from those (``live``)
    only, not from all 63 (from the others the cost is infinite). Most
    positions of most blocks round to 0: a block's work is about the square
    of its nonzero levels, not 63 x 63 / 2.
    """
    best = np.zeros(64)
    came_from = np.zeros(64, np.int64)
    chosen = np.zeros(64, np.int64)
    live = np.zeros(64, np.int64)
    for b in range(magnitude.shape[0]):
        w = weight[b]
        best[0] = 0.0
        count = 1  # live[0] = 0: no AC level yet
        for i in range(1, 64):
            a = nearest[b, i]
            if a < 1:
                continue
            top, rest = 0, int(a)
            while rest:
                top, rest = top + 1, rest >> 1
            least, least_from, least_level = np.inf, 0, 0
            for size in range(1, top + 1):
                candidate = min(a, float((1 << size) - 1))
                error = magnitude[b, i] - candidate * steps[i]
                error = error * error * w
                jump, jump_from = np.inf, 0
                for t in range(count):
                    j = live[t]
                    cost = (best[j] - zeroed[b, j]) + rate[i - 1 - j, size]
                    if cost < jump:
                        jump, jump_from = cost, j
                total = jump + error
                if total < least:
                    least, least_from, least_level = total, jump_from, int(candidate)
            best[i] = least + zeroed[b, i - 1]
            came_from[i], chosen[i] = least_from, least_level
            live[count] = i
            count += 1
        end, position = np.inf, 0
        for t in range(count):
            p = live[t]
            cost = (best[p] + (zeroed[b, 63] - zeroed[b, p])) + eob[p]
            if cost < end:
                end, position = cost, p
        while position:
            out[b, position] = chosen[position]
            position = came_from[position]


@lru_cache(maxsize=1)
def _compiled_paths():
    """:func:`_paths` compiled by numba (loaded on the first big trellis; machine code cached on disk)."""
    import numba

    return numba.njit(cache=True, nogil=True)(_paths)


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

    Examples
    --------
    >>> round(rdo_lambda(50), 1), rdo_lambda(100)
    (58.3, 1.0)
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

    Examples
    --------
    A lone 60 at the highest frequency, step 99, rounds to level 1; that level would cost
    three ZRL codes and more, so the trellis drops it:

    >>> from helpers import jpeg
    >>> table = quantization_table(50)
    >>> coeffs = np.zeros((8, 8))
    >>> coeffs[0, 0], coeffs[7, 7] = 800.0, 60.0
    >>> jpeg.quantize(coeffs, table)[[0, 7], [0, 7]].tolist()
    [50, 1]
    >>> trellis_quantize(coeffs, table, rdo_lambda(50))[[0, 7], [0, 7]].tolist()
    [50, 0]
    >>> trellis_quantize(coeffs, table, 0)[[0, 7], [0, 7]].tolist()
    [50, 1]
    """
    coeffs = _blocks_8x8(coeffs, "coeffs").astype(np.float64)
    steps = _zigzag(_table(table, 8))
    lengths = _ac_lengths(huffman._spec(ac_table, "ac_table"))
    flat = _zigzag(coeffs).reshape(-1, 64)
    levels = _trellis(flat, steps, lengths, _lam(lam))
    return _natural(levels.reshape(*coeffs.shape[:-2], 64))


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

    Examples
    --------
    A block with only a DC level and no error costs the 4 bits of EOB (``1010``), 10 each:

    >>> table = quantization_table(50)
    >>> coeffs = np.zeros((8, 8))
    >>> coeffs[0, 0] = 800.0
    >>> levels = np.zeros((8, 8), int)
    >>> levels[0, 0] = 50
    >>> float(rd_cost(coeffs, levels, table, 10))
    40.0
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
    flat = _zigzag(levels).reshape(-1, 64).astype(np.int64)
    symbols = _run_length(flat, np.zeros(len(flat), np.int64))
    ac = symbols.kind != _DC
    bits = lengths[symbols.symbol[ac]] + symbols.size[ac]
    per_block = np.bincount(symbols.block[ac], weights=bits, minlength=len(flat))
    return distortion + lam * per_block.reshape(coeffs.shape[:-2])
