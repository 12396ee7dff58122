"""Run-length symbols and their Huffman codes: written by the encoder, read by the decoder.

:func:`block_symbols` and :func:`block_bit_string` code one block in plain
steps, as chapter 08 does: they are the reference path. :func:`_run_length`
turns the zigzag levels of a scan's blocks into the same symbols, all blocks
at once, for the encoder (the tests hold it equal to :func:`block_symbols`);
:func:`_decode_scan` is its inverse, one symbol at a time, straight from the
bits of a file, and :func:`_decode_progressive_scan` reads a progressive
file's scans. Both read through :class:`_Reader`, which reads damaged data as
libjpeg does; and both have a fast way (the bit buffer in local variables)
for the bulk of the data and the reader's methods for the end of it. A big
scan's bulk goes to the same loops compiled by numba, where it is installed
(:mod:`._compiled`, through :class:`_Compiled`).
"""

from __future__ import annotations

from collections.abc import MutableSequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .. import huffman
from .._checks import _describe, array, integer
from . import _compiled, _markers

#: What each symbol of the scan is (_Symbols.kind); bit_budget() counts bits by kind.
_DC, _AC, _ZRL, _EOB = 0, 1, 2, 3


class _Symbols(NamedTuple):
    """The scan as a list of Huffman symbols, one entry per symbol, in the order written."""

    kind: np.ndarray  # _DC, _AC, _ZRL or _EOB
    table: np.ndarray  # 0 DC luma, 1 AC luma, 2 DC chroma, 3 AC chroma
    symbol: np.ndarray  # the byte the Huffman code stands for
    size: np.ndarray  # number of amplitude bits after the code
    bits: np.ndarray  # the amplitude bits themselves
    block: np.ndarray  # index of the block that sends it, in scan order


def _amplitude(value: int) -> tuple[int, int]:
    """(size, extra bits) of one whole number: as many bits as ``|value|`` needs, negatives complemented."""
    size = abs(value).bit_length()
    return size, value if value >= 0 else value + (1 << size) - 1


def block_symbols(zigzag: np.ndarray, previous_dc: int = 0) -> list[tuple[int, int, int]]:
    """JPEG's symbols for one block, step by step (T.81 F.1.2): the reference path.

    1. **DC**: the difference from the previous block's DC level; its symbol
       is the difference's size (how many bits ``|difference|`` needs).
    2. **AC**: for each nonzero level, ``run << 4 | size``, where ``run``
       counts the zeros before it; a run of 16 zeros or more first sends
       ZRL (0xF0) for each 16.
    3. **EOB** (0x00) ends the block when its last level is zero.

    Every symbol is followed by ``size`` amplitude bits: the value itself if
    positive, ``value + 2**size - 1`` if negative. This is chapter 08's
    ``block_symbols`` in plain Python, one level at a time; the encoder does
    the same for all blocks at once (the tests hold the two equal).

    Parameters
    ----------
    zigzag : numpy.ndarray
        The block's 64 integer levels in zigzag order (:func:`to_zigzag`);
        AC levels within -1023..1023.
    previous_dc : int
        The DC level of the previous block of the same component (0 for the first).

    Returns
    -------
    list of (int, int, int)
        ``(symbol, size, bits)`` in the order written, the DC symbol first.

    Examples
    --------
    DC 5 (3 bits, ``101``), two zeros, 3 (run 2, size 2: symbol 0x22), then -1
    (symbol 0x01, its one bit 0), then EOB:

    >>> zigzag = np.zeros(64, int)
    >>> zigzag[[0, 3, 4]] = 5, 3, -1
    >>> block_symbols(zigzag)
    [(3, 3, 5), (34, 2, 3), (1, 1, 0), (0, 0, 0)]

    The next block's DC is sent as the difference, here 5 - 5 = 0:

    >>> block_symbols(zigzag, previous_dc=5)[0]
    (0, 0, 0)
    """
    levels = _levels(zigzag)
    previous_dc = integer(previous_dc, "previous_dc")
    difference = levels[0] - previous_dc
    if abs(difference) >= 1 << 11:
        raise ValueError(f"the DC difference zigzag[0] - previous_dc must be within -2047..2047, got {difference}")
    size, bits = _amplitude(difference)
    symbols = [(size, size, bits)]
    last = max((k for k in range(1, 64) if levels[k] != 0), default=0)  # the last nonzero AC level
    run = 0
    for k in range(1, last + 1):
        if levels[k] == 0:
            run += 1
            continue
        while run > 15:
            symbols.append((0xF0, 0, 0))  # ZRL: 16 zeros
            run -= 16
        size, bits = _amplitude(levels[k])
        symbols.append((run << 4 | size, size, bits))
        run = 0
    if last < 63:
        symbols.append((0x00, 0, 0))  # EOB: only zeros follow
    return symbols


def _levels(zigzag: object) -> list[int]:
    """The 64 checked levels of one block as Python integers."""
    zigzag = array(zigzag, "zigzag", ndim=1)
    if zigzag.dtype.kind not in "iu":
        raise TypeError(f"zigzag must hold integer levels, got dtype {zigzag.dtype}")
    if zigzag.shape != (64,):
        raise ValueError(f"zigzag must hold one block's 64 levels, got shape {zigzag.shape}")
    levels = [int(v) for v in zigzag]
    if max(abs(v) for v in levels[1:]) >= 1 << 10:
        raise ValueError(f"AC levels zigzag[1:] must be within -1023..1023, got {zigzag[1:].min()}..{zigzag[1:].max()}")
    return levels


def block_bit_string(
    zigzag: np.ndarray,
    previous_dc: int = 0,
    dc_table: huffman.HuffmanSpec = huffman.DC_LUMINANCE,
    ac_table: huffman.HuffmanSpec = huffman.AC_LUMINANCE,
) -> str:
    """The bits of one coded block, as a string of 0s and 1s: the reference path.

    Each of :func:`block_symbols` becomes its Huffman code (``dc_table`` for
    the first, ``ac_table`` for the rest), followed by its amplitude bits.
    A grey JPEG's scan is these strings of its blocks one after another,
    padded with 1-bits to a whole byte, with a 0x00 stuffed after every 0xFF.

    Parameters
    ----------
    zigzag : numpy.ndarray
        The block's 64 integer levels in zigzag order.
    previous_dc : int
        The DC level of the previous block of the same component.
    dc_table, ac_table : helpers.huffman.HuffmanSpec
        The Huffman tables; by default the standard luminance ones (T.81 K.3).

    Returns
    -------
    str

    Examples
    --------
    A flat block of DC level 2: the DC code for size 2 (``011``), the bits
    ``10``, then EOB (``1010``):

    >>> flat = np.zeros(64, int)
    >>> flat[0] = 2
    >>> block_bit_string(flat)
    '011101010'
    """
    tables = []
    for name, spec in (("dc_table", dc_table), ("ac_table", ac_table)):
        if not isinstance(spec, huffman.HuffmanSpec):
            raise TypeError(f"{name} must be a HuffmanSpec, got {_describe(spec)}")
        tables.append((name, *huffman.code_table(spec)))
    bits = ""
    for i, (symbol, size, amplitude) in enumerate(block_symbols(zigzag, previous_dc)):
        name, codes, lengths = tables[min(i, 1)]
        if not lengths[symbol]:
            raise ValueError(f"{name} has no code for symbol 0x{symbol:02X}")
        bits += format(int(codes[symbol]), f"0{lengths[symbol]}b")
        if size:
            bits += format(amplitude, f"0{size}b")
    return bits


def _run_length(blocks: np.ndarray, component: np.ndarray) -> _Symbols:
    """Turn zigzag levels into JPEG's symbols (T.81 F.1.2), for all blocks at once.

    Each block sends its DC as the difference from the previous block of the
    same component (symbol: the difference's size), then for each nonzero AC
    level the zeros before it and its size (symbol ``run << 4 | size``); a
    run of 16 zeros or more first sends ZRL (0xF0) for each 16, and EOB
    (0x00) ends a block whose last level is zero. Every symbol is followed
    by ``size`` amplitude bits (:func:`helpers.huffman.amplitude_bits`).
    """
    n = len(blocks)
    dc = blocks[:, 0].astype(np.int64)
    difference = np.empty_like(dc)
    for c in np.unique(component):  # DC prediction, separately for each component
        mine = component == c
        difference[mine] = np.diff(dc[mine], prepend=0)

    block, position = np.nonzero(blocks[:, 1:])  # every nonzero AC level, block by block
    position += 1
    first = np.diff(block, prepend=-1) != 0  # the first nonzero level of its block?
    last = np.diff(block, append=n) != 0  # the last one?
    run = position - np.where(first, 0, np.roll(position, 1)) - 1  # zeros before it
    zrl = run >> 4  # ZRL symbols it needs first
    end = np.zeros(n, np.int64)
    end[block[last]] = position[last]
    needs_eob = end < 63

    # Where each symbol goes: a block sends 1 DC, zrl + 1 symbols per nonzero level, maybe EOB.
    step = zrl + 1
    per_block = np.bincount(block, weights=step, minlength=n).astype(np.int64)
    count = 1 + per_block + needs_eob
    start = np.cumsum(count) - count  # index of each block's DC symbol
    before = np.cumsum(per_block) - per_block  # AC symbols in all earlier blocks
    at = start[block] + np.cumsum(step) - before[block]  # index of each nonzero's own symbol

    total = int(count.sum())
    kind = np.full(total, _ZRL, np.int8)  # whatever is not set below is a ZRL
    runs = np.full(total, 15, np.int64)
    amplitude = np.zeros(total, np.int64)
    kind[start], runs[start], amplitude[start] = _DC, 0, difference
    kind[at], runs[at], amplitude[at] = _AC, run & 15, blocks[block, position]
    eob = (start + count - 1)[needs_eob]
    kind[eob], runs[eob] = _EOB, 0
    size, bits = huffman._amplitude_bits(amplitude)
    symbol = np.where(kind == _DC, size, runs << 4 | size)
    table = 2 * (np.repeat(component, count) > 0) + (kind != _DC)
    return _Symbols(kind, table, symbol, size, bits, np.repeat(np.arange(n), count))


#: The tables of T.81 Annex K.3, in the order of _Symbols.table.
_STANDARD = (
    huffman.DC_LUMINANCE,
    huffman.AC_LUMINANCE,
    huffman.DC_CHROMINANCE,
    huffman.AC_CHROMINANCE,
)


def _specs(symbols: _Symbols, tables: int, optimize: bool) -> list[huffman.HuffmanSpec]:
    """The Huffman tables for these symbols: the best ones (T.81 K.2) or the standard ones."""
    if optimize:
        counts = np.bincount(symbols.table * 256 + symbols.symbol, minlength=tables * 256)
        return [huffman.optimal_spec(c) for c in counts.reshape(tables, 256)]
    return list(_STANDARD[:tables])


# Building a decoder table takes about a millisecond; the same few tables come back often.
_decoder_table = lru_cache(maxsize=16)(huffman.decoder_table)


class _Reader(huffman.BitReader):
    """A :class:`helpers.huffman.BitReader` that reads damaged data as libjpeg does, reporting each defect.

    Strict (``damage.strict``), it is the BitReader itself: the first defect
    raises. Lenient, it follows libjpeg-turbo's ``jdhuff.c`` and ``jdmarker.c``:

    - when the data of a restart interval ends before its last MCU (the file
      is cut, or a marker comes early), the reader gives 0-bits, as libjpeg
      does, and :attr:`starved` turns True: the scan leaves its remaining
      MCUs alone until the next restart (libjpeg: "premature end of data segment");
    - whole bytes left before an RST marker are skipped ("extraneous bytes");
    - bits that start no Huffman code: 17 of them are dropped and the symbol is 0 ("bad Huffman code");
    - a missing or wrongly numbered RST marker is resynchronised as
      ``jpeg_resync_to_restart`` does: the next one or two numbers mean that
      markers were lost (the intervals in between come out empty), the one or
      two before mean stray markers (skipped with their data), anything else
      is taken as the marker expected.
    """

    def __init__(self, data: bytes, damage: _markers.Damage, offset: int) -> None:
        super().__init__(data)
        self.damage, self.offset = damage, offset
        self.lenient = not damage.strict
        self._followers = [0xD0 + n for n in self._restarts]  # the marker after each segment
        if self.lenient:  # a marker below SOF0 splits the data too; the resync skips it
            self._segments, self._followers, pieces, start = [], [], [], 0
            for match in huffman._bits._MARKER.finditer(data):
                pieces.append(data[start : match.start()])
                start, follower = match.end(), match.group(1)
                if follower == b"\x00":
                    pieces.append(b"\xff")
                    continue
                self._segments.append(b"".join(pieces))
                pieces = []
                if not follower or 0xC0 <= follower[0] and not 0xD0 <= follower[0] <= 0xD7:
                    break
                self._followers.append(follower[0])
            else:
                self._segments.append(b"".join(pieces) + data[start:])
            self._restarts = [f - 0xD0 if 0xD0 <= f <= 0xD7 else -1 for f in self._followers]
            self._data = self._segments[0]
        self._pad = 0  # 0-bits given after the interval's data ended
        self._empty = False  # this interval has no data at all (its marker was left for later)

    @property
    def starved(self) -> bool:
        """True once the interval's data is used up: the reader has given made-up 0-bits."""
        return self._empty or self._nbits < self._pad

    def where(self) -> str:
        return f"the scan at byte {self.offset}, restart interval {self._index}"

    def _refill(self) -> None:
        super()._refill()
        if self.lenient and self._nbits < 32 and self._pos == len(self._data):
            self._acc = (self._acc & ((1 << self._nbits) - 1)) << 32  # libjpeg's fill_bit_buffer: zeros
            self._nbits += 32
            self._pad += 32

    def _bad_code(self) -> int:
        """Bits that start no code: libjpeg warns, drops 17 bits and reads symbol 0 (``jpeg_huff_decode``)."""
        if not self.lenient:
            return super()._bad_code()
        self.damage(f"corrupt JPEG data: bad Huffman code in {self.where()}")
        self.read_bits(9)
        self.read_bits(8)
        return 0

    def read_restart(self, number: int) -> None:
        if not self.lenient:
            super().read_restart(number)
            return
        starved = self.starved  # libjpeg's insufficient_data: it stays set if the marker is left for later
        real = max(self._nbits - self._pad, 0)
        left = (real - (real & 7)) // 8 + len(self._data) - self._pos
        if left:
            self.damage(f"corrupt JPEG data: {left} extraneous bytes before RST{number} in {self.where()}")
        while True:
            found = self._restarts[self._index] if self._index < len(self._restarts) else None
            if found == number:
                self._next(self._index + 1)
                return
            if found is None:
                seen = "the end of the scan"
            elif found < 0:
                seen = f"marker 0x{self._followers[self._index]:02X}"
            else:
                seen = f"RST{found}"
            self.damage(f"corrupt JPEG data: found {seen} instead of RST{number} in {self.where()}")
            if found is not None and found < 0:
                self._index += 1  # not a marker a scan can have: skip it and its data, then look again
                continue
            if found is None or found in ((number + 1) % 8, (number + 2) % 8):
                self._data, self._pos, self._acc, self._nbits, self._pad = b"", 0, 0, 0, 0
                self._empty = starved  # markers were lost: this interval has no data, the marker waits
                return
            if found in ((number - 1) % 8, (number - 2) % 8):
                self._index += 1  # a stray marker: skip it and its data, then look again
                continue
            self._next(self._index + 1)  # take it for the marker expected
            return

    def past_the_band(self, block: int, end: int, k: int = 64, band: bool = True) -> int:
        """A run that goes past the band's last level ``end``: where libjpeg puts its level anyway.

        libjpeg does not check; its zigzag table has 16 more entries, all 63,
        so the level lands at ``k`` inside the block, or at 63 past it. Strict, this raises.
        """
        if self.lenient:
            self.damage(f"corrupt JPEG data: block {block} of {self.where()} goes past level {end} of its band; "
                        "its level is put where libjpeg puts it")
            return min(k, 63)
        raise ValueError(f"corrupt JPEG: block {block} of a scan goes past level {end}{' of its band' if band else ''}")

    def leftover(self) -> None:
        """At the end of the scan: whole bytes of data left after its last MCU are reported.

        A marker below SOF0 right after them is refused, as libjpeg refuses it ("unsupported marker").
        """
        if self._index < len(self._followers) and self._followers[self._index] not in (0x01, *_markers.RST):
            code = self._followers[self._index]
            raise ValueError(f"corrupt JPEG: unexpected marker 0x{code:02X} after the last MCU of {self.where()}")
        real = max(self._nbits - self._pad, 0)
        left = (real - (real & 7)) // 8 + len(self._data) - self._pos
        if left and not self._empty:
            self.damage(f"corrupt JPEG data: {left} extraneous bytes after the last MCU of {self.where()}")

    def _next(self, index: int) -> None:
        self._index = index
        self._data, self._pos, self._acc, self._nbits, self._pad = self._segments[index], 0, 0, 0, 0
        self._empty = False


@lru_cache(maxsize=16)
def _ac_lookup(table: tuple[int, ...]) -> list[int]:
    """An AC decoder table that also reads the amplitude: the next 16 bits -> the whole step.

    For every 16-bit pattern whose Huffman code and amplitude bits both fit
    in it (nearly every step of a photograph), the entry packs how many bits
    the step takes (``& 31``), the run of zeros (``>> 5 & 31``) and the
    level itself (``>> 10``, signed; 0 for EOB and ZRL). Entries that do
    not fit, or start no code, are 0: the slow path reads those.
    """
    entry = np.array(table, np.int64)
    length, run, size = entry >> 8, (entry >> 4) & 15, entry & 15
    pattern = np.arange(1 << huffman.MAX_LENGTH, dtype=np.int64)
    fits = (entry > 0) & (length + size <= huffman.MAX_LENGTH)
    shift = np.where(fits, huffman.MAX_LENGTH - length - size, 0)
    bits = (pattern >> shift) & ((1 << size) - 1)
    value = np.where(bits < (1 << np.maximum(size - 1, 0)), bits - (1 << size) + 1, bits)
    value = np.where(size > 0, value, 0)
    packed = (length + size) | run << 5 | value << 10
    return np.where(fits, packed, 0).tolist()


class _Compiled:
    """One scan's arrays for the compiled loops (:mod:`._compiled`), made once; each method reads on from the reader.

    Each reads the blocks ``first`` on that it can, puts the reader at the
    first block it did not read, and returns that block (``first`` itself if
    it read none: the Python code goes on from there).
    """

    def __init__(self, blocks: list[int], owner: list[int], tables: list, levels: MutableSequence[int]) -> None:
        self.blocks, self.owner = np.array(blocks, np.int64), np.array(owner, np.int64)
        self.dc_tables, self.ac_tables = _compiled.tables(tables)
        self.levels = _as_numpy(levels)
        self.limits = _compiled.limits(self.levels)
        self._segment, self._data = None, None

    def _bit(self, reader: _Reader) -> int | None:
        """Where the reader is, as a bit of its interval's data; None where the compiled loops cannot start."""
        if reader._pad or reader._empty:
            return None
        if reader._data is not self._segment:
            self._segment, self._data = reader._data, np.frombuffer(reader._data, np.uint8)
        bit = 8 * reader._pos - reader._nbits
        return bit if (bit >> 3) + 1 <= len(self._data) - _compiled.MARGIN else None

    def _stop(self, reader: _Reader, bit: int) -> None:
        reader._acc, reader._nbits, reader._pos = _resume(reader._data, bit)

    def baseline(self, reader: _Reader, first: int, stop: int, prediction: list[int]) -> int:
        bit = self._bit(reader)
        if bit is None:
            return first
        kept = np.array(prediction, np.int64)
        j, bit = _compiled.loops().baseline(self._data, bit, self.blocks, self.owner, self.dc_tables,
                                            self.ac_tables, first, stop, kept, self.levels, *self.limits)
        self._stop(reader, bit)
        prediction[:] = kept.tolist()
        return j

    def dc_first(self, reader: _Reader, first: int, stop: int, prediction: list[int], low: int) -> int:
        bit = self._bit(reader)
        if bit is None:
            return first
        kept = np.array(prediction, np.int64)
        j, bit = _compiled.loops().dc_first(self._data, bit, self.blocks, self.owner, self.dc_tables, first,
                                            stop, kept, low, self.levels, *self.limits)
        self._stop(reader, bit)
        prediction[:] = kept.tolist()
        return j

    def ac(self, reader: _Reader, first: int, stop: int, band: tuple[int, int, int, int], eob_run: int
           ) -> tuple[int, int]:
        """An AC band, first scan or refinement; returns the first block not read and the EOB run there."""
        bit = self._bit(reader)
        if bit is None:
            return first, eob_run
        start, end, high, low = band
        loops = _compiled.loops()
        loop = loops.ac_refine if high else loops.ac_first
        j, bit, eob_run = loop(self._data, bit, self.blocks, self.ac_tables[self.owner[first]], first, stop, start, end,
                               low, eob_run, self.levels, *self.limits)
        self._stop(reader, bit)
        return j, eob_run


def _decode_scan(
    data: bytes,
    blocks: list[int],
    owner: list[int],
    per_mcu: int,
    tables: list[tuple[tuple[int, ...], tuple[int, ...]]],
    restart: int,
    levels: MutableSequence[int],
    damage: _markers.Damage | None = None,
    offset: int = 0,
) -> None:
    """Huffman-decode the entropy-coded data of one scan (T.81 F.2.2).

    The inverse of :func:`_run_length`, one symbol at a time: for each block
    read the DC difference and add it to the component's prediction, then
    read (run, size) symbols and amplitudes until EOB or the 63rd AC level.
    Writes every level sent into ``levels`` at ``block * 64 + zigzag
    index`` (the rest stay 0). ``tables`` holds
    the (DC, AC) decoder tables of each component of the scan; every
    ``restart`` MCUs (0: never) the data has an RST marker and the
    predictions start again from 0. Damaged data (see :class:`_Reader`)
    is reported to ``damage`` (strict if not given), with ``offset`` (the
    data's place in the file) to say where; MCUs with no data left are not
    sent, so their levels stay 0 (grey), as libjpeg leaves them.

    Speed: this loop is most of a decode's time. Each block is read one of
    two ways, with the same steps: while 8 bytes or more of the interval's
    data are left, with the bit buffer in local variables and one look-up a
    step (:func:`_ac_lookup`); near the end, through the reader's methods,
    which know what to do when the data runs out. In a scan of
    ``_compiled.THRESHOLD`` blocks or more, compiled loops read the bulk
    first, when numba is installed (:mod:`._compiled`).
    """
    reader = _Reader(data, damage or _markers.Damage(strict=True), offset)
    read_symbol, read_amplitude = reader.decode_huffman, reader.receive_extend
    fast = [(dc, ac, _ac_lookup(ac)) for dc, ac in tables]
    compiled = _Compiled(blocks, owner, tables, levels) if _compiled.wanted(len(blocks)) else None
    interval = restart * per_mcu if restart else len(blocks)
    for number, first in enumerate(range(0, len(blocks), interval)):
        if number:
            reader.read_restart((number - 1) % 8)
        prediction = [0] * len(tables)
        stop = min(first + interval, len(blocks))
        segment, end = reader._data, len(reader._data) - 8
        done = first
        for j in range(first, stop):
            if j < done:  # read by the compiled loop already
                continue
            if compiled is not None:  # a big scan: compiled, as far as it goes (the same steps as below)
                done = compiled.baseline(reader, j, stop, prediction)
                if done > j:
                    continue
            c, base = owner[j], blocks[j] * 64
            if reader._pos <= end:  # the fast way: bit buffer in local variables
                dc_table, ac_table, lookup = fast[c]
                acc, nbits, pos = reader._acc, reader._nbits, reader._pos
                if nbits < 32:
                    acc = (acc & ((1 << nbits) - 1)) << 48 | int.from_bytes(segment[pos : pos + 6], "big")
                    nbits, pos = nbits + 48, pos + 6
                entry = dc_table[(acc >> (nbits - 16)) & 0xFFFF]
                if entry:
                    nbits -= entry >> 8
                    size = entry & 0xFF
                    if size:
                        nbits -= size
                        bits = (acc >> nbits) & ((1 << size) - 1)
                        prediction[c] += bits if bits >> (size - 1) else bits - (1 << size) + 1
                    levels[base] = prediction[c]
                    k = 1
                    while k < 64:
                        if nbits < 32:
                            if pos > end:
                                break
                            acc = (acc & ((1 << nbits) - 1)) << 48 | int.from_bytes(segment[pos : pos + 6], "big")
                            nbits, pos = nbits + 48, pos + 6
                        peek = (acc >> (nbits - 16)) & 0xFFFF
                        step = lookup[peek]
                        if not step:  # code and amplitude take more than 16 bits, or a bad code
                            entry = ac_table[peek]
                            if not entry:
                                break  # the slow way below reports it
                            symbol, size = entry & 0xFF, entry & 15
                            nbits -= entry >> 8
                            bits = (acc >> (nbits - size)) & ((1 << size) - 1)
                            if size and not bits >> (size - 1):
                                bits -= (1 << size) - 1
                            step = (entry >> 8) + size | (symbol >> 4) << 5 | bits << 10
                            nbits += entry >> 8  # the step below takes it all again
                        nbits -= step & 31
                        level = step >> 10
                        if level:
                            k += step >> 5 & 31
                            if k > 63:
                                nbits += step & 31  # past the band: the slow way reports it
                                k -= step >> 5 & 31
                                break
                            levels[base + k] = level
                            k += 1
                        elif step >> 5 & 31 == 15:  # ZRL: 16 zeros
                            k += 16
                            if k > 64:
                                nbits += step & 31
                                k -= 16
                                break
                        else:  # EOB: the rest of the block is zero
                            k = 65
                    reader._acc, reader._nbits, reader._pos = acc, nbits, pos
                    if k == 65 or k == 64:
                        continue
                    _ac_levels_slowly(reader, ac_table, base, k, j, levels)
                    continue
                reader._acc, reader._nbits, reader._pos = acc, nbits, pos
            if (j - first) % per_mcu == 0 and reader.starved:  # the slow way: the reader's methods
                _starved(reader, (stop - j) // per_mcu)
                break
            dc_table, ac_table = tables[c]
            size = read_symbol(dc_table)
            if size:
                prediction[c] += read_amplitude(size)
            levels[base] = prediction[c]
            _ac_levels_slowly(reader, ac_table, base, 1, j, levels)
        else:
            if reader.starved:
                _starved(reader, 0)
    reader.leftover()


def _ac_levels_slowly(
    reader: _Reader, ac_table: tuple[int, ...], base: int, k: int, j: int, levels: MutableSequence[int]
) -> None:
    """The AC levels of block ``j`` from level ``k`` on, one method call a step (see :func:`_decode_scan`)."""
    read_symbol, read_amplitude = reader.decode_huffman, reader.receive_extend
    while k < 64:
        symbol = read_symbol(ac_table)
        run, size = symbol >> 4, symbol & 15
        if size:
            k += run
            if k > 63:
                k = reader.past_the_band(j, 63, band=False)
            levels[base + k] = read_amplitude(size)
            k += 1
        elif run == 15:  # ZRL: 16 zeros
            k += 16
            if k > 64:
                reader.past_the_band(j, 63, band=False)
        else:  # EOB: the rest of the block is zero
            break


def _starved(reader: _Reader, skipped: int) -> None:
    """Report a restart interval whose data ended before its last MCU."""
    rest = f"; its last {skipped} MCUs are not sent" if skipped else ""
    reader.damage(f"corrupt JPEG data: premature end of the data of {reader.where()}{rest}")


#: Bytes of data a block's AC band can take at most (64 steps of at most 32 bits): with this many
#: left, _ac_blocks_fast cannot run out of data inside a block.
_MARGIN = 64 * 4 + 8


def _ac_blocks_fast(
    reader: _Reader,
    ac_table: tuple[int, ...],
    levels: MutableSequence[int],
    blocks: list[int],
    first: int,
    stop: int,
    band: tuple[int, int, int, int],
    eob_run: int,
    positions: list[int],
    offsets: list[int],
) -> tuple[int, int]:
    """The AC band of blocks ``first`` on, as :func:`_decode_progressive_scan` reads it; returns where it stopped.

    The same steps as the slow way there, with the reader's bit buffer in
    local variables, refilled 6 bytes at a time. A block starts only with
    :data:`_MARGIN` bytes or more left, so the data cannot end inside it;
    it stops there, and before a refinement's long EOB run (:func:`_refine_run`
    reads those). Returns the first block not read and the EOB run.
    ``positions[offsets[j] : offsets[j + 1]]``: where block ``j``'s band
    already had non-zero levels before this refinement scan (:func:`_history`).
    """
    start, end, high, low = band
    one, minus_one = 1 << low, -1 << low
    segment, acc, nbits, pos = reader._data, reader._acc, reader._nbits, reader._pos
    limit = len(segment) - _MARGIN
    marks: list[int] = []  # a refinement: where each row of correction bits starts in the data
    firsts: list[int] = []  # and the first of positions[] it refines
    j = first - 1
    while j + 1 < stop:
        j += 1
        if pos > limit or (high and eob_run > 8):
            j -= 1
            break
        base = blocks[j] * 64
        k = start
        if high == 0:  # first scan of the band
            if eob_run:
                eob_run -= 1
                continue
            while k <= end:
                if nbits < 32:
                    acc = (acc & ((1 << nbits) - 1)) << 48 | int.from_bytes(segment[pos : pos + 6], "big")
                    nbits, pos = nbits + 48, pos + 6
                entry = ac_table[(acc >> (nbits - 16)) & 0xFFFF]
                if entry:
                    nbits -= entry >> 8
                    symbol = entry & 0xFF
                else:  # a bad code: the reader says what to do
                    reader._acc, reader._nbits, reader._pos = acc, nbits, pos
                    symbol = reader._bad_code()
                    acc, nbits, pos = reader._acc, reader._nbits, reader._pos
                run, size = symbol >> 4, symbol & 15
                if size:
                    k += run
                    if k > end:
                        k = reader.past_the_band(j, end, k)
                    nbits -= size
                    bits = (acc >> nbits) & ((1 << size) - 1)
                    levels[base + k] = (bits if bits >> (size - 1) else bits - (1 << size) + 1) << low
                    k += 1
                elif run == 15:  # ZRL: 16 zeros
                    k += 16
                else:  # an EOB run: this block and the next (1 << run) + bits - 1 are done
                    eob_run = (1 << run) - 1
                    if run:
                        nbits -= run
                        eob_run += (acc >> nbits) & ((1 << run) - 1)
                    break
            continue
        # Refinement: one more bit of every level. positions[h : known] are the band's levels
        # already non-zero in this block: only they get correction bits. Those bits come in a row
        # after each symbol (and its sign bit); they are skipped here, their place kept in
        # ``marks``, and applied to the levels all at once at the end (_apply_corrections).
        h, known = offsets[j], offsets[j + 1]
        if not eob_run:
            while k <= end:
                if nbits < 32:
                    acc = (acc & ((1 << nbits) - 1)) << 48 | int.from_bytes(segment[pos : pos + 6], "big")
                    nbits, pos = nbits + 48, pos + 6
                entry = ac_table[(acc >> (nbits - 16)) & 0xFFFF]
                if entry:
                    nbits -= entry >> 8
                    symbol = entry & 0xFF
                else:
                    reader._acc, reader._nbits, reader._pos = acc, nbits, pos
                    symbol = reader._bad_code()
                    acc, nbits, pos = reader._acc, reader._nbits, reader._pos
                zeros, size = symbol >> 4, symbol & 15
                new = 0
                if size:  # a level that was 0 becomes +-1 (shifted): its sign follows
                    nbits -= 1
                    new = one if (acc >> nbits) & 1 else minus_one
                elif zeros != 15:  # an EOB run, this block included: its rest is refined below
                    eob_run = 1 << zeros
                    if zeros:
                        nbits -= zeros
                        eob_run += (acc >> nbits) & ((1 << zeros) - 1)
                    break
                passed = h  # pass `zeros` levels still 0, and the non-zero ones on the way
                while h < known:
                    p = positions[h]
                    if zeros < p - k:
                        break
                    zeros, k, h = zeros - (p - k), p + 1, h + 1
                k = k + zeros if k + zeros <= end else end + 1  # the zero where a new level goes
                if h > passed:  # their correction bits, one each, in a row: skipped, their place kept
                    marks.append(8 * pos - nbits)
                    firsts.append(passed)
                    nbits -= h - passed
                    if nbits < 0:  # past the bits at hand: go on from the byte the next bit is in
                        acc, nbits, pos = _resume(segment, 8 * pos - nbits)
                if new:
                    if k > end:
                        k = reader.past_the_band(j, end, k)
                    levels[base + k] = new
                k += 1
        if eob_run:  # the band's rest in this block: only correction bits
            if h < known:  # (positions[h] >= k here: the symbols passed every one before k)
                marks.append(8 * pos - nbits)
                firsts.append(h)
                nbits -= known - h
                if nbits < 0:
                    acc, nbits, pos = _resume(segment, 8 * pos - nbits)
            eob_run -= 1
    reader._acc, reader._nbits, reader._pos = acc, nbits, pos
    if marks:
        _apply_corrections(segment, levels, blocks, first, j + 1, positions, offsets, marks, firsts, one)
    return j + 1, eob_run


def _resume(segment: bytes, bit: int) -> tuple[int, int, int]:
    """A fast path's bit buffer (acc, nbits, pos) that goes on at bit ``bit`` of the data."""
    return segment[bit >> 3], 8 - (bit & 7), (bit >> 3) + 1


def _as_numpy(levels: MutableSequence[int]) -> np.ndarray:
    """The decoder's level array (an ``array.array``, 16- or 64-bit, see ``_decoder._read_levels``) seen by numpy."""
    return np.frombuffer(levels, np.int16 if levels.itemsize == 2 else np.int64)


def _apply_corrections(
    segment: bytes,
    levels: MutableSequence[int],
    blocks: list[int],
    first: int,
    stop: int,
    positions: list[int],
    offsets: list[int],
    marks: list[int],
    firsts: list[int],
    one: int,
) -> None:
    """The correction bits :func:`_ac_blocks_fast` skipped for blocks ``first`` to ``stop``, applied at once.

    Every level of ``positions[offsets[first] : offsets[stop]]`` got exactly
    one bit, in that order, in rows: the row starting at bit ``marks[r]`` of
    the data refines ``positions[firsts[r]]`` and those after it, until the
    next row's first.
    """
    lo, hi = offsets[first], offsets[stop]
    firsts_ = np.array(firsts)
    counts = np.diff(np.append(firsts_, hi))
    where_bits = np.repeat(np.array(marks) - firsts_, counts) + np.arange(lo, hi)
    raw = np.frombuffer(segment, np.uint8)
    bits = (raw[where_bits >> 3] >> (7 - (where_bits & 7))) & 1
    owners = np.repeat(np.array(blocks[first:stop]) * 64, np.diff(offsets[first : stop + 1]))
    _grow(_as_numpy(levels), owners + np.array(positions[lo:hi]), bits.astype(bool), one)


def _grow(flat: np.ndarray, where: np.ndarray, bits: np.ndarray, one: int) -> None:
    """A refinement's correction bits for the non-zero levels ``flat[where]``: a 1 adds ``one`` to the magnitude.

    As libjpeg does, only if that bit is not set already (a scan script that sends it twice).
    """
    values = flat[where]
    grow = bits & (values & one == 0)
    flat[where[grow]] = values[grow] + np.where(values[grow] >= 0, one, -one)


def _history(
    levels: MutableSequence[int], blocks: list[int], start: int, end: int, first: int = 0
) -> tuple[list[int], list[int]]:
    """Where each block's band has levels already non-zero, before a refinement scan: positions and offsets.

    Block ``j`` (in scan order) has them at ``positions[offsets[j] : offsets[j + 1]]``, in order;
    the blocks before ``first`` (read already) are left out, as if they had none.
    """
    flat = _as_numpy(levels).reshape(-1, 64)
    order = np.array(blocks[first:])
    positions, counts = [], [np.zeros(first, np.int64)]
    for piece in range(0, len(order), 1 << 14):  # in pieces: a few MB at a time
        nonzero = flat[order[piece : piece + (1 << 14)], start : end + 1] != 0
        positions.append(np.nonzero(nonzero)[1] + start)
        counts.append(np.count_nonzero(nonzero, axis=1))
    offsets = np.concatenate([[0], np.cumsum(np.concatenate(counts))])
    return (np.concatenate(positions).tolist() if positions else []), offsets.tolist()


def _refine_run(
    reader: _Reader,
    levels: MutableSequence[int],
    blocks: list[int],
    j: int,
    count: int,
    band: tuple[int, int, int, int],
) -> bool:
    """Refine ``count`` blocks of an EOB run at once, from block ``j``; False (nothing done) if the data may end first.

    In an EOB run a refinement scan sends only correction bits, one for each
    level of the band already non-zero, block after block: a run of raw
    bits, read here all at once with numpy instead of one call a bit.
    """
    start, end, _, low = band
    one = 1 << low
    flat = _as_numpy(levels)
    where = np.array(blocks[j : j + count])[:, None] * 64 + np.arange(start, end + 1)
    band_levels = flat[where]
    nonzero = band_levels != 0
    bits = _raw_bits(reader, int(np.count_nonzero(nonzero)))
    if bits is None:
        return False
    _grow(flat, where[nonzero], bits, one)
    return True


def _dc_first_fast(
    reader: _Reader,
    levels: MutableSequence[int],
    blocks: list[int],
    owner: list[int],
    tables: list[tuple[tuple[int, ...] | None, tuple[int, ...] | None]],
    first: int,
    stop: int,
    prediction: list[int],
    low: int,
) -> int:
    """The DC differences of blocks ``first`` on, as the slow way reads them, while 8 bytes or more are left.

    Returns the first block not read (the slow way goes on from there, with ``prediction`` as left here).
    """
    segment, acc, nbits, pos = reader._data, reader._acc, reader._nbits, reader._pos
    limit = len(segment) - 8
    j = first
    while j < stop and pos <= limit:
        if nbits < 32:
            acc = (acc & ((1 << nbits) - 1)) << 48 | int.from_bytes(segment[pos : pos + 6], "big")
            nbits, pos = nbits + 48, pos + 6
        c = owner[j]
        entry = tables[c][0][(acc >> (nbits - 16)) & 0xFFFF]
        if not entry:
            break  # a bad code: the slow way says what to do
        nbits -= entry >> 8
        size = entry & 0xFF
        if size:
            nbits -= size
            bits = (acc >> nbits) & ((1 << size) - 1)
            prediction[c] += bits if bits >> (size - 1) else bits - (1 << size) + 1
        levels[blocks[j] * 64] = prediction[c] << low
        j += 1
    reader._acc, reader._nbits, reader._pos = acc, nbits, pos
    return j


def _raw_bits(reader: _Reader, count: int) -> np.ndarray | None:
    """The reader's next ``count`` bits at once, as booleans; None (nothing read) if its data may end first."""
    first_bit = 8 * reader._pos - reader._nbits
    if reader._pad or reader._empty or first_bit + count > 8 * len(reader._data):
        return None
    byte = first_bit // 8
    raw = np.frombuffer(reader._data, np.uint8, count=(first_bit + count + 7) // 8 - byte, offset=byte)
    bits = np.unpackbits(raw)[first_bit % 8 : first_bit % 8 + count].astype(bool)
    last = first_bit + count  # the reader goes on after the last bit read
    reader._pos, reader._nbits = (last + 7) // 8, -last % 8
    reader._acc = reader._data[last // 8] if reader._nbits else 0
    return bits


def _decode_progressive_scan(
    data: bytes,
    blocks: list[int],
    owner: list[int],
    per_mcu: int,
    tables: list[tuple[tuple[int, ...] | None, tuple[int, ...] | None]],
    restart: int,
    band: tuple[int, int, int, int],
    levels: MutableSequence[int],
    damage: _markers.Damage | None = None,
    offset: int = 0,
) -> None:
    """Huffman-decode one scan of a progressive file (T.81 G.1.2), into ``levels`` (block * 64 + zigzag index).

    A progressive file sends each block in pieces, scan after scan; ``band``
    (start, end, high, low) says which piece this scan holds:

    - **DC, first** (0..0, high 0): each block's DC difference, as in a
      baseline scan, shifted left by ``low``;
    - **DC, refinement** (high > 0): one bit a block, bit ``low`` of its DC;
    - **AC, first** (start..end, high 0): the levels start..end of one
      component's blocks, shifted left by ``low``, with (run, size) symbols as
      in a baseline scan, and one more kind: an **EOB run**, symbol r0 (r < 15),
      followed by r bits, says that this block and the next 2^r + those bits - 1
      blocks have nothing more in the band;
    - **AC, refinement** (high > 0): bit ``low`` of every level. A level
      already non-zero gets one correction bit; a new one (+1 or -1, shifted)
      is placed after a run of levels still zero, as libjpeg's
      ``decode_mcu_AC_refine`` reads it.

    Every ``restart`` MCUs the data has an RST marker: predictions and EOB runs start again.
    Damaged data: as in :func:`_decode_scan`; an MCU with no data left keeps the levels it had.
    """
    reader = _Reader(data, damage or _markers.Damage(strict=True), offset)
    read_symbol, read_amplitude, read_bits = reader.decode_huffman, reader.receive_extend, reader.read_bits
    start, end, high, low = band
    interval = restart * per_mcu if restart else len(blocks)
    one, minus_one = 1 << low, -1 << low
    positions: list[int] = []  # for _ac_blocks_fast in a refinement: made when first needed (_history)
    offsets: list[int] = []
    compiled = _Compiled(blocks, owner, tables, levels) if _compiled.wanted(len(blocks)) else None
    for number, first in enumerate(range(0, len(blocks), interval)):
        if number:
            reader.read_restart((number - 1) % 8)
        prediction, eob_run, done = [0] * len(tables), 0, first
        stop = min(first + interval, len(blocks))
        if start == 0 and high and not reader.starved:  # a DC refinement: one raw bit a block, all at once
            bits = _raw_bits(reader, stop - first)
            if bits is not None:
                flat = _as_numpy(levels)
                flat[np.array(blocks[first:stop])[bits] * 64] |= one
                done = stop
        if start == 0 and not high and not reader.starved:  # a DC band's first scan: the fast way, while it may
            if compiled is not None:
                done = compiled.dc_first(reader, first, stop, prediction, low)
            done = _dc_first_fast(reader, levels, blocks, owner, tables, done, stop, prediction, low)
        for j in range(first, stop):
            if j < done:  # refined already, with the rest of an EOB run
                continue
            if (j - first) % per_mcu == 0 and reader.starved:
                _starved(reader, (stop - j) // per_mcu)
                break
            if start and compiled is not None:  # a big scan's AC band: compiled, as far as it goes
                done, eob_run = compiled.ac(reader, j, stop, band, eob_run)
                if done > j:
                    continue
            if high and start and eob_run > 8 and _refine_run(reader, levels, blocks, j, min(eob_run, stop - j), band):
                eob_run, done = eob_run - min(eob_run, stop - j), j + min(eob_run, stop - j)
                continue
            base = blocks[j] * 64
            if start == 0:  # the DC band
                if high == 0:
                    c = owner[j]
                    size = read_symbol(tables[c][0])
                    if size:
                        prediction[c] += read_amplitude(size)
                    levels[base] = prediction[c] << low
                elif read_bits(1):
                    levels[base] |= one
                continue
            ac_table = tables[owner[j]][1]
            if len(reader._data) - reader._pos >= _MARGIN:  # the same steps, the bit buffer in local variables
                if high and not offsets:
                    positions, offsets = _history(levels, blocks, start, end, j)
                done, eob_run = _ac_blocks_fast(reader, ac_table, levels, blocks, j, stop, band, eob_run,
                                                positions, offsets)
                if done > j:
                    continue
            k = start
            if high == 0:  # an AC band, first scan
                if eob_run:
                    eob_run -= 1
                    continue
                while k <= end:
                    symbol = read_symbol(ac_table)
                    run, size = symbol >> 4, symbol & 15
                    if size:
                        k += run
                        if k > end:
                            k = reader.past_the_band(j, end, k)
                        levels[base + k] = read_amplitude(size) << low
                        k += 1
                    elif run == 15:  # ZRL: 16 zeros
                        k += 16
                    else:  # an EOB run: this block and the next (1 << run) + bits - 1 are done
                        eob_run = (1 << run) - 1 + (read_bits(run) if run else 0)
                        break
                continue
            # an AC band, refinement: one more bit of every level
            if not eob_run:
                while k <= end:
                    symbol = read_symbol(ac_table)
                    zeros, size = symbol >> 4, symbol & 15
                    new = 0
                    if size:  # a level that was 0 becomes +-1 (shifted): its sign follows
                        new = one if read_bits(1) else minus_one
                    elif zeros != 15:  # an EOB run, this block included: its rest is refined below
                        eob_run = (1 << zeros) + (read_bits(zeros) if zeros else 0)
                        break
                    while k <= end:  # correction bits for levels already non-zero, until `zeros` zeros are passed
                        value = levels[base + k]
                        if value:
                            if read_bits(1) and not value & one:
                                levels[base + k] = value + (one if value >= 0 else minus_one)
                        elif zeros:
                            zeros -= 1
                        else:
                            break
                        k += 1
                    if new:
                        if k > end:
                            k = reader.past_the_band(j, end, k)
                        levels[base + k] = new
                    k += 1
            if eob_run:  # the band's rest in this block: only correction bits
                while k <= end:
                    value = levels[base + k]
                    if value and read_bits(1) and not value & one:
                        levels[base + k] = value + (one if value >= 0 else minus_one)
                    k += 1
                eob_run -= 1
        else:
            if reader.starved:
                _starved(reader, 0)
    reader.leftover()
