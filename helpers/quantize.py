"""Throwing information away on purpose: fewer levels, fewer pixels."""

from __future__ import annotations

import numpy as np

from ._checks import ceil_div, integer, picture

__all__ = ["step", "indices", "reconstruct", "quantize", "pack", "unpack", "downsample", "upsample"]


def step(bits: int) -> int:
    """Width of one level when 0..255 is cut into ``2**bits`` equal levels.

    Examples
    --------
    >>> step(3), step(8)
    (32, 1)
    """
    bits = integer(bits, "bits", low=1, high=8)
    return 256 >> bits


def indices(image: np.ndarray, bits: int) -> np.ndarray:
    """Which of the ``2**bits`` levels each pixel falls in (0 .. 2**bits - 1).

    This is what a file would store: ``bits`` bits per pixel instead of 8.

    Examples
    --------
    With 2 bits, 0..255 is cut into four levels of 64 values:

    >>> indices(np.array([[0, 100], [200, 255]], np.uint8), 2).tolist()
    [[0, 1], [3, 3]]
    """
    image = picture(image, "image", dtype="uint8")
    return image >> (8 - integer(bits, "bits", low=1, high=8))


def reconstruct(levels: np.ndarray, bits: int) -> np.ndarray:
    """Turn level numbers back into pixel values at the middle of each level.

    A level covers ``step`` values; the middle one (``step // 2`` above the
    lowest) is the reconstruction, which keeps the error at most ``step / 2``.

    Examples
    --------
    >>> reconstruct(np.array([[0, 1], [3, 3]], np.uint8), 2).tolist()
    [[32, 96], [224, 224]]
    """
    size = step(bits)
    levels = picture(levels, "levels", dtype="uint8")
    if levels.max() >= 256 // size:
        raise ValueError(
            f"levels must be 0..{256 // size - 1} for bits={bits}, got a maximum of {levels.max()}"
        )
    return (levels * size + size // 2).astype(np.uint8)


def quantize(image: np.ndarray, bits: int) -> np.ndarray:
    """Keep ``bits`` bits per pixel: ``2**bits`` levels, reconstructed at their middles.

    ``bits=8`` returns the picture unchanged.

    Examples
    --------
    >>> pixels = np.array([[0, 100], [200, 255]], np.uint8)
    >>> quantize(pixels, 2).tolist()
    [[32, 96], [224, 224]]
    >>> quantize(pixels, 8).tolist()
    [[0, 100], [200, 255]]
    """
    return reconstruct(indices(image, bits), bits)


def pack(levels: np.ndarray, bits: int) -> bytes:
    """Store level numbers with ``bits`` bits each, end to end, in as few bytes as fit.

    This is what makes "5 bits per pixel" real: ``H * W`` levels take
    ``ceil(H * W * bits / 8)`` bytes instead of ``H * W``.

    Examples
    --------
    Four 2-bit levels, 01 10 11 00, fill one byte:

    >>> pack(np.array([[1, 2, 3, 0]], np.uint8), 2).hex()
    '6c'
    >>> len(pack(np.zeros((8, 8), np.uint8), 5))
    40
    """
    bits = integer(bits, "bits", low=1, high=8)
    levels = picture(levels, "levels", dtype="uint8")
    if levels.max() >> bits:
        raise ValueError(
            f"levels must be 0..{2**bits - 1} to fit in bits={bits}, got a maximum of {levels.max()}"
        )
    # Each level as 8 bits (most significant first); keep only its lowest ``bits``.
    all_bits = np.unpackbits(levels.reshape(-1, 1), axis=1)[:, 8 - bits :]
    return np.packbits(all_bits.ravel()).tobytes()


def unpack(data: bytes, bits: int, shape: tuple[int, ...]) -> np.ndarray:
    """Read back the level numbers that :func:`pack` stored, as a ``uint8`` array of ``shape``.

    Examples
    --------
    >>> unpack(bytes.fromhex("6c"), 2, (1, 4)).tolist()
    [[1, 2, 3, 0]]
    """
    bits = integer(bits, "bits", low=1, high=8)
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    count = int(np.prod(shape))
    if len(data) * 8 < count * bits:
        raise ValueError(
            f"data holds {len(data)} bytes, too few for {count} levels of {bits} bits "
            f"({ceil_div(count * bits, 8)} bytes)"
        )
    stream = np.unpackbits(np.frombuffer(bytes(data), dtype=np.uint8))[: count * bits]
    columns = np.zeros((count, 8), dtype=np.uint8)
    columns[:, 8 - bits :] = stream.reshape(count, bits)
    return np.packbits(columns, axis=1).reshape(shape)


def downsample(image: np.ndarray, factor: int) -> np.ndarray:
    """Average every ``factor`` x ``factor`` square of pixels into one pixel.

    Sides that are not multiples of ``factor`` are padded by repeating the
    last row and column. The result has ``ceil(H / factor)`` rows and
    ``ceil(W / factor)`` columns.

    Examples
    --------
    >>> downsample(np.array([[0, 2, 10, 10], [4, 6, 10, 10]], np.uint8), 2).tolist()
    [[3, 10]]
    """
    image = picture(image, "image", dtype="uint8")
    factor = integer(factor, "factor", low=1)
    height, width = image.shape[:2]
    rows, cols = ceil_div(height, factor), ceil_div(width, factor)
    pad = [(0, rows * factor - height), (0, cols * factor - width)] + [(0, 0)] * (image.ndim - 2)
    padded = np.pad(image, pad, mode="edge").astype(np.float64)
    blocks = padded.reshape(rows, factor, cols, factor, *image.shape[2:])
    return np.rint(blocks.mean(axis=(1, 3))).astype(np.uint8)


def upsample(image: np.ndarray, factor: int, shape: tuple[int, int] | None = None) -> np.ndarray:
    """Repeat every pixel ``factor`` times in both directions.

    Parameters
    ----------
    image : numpy.ndarray
        ``uint8`` picture, usually the output of :func:`downsample`.
    factor : int
        How many times to repeat each pixel, >= 1.
    shape : (int, int), optional
        Height and width to crop the result to (the original picture's),
        for sides that were not multiples of ``factor``.

    Examples
    --------
    >>> small = np.array([[3, 10]], np.uint8)
    >>> upsample(small, 2).tolist()
    [[3, 3, 10, 10], [3, 3, 10, 10]]
    >>> upsample(small, 2, shape=(2, 3)).tolist()
    [[3, 3, 10], [3, 3, 10]]
    """
    image = picture(image, "image", dtype="uint8")
    factor = integer(factor, "factor", low=1)
    big = image.repeat(factor, axis=0).repeat(factor, axis=1)
    if shape is None:
        return big
    if (
        not isinstance(shape, tuple)
        or len(shape) != 2
        or not all(isinstance(s, (int, np.integer)) for s in shape)
    ):
        raise TypeError(f"shape must be a (height, width) tuple of integers, got {shape!r}")
    height, width = shape
    if not (0 < height <= big.shape[0] and 0 < width <= big.shape[1]):
        raise ValueError(
            f"shape must be at most the upsampled size {big.shape[:2]} and positive, got {shape}"
        )
    return big[:height, :width]
