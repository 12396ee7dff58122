"""The baseline JPEG encoder (what its file spends its bits on: ``_analysis.py``).

encode() = colour -> downsample -> block DCT -> zigzag -> quantize -> MCU order
         -> run-length symbols -> Huffman codes -> packed bits, between headers.

Each step works on the whole picture at once. From the DCT on, every block is
a vector of 64 values in zigzag order (coefficients, steps and levels alike),
as the file stores them. The public functions check their arguments once
(:func:`_checked`); everything after trusts them.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

import numpy as np

from .. import huffman
from .._checks import _describe, array, boolean, choice, integer, picture
from ..dct import _block_dct, _block_idct
from . import _clipping, _markers, _progressive, _search
from ._colour import SUBSAMPLING, _downsample_like_libjpeg, _rgb_to_ycbcr
from ._entropy import _STANDARD, _run_length, _specs, _Symbols
from ._layout import Layout, fill_mcus
from ._tables import _natural, _quantize, _zigzag, quantization_table
from ._trellis import _PASSES, _ac_lengths, _lam, _trellis, _weights, rdo_lambda


def _checked(
    image: object, quality: object, subsampling: object, optimize: object, rdo: object, lam: object
) -> tuple[np.ndarray, int, str, bool, bool, float | None]:
    """The arguments of :func:`encode`, checked (the same for :func:`analyse` and the functions on it)."""
    image = picture(image, "image", dtype="uint8")
    if max(image.shape[:2]) > 65535:
        raise ValueError(f"image must be at most 65535 x 65535 pixels for JPEG, got {image.shape}")
    quality = integer(quality, "quality", low=1, high=100)
    subsampling = choice(subsampling, "subsampling", SUBSAMPLING)
    optimize, rdo = boolean(optimize, "optimize"), boolean(rdo, "rdo")
    if lam is not None:
        lam = _lam(lam)
        if not rdo:
            raise ValueError(f"lam={lam} prices bits for the trellis: pass rdo=True to use it")
    return image, quality, subsampling, optimize, rdo, lam


#: The strings :func:`encode`'s ``tables`` accepts: tables chosen for the picture (:mod:`._search`).
_SEARCHED = ("psnr", "perceptual")


def _tables_checked(tables: object) -> tuple[np.ndarray, np.ndarray] | str | None:
    """:func:`encode`'s ``tables``: None, "psnr", "perceptual", or a pair of 8 x 8 tables of whole steps 1..255."""
    if tables is None or (isinstance(tables, str) and tables in _SEARCHED):
        return tables
    if isinstance(tables, str):
        raise ValueError(f"tables must be None, 'psnr', 'perceptual' or a pair (luma, chroma) of 8 x 8 arrays "
                         f"of steps, got {tables!r}")
    if not isinstance(tables, (tuple, list)) or len(tables) != 2:
        length = f" of length {len(tables)}" if isinstance(tables, (tuple, list)) else ""
        raise TypeError(f"tables must be None, 'psnr' or a pair (luma, chroma) of 8 x 8 arrays of steps, got "
                        f"{_describe(tables)}{length} (or 'perceptual')")
    pair = []
    for name, table in zip(("tables[0] (luma)", "tables[1] (chroma)"), tables, strict=True):
        table = array(table, name)
        if table.shape != (8, 8):
            raise ValueError(f"{name} must be 8 x 8 steps, natural (row-major) order, got shape {table.shape}")
        if not np.all(table == np.rint(table)) or table.min() < 1 or table.max() > 255:
            raise ValueError(f"{name} must hold whole steps from 1 to 255 (a baseline file's 8-bit table), "
                             f"got values from {table.min()} to {table.max()}")
        pair.append(table.astype(np.int64))
    return pair[0], pair[1]


def _layout(image: np.ndarray, subsampling: str) -> Layout:
    """The file's MCU layout: Y at the subsampling's factors (v, h), Cb and Cr at (1, 1)."""
    factors = ((1, 1),) if image.ndim == 2 else (SUBSAMPLING[subsampling], (1, 1), (1, 1))
    return Layout(image.shape[0], image.shape[1], factors)


def _samples(image: np.ndarray, layout: Layout) -> list[np.ndarray]:
    """Every component's samples (Y or grey, then Cb, Cr), downsampled and padded to whole blocks as libjpeg does."""
    if image.ndim == 2:
        planes = [image]
    else:
        ycbcr = np.clip(np.rint(_rgb_to_ycbcr(image)), 0, 255).astype(np.uint8)
        planes = [ycbcr[..., k] for k in range(3)]
    samples = []
    for k, plane in enumerate(planes):
        rows, cols = layout.blocks(k)
        samples.append(_downsample_like_libjpeg(plane, *layout.ratio(k), (8 * rows, 8 * cols)))
    return samples


def _coefficients(image: np.ndarray, layout: Layout) -> list[np.ndarray]:
    """The DCT coefficients of every real block of every component, before quantization.

    Returns, per component (Y or grey, then Cb, Cr), a ``float64`` array
    (block rows, block columns, 64) in zigzag order.
    """
    return [_zigzag(_block_dct(s - 128.0)) for s in _samples(image, layout)]  # level shift, then the DCT


def _scan_blocks(
    levels: list[np.ndarray], layout: Layout, order: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Every component's levels in the order the scan sends them, dummy blocks included.

    ``order`` is :meth:`Layout.scan_order` of all components. Returns the
    ``int32`` blocks (number of blocks, 64) and the component of each.
    """
    index, component = order
    return _frame(levels, layout)[index], component


def _frame(levels: list[np.ndarray], layout: Layout) -> np.ndarray:
    """Every component's levels in whole MCUs, in the frame's array (blocks x 64, see :mod:`._layout`)."""
    return np.concatenate([
        fill_mcus(grid, layout.grid(k), layout.factors[k][1]).reshape(-1, 64)
        for k, grid in enumerate(levels)
    ])  # fmt: skip


class _Encoded(NamedTuple):
    """A file as encode() writes it, in pieces, and what analyse() counts in it."""

    headers: bytes  # SOI up to and including SOS
    scan: bytes  # the entropy-coded data
    symbols: _Symbols
    lengths: np.ndarray  # Huffman code length of each symbol
    layout: Layout
    index: np.ndarray  # each block of the scan: its index in the layout's frame array

    @property
    def data(self) -> bytes:
        """The whole file: the headers, the scan and EOI."""
        return self.headers + self.scan + b"\xff\xd9"


class _Quantized(NamedTuple):
    """The levels encode() chose, with what they were chosen with."""

    layout: Layout
    steps: list[np.ndarray]  # each component's quantization table, zigzag order
    levels: list[np.ndarray]  # each component's levels (block rows, block columns, 64)
    order: tuple[np.ndarray, np.ndarray]  # Layout.scan_order of all components
    symbols: _Symbols  # the levels as one baseline scan's symbols
    specs: list[huffman.HuffmanSpec]  # the Huffman tables of those symbols


def _quantized(
    image: np.ndarray,
    quality: int,
    subsampling: str,
    optimize: bool,
    rdo: bool = False,
    lam: float | None = None,
    tables: tuple[np.ndarray, np.ndarray] | str | None = None,
) -> _Quantized:
    """The levels of every block, by plain rounding or by the trellis, and their baseline symbols.

    ``tables``: the (luma, chroma) quantization tables, natural order; None: libjpeg's at ``quality``;
    "psnr" or "perceptual": chosen for this picture (:mod:`._search`), the trellis weighing errors as the search did.
    "psnr" chooses between two kinds of table, the searched one and a flat one
    (:func:`._search.flat_tables`), for the luma and for the chroma, by their real cost
    (:func:`_least_cost`), the luma aiming at the targets of :mod:`._clipping`.
    """
    layout = _layout(image, subsampling)
    components = len(layout.factors)
    order = layout.scan_order(tuple(range(components)))
    coeffs = _coefficients(image, layout)
    weights = _weights(components, subsampling)
    price = rdo_lambda(quality) if lam is None else lam
    blocks, frequencies = None, None  # "perceptual": weights of each block's and frequency's squared error
    if tables == "perceptual":
        blocks, frequencies = _search.perceptual_weights(image, layout)
    if isinstance(tables, str):  # the tables for this picture, bits priced as the trellis prices them
        def searched(lam: float) -> tuple[np.ndarray, np.ndarray]:
            return _search.search_tables(coeffs, weights, _search.SEARCH_SHARE * lam, blocks, frequencies)

        if tables == "psnr":
            kinds = (searched, lambda lam: _search.flat_tables(lam, weights))
            return _least_cost(image, layout, order, coeffs, weights, kinds, optimize, rdo, price)
        tables = searched(price)
    if tables is None:
        tables = quantization_table(quality), quantization_table(quality, chroma=True)
    steps = [_zigzag(tables[min(k, 1)]).astype(np.int64) for k in range(components)]
    levels, symbols, specs = _levels(coeffs, steps, layout, order, optimize, rdo, price, weights, blocks, frequencies)
    return _Quantized(layout, steps, levels, order, symbols, specs)


def _levels(
    coeffs: list[np.ndarray],
    steps: list[np.ndarray],
    layout: Layout,
    order: tuple[np.ndarray, np.ndarray],
    optimize: bool,
    rdo: bool,
    lam: float,
    weights: list[float],
    blocks: list[np.ndarray] | None = None,
    frequencies: list[np.ndarray] | None = None,
) -> tuple[list[np.ndarray], _Symbols, list[huffman.HuffmanSpec]]:
    """Each component's levels (plain rounding, or the trellis at ``lam``), their symbols and Huffman tables."""
    levels = [_quantize(c, t) for c, t in zip(coeffs, steps, strict=True)]
    tables = 2 if len(coeffs) == 1 else 4  # DC and AC for luma, and for chroma if any
    symbols = _run_length(*_scan_blocks(levels, layout, order))
    specs = _specs(symbols, tables, optimize)
    if rdo:
        # Price bits with the tables of the levels so far; with optimized tables these
        # change with the levels, so do it again with the tables of the trellis' levels.
        # A frequency's weight scales its coefficients and steps by its square root: same levels, weighted error.
        scales = [np.ones(64) if frequencies is None else np.sqrt(f) for f in frequencies or coeffs]
        for _ in range(_PASSES if optimize else 1):
            levels = [
                _trellis(c.reshape(-1, 64) * s, t * s, _ac_lengths(specs[3 if k else 1]), lam / w,
                         None if blocks is None else blocks[k].ravel()).reshape(c.shape)
                for k, (c, t, w, s) in enumerate(zip(coeffs, steps, weights, scales, strict=True))
            ]  # fmt: skip
            symbols = _run_length(*_scan_blocks(levels, layout, order))
            specs = _specs(symbols, tables, optimize)
    return levels, symbols, specs


class _Tried(NamedTuple):
    """One candidate pair of tables of ``tables="psnr"``: its levels and what they really cost."""

    steps: list[np.ndarray]  # each component's table, zigzag order
    levels: list[np.ndarray]
    luma: float  # the luma's squared error (decoded, clipped pixels) + lam x its bits
    chroma: float  # the chroma's weighted squared error + lam x their bits (0 for grey)


def _tried(
    luma: np.ndarray,
    layout: Layout,
    order: tuple[np.ndarray, np.ndarray],
    coeffs: list[np.ndarray],
    weights: list[float],
    pair: tuple[np.ndarray, np.ndarray],
    optimize: bool,
    rdo: bool,
    lam: float,
) -> _Tried:
    """The levels of one pair of tables, the luma's aimed at the targets of :mod:`._clipping`, and their real cost.

    ``luma``: the luma's (or grey's) samples padded to whole blocks. The bits
    are counted in the scan (Huffman codes and amplitude bits); the luma's
    error is that of its decoded, rounded and clipped pixels inside the
    picture, what a viewer gets; the chroma's that of their coefficients,
    weighted by how much each shows in RGB.
    """
    components = len(coeffs)
    steps = [_zigzag(pair[min(k, 1)]).astype(np.int64) for k in range(components)]
    aimed = [_clipping.targets(luma, layout.height, layout.width, steps[0], coeffs[0]), *coeffs[1:]]
    levels, symbols, specs = _levels(aimed, steps, layout, order, optimize, rdo, lam, weights)
    lengths = np.stack([huffman.code_table(s)[1] for s in specs])[symbols.table, symbols.symbol]
    bits = np.bincount(symbols.table, lengths + symbols.size, minlength=4)
    rebuilt = _block_idct(_natural(levels[0] * steps[0]), luma.shape) + 128.0
    error = ((np.clip(np.rint(rebuilt), 0, 255) - luma)[: layout.height, : layout.width] ** 2).sum()
    chroma = sum(w * ((c - q * t) ** 2).sum()
                 for c, q, t, w in zip(coeffs[1:], levels[1:], steps[1:], weights[1:], strict=True))  # fmt: skip
    return _Tried(steps, levels, float(error + lam * bits[:2].sum()), float(chroma + lam * bits[2:].sum()))


#: The price at which ``tables="psnr"`` compares the kinds of table: quality 75's, whatever the quality.
_REFERENCE = rdo_lambda(75)

#: The kinds :func:`_least_cost` chose lately, by picture: the same picture at another quality reuses its choice.
_CHOSEN: dict[tuple, tuple[int, int]] = {}


def _least_cost(
    image: np.ndarray,
    layout: Layout,
    order: tuple[np.ndarray, np.ndarray],
    coeffs: list[np.ndarray],
    weights: list[float],
    kinds: tuple,
    optimize: bool,
    rdo: bool,
    lam: float,
) -> _Quantized:
    """``tables="psnr"``: the kind of table (``kinds``: functions of the price) that really costs less.

    Each kind's tables at the price :data:`_REFERENCE` are tried
    (:func:`_tried`), and the luma keeps the kind whose luma costs less, the
    chroma the kind whose chroma does: the luma's bits depend on its own
    table only, the chroma's on theirs (each has its own Huffman tables).
    The file then gets the chosen kinds' tables at ``lam``. Comparing at
    one price for every quality keeps ``quality`` a monotone dial: at each
    price on its own, the cheaper kind can change from one quality to the
    next, and the file's size and PSNR jump back as it does. The choice
    depends on the picture only, so it is remembered for the next quality
    (the picture's digest in :data:`_CHOSEN`).
    """
    luma = _samples(image, layout)[0]
    key = (hashlib.sha1(np.ascontiguousarray(image)).hexdigest(), image.shape, layout.factors, optimize, rdo)
    if key not in _CHOSEN:
        tried = [_tried(luma, layout, order, coeffs, weights, kind(_REFERENCE), optimize, rdo, _REFERENCE)
                 for kind in kinds]  # fmt: skip
        luma_kind = min(range(len(kinds)), key=lambda k: tried[k].luma)
        chroma_kind = min(range(len(kinds)), key=lambda k: tried[k].chroma) if len(coeffs) > 1 else luma_kind
        if len(_CHOSEN) >= 64:
            _CHOSEN.clear()
        _CHOSEN[key] = luma_kind, chroma_kind
        if lam == _REFERENCE:  # the levels are those tried: each part's depend on its own tables only
            best_luma, best_chroma = tried[luma_kind], tried[chroma_kind]
            steps = [best_luma.steps[0], *best_chroma.steps[1:]]
            return _finished(layout, order, steps, [best_luma.levels[0], *best_chroma.levels[1:]], optimize)
    luma_kind, chroma_kind = _CHOSEN[key]
    made = {k: kinds[k](lam) for k in {luma_kind, chroma_kind}}  # each kind's tables at this price, once
    pair = (made[luma_kind][0], made[chroma_kind][1])
    steps, levels = _tried(luma, layout, order, coeffs, weights, pair, optimize, rdo, lam)[:2]
    return _finished(layout, order, steps, levels, optimize)


def _finished(layout: Layout, order: tuple[np.ndarray, np.ndarray], steps: list[np.ndarray],
              levels: list[np.ndarray], optimize: bool) -> _Quantized:
    """The :class:`_Quantized` of levels chosen: their symbols and Huffman tables."""
    symbols = _run_length(*_scan_blocks(levels, layout, order))
    specs = _specs(symbols, 2 if len(levels) == 1 else 4, optimize)
    return _Quantized(layout, steps, levels, order, symbols, specs)


def _frame_headers(layout: Layout, steps: list[np.ndarray], sof: int) -> list[bytes]:
    """SOI, JFIF, the quantization tables and the frame header (SOF0 or SOF2)."""
    chroma = [min(k, 1) for k in range(len(layout.factors))]  # table id of each component: 0 Y, 1 Cb, Cr
    headers = [b"\xff\xd8", _markers.jfif()]
    for t in range(max(chroma) + 1):
        headers.append(_markers.dqt(t, steps[t].tolist()))
    frame = [(k + 1, v, h, t) for k, ((v, h), t) in enumerate(zip(layout.factors, chroma))]
    headers.append(_markers.sof(sof, layout.height, layout.width, frame))
    return headers


def _encode(quantized: _Quantized) -> _Encoded:
    """:func:`encode` of a baseline file, in pieces, from the levels :func:`_quantized` chose."""
    layout, steps, _, order, symbols, specs = quantized
    codes, lengths = np.stack([huffman.code_table(s) for s in specs], axis=1)
    code = codes[symbols.table, symbols.symbol].astype(np.int64)
    length = lengths[symbols.table, symbols.symbol].astype(np.int64)
    # Each Huffman code with its amplitude bits after it, as one code of length + size bits.
    scan = huffman._pack_bits(code << symbols.size | symbols.bits, length + symbols.size)

    headers = _frame_headers(layout, steps, _markers.SOF0)
    for t in range(len(specs) // 2):
        headers += [_markers.dht(0, t, specs[2 * t]), _markers.dht(1, t, specs[2 * t + 1])]
    chroma = [min(k, 1) for k in range(len(layout.factors))]
    headers.append(_markers.sos([(k + 1, t, t) for k, t in enumerate(chroma)]))
    return _Encoded(b"".join(headers), scan, symbols, length, layout, order[0])


def _encode_progressive(quantized: _Quantized, optimize: bool) -> bytes:
    """:func:`encode` with ``progressive=True``: the levels :func:`_quantized` chose, sent by libjpeg's scan script.

    Each scan gets the Huffman tables of its own symbols (``optimize``, as
    libjpeg always does for progressive files) or the standard ones, which
    have no symbols for EOB runs: then every block ends with its own EOB.
    """
    layout = quantized.layout
    frame = _frame(quantized.levels, layout)
    parts = _frame_headers(layout, quantized.steps, _markers.SOF2)
    for scan in _progressive.script(len(layout.factors)):
        entries = _progressive.scan_entries(frame, layout, scan, _progressive._MAX_EOB_RUN if optimize else 1)
        if optimize:
            specs = {t: huffman.optimal_spec(c) for t, c in _progressive.counts(entries).items()}
        else:
            specs = {t: _STANDARD[t] for t in _progressive.counts(entries)}
        for t, spec in specs.items():  # table t: 0 DC luma, 1 AC luma, 2 DC chroma, 3 AC chroma
            parts.append(_markers.dht(t % 2, t // 2, spec))
        chroma = [min(k, 1) for k in scan.components]
        parts.append(
            _markers.sos(
                [(k + 1, t, t) for k, t in zip(scan.components, chroma, strict=True)],
                (scan.start, scan.end, scan.high, scan.low),
            )
        )
        parts.append(_progressive.pack(entries, specs))
    return b"".join(parts) + b"\xff\xd9"


def encode(
    image: np.ndarray,
    quality: int = 75,
    *,
    subsampling: str = "4:2:0",
    optimize: bool = False,
    rdo: bool = False,
    lam: float | None = None,
    progressive: bool = False,
    tables: tuple[np.ndarray, np.ndarray] | str | None = None,
) -> bytes:
    """Compress a picture into a baseline (or progressive) JPEG file, the way libjpeg does.

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
        With the standard tables it runs once. Takes about 0.1 s for a
        512 x 512 colour picture with numba installed (the trellis compiled,
        :func:`._trellis._paths`; the first call in a process loads numba,
        half a second), 0.5 s without.
    lam : float, optional
        Only with ``rdo=True``: what one bit is worth in squared error
        (summed over a block's pixels), >= 0. Default :func:`rdo_lambda` of
        ``quality``. Luma blocks use ``lam`` itself; chroma blocks use
        ``lam`` divided by how much a chroma error weighs in the RGB
        picture (about 4.3 for Cb and 3.3 for Cr in 4:2:0, 1.1 and 0.8 in
        4:4:4), which is what the RGB PSNR measures. Larger: smaller files,
        lower PSNR; 0 gives plain rounding's levels.
    progressive : bool
        ``True`` writes a progressive file (SOF2) with the same levels, sent
        in the ten scans of libjpeg's default script (six for grey), as
        ``cjpeg -progressive`` and Pillow's ``progressive=True`` do: a viewer
        shows a coarse picture after the first scan and sharpens it with each
        one. With ``optimize=True`` each scan gets its own best Huffman
        tables (libjpeg always does this for progressive files): on the
        course's photographs the file is up to 5 % smaller than the
        optimized baseline one from quality 75 up and up to 5 % larger at
        quality 30, as libjpeg's are. With the standard tables every block
        ends each scan with its own EOB, since they have no symbols for runs
        of empty blocks: 20-35 % larger. ``rdo`` chooses the levels as for
        a baseline file; the trellis prices them as a baseline scan spends
        bits, so there the progressive file is up to 9 % larger than the
        baseline one.
    tables : "psnr", "perceptual" or (numpy.ndarray, numpy.ndarray), optional
        The quantization tables to use instead of libjpeg's at ``quality``.
        ``"psnr"`` chooses them for this picture: each frequency's step
        trades squared error for bits at the price of ``quality`` (the
        trellis' ``lam``), as RD-OPT does (:mod:`._search`); the encoder then
        also tries a flat table (:func:`._search.flat_tables`), runs the
        trellis with each, and keeps for the luma and the chroma the one
        that really costs less in the file (error + ``lam`` x bits, compared
        at quality 75's price for every quality, so that the choice does not
        jump from one quality to the next). The luma's levels aim at targets
        that use the decoder's clipping (pixels at 0 or 255) and the padding
        past the picture's edge (:mod:`._clipping`). Best with
        ``optimize=True, rdo=True``, where on the course's photographs it
        needs about 30 % fewer bytes than libjpeg at the same PSNR (libjpeg's
        tables with the trellis: about 14 %), on a page of text 28 %. Higher ``quality`` still
        means a bigger file and a higher PSNR, though not the PSNR libjpeg's
        tables give at that number. The first encode of a picture tries
        both kinds: 3 to 5 times the time of ``rdo=True`` alone; the same
        picture at other qualities, 1.5 to 2 times. ``"perceptual"`` searches the same
        way, and the trellis chooses levels the same way, for SSIM instead
        of squared error: each block's error weighs more the flatter the
        picture is there, each frequency's by how much of it SSIM's window
        sees (:func:`._search.perceptual_weights`). On chelsea, the
        cameraman and the astronaut (qualities 20..95, ``optimize=True,
        rdo=True``) it needs 5-6 % fewer bytes than ``"psnr"`` at equal
        SSIM, and 4-11 % more at equal PSNR; at a given ``quality`` its files are smaller,
        still growing with ``quality``. Or a pair (luma, chroma), each 8 x 8
        whole steps from 1 to 255 in natural (row-major) order, as
        :func:`quantization_table` gives them (Pillow's ``qtables``);
        ``quality`` then only sets the trellis' default ``lam``. A grey picture uses only the luma table.
        The file stays baseline either way.

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

    Examples
    --------
    A flat grey 16 x 16 picture: the file starts with SOI (``ffd8``), ends with
    EOI (``ffd9``), is mostly headers, and decodes back exactly:

    >>> from helpers import jpeg
    >>> flat = np.full((16, 16), 100, np.uint8)
    >>> data = encode(flat, quality=75)
    >>> data[:2].hex(), data[-2:].hex(), len(data)
    ('ffd8', 'ffd9', 334)
    >>> np.array_equal(jpeg.decode(data), flat)
    True
    """
    image, quality, subsampling, optimize, rdo, lam = _checked(image, quality, subsampling, optimize, rdo, lam)
    quantized = _quantized(image, quality, subsampling, optimize, rdo, lam, _tables_checked(tables))
    if boolean(progressive, "progressive"):
        return _encode_progressive(quantized, optimize)
    return _encode(quantized).data
