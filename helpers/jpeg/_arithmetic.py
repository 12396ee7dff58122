"""Arithmetic-coded scans (SOF9, SOF10): the other entropy coder JPEG allows, read back.

Instead of a Huffman code per symbol, an arithmetic coder (T.81 Annex D, the
"QM coder") sends a stream of yes/no *decisions*: is this the end of the
block? is this level zero? is it negative? is its size above 2? ... Each
decision has its own *statistics bin*, a byte that holds which answer is
more probable and how probable (an index into Table D.2); the bins learn as
the scan goes, so nothing like a Huffman table is sent. F.1.4.4 says which
bin each decision uses, G.1.3 the same for progressive scans; an optional DAC
segment tunes three of those choices (the DC conditioning L and U, the AC
split Kx).

The decoder state, C, A and CT, follows libjpeg's ``jdarith.c``: the code
register C holds both the base of the interval and the bits not yet used,
CT of them.
"""

from __future__ import annotations

from .. import huffman

#: T.81 Table D.2: for each state, (Qe, next state after the less probable answer with the
#: "switch the more probable answer" flag in bit 7, next state after the more probable one).
_STATES = [
    (0x5A1D, 1 | 128, 1), (0x2586, 14, 2), (0x1114, 16, 3), (0x080B, 18, 4), (0x03D8, 20, 5),
    (0x01DA, 23, 6), (0x00E5, 25, 7), (0x006F, 28, 8), (0x0036, 30, 9), (0x001A, 33, 10),
    (0x000D, 35, 11), (0x0006, 9, 12), (0x0003, 10, 13), (0x0001, 12, 13), (0x5A7F, 15 | 128, 15),
    (0x3F25, 36, 16), (0x2CF2, 38, 17), (0x207C, 39, 18), (0x17B9, 40, 19), (0x1182, 42, 20),
    (0x0CEF, 43, 21), (0x09A1, 45, 22), (0x072F, 46, 23), (0x055C, 48, 24), (0x0406, 49, 25),
    (0x0303, 51, 26), (0x0240, 52, 27), (0x01B1, 54, 28), (0x0144, 56, 29), (0x00F5, 57, 30),
    (0x00B7, 59, 31), (0x008A, 60, 32), (0x0068, 62, 33), (0x004E, 63, 34), (0x003B, 32, 35),
    (0x002C, 33, 9), (0x5AE1, 37 | 128, 37), (0x484C, 64, 38), (0x3A0D, 65, 39), (0x2EF1, 67, 40),
    (0x261F, 68, 41), (0x1F33, 69, 42), (0x19A8, 70, 43), (0x1518, 72, 44), (0x1177, 73, 45),
    (0x0E74, 74, 46), (0x0BFB, 75, 47), (0x09F8, 77, 48), (0x0861, 78, 49), (0x0706, 79, 50),
    (0x05CD, 48, 51), (0x04DE, 50, 52), (0x040F, 50, 53), (0x0363, 51, 54), (0x02D4, 52, 55),
    (0x025C, 53, 56), (0x01F8, 54, 57), (0x01A4, 55, 58), (0x0160, 56, 59), (0x0125, 57, 60),
    (0x00F6, 58, 61), (0x00CB, 59, 62), (0x00AB, 61, 63), (0x008F, 61, 32), (0x5B12, 65 | 128, 65),
    (0x4D04, 80, 66), (0x412C, 81, 67), (0x37D8, 82, 68), (0x2FE8, 83, 69), (0x293C, 84, 70),
    (0x2379, 86, 71), (0x1EDF, 87, 72), (0x1AA9, 87, 73), (0x174E, 72, 74), (0x1424, 72, 75),
    (0x119C, 74, 76), (0x0F6B, 74, 77), (0x0D51, 75, 78), (0x0BB6, 77, 79), (0x0A40, 77, 48),
    (0x5832, 80 | 128, 81), (0x4D1C, 88, 82), (0x438E, 89, 83), (0x3BDD, 90, 84), (0x34EE, 91, 85),
    (0x2EAE, 92, 86), (0x299A, 93, 87), (0x2516, 86, 71), (0x5570, 88 | 128, 89), (0x4CA9, 95, 90),
    (0x44D9, 96, 91), (0x3E22, 97, 92), (0x3824, 99, 93), (0x32B4, 99, 94), (0x2E17, 93, 86),
    (0x56A8, 95 | 128, 96), (0x4F46, 101, 97), (0x47E5, 102, 98), (0x41CF, 103, 99), (0x3C3D, 104, 100),
    (0x375E, 99, 93), (0x5231, 105, 102), (0x4C0F, 106, 103), (0x4639, 107, 104), (0x415E, 103, 99),
    (0x5627, 105 | 128, 106), (0x50E7, 108, 107), (0x4B85, 109, 103), (0x5597, 110, 109), (0x504F, 111, 107),
    (0x5A10, 110 | 128, 111), (0x5522, 112, 109), (0x59EB, 112 | 128, 111),
]  # fmt: skip

DC_BINS, AC_BINS = 64, 256  # F.1.4.4: at least 49 and 245 bins; the last AC bin serves the signs
_SLACK = 8  # bytes past its data that an interval's coder may read


class Conditioning:
    """What a DAC segment may set (F.1.4.4): per DC table its bounds L and U, per AC table its split Kx."""

    def __init__(self) -> None:
        self.dc = {k: (0, 1) for k in range(4)}  # the defaults T.81 gives
        self.ac = {k: 5 for k in range(4)}


class _Decisions:
    """The decoder of T.81 D.2 over one restart interval's bytes (stuffing removed): one decision at a time."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0
        self.c, self.a, self.ct = 0, 0, -16  # -16: the first call reads two bytes into C

    def decide(self, bins: list[int], k: int) -> int:
        """The next decision (0 or 1), coded with statistics bin ``bins[k]``, which learns from it."""
        a, c, ct = self.a, self.c, self.ct
        while a < 0x8000:  # renormalize (D.2.6), reading bytes as C needs them; past the end, zeros
            ct -= 1
            if ct < 0:
                byte = self.data[self.pos] if self.pos < len(self.data) else 0
                self.pos += 1
                c = (c << 8) | byte
                ct += 8
                if ct < 0:  # still filling C at the start
                    ct += 1
                    if ct == 0:
                        a = 0x8000
            a <<= 1
        state = bins[k]
        qe, after_less, after_more = _STATES[state & 0x7F]
        a -= qe
        part = a << ct
        if c >= part:  # the less probable sub-interval, unless A came out smaller than Qe (D.2.4)
            c -= part
            if a < qe:
                bins[k] = (state & 0x80) ^ after_more
            else:
                bins[k] = (state & 0x80) ^ after_less
                state ^= 0x80
            a = qe
        elif a < 0x8000:
            if a < qe:
                bins[k] = (state & 0x80) ^ after_less
                state ^= 0x80
            else:
                bins[k] = (state & 0x80) ^ after_more
        self.a, self.c, self.ct = a, c, ct
        return state >> 7


def _grow(decide, bins: list[int], size: int, at: int, block: int) -> tuple[int, int]:
    """Double ``size`` while the bins from ``at`` on say so (F.23): a value's magnitude class; and the last bin."""
    while decide(bins, at):
        size <<= 1
        if size == 0x8000:
            raise ValueError(f"corrupt JPEG: block {block} of an arithmetic-coded scan has a value "
                             "of more than 15 bits")
        at += 1
    return size, at


def _magnitude(decide, bins: list[int], size: int, at: int) -> int:
    """A value's magnitude in class ``size``: its bits below the top one, from bin ``at`` + 14 (F.24), plus 1."""
    value, at = size, at + 14
    while size := size >> 1:
        if decide(bins, at):
            value |= size
    return value + 1


def _dc_difference(decide, bins: list[int], context: int, conditioning: tuple[int, int], block: int) -> tuple[int, int]:
    """One DC difference (F.1.4.4.1) from the bins of its component's context; returns it and the next context."""
    if not decide(bins, context):
        return 0, 0
    sign = decide(bins, context + 1)
    k = context + 2 + sign
    size = 0
    if decide(bins, k):
        size, k = _grow(decide, bins, 1, 20, block)  # from bin X1
    low, high = conditioning
    nxt = 0 if size < (1 << low) >> 1 else (12 + 4 * sign if size > (1 << high) >> 1 else 4 + 4 * sign)
    value = _magnitude(decide, bins, size, k)
    return (-value if sign else value), nxt


def _ac_levels(decide, bins: list[int], levels: list[int], base: int, start: int, end: int, split: int,
               low: int, block: int) -> None:
    """Levels ``start..end`` of one block (F.1.4.4.2), each shifted left by ``low``, into ``levels``."""
    k = start
    while k <= end:
        at = 3 * (k - 1)
        if decide(bins, at):  # end of block
            return
        while not decide(bins, at + 1):  # a zero level
            at += 3
            k += 1
            if k > end:
                raise ValueError(f"corrupt JPEG: block {block} of an arithmetic-coded scan goes past level {end}")
        bins[245] = 0  # the sign: a fresh bin, probability one half
        sign = decide(bins, 245)
        at += 2
        size = 0
        if decide(bins, at):
            size = 1
            if decide(bins, at):
                size, at = _grow(decide, bins, 2, 189 if k <= split else 217, block)
        value = _magnitude(decide, bins, size, at)
        levels[base + k] = (-value if sign else value) << low
        k += 1


def _ac_refinement(decide, bins: list[int], levels: list[int], base: int, start: int, end: int, low: int,
                   block: int) -> None:
    """One more bit, bit ``low``, of levels ``start..end`` of one block (G.1.3.3)."""
    one, minus_one = 1 << low, -1 << low
    previous_end = end + 1  # past the last level that was already non-zero: EOB decisions only from there
    while previous_end > 1 and not levels[base + previous_end - 1]:
        previous_end -= 1
    k = start
    while k <= end:
        at = 3 * (k - 1)
        if k >= previous_end and decide(bins, at):  # end of block
            return
        while True:
            value = levels[base + k]
            if value:  # already non-zero: a correction bit
                if decide(bins, at + 2):
                    levels[base + k] = value + (minus_one if value < 0 else one)
                break
            if decide(bins, at + 1):  # newly non-zero: +-1 at this bit
                bins[245] = 0
                levels[base + k] = minus_one if decide(bins, 245) else one
                break
            at += 3
            k += 1
            if k > end:
                raise ValueError(f"corrupt JPEG: block {block} of an arithmetic-coded scan goes past level {end}")
        k += 1


def decode_scan(
    data: bytes,
    blocks: list[int],
    owner: list[int],
    per_mcu: int,
    tables: list[tuple[int, int]],
    restart: int,
    band: tuple[int, int, int, int],
    progressive: bool,
    conditioning: Conditioning,
    levels: list[int],
) -> None:
    """Decode one arithmetic-coded scan into ``levels`` (block * 64 + zigzag index).

    ``tables``: each scan component's (DC, AC) conditioning table ids; the
    components sharing a table share its bins. A sequential scan sends
    levels 0..63 of every block; a progressive one the ``band`` (start, end,
    high, low), as the Huffman-coded ones do. Every ``restart`` MCUs an RST
    marker: the bins, predictions and the coder start again.
    """
    reader = huffman.BitReader(data)
    intervals, numbers = reader.intervals, reader.restarts
    start, end, high, low = band if progressive else (0, 63, 0, 0)
    interval = restart * per_mcu if restart else len(blocks)
    for number, first in enumerate(range(0, len(blocks), interval)):
        if number:
            if number - 1 >= len(numbers):
                raise ValueError(f"expected RST{(number - 1) % 8}, but the scan ends here")
            if numbers[number - 1] != (number - 1) % 8:
                raise ValueError(f"expected RST{(number - 1) % 8}, found RST{numbers[number - 1]}")
        decisions = _Decisions(intervals[number] if number < len(intervals) else b"")
        decide = decisions.decide
        dc_bins = {t: [0] * DC_BINS for t, _ in tables}
        ac_bins = {t: [0] * AC_BINS for _, t in tables}
        prediction, context = [0] * len(tables), [0] * len(tables)
        for j in range(first, min(first + interval, len(blocks))):
            c, base = owner[j], blocks[j] * 64
            dc_table, ac_table = tables[c]
            if start == 0:
                if high == 0:
                    difference, context[c] = _dc_difference(
                        decide, dc_bins[dc_table], context[c], conditioning.dc[dc_table], j)
                    prediction[c] += difference
                    levels[base] = prediction[c] << low
                else:  # a DC refinement: one bit, with a fresh bin of probability one half
                    if decide([0], 0):
                        levels[base] |= 1 << low
            if end > 0:
                first_ac = max(start, 1)
                if high == 0:
                    _ac_levels(decide, ac_bins[ac_table], levels, base, first_ac, end,
                               conditioning.ac[ac_table], low, j)
                else:
                    _ac_refinement(decide, ac_bins[ac_table], levels, base, first_ac, end, low, j)
        # The coder may read a few bytes past the data (zeros, as T.81 has it at a marker); libjpeg's
        # files need at most 4 here. Many more: the data was cut short, and the levels are made up.
        if decisions.pos > len(decisions.data) + _SLACK:
            raise ValueError(f"truncated data: restart interval {number} of an arithmetic-coded scan needs "
                             f"{decisions.pos - len(decisions.data)} bytes more than it has")
