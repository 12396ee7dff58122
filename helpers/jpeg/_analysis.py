"""What a file of :func:`encode` spends its bits on, from the same single encode.

:func:`analyse` encodes once and keeps, beside the file, where its bits go:
the budget by kind of bits, and the bits of every block of every component
(:class:`Analysis`). :func:`bit_budget` and :func:`block_bits` are one part
of it each. All three take :func:`encode`'s arguments, checked by its own
checks (:func:`_arguments`).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .._checks import choice
from ._encoder import _checked, _encode, _Encoded, _quantized, _tables_checked, encode
from ._entropy import _AC, _DC, _EOB, _ZRL

#: Component names, in frame order (a grey picture has only "Y").
_COMPONENTS = ("Y", "Cb", "Cr")

#: encode()'s parameters: analyse(), bit_budget() and block_bits() take the same ones.
_ENCODE = inspect.signature(encode)


def _arguments(
    image: object, quality: object, options: dict[str, object], caller: str
) -> tuple[np.ndarray, int, str, bool, bool, float | None, tuple[np.ndarray, np.ndarray] | None]:
    """``image``, ``quality`` and the keyword ``options`` of :func:`encode`, given to ``caller``, checked."""
    try:
        bound = _ENCODE.bind(image, quality, **options)
    except TypeError as error:
        raise TypeError(f"{caller}() {error}: it takes the arguments of encode()") from None
    bound.apply_defaults()
    arguments = bound.arguments
    progressive, tables = arguments.pop("progressive"), arguments.pop("tables")
    if progressive is not False:
        raise ValueError(
            f"{caller}() counts the bits of a baseline file, whose one scan sends each block whole: "
            f"progressive must be False here, got {progressive!r}"
        )
    return (*_checked(*arguments.values()), _tables_checked(tables))


def _read_only(array: np.ndarray) -> np.ndarray:
    """``array`` itself, from now on read-only (and so are its views)."""
    array.setflags(write=False)
    return array


@dataclass(frozen=True, repr=False)
class Analysis:
    """A file of :func:`encode` and where its bits go, from one encode: what :func:`analyse` returns.

    Attributes
    ----------
    data : bytes
        The file, byte for byte what :func:`encode` writes with the same arguments.
    budget : Mapping[str, float]
        Bytes (bits / 8, so fractions are possible) spent on:
        ``"headers"`` (every marker segment, SOI and EOI included),
        ``"DC codes"`` and ``"DC amplitudes"`` (the DC differences),
        ``"AC codes"`` (the run/size symbols, ZRL included),
        ``"AC amplitudes"``, ``"EOB codes"``, and ``"padding and stuffing"``
        (1-bits that fill the last byte, 0x00 after each 0xFF). The values
        add up to ``len(data)``.
    block_bits : Mapping[str, numpy.ndarray]
        For each component (``"Y"``, then ``"Cb"`` and ``"Cr"`` for colour),
        the bits each 8 x 8 block of the picture costs: ``int64``, one entry
        per block, ``ceil(H / 8) x ceil(W / 8)`` for Y and grey (half that,
        rounded up, for chroma subsampled 4:2:0, half the columns in
        4:2:2). A block's bits are everything the scan sends for it: the
        code and amplitude bits of its DC difference (from the block before
        it in the same component) and of its AC levels (run/size codes,
        ZRLs, amplitudes, EOB).
    padded_bits : Mapping[str, numpy.ndarray]
        The same for every block the scan sends, in whole MCUs: ``block_bits``
        is its top-left corner, and the rows and columns beyond it (if any)
        are the padding blocks libjpeg adds to fill the last MCUs, each "DC
        unchanged, EOB" (usually 2 to 6 bits). Over all components these add
        up to the scan's bits, ``8 *`` the budget's five code and amplitude
        entries.

    The mappings and arrays are read-only.
    """

    data: bytes
    budget: Mapping[str, float]
    block_bits: Mapping[str, np.ndarray]
    padded_bits: Mapping[str, np.ndarray]

    def __repr__(self) -> str:
        blocks = ", ".join(f"{c} {b.shape[0]} x {b.shape[1]}" for c, b in self.block_bits.items())
        return f"Analysis({len(self.data):,} bytes; blocks {blocks})"


def _analysis(encoded: _Encoded) -> Analysis:
    """The file, budget and bits per block of an encode, in pieces (see :class:`Analysis`)."""
    kind, size, length = encoded.symbols.kind, encoded.symbols.size, encoded.lengths
    codes = np.bincount(kind, weights=length, minlength=4)
    amplitudes = np.bincount(kind, weights=size, minlength=4)
    scan_bits = codes.sum() + amplitudes.sum()
    budget = {
        "headers": len(encoded.headers) + 2,
        "DC codes": codes[_DC] / 8,
        "DC amplitudes": amplitudes[_DC] / 8,
        "AC codes": (codes[_AC] + codes[_ZRL]) / 8,
        "AC amplitudes": amplitudes[_AC] / 8,
        "EOB codes": codes[_EOB] / 8,
        "padding and stuffing": len(encoded.scan) - scan_bits / 8,
    }
    layout = encoded.layout
    frame = np.zeros(layout.total, np.int64)
    frame[encoded.index] = np.bincount(encoded.symbols.block, weights=length + size)  # each block in its place
    padded, cropped = {}, {}
    for k, (c, grid) in enumerate(zip(_COMPONENTS, layout.split(frame))):
        rows, cols = layout.blocks(k)  # the blocks that hold the picture, before the MCUs' padding
        padded[c] = _read_only(grid)
        cropped[c] = grid[:rows, :cols]  # a view: read-only too
    return Analysis(
        encoded.data,
        MappingProxyType({key: float(value) for key, value in budget.items()}),
        MappingProxyType(cropped),
        MappingProxyType(padded),
    )


def analyse(image: np.ndarray, quality: int = 75, **options: object) -> Analysis:
    """Encode a picture once and keep, beside the file, where its bits go.

    One call for what :func:`encode`, :func:`bit_budget` and
    :func:`block_bits` would each compute again: the file, its budget, and
    the bits of every block of every component, cropped to the picture.

    Parameters
    ----------
    image, quality
        As for :func:`encode`.
    **options
        ``subsampling``, ``optimize``, ``rdo``, ``lam``: as for :func:`encode`.

    Returns
    -------
    Analysis
        ``data`` (the file), ``budget`` (bytes by kind) and ``block_bits``
        (bits per block, by component); see :class:`Analysis`.

    Examples
    --------
    >>> from helpers import images, jpeg
    >>> chelsea = images.load("chelsea")  # 300 x 451 pixels
    >>> analysis = jpeg.analyse(chelsea, 75, optimize=True)
    >>> analysis
    Analysis(20,042 bytes; blocks Y 38 x 57, Cb 19 x 29, Cr 19 x 29)
    >>> analysis.data == jpeg.encode(chelsea, 75, optimize=True)
    True
    >>> analysis.budget["AC codes"], sum(analysis.budget.values()) == len(analysis.data)
    (10515.25, True)
    >>> analysis.padded_bits["Y"].shape  # whole MCUs of 16 x 16 pixels: one more column
    (38, 58)
    """
    return _analysis(_encode(_quantized(*_arguments(image, quality, options, "analyse"))))


def bit_budget(image: np.ndarray, quality: int = 75, **options: object) -> dict[str, float]:
    """Where the bytes of :func:`encode`'s file go, with the same arguments.

    Returns
    -------
    dict
        :attr:`Analysis.budget` of :func:`analyse`: bytes (bits / 8, so
        fractions are possible) spent on ``"headers"``, ``"DC codes"``,
        ``"DC amplitudes"``, ``"AC codes"``, ``"AC amplitudes"``, ``"EOB
        codes"`` and ``"padding and stuffing"``. The values add up to the
        length of the file.

    Examples
    --------
    Chapter 08's file, the grey astronaut at quality 75: most of its bytes
    are AC codes and amplitudes, 330 are headers.

    >>> from helpers import images, jpeg
    >>> budget = jpeg.bit_budget(images.load("astronaut", grey=True), 75)
    >>> budget["headers"], budget["AC codes"], sum(budget.values())
    (330.0, 18182.375, 35023.0)
    """
    return dict(_analysis(_encode(_quantized(*_arguments(image, quality, options, "bit_budget")))).budget)


def block_bits(image: np.ndarray, quality: int = 75, *, component: str = "Y", **options: object) -> np.ndarray:
    """Bits each 8 x 8 block of one component costs in :func:`encode`'s file: a heat map.

    :attr:`Analysis.padded_bits` of :func:`analyse` for one component (it
    says what a block's bits are). Over the blocks of Y, Cb and Cr they add
    up to the scan's bits; headers, padding of the last byte and stuffed
    bytes come on top (see :func:`bit_budget`). :func:`analyse` gives every
    component at once, cropped to the picture, with the file and its budget.

    Parameters
    ----------
    image, quality
        As for :func:`encode`.
    component : {"Y", "Cb", "Cr"}
        Which component; a grey picture has only "Y".
    **options
        ``subsampling``, ``optimize``, ``rdo``, ``lam``: as for :func:`encode`.

    Returns
    -------
    numpy.ndarray
        ``int64`` bits, shape (block rows, block columns) of the component
        as the scan sends it, whole MCUs: for Y, ``ceil(H / 16) * 2`` by
        ``ceil(W / 16) * 2`` in 4:2:0 (``ceil(H / 8)`` by ``ceil(W / 8)``
        in 4:4:4 and for grey). The picture's own blocks come first; any
        beyond are the padding blocks that fill the last MCUs.

    Examples
    --------
    A flat 17 x 17 colour picture in 4:2:0: 2 x 2 MCUs of 16 x 16 pixels, so
    4 x 4 luma blocks, of which 3 x 3 hold the picture. The first block
    sends its DC level (12 bits with EOB); every other one only "DC
    unchanged, EOB" (2 + 4 bits):

    >>> import numpy as np
    >>> from helpers import jpeg
    >>> jpeg.block_bits(np.full((17, 17, 3), 100, np.uint8), 75)
    array([[12,  6,  6,  6],
           [ 6,  6,  6,  6],
           [ 6,  6,  6,  6],
           [ 6,  6,  6,  6]])
    """
    checked = _arguments(image, quality, options, "block_bits")
    components = _COMPONENTS[: 1 if checked[0].ndim == 2 else 3]
    if component not in components:  # a clear message also for "Cb" of a grey picture
        component = choice(component, "component", components)
    return _analysis(_encode(_quantized(*checked))).padded_bits[component].copy()
