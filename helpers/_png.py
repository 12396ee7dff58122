"""Slider PNGs, written quickly and kept by content: a picture seen again is not written again."""

from __future__ import annotations

import base64
import hashlib
import struct
import zlib

import numpy as np

__all__ = ["png", "Written"]


def png(pixels: np.ndarray, palette: np.ndarray | None = None, *, small: bool = False) -> bytes:
    """Write an RGB picture (H x W x 3), an RGBA one (H x W x 4) or a grey one (H x W) as a PNG file, quickly.

    With a ``palette`` (K x 3 colours), ``pixels`` (H x W) are indices into it: a picture in at
    most 256 colours (a colour map's) in one byte a pixel.

    A PNG stores each row as its difference to the row above (PNG's "Up"
    filter: the prediction of chapter 03, one row at a time), then deflates
    the differences. Here deflate looks only for runs of equal bytes (zlib's
    ``Z_RLE``), which is what flat areas become after the filter. Pillow
    tries five filters on every row and searches harder for matches: this
    writes a slider's figure about 3 times quicker than Pillow does, at about
    twice its bytes (still small: mostly white), and a photograph about 8 times
    quicker at a few percent more bytes (``benchmarks/bench_png.py``).

    ``small=True`` has deflate search for repeated strings too (zlib's default,
    level 6): two to five times slower, and a figure takes about half the bytes
    (a photograph none fewer). For a figure written once and sent many times: a
    slider's background.

    Examples
    --------
    >>> data = png(np.zeros((2, 3), dtype=np.uint8))
    >>> data[:8] == b"\\x89PNG\\r\\n\\x1a\\n", int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    (True, 3, 2)
    """
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8:
        raise TypeError(f"pixels must be a uint8 array (0-255), got {pixels.dtype} {pixels.shape}")
    if not (pixels.ndim == 2 or (pixels.ndim == 3 and pixels.shape[2] in (3, 4))):
        raise ValueError(f"pixels must be an H x W x 3, H x W x 4 or H x W uint8 array, got shape {pixels.shape}")
    if palette is not None:
        palette = np.asarray(palette)
        if palette.dtype != np.uint8:
            raise TypeError(f"palette must be a uint8 array of K x 3 colours, got {palette.dtype} {palette.shape}")
        if palette.ndim != 2 or palette.shape[1] != 3 or not 1 <= len(palette) <= 256 or pixels.ndim != 2:
            raise ValueError(f"palette must be a K x 3 uint8 array, 1 <= K <= 256, with H x W pixels (its "
                             f"indices), got {palette.dtype} {palette.shape} with pixels {pixels.shape}")
        if pixels.size and pixels.max() >= len(palette):
            raise ValueError(f"pixels must index the palette's {len(palette)} colours, got index {pixels.max()}")
    height, width = pixels.shape[:2]
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    rows = pixels.reshape(height, width * channels)
    filtered = np.empty((height, width * channels + 1), dtype=np.uint8)
    filtered[:, 0] = 2  # filter type "Up" on every row
    filtered[:, 1:] = rows
    filtered[1:, 1:] -= rows[:-1]  # uint8 arithmetic wraps around, as PNG's filters do
    deflate = zlib.compressobj(6, zlib.DEFLATED, 15, 8, zlib.Z_DEFAULT_STRATEGY) if small else \
        zlib.compressobj(1, zlib.DEFLATED, 15, 8, zlib.Z_RLE)
    compressed = deflate.compress(filtered) + deflate.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    colour_type = 3 if palette is not None else {1: 0, 3: 2, 4: 6}[channels]  # indexed, grey, RGB or RGBA
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)  # 8 bits, deflate, no interlace
    colours = b"" if palette is None else chunk(b"PLTE", palette.tobytes())
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + colours
            + chunk(b"IDAT", compressed) + chunk(b"IEND", b""))


class Written:
    """The PNGs (in base64) of the last pictures written, by their content: a picture seen again is not written again.

    A learner goes back and forth over the same few values of a slider. Hashing a
    picture's bytes takes a fraction of the time of writing it as PNG, and the
    browser is sent the very same image again.
    """

    def __init__(self, budget: int = 8_000_000):
        self.budget = budget  # at most this many characters of base64 kept
        self.kept: dict[bytes, str] = {}  # by the hash of the picture, oldest first

    def base64_png(
        self, pixels: np.ndarray, palette: np.ndarray | None = None, *, source: np.ndarray | None = None,
        small: bool = False,
    ) -> str:
        """``png(pixels, palette)`` in base64, written only if this picture is not among the last ones.

        ``source``: the array the pixels were cut from, if it is quicker to hash (a colour
        layer's RGBA for its RGB: no copy). ``small``: as :func:`png`.
        """
        source = np.ascontiguousarray(pixels if source is None else source)
        digest = hashlib.sha256(repr((pixels.shape, source.shape, small)).encode())
        digest.update(source.data)
        if palette is not None:
            digest.update(b"palette" + np.ascontiguousarray(palette).data)
        key = digest.digest()
        text = self.kept.pop(key, None)
        if text is None:
            text = base64.b64encode(png(pixels, palette, small=small)).decode()
        self.kept[key] = text  # now the newest
        size = sum(map(len, self.kept.values()))
        while size > self.budget and len(self.kept) > 1:  # forget the oldest
            size -= len(self.kept.pop(next(iter(self.kept))))
        return text
