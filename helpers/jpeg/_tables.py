"""Quantization tables, zigzag order, (de)quantization.

Inside the codec every block is a vector of 64 values in zigzag order, from
the DCT on (encoder) and up to the inverse DCT (decoder): coefficients,
steps and levels alike, as the file stores them. The public functions here
take natural-order ``n x n`` blocks, as a chapter draws them; the private
``_zigzag`` and ``_natural`` turn 8 x 8 blocks into vectors and back without
checking, for the codec's own use.
"""

from __future__ import annotations

import math

import numpy as np

from .._checks import array, boolean, integer


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

    Examples
    --------
    >>> quantization_table(50)[0].tolist()
    [16, 11, 10, 16, 24, 40, 51, 61]
    >>> quantization_table(90)[0].tolist()
    [3, 2, 2, 3, 5, 8, 10, 12]
    >>> int(quantization_table(100).max())
    1
    """
    quality = integer(quality, "quality", low=1, high=100)
    chroma = boolean(chroma, "chroma")
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    base = (CHROMINANCE if chroma else LUMINANCE).astype(np.int64)
    return _read_only(np.clip((base * scale + 50) // 100, 1, 255).astype(np.uint16))


def zigzag_order(n: int = 8) -> np.ndarray:
    """Flat indices ``row * n + col`` of an ``n x n`` block in zigzag order.

    The scan walks the anti-diagonals from the top-left (low frequencies)
    to the bottom-right (high frequencies), so the zeros left by
    quantization end up together at the end. Diagonal ``s = row + col`` runs
    up-right (row falling) when ``s`` is even and down-left when it is odd.

    Examples
    --------
    >>> zigzag_order(3).tolist()
    [0, 1, 3, 6, 4, 2, 5, 7, 8]
    """
    n = integer(n, "n", low=1)
    row, col = np.divmod(np.arange(n * n), n)
    diagonal = row + col
    return np.lexsort((np.where(diagonal % 2 == 1, row, -row), diagonal))


#: Zigzag order of an 8 x 8 block, as JPEG stores coefficients: 0, 1, 8, 16, 9, 2, ...
ZIGZAG = _read_only(zigzag_order(8))

#: Where each natural-order position of an 8 x 8 block is in the zigzag order.
_UNZIGZAG = _read_only(np.argsort(ZIGZAG))


def _zigzag(blocks: np.ndarray) -> np.ndarray:
    """8 x 8 blocks ``(..., 8, 8)`` -> zigzag vectors ``(..., 64)``, unchecked."""
    return blocks.reshape(*blocks.shape[:-2], 64)[..., ZIGZAG]


def _natural(vectors: np.ndarray) -> np.ndarray:
    """Zigzag vectors ``(..., 64)`` -> 8 x 8 blocks ``(..., 8, 8)``, unchecked."""
    return vectors[..., _UNZIGZAG].reshape(*vectors.shape[:-1], 8, 8)


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
    """Read each ``n x n`` block in zigzag order: shape ``(..., n, n)`` -> ``(..., n * n)``.

    Examples
    --------
    >>> to_zigzag(np.arange(9).reshape(3, 3)).tolist()
    [0, 1, 3, 6, 4, 2, 5, 7, 8]
    """
    blocks = _blocks(blocks, "blocks")
    n = blocks.shape[-1]
    return blocks.reshape(*blocks.shape[:-2], n * n)[..., zigzag_order(n)]


def from_zigzag(vectors: np.ndarray, n: int | None = None) -> np.ndarray:
    """Put zigzag-ordered vectors back into blocks: ``(..., n * n)`` -> ``(..., n, n)``.

    ``n`` is worked out from the length of the last axis when not given.

    Examples
    --------
    >>> from_zigzag(np.array([0, 1, 3, 6, 4, 2, 5, 7, 8])).tolist()
    [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
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

    Examples
    --------
    Halves go away from zero: 5 / 2 gives 3 and -5 / 2 gives -3.

    >>> quantize(np.array([[5.0, -5.0], [15.0, 0.9]]), np.full((2, 2), 2)).tolist()
    [[3, -3], [8, 0]]
    """
    coeffs = _blocks(coeffs, "coeffs")
    levels = _round(coeffs / _table(table, coeffs.shape[-1]))
    if np.abs(levels).max() > np.iinfo(np.int32).max:
        raise ValueError("coeffs are too large: some levels do not fit in int32")
    return levels.astype(np.int32)


def _round(ratio: np.ndarray) -> np.ndarray:
    """Round to the nearest whole number, halves away from zero (as floats)."""
    return np.sign(ratio) * np.floor(np.abs(ratio) + 0.5)


def _quantize(coeffs: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """:func:`quantize` for trusted arguments, in either order (both natural or both zigzag)."""
    return _round(coeffs / steps).astype(np.int32)


def dequantize(levels: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Multiply levels back by their steps: each coefficient returns to within step / 2.

    Examples
    --------
    >>> dequantize(np.array([[3, -3], [8, 0]]), np.full((2, 2), 2)).tolist()
    [[6.0, -6.0], [16.0, 0.0]]
    """
    levels = _blocks(levels, "levels")
    if levels.dtype.kind == "f" and not np.array_equal(levels, np.round(levels)):
        raise ValueError("levels must be whole numbers (the output of quantize)")
    return levels * _table(table, levels.shape[-1])


def keep_first(coeffs: np.ndarray, k: int) -> np.ndarray:
    """Keep the first ``k`` coefficients of every block in zigzag order, zero the rest.

    A crude compressor: the low frequencies carry most of what the eye sees.

    Examples
    --------
    >>> keep_first(np.ones((3, 3)), 3).tolist()
    [[1.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    coeffs = _blocks(coeffs, "coeffs")
    n = coeffs.shape[-1]
    k = integer(k, "k", low=0, high=n * n)
    mask = np.zeros(n * n, dtype=bool)
    mask[zigzag_order(n)[:k]] = True
    return coeffs * mask.reshape(n, n)
