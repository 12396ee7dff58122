"""Lossless JPEG (SOF3, T.81 Annex H), read back: predict each sample from its neighbours, add the difference.

No DCT and no quantization: each sample is predicted from the ones already
decoded, left (``a``), above (``b``) and above-left (``c``), and the file
sends the difference, Huffman-coded the way a baseline file codes a DC
difference (its size, then its bits; size 16 means 32768, with no bits).
The scan header's Ss says which predictor:

====  =====================  ====  =======================
 1    a                       5    a + ((b - c) >> 1)
 2    b                       6    b + ((a - c) >> 1)
 3    c                       7    (a + b) >> 1
 4    a + b - c
====  =====================  ====  =======================

The first line of the picture, and of each restart interval, has only a
left neighbour: it uses ``a``, and its first sample ``2 ** (P - Pt - 1)``
(128 for 8-bit samples); the first sample of every other line uses ``b``.
All arithmetic is modulo 2 ** 16. A point transform Pt (the scan's Al)
means the samples were shifted right by Pt before coding: shift them back.
"""

from __future__ import annotations

import numpy as np

from . import _markers


def decode_scan(
    data: bytes,
    planes: list[np.ndarray],
    components: list[int],
    tables: list[tuple[int, ...]],
    restart: int,
    predictor: int,
    point_transform: int,
    damage: _markers.Damage,
    offset: int,
) -> None:
    """Decode one lossless scan into ``planes`` (each component's H x W samples, before the point transform).

    ``components`` are the scan's components (indices into ``planes``), each
    with its DC decoder table in ``tables``; an MCU is one sample of each,
    and every ``restart`` MCUs (whole lines, as libjpeg requires) the data
    has an RST marker and prediction starts again as on the first line.
    """
    from ._entropy import _Reader  # the same reader as the other scans: damaged data alike

    height, width = planes[components[0]].shape
    if restart % width:
        raise ValueError(f"corrupt JPEG: a lossless scan restarts every {restart} samples, not a whole number "
                         f"of its {width}-sample lines (libjpeg refuses it too)")
    reader = _Reader(data, damage, offset)
    read_symbol, read_amplitude = reader.decode_huffman, reader.receive_extend
    n = len(components)
    differences = np.zeros((height, width, n), np.int64)
    flat = differences.reshape(-1)
    lines = restart // width if restart else height
    for number, top in enumerate(range(0, height, lines)):
        if number:
            reader.read_restart((number - 1) % 8)
        rows = min(lines, height - top)
        first = top * width * n
        for i in range(first, first + rows * width * n):
            if i % n == 0 and reader.starved:
                break
            size = read_symbol(tables[i % n])
            if size == 16:
                flat[i] = 32768
            elif size:
                flat[i] = read_amplitude(size)
        for k, component in enumerate(components):
            planes[component][top : top + rows] = _reconstruct(
                differences[top : top + rows, :, k], predictor, 1 << (8 - point_transform - 1))
    reader.leftover()


def _reconstruct(differences: np.ndarray, predictor: int, initial: int) -> np.ndarray:
    """The samples of the lines of one restart interval, from their differences (modulo 2 ** 16)."""
    rows, width = differences.shape
    out = np.zeros((rows, width), np.int64)
    out[0] = (initial + np.cumsum(differences[0])) & 0xFFFF  # the first line: predicted from the left
    for r in range(1, rows):
        d, above = differences[r], out[r - 1]
        if predictor == 1:
            out[r] = (above[0] + d[0] + np.cumsum(np.r_[0, d[1:]])) & 0xFFFF
        elif predictor == 2:
            out[r] = (above + d) & 0xFFFF
        elif predictor == 3:
            out[r, 0] = (above[0] + d[0]) & 0xFFFF
            out[r, 1:] = (above[:-1] + d[1:]) & 0xFFFF
        else:  # 4 to 7 use the sample to the left: one after the other
            line = out[r]
            line[0] = (above[0] + d[0]) & 0xFFFF
            a, b, c = int(line[0]), above.tolist(), above.tolist()
            dl = d.tolist()
            for x in range(1, width):
                bx, cx = b[x], c[x - 1]
                if predictor == 4:
                    p = a + bx - cx
                elif predictor == 5:
                    p = a + ((bx - cx) >> 1)
                elif predictor == 6:
                    p = bx + ((a - cx) >> 1)
                else:
                    p = (a + bx) >> 1
                a = (p + dl[x]) & 0xFFFF
                line[x] = a
    return out


def check_frame(frame: _markers.Frame) -> None:
    """Refuse what this decoder does not read of lossless files: other precisions, subsampling."""
    if any((c.v, c.h) != (1, 1) for c in frame.components):
        factors = ", ".join(f"{c.h}x{c.v}" for c in frame.components)
        raise ValueError(f"lossless JPEG with sampling factors {factors} is not supported: only 1x1")

