"""The JPEG decoder (sequential, progressive and lossless; Huffman- or arithmetic-coded), and a file's segments.

decode() walks the segments, keeps the tables they define, Huffman-decodes
each scan (the one truly sequential step, a Python loop; a progressive file's
scans each fill in one band of every block), then undoes the rest for the
whole picture at once: dequantize and inverse DCT (one matrix product) ->
upsample -> colour. Levels and steps stay in zigzag order, as the file
stores them, up to the inverse DCT. Damage is read past as libjpeg reads it
and reported (:class:`helpers.jpeg._markers.Damage`); a lossless file's
scans give samples, not levels (:mod:`helpers.jpeg._lossless`).
"""

from __future__ import annotations

import array
import math
import warnings
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .. import huffman
from .._checks import _describe, boolean
from ..dct import _blocks_to_image, _matrix
from . import _arithmetic, _lossless, _markers
from ._colour import _upsample_like_libjpeg, _ycbcr_to_rgb_like_libjpeg
from ._entropy import _decode_progressive_scan, _decode_scan, _decoder_table
from ._layout import Layout
from ._tables import ZIGZAG

#: The Huffman tables of T.81 Annex K.3, by class (DC, AC) and id (0 luma, 1 chroma).
_STANDARD = ((huffman.DC_LUMINANCE, huffman.DC_CHROMINANCE), (huffman.AC_LUMINANCE, huffman.AC_CHROMINANCE))


def _check_bytes(data: object) -> bytes:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes (the contents of a JPEG file), got {_describe(data)}")
    return bytes(data)


class _Levels(NamedTuple):
    """What a file holds once its Huffman codes are undone."""

    frame: _markers.Frame
    levels: list[np.ndarray]  # per component: (block rows, block columns, 64), zigzag order; lossless: H x W samples
    steps: list[np.ndarray]  # per component: its 64 quantization steps, zigzag order
    rgb: bool  # True if the components are R, G, B rather than Y, Cb, Cr
    adobe: int | None = None  # the Adobe APP14 colour transform, if the file has one


def _start_scan(
    frame: _markers.Frame | None,
    payload: bytes,
    offset: int,
    steps: dict[int, np.ndarray],
    tables: dict[tuple[int, int], tuple[int, ...] | str],
    latched: dict[int, np.ndarray],
    damage: _markers.Damage | None = None,
) -> tuple[list[tuple[int, int, int]], _markers.Band]:
    """Read an SOS header and check that everything its scan needs is defined.

    Fixes ("latches") each component's quantization table as it is at the
    component's first scan, as libjpeg does: a DQT after it may redefine the
    table for later components. Only a progressive file sends a component in
    more than one scan.
    """
    if frame is None:
        raise ValueError(f"corrupt JPEG: a scan (SOS) at byte {offset} before the frame header")
    progressive = frame.code in (_markers.SOF2, _markers.SOF10)
    arithmetic = frame.code in (_markers.SOF9, _markers.SOF10)  # no Huffman tables: the bins learn
    lossless = frame.code == _markers.SOF3
    scan, band = _markers.read_scan_header(payload, frame, progressive, damage)
    for i, dc, ac in scan:
        ident, tq = frame.components[i].ident, frame.components[i].tq
        if i in latched and not progressive:
            raise ValueError(f"corrupt JPEG: component {ident} is in two scans")
        if i not in latched and lossless:
            latched[i] = np.ones(64, np.int64)  # no quantization: a lossless file has no DQT
        if i not in latched:
            if tq not in steps:
                raise ValueError(
                    f"corrupt JPEG: component {ident} needs quantization table {tq}, "
                    "which no DQT before its scan defines"
                )
            latched[i] = steps[tq]
        # a DC band's refinement needs no table; a DC band needs no AC table, an AC band no DC table
        needed = [(0, dc)] if band.start == 0 and band.high == 0 else []
        if band.end > 0:
            needed = [*needed, (1, ac)] if band.start == 0 else [(1, ac)]
        if lossless:  # the differences are coded as DC differences are
            needed = [(0, dc)]
        for table_class, table_id in needed:
            if isinstance(tables.get((table_class, table_id)), str):  # a bad table, read leniently
                raise ValueError(f"{tables[table_class, table_id]}, and the scan at byte {offset} uses it")
            if (table_class, table_id) not in tables and table_id < 2 and not arithmetic and not progressive:
                # A Motion-JPEG frame leaves out its DHT and means T.81 K.3's tables (0 luma, 1 chroma),
                # as libjpeg reads a sequential file (std_huff_tables; its progressive decoder does not)
                tables[table_class, table_id] = _decoder_table(_STANDARD[table_class][table_id])
            if (table_class, table_id) not in tables and not arithmetic:
                raise ValueError(
                    f"corrupt JPEG: the scan at byte {offset} needs {('DC', 'AC')[table_class]} "
                    f"Huffman table {table_id}, which no DHT defines"
                )
    return scan, band


def _read_levels(data: bytes, damage: _markers.Damage | None = None) -> _Levels:
    """Walk the segments of a file, keep the tables, and decode every scan (Huffman or arithmetic).

    Defects libjpeg reads with a warning are reported to ``damage`` (strict if not given).
    The levels come back as ``int16``, as libjpeg keeps them (``JCOEF``):
    an 8-bit file's levels fit (at most 2047 away from 0), and 2 bytes a
    level keep a 12-megapixel photograph's 18 million levels in 36 MB. Only
    damaged data can make a level that does not fit; that file is read
    again with 64-bit levels, and each level then kept modulo 2^16, as
    libjpeg's conversion to ``JCOEF`` does.
    """
    damage = damage or _markers.Damage(strict=True)
    try:
        return _read_levels_into(data, damage, "h")
    except OverflowError:  # a level beyond 16 bits (array.array("h") refuses it): only in damaged data
        damage.found.clear()
        return _read_levels_into(data, damage, "q")


def _read_levels_into(data: bytes, damage: _markers.Damage, typecode: str) -> _Levels:
    """:func:`_read_levels` with levels of type ``typecode`` (``array.array``'s: "h" 16 bits, "q" 64) while read."""
    frame = None  # the SOF header, once seen
    steps: dict[int, np.ndarray] = {}  # quantization tables by id, zigzag order
    tables: dict[tuple[int, int], tuple[int, ...]] = {}  # (class, id) -> decoder table
    latched: dict[int, np.ndarray] = {}  # each component's table, fixed at its scan
    restart, scan, band, saw_jfif, adobe = 0, [], _markers.Band(0, 63, 0, 0), False, None
    coefficients = array.array(typecode)  # levels, block * 64 + zigzag index, filled scan by scan (at the first)
    conditioning = _arithmetic.Conditioning()  # what DAC segments set, for arithmetic-coded scans
    ended, scans = False, 0
    samples: list[np.ndarray] = []  # a lossless file's samples, per component
    shifts: dict[int, int] = {}  # and the point transform of each
    for offset, code, payload in _markers.walk(data, damage):
        if code in _markers.UNSUPPORTED:
            raise ValueError(f"{_markers.UNSUPPORTED[code]} is not supported: only sequential, progressive and "
                             "lossless (SOF3)")
        if code == _markers.SOI and offset == 0:
            continue
        if code == _markers.DQT:
            for table_id, zigzag in _markers.read_dqt(payload):
                if min(zigzag) == 0:  # libjpeg reads it: those levels come out 0
                    damage(f"corrupt JPEG: quantization table {table_id} has a step of 0")
                steps[table_id] = np.array(zigzag)
        elif code == _markers.DHT:
            for table_class, table_id, spec in _markers.read_dht(payload, damage):
                tables[table_class, table_id] = spec if isinstance(spec, str) else _decoder_table(spec)
        elif code == _markers.DRI:
            restart = _markers.read_dri(payload)
        elif code == _markers.DAC:
            for table_class, table_id, value in _markers.read_dac(payload):
                if table_class == 0:
                    conditioning.dc[table_id] = (value & 15, value >> 4)  # L, U
                else:
                    conditioning.ac[table_id] = value
        elif code in (_markers.SOF0, _markers.SOF1, _markers.SOF2, _markers.SOF3, _markers.SOF9, _markers.SOF10):
            if frame is not None:
                raise ValueError(f"corrupt JPEG: a second frame header (SOF) at byte {offset}")
            frame = _markers.read_sof(code, payload)
            layout = Layout.of(frame)
            if code == _markers.SOF3:
                _lossless.check_frame(frame)
                samples = [np.zeros((frame.height, frame.width), np.int64) for _ in frame.components]
        elif code == _markers.SOS:
            scan, band = _start_scan(frame, payload, offset, steps, tables, latched, damage)
        elif code == _markers.ECS and frame.code == _markers.SOF3:  # lossless: samples, not levels
            _lossless.decode_scan(payload, samples, [i for i, _, _ in scan], [tables[0, dc] for _, dc, _ in scan],
                                  restart, band.start, band.low, damage, offset)
            for i, _, _ in scan:
                shifts[i] = band.low
        elif code == _markers.ECS:  # the data of the scan just started
            components = tuple(i for i, _, _ in scan)
            *_, per_mcu = shape = layout.scan_shape(components)
            sequential = frame.code in (_markers.SOF0, _markers.SOF1)
            if sequential and damage.strict and 2 * math.prod(shape) > 8 * len(payload):  # 2 bits a block or more
                raise ValueError(f"truncated JPEG: the scan data at byte {offset} has {len(payload)} bytes, "
                                 f"too few for {math.prod(shape)} blocks")
            if not coefficients:  # the first scan: room for every level of the frame
                if layout.total * 64 * 2 > 1 << 30 and 8 * len(data) < layout.total:
                    raise ValueError(f"corrupt JPEG: a frame of {layout.total} blocks from a file of {len(data)} "
                                     "bytes, less than a bit a block: it cannot hold them")
                coefficients = array.array(typecode, [0]) * (layout.total * 64)
            index, owner = layout.scan_order(components)
            within = np.zeros(max(components) + 1, np.int64)  # each block's component, numbered within the scan
            within[list(components)] = np.arange(len(components))
            owner = within[owner].tolist()
            if frame.code in (_markers.SOF9, _markers.SOF10):  # arithmetic-coded
                _arithmetic.decode_scan(payload, index.tolist(), owner, per_mcu, [(dc, ac) for _, dc, ac in scan],
                                        restart, band, frame.code == _markers.SOF10, conditioning, coefficients)
                scans += 1
            elif frame.code == _markers.SOF2:  # a progressive scan: one band
                scan_tables = [(tables.get((0, dc)), tables.get((1, ac))) for _, dc, ac in scan]
                _decode_progressive_scan(payload, index.tolist(), owner, per_mcu, scan_tables, restart, band,
                                         coefficients, damage, offset)
                scans += 1
            else:
                scan_tables = [(tables[0, dc], tables[1, ac]) for _, dc, ac in scan]
                _decode_scan(payload, index.tolist(), owner, per_mcu, scan_tables, restart, coefficients, damage,
                             offset)
        elif code == _markers.EOI:
            ended = True
            break
        elif code == _markers.APP0 and payload[:5] == b"JFIF\x00":
            saw_jfif = True
        elif code == _markers.APP14 and adobe is None:
            adobe = _markers.adobe_transform(payload)
        elif code not in _markers.APP and code not in _markers.IGNORED:
            raise ValueError(f"corrupt JPEG: unexpected marker {_markers.name(code)} at byte {offset}")

    if frame is None:
        raise ValueError("truncated JPEG: no frame header (SOF)")
    if frame.code in (_markers.SOF2, _markers.SOF10) and not ended:  # more scans may have been on their way
        damage(f"premature end of JPEG file: a progressive file that ends after {scans} scans, without its EOI: "
               "its last scans (refinements of the picture) may be missing")
    elif not ended and latched:
        damage("premature end of JPEG file: it ends without its EOI")
    missing = [c.ident for i, c in enumerate(frame.components) if i not in latched]
    if missing:
        raise ValueError(f"truncated JPEG: no scan holds component(s) {missing}")
    if frame.code == _markers.SOF3:  # each component's samples, the point transform undone
        levels = [(plane << shifts[k]) & 0xFF for k, plane in enumerate(samples)]
        return _Levels(frame, levels, [latched[i] for i in range(len(levels))], len(levels) == 3, adobe)
    flat = np.frombuffer(coefficients, np.int16 if typecode == "h" else np.int64).astype(np.int16, copy=False)
    levels = [  # each component's grid, without the MCU padding
        grid[: layout.blocks(k)[0], : layout.blocks(k)[1]]
        for k, grid in enumerate(layout.split(flat.reshape(layout.total, 64)))
    ]
    # libjpeg's rule: JFIF means YCbCr; else an Adobe APP14 says; else ids 'R', 'G', 'B' mean RGB.
    ids = tuple(c.ident for c in frame.components)
    rgb = not saw_jfif and (adobe == 0 if adobe is not None else ids == (82, 71, 66))
    return _Levels(frame, levels, [latched[i] for i in range(len(levels))], rgb, adobe)


@lru_cache(maxsize=1)
def _zigzag_basis() -> np.ndarray:
    """The 64 pictures of the inverse DCT (:mod:`helpers.dct`), one row per zigzag position: 64 x 64 pixels."""
    c = _matrix(8)
    return np.einsum("vy,ux->vuyx", c, c).reshape(64, 64)[ZIGZAG]


#: Blocks :func:`_samples` makes at a time (whole block rows): a few MB of floating point, however large the picture.
_BAND_BLOCKS = 1 << 13


def _samples(levels: np.ndarray, steps: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """One component's samples (``uint8``, H x W): dequantize and inverse DCT in one product, then round and clip.

    A block's pixels are the sum of the 64 basis pictures, each weighted by
    its level times its step: one matrix product (levels x 64) @ (64 x 64)
    for all the blocks, the same numbers as :func:`helpers.dct.block_idct`
    of the dequantized blocks, without making those. Made a band of block
    rows at a time, so that the floating-point pixels of only a few
    thousand blocks exist at once.
    """
    rows, cols = levels.shape[:2]
    weights = steps.astype(np.float64)[:, None] * _zigzag_basis()
    out = np.empty((rows * 8, cols * 8), np.uint8)
    band = max(1, _BAND_BLOCKS // max(cols, 1))  # block rows a band
    for top in range(0, rows, band):
        piece = levels[top : top + band]
        pixels = piece.reshape(-1, 64) @ weights
        pixels += 128
        np.rint(pixels, out=pixels)
        np.clip(pixels, 0, 255, out=pixels)
        out[top * 8 : (top + len(piece)) * 8] = _blocks_to_image(pixels.reshape(len(piece), cols, 8, 8))
    return out[: shape[0], : shape[1]]


class CorruptJPEGWarning(UserWarning):
    """A defect :func:`decode` read past, as libjpeg does ("Corrupt JPEG data: ..."); the message says where."""


def decode(data: bytes, *, strict: bool = False) -> np.ndarray:
    """Read a baseline or progressive JPEG file into pixels, as libjpeg does by default.

    Reads what baseline encoders write: 1 (grey) or 3 (YCbCr) components,
    sampling factors 1 to 4 (4:4:4, 4:2:2, 4:2:0, 4:4:0, 4:1:1, ...; colour
    doubled with libjpeg's smoothing, tripled or quadrupled by repeating), one
    interleaved scan or one scan per component, restart markers, tables
    defined or redefined anywhere before the scan that uses them, 8- or
    16-bit quantization tables (in a sequential file a missing Huffman table
    0 or 1 is T.81's standard one, as Motion-JPEG frames expect); APPn and
    COM segments, and RST markers between segments, are skipped. And
    progressive files (SOF2, Huffman-coded), whatever their scan script:
    spectral selection (a band of the 64 levels a scan), successive
    approximation (the high bits first, then one bit a scan), EOB runs.
    Arithmetic-coded
    files too, sequential (SOF9) or progressive (SOF10), with their DAC
    conditioning (:mod:`helpers.jpeg._arithmetic`). Four components are
    CMYK, or YCCK if an Adobe APP14 segment says so (transform 2). And
    lossless files (SOF3, :mod:`helpers.jpeg._lossless`): predictors 1 to
    7, point transforms, restarts, every component at full resolution;
    their samples come back as they are stored, as libjpeg-turbo 3 gives
    them. Inverse
    DCT with :mod:`helpers.dct`, chroma upsampled with libjpeg's "fancy"
    triangle filter, YCbCr to RGB with the formula of :func:`ycbcr_to_rgb`
    in libjpeg's integer look-up tables.

    A damaged file is read as libjpeg reads it, level for level (the tests
    hold every block to what libjpeg's ``jpegtran`` reads), with a
    :class:`CorruptJPEGWarning` naming each defect and where it is:

    - bytes that are not a marker where one should be are skipped ("N extraneous bytes");
    - a file that ends early (no EOI; cut in a scan, a marker or a segment)
      is read on as if fake EOI markers followed, as libjpeg's data source
      gives them: the MCUs it did not send stay grey, the scans a
      progressive file did not send are missing (libjpeg then also smooths
      the blocks that lack them, which we do not);
    - a restart interval whose data ends early, because the file ends or a
      marker comes too soon, is finished with 0-bits and its last MCUs stay
      grey (in a progressive scan, as they were);
    - a missing or wrongly numbered RST marker is resynchronised as
      libjpeg's ``jpeg_resync_to_restart`` does;
    - a bad Huffman code becomes symbol 0 after 17 bits, a level past the
      end of its band lands where libjpeg puts it, a table that lists a
      symbol twice is read, a quantization step of 0 is kept.

    What libjpeg refuses stays a ``ValueError``: a file cut before its first
    scan, unknown markers, bad tables that a scan uses, and the rest of
    what is wrong in a segment. Arithmetic-coded scans are read strictly.
    We also say more than libjpeg: bytes left over before an RST or after
    a scan's last MCU, which libjpeg often skips without a word.

    Parameters
    ----------
    data : bytes
        The whole file.
    strict : bool
        ``True`` raises ``ValueError`` at the first defect instead of
        warning: for a file that must be whole (a test of an encoder).

    Returns
    -------
    numpy.ndarray
        ``uint8``, H x W (grey), H x W x 3 (RGB) or H x W x 4 (C, M, Y, K:
        the amount of each ink, 0 none, 255 full, as Pillow gives them; a
        file with an Adobe APP14 segment stores them inverted).

    Raises
    ------
    ValueError
        For hierarchical or 12-bit files (the message names the
        feature), and for any file libjpeg cannot read either (the message
        says what is wrong and where); with ``strict=True``, for any damage.

    Warns
    -----
    CorruptJPEGWarning
        For each defect read past (not with ``strict=True``).

    Notes
    -----
    libjpeg's inverse DCT works in integers, ours in floating point, so a few
    pixels in a hundred come out 1 to 3 levels apart from libjpeg's (about
    60 dB PSNR between the two, on photographs). Upsampling follows
    libjpeg's integer arithmetic exactly, and so does colour conversion.
    Dequantization and the inverse DCT are one matrix product, a band of
    blocks at a time (:func:`_samples`); levels are kept in 16 bits, as
    libjpeg keeps them, so memory stays within a few times the picture's.

    Examples
    --------
    >>> from helpers import jpeg
    >>> flat = np.full((8, 8), 100, np.uint8)
    >>> picture = decode(jpeg.encode(flat, quality=75))
    >>> picture.shape, np.unique(picture).tolist()
    ((8, 8), [100])
    """
    data = _check_bytes(data)
    damage = _markers.Damage(boolean(strict, "strict"))
    coded = _read_levels(data, damage)
    for message in damage.found:
        warnings.warn(message, CorruptJPEGWarning, stacklevel=2)
    if coded.frame.code == _markers.SOF3:  # lossless: the samples themselves, as libjpeg gives them
        planes = [plane.astype(np.uint8) for plane in coded.levels]
        if len(planes) == 4:
            return _cmyk(np.stack(planes, axis=-1), coded.adobe)
        return planes[0] if len(planes) == 1 else np.stack(planes, axis=-1)
    layout, planes = Layout.of(coded.frame), []
    for k, (levels, steps) in enumerate(zip(coded.levels, coded.steps, strict=True)):
        big = _upsample_like_libjpeg(_samples(levels, steps, layout.samples(k)), *layout.ratio(k))
        planes.append(big[: layout.height, : layout.width].astype(np.uint8))
    if len(planes) == 1:
        return planes[0]
    if len(planes) == 4:
        return _cmyk(np.stack(planes, axis=-1), coded.adobe)
    if coded.rgb:
        return np.stack(planes, axis=-1)
    return _ycbcr_to_rgb_like_libjpeg(*planes)


def _cmyk(planes: np.ndarray, adobe: int | None) -> np.ndarray:
    """The four planes of a CMYK or YCCK file as C, M, Y, K ink amounts (0 none, 255 full), as Pillow gives them.

    libjpeg's rules: an Adobe APP14 transform 2 means YCCK (YCbCr of the
    inverted C, M, Y, with K as it is), else the planes are C, M, Y, K as they
    are stored. Photoshop, which writes the APP14 segment, stores inverted
    ink (255 for none); Pillow turns them back, and so does this.
    """
    if adobe == 2:  # YCCK: the first three are the YCbCr of 255 - C, 255 - M, 255 - Y
        rgb = _ycbcr_to_rgb_like_libjpeg(*np.moveaxis(planes[..., :3], -1, 0))
        planes = np.concatenate([255 - rgb, planes[..., 3:]], axis=-1)
    return (255 - planes if adobe is not None else planes).astype(np.uint8)


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

    Examples
    --------
    >>> from helpers import jpeg
    >>> data = jpeg.encode(np.full((8, 8), 100, np.uint8), quality=75)
    >>> [s.name for s in segments(data)]
    ['SOI', 'APP0', 'DQT', 'SOF0', 'DHT', 'DHT', 'SOS', 'ECS', 'EOI']
    >>> [s.size for s in segments(data)]
    [2, 18, 69, 13, 33, 183, 10, 2, 2]
    >>> sum(s.size for s in segments(data)) == len(data)
    True
    """
    data = _check_bytes(data)
    items = list(_markers.walk(data))
    ends = [offset for offset, _, _ in items[1:]]
    last_code = items[-1][1]
    ends.append(items[-1][0] + 2 if last_code == _markers.EOI else len(data))
    return [
        Segment(offset, _markers.name(code), end - offset, 0xFF00 | code if code != _markers.ECS else 0)
        for (offset, code, _), end in zip(items, ends, strict=True)
    ]
