"""The baseline JPEG encoder and the analyses of its file."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import huffman
from .._checks import _describe, choice, integer, picture
from ..dct import block_dct
from . import _markers as _jfif
from ._colour import SUBSAMPLING, _downsample, rgb_to_ycbcr
from ._entropy import _AC, _DC, _EOB, _ZRL, _run_length, _specs, _Symbols
from ._layout import _ceil, _scan_blocks
from ._tables import from_zigzag, quantization_table, quantize, to_zigzag
from ._trellis import _PASSES, _ac_lengths, _lam, _trellis, _weights, rdo_lambda


# --- A baseline JPEG encoder ----------------------------------------------------------
#
# encode() = colour -> downsample -> block DCT -> quantize -> zigzag -> MCU order
#          -> run-length symbols -> Huffman codes -> packed bits, between headers.
# Each step is one of the pieces above, applied to the whole picture at once.


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


# --- The encoder, put together ------------------------------------------------------------


class _Encoded(NamedTuple):
    """A file as encode() writes it, in pieces, and what bit_budget() counts in it."""

    headers: bytes  # SOI up to and including SOS
    scan: bytes  # the entropy-coded data
    symbols: _Symbols
    lengths: np.ndarray  # Huffman code length of each symbol
    factors: list[tuple[int, int]]  # sampling factors (h, v) of each component


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
