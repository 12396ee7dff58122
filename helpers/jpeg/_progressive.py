"""Progressive scans, written: the same levels as a baseline file, sent in pieces (T.81 G.1.2).

A progressive file holds exactly the levels a baseline file holds; only the
order of the bits changes. A *scan script* lists the pieces: each scan sends
one *band* of zigzag positions (``start..end``) of some components, and of
each level in it either its high bits (first pass: the level shifted right by
``low``) or one more bit (refinement: bit ``low``, when bits above ``high``
were sent before). :data:`SCRIPT` is libjpeg's default script, the one
``cjpeg -progressive`` and Pillow's ``progressive=True`` use.

Four kinds of scan, each written by one function below, each the inverse of
one branch of :func:`._entropy._decode_progressive_scan`:

- DC, first pass (:func:`_dc_first`): DC differences of the shifted DC levels, Huffman-coded as in a baseline scan;
- DC, refinement (:func:`_dc_refine`): one raw bit a block;
- AC, first pass (:func:`_ac_first`): (run, size) symbols as in a baseline scan, plus *EOB runs*: one symbol
  says that the next ``n`` blocks have nothing more in this band;
- AC, refinement (:func:`_ac_refine`): a new level (now +-1) as a (run, 1) symbol and its sign, and one raw
  *correction bit* for each level that was non-zero already, sent after the next symbol.

Each function returns the scan as entries ``(table, symbol, size, bits)``: a
Huffman symbol of table 0..3 (as in :class:`._entropy._Symbols`) followed by
``size`` raw bits, or table -1 for raw bits alone. The functions follow
libjpeg's ``jcphuff.c`` step for step, so that for the same levels and tables
our file and libjpeg's have the same bytes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import huffman
from ._entropy import _amplitude

#: No Huffman code: the entry is raw bits only (a DC refinement bit, a sign, a correction bit).
_RAW = -1
#: libjpeg's longest EOB run (T.81 allows 32767) and its limit on correction bits waiting for an EOB.
_MAX_EOB_RUN, _MAX_WAITING_BITS = 0x7FFF, 1000 - 63


class Scan(NamedTuple):
    """One scan of a progressive file: which components, which band, which bits."""

    components: tuple[int, ...]  # indices into the frame (0 = Y or grey)
    start: int  # first zigzag position of the band (0 = DC)
    end: int  # last zigzag position of the band
    high: int  # the bit above the one this scan sends (0: the first pass over this band)
    low: int  # the lowest bit this scan sends


def script(components: int) -> tuple[Scan, ...]:
    """libjpeg's default progressive script (``jpeg_simple_progression``), for 1 or 3 components.

    The DC of all components first (all but its last bit), then the first
    few luma frequencies, coarsely, so that a blurry picture appears early;
    then the chroma bands and the rest of luma; then each level's last bits.
    """
    if components == 1:
        return (
            Scan((0,), 0, 0, 0, 1), Scan((0,), 1, 5, 0, 2), Scan((0,), 6, 63, 0, 2),
            Scan((0,), 1, 63, 2, 1), Scan((0,), 0, 0, 1, 0), Scan((0,), 1, 63, 1, 0),
        )  # fmt: skip
    return (
        Scan((0, 1, 2), 0, 0, 0, 1), Scan((0,), 1, 5, 0, 2), Scan((2,), 1, 63, 0, 1),
        Scan((1,), 1, 63, 0, 1), Scan((0,), 6, 63, 0, 2), Scan((0,), 1, 63, 2, 1),
        Scan((0, 1, 2), 0, 0, 1, 0), Scan((2,), 1, 63, 1, 0), Scan((1,), 1, 63, 1, 0),
        Scan((0,), 1, 63, 1, 0),
    )  # fmt: skip


class _Writer:
    """The entries of one scan, in the order written, and its pending EOB run."""

    def __init__(self, table: int, longest_run: int) -> None:
        self.entries: list[tuple[int, int, int, int]] = []
        self.table = table  # the AC table of this scan's component
        self.longest_run = longest_run  # 1 with the standard tables: they have no EOB-run symbols
        self.eob_run = 0  # blocks waiting for one EOB-run symbol
        self.waiting: list[int] = []  # correction bits of those blocks, sent after it

    def symbol(self, symbol: int, size: int = 0, bits: int = 0) -> None:
        self.entries.append((self.table, symbol, size, bits))

    def raw(self, bits: list[int]) -> None:
        self.entries += [(_RAW, 0, 1, b) for b in bits]

    def end_block(self, correction_bits: list[int]) -> None:
        """This block's band ends with zeros: one more block in the EOB run."""
        self.eob_run += 1
        self.waiting += correction_bits
        if self.eob_run == self.longest_run or len(self.waiting) > _MAX_WAITING_BITS:
            self.flush()

    def flush(self) -> None:
        """Send the EOB run: symbol ``r << 4`` with ``2**r <= run``, the run's low ``r`` bits, the waiting bits."""
        if self.eob_run:
            r = self.eob_run.bit_length() - 1
            self.symbol(r << 4, r, self.eob_run & ((1 << r) - 1))
            self.eob_run = 0
            self.raw(self.waiting)
            self.waiting = []


def _dc_first(dc: np.ndarray, owner: np.ndarray, low: int) -> list[tuple[int, int, int, int]]:
    """DC, first pass: each block's DC shifted right by ``low`` (rounding down, as libjpeg), as a difference."""
    shifted = dc.astype(np.int64) >> low
    difference = np.empty_like(shifted)
    for c in np.unique(owner):  # DC prediction, separately for each component
        mine = owner == c
        difference[mine] = np.diff(shifted[mine], prepend=0)
    size, bits = huffman._amplitude_bits(difference)
    table = 2 * (owner > 0)
    return list(zip(table.tolist(), size.tolist(), size.tolist(), bits.tolist(), strict=True))


def _dc_refine(dc: np.ndarray, low: int) -> list[tuple[int, int, int, int]]:
    """DC, refinement: bit ``low`` of each block's DC, raw."""
    return [(_RAW, 0, 1, b) for b in ((dc.astype(np.int64) >> low) & 1).tolist()]


def _ac_first(band: np.ndarray, low: int, table: int, longest_run: int) -> list[tuple[int, int, int, int]]:
    """AC, first pass over ``band`` (blocks x band positions): levels ``sign * (|level| >> low)``."""
    shifted = np.sign(band) * (np.abs(band) >> low)
    out = _Writer(table, longest_run)
    width = band.shape[1]
    for row in shifted:
        (nonzero,) = np.nonzero(row)
        if nonzero.size:
            out.flush()
        previous = -1
        for k in nonzero.tolist():
            run = k - previous - 1
            while run > 15:
                out.symbol(0xF0)  # ZRL: 16 zeros
                run -= 16
            size, bits = _amplitude(int(row[k]))
            out.symbol(run << 4 | size, size, bits)
            previous = k
        if previous < width - 1:
            out.end_block([])
    out.flush()
    return out.entries


def _ac_refine(band: np.ndarray, low: int, table: int, longest_run: int) -> list[tuple[int, int, int, int]]:
    """AC, refinement over ``band``: bit ``low`` of every level (libjpeg's ``encode_mcu_AC_refine``).

    A level whose ``|level| >> low`` is 1 is new: it is sent as symbol
    ``run << 4 | 1`` (``run``: the levels still zero before it), then its sign
    (1 positive). One larger was sent before: it gets a correction bit, bit
    ``low`` of ``|level|``, held back and sent after the next symbol (a new
    level, a ZRL or the EOB run), which is where the decoder reads it.
    """
    magnitude = np.abs(band) >> low
    out = _Writer(table, longest_run)
    width = band.shape[1]
    for row, signs in zip(magnitude, band, strict=True):
        (listed,) = np.nonzero(row)
        new = np.flatnonzero(row == 1)
        last_new = int(new[-1]) if new.size else -1  # after it, zeros go into the EOB run, not ZRLs
        run, previous, held = 0, -1, []
        for k in listed.tolist():
            run += k - previous - 1
            previous = k
            while run > 15 and k <= last_new:
                out.flush()
                out.symbol(0xF0)
                run -= 16
                out.raw(held)
                held = []
            if row[k] > 1:
                held.append(int(row[k]) & 1)
                continue
            out.flush()
            out.symbol(run << 4 | 1, 1, int(signs[k] > 0))
            out.raw(held)
            run, held = 0, []
        run += width - 1 - previous
        if run or held:
            out.end_block(held)
    out.flush()
    return out.entries


def scan_entries(frame: np.ndarray, layout, scan: Scan, longest_run: int) -> list[tuple[int, int, int, int]]:
    """The entries of one scan of the script, from the frame's levels (blocks x 64, dummy blocks included)."""
    index, owner = layout.scan_order(scan.components)
    if scan.start == 0:
        dc = frame[index, 0]
        return _dc_first(dc, owner, scan.low) if scan.high == 0 else _dc_refine(dc, scan.low)
    band = frame[index, scan.start : scan.end + 1].astype(np.int64)
    table = 1 + 2 * (scan.components[0] > 0)
    write = _ac_first if scan.high == 0 else _ac_refine
    return write(band, scan.low, table, longest_run)


def pack(entries: list[tuple[int, int, int, int]], specs: dict[int, huffman.HuffmanSpec]) -> bytes:
    """The scan's bytes: each entry's Huffman code (none for raw bits) and its bits, padded and stuffed."""
    if not entries:
        return b""
    table, symbol, size, bits = (np.array(column, np.int64) for column in zip(*entries, strict=True))
    codes = np.zeros((5, 256), np.int64)  # row 4 (= table -1): raw bits, no code
    lengths = np.zeros((5, 256), np.int64)
    for t, spec in specs.items():
        codes[t], lengths[t] = huffman.code_table(spec)
    code, length = codes[table, symbol], lengths[table, symbol]
    if np.any((length == 0) & (table != _RAW)):
        raise AssertionError("a symbol of the scan has no Huffman code")  # the tables come from these symbols
    return huffman._pack_bits(code << size | bits, length + size)


def counts(entries: list[tuple[int, int, int, int]]) -> dict[int, np.ndarray]:
    """How often each symbol of each Huffman table occurs in the scan (raw bits left out)."""
    table = np.array([e[0] for e in entries], np.int64)
    symbol = np.array([e[1] for e in entries], np.int64)
    return {
        int(t): np.bincount(symbol[table == t], minlength=256)
        for t in np.unique(table) if t != _RAW
    }  # fmt: skip
