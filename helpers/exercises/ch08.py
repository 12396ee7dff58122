"""Checks for the exercises of chapter 08 · Entropy coding and a real JPEG.

The learner writes a block's symbols the JPEG way: the size and amplitude bits
of a value, the (run, level) pairs of a block with ZRL and EOB, Huffman code
lengths from counts, and (challenge) the bits a whole block costs with the
standard tables. Each check tries the learner's function on blocks and counts
of its own and compares it with the plain reference functions below.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import dct, huffman, images, jpeg
from . import WIKIPEDIA_BLOCK, call, call_on_copies, exercise, floats

ZRL, EOB = (15, 0), (0, 0)  # JPEG's symbols 0xF0 (16 zeros) and 0x00 (only zeros from here on)
DC_LENGTHS = huffman.code_table(huffman.DC_LUMINANCE)[1].astype(int)
AC_LENGTHS = huffman.code_table(huffman.AC_LUMINANCE)[1].astype(int)


# --- The reference answers, in plain Python -------------------------------------------

def size_and_bits(value: int) -> tuple[int, str]:
    """JPEG's size of a value and its amplitude bits, as a string; a negative value has the bits of |v| flipped."""
    size = abs(int(value)).bit_length()
    if size == 0:
        return 0, ""
    return size, format(value if value > 0 else value + 2**size - 1, f"0{size}b")


def run_length(zigzag, zrl_zeros: int = 16, reset: bool = True) -> list[tuple[int, int]]:
    """The (run, level) pairs of a block's 63 AC numbers; ZRL is (15, 0), EOB (0, 0).

    ``zrl_zeros`` and ``reset`` give two typical wrong answers (ZRL for 15 zeros, runs never reset).
    """
    nonzero = [k for k in range(1, 64) if zigzag[k] != 0]
    last = nonzero[-1] if nonzero else 0
    pairs, run = [], 0
    for k in range(1, last + 1):
        if zigzag[k] == 0:
            run += 1
            continue
        while run > 15:
            pairs.append(ZRL)
            run -= zrl_zeros
        pairs.append((run, int(zigzag[k])))
        if reset:
            run = 0
    if last < 63:
        pairs.append(EOB)
    return pairs


def bits_of_block(zigzag, previous_dc: int = 0, *, skip: str = "") -> int:
    """Bits of one block with the standard luminance tables; ``skip`` names a part left out (typical wrong answers)."""
    difference = int(zigzag[0]) - (0 if "previous" in skip else int(previous_dc))
    size = size_and_bits(difference)[0]
    dc_table = AC_LENGTHS if "dc table" in skip else DC_LENGTHS
    total = 0 if "dc" == skip else dc_table[size] + (0 if skip in ("amplitudes", "dc amplitude") else size)
    for run, level in run_length(zigzag):
        size = size_and_bits(level)[0]
        if (skip == "eob" and (run, level) == EOB) or (skip == "zrl" and (run, level) == ZRL):
            continue
        total += AC_LENGTHS[run << 4 | size] + (0 if skip == "amplitudes" else size)
    return int(total)


# --- The blocks and counts the checks try ------------------------------------------------

def _block(values: dict[int, int], dc: int = -5) -> np.ndarray:
    zigzag = np.zeros(64, np.int64)
    zigzag[0] = dc
    for k, v in values.items():
        zigzag[k] = v
    return zigzag


@cache
def _picture_zigzags() -> np.ndarray:
    """The zigzag levels of the grey astronaut's 4,096 blocks at quality 50 (the chapter's `levels`)."""
    grey = images.load("astronaut", grey=True)
    levels = jpeg.quantize(dct.block_dct(grey.astype(float) - 128), jpeg.quantization_table(50))
    zigzags = jpeg.to_zigzag(levels).reshape(-1, 64)
    zigzags.flags.writeable = False
    return zigzags


def _test_blocks() -> list[tuple[str, np.ndarray, int]]:
    """(what, zigzag levels, previous DC): the Wikipedia block first, then the tricky cases, then the picture's."""
    wikipedia = jpeg.to_zigzag(jpeg.quantize(dct.dct2(WIKIPEDIA_BLOCK - 128), jpeg.quantization_table(50)))
    no_zeros = np.where(np.arange(64) % 2, 1, -2)
    blocks = [
        ("the chapter's Wikipedia block", wikipedia, 0),
        ("a block with 20 zeros in a row before a non-zero", _block({1: 3, 22: -1, 30: 2}), -3),
        ("a block with exactly 16 zeros in a row before a non-zero", _block({1: 1, 18: 1, 19: -6}), 4),
        ("a block with 15 zeros in a row before a non-zero", _block({1: 2, 17: -2}), -5),
        ("a block whose last number, zigzag[63], is not 0", _block({5: 7, 63: -1}), 0),
        ("a block whose 63 AC numbers are all 0", _block({}, dc=12), 12),
        ("a block with no zeros at all", no_zeros, -2),
    ]
    zigzags = _picture_zigzags()
    for i, z in enumerate(zigzags):
        blocks.append((f"block {i} of the astronaut (row {i // 64}, column {i % 64}, quality 50)",
                       z, int(zigzags[i - 1][0]) if i else 0))
    return blocks


# --- Exercise 1: the size and the amplitude bits of a value ---------------------------

def _pair(got: object, what: str) -> tuple[int, object] | str:
    """The learner's (size, bits) as a pair, or the message saying why it is not one."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return f"{what} should give two things, (size, bits), got {type(got).__name__}"
    size, bits = got
    if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)):
        return f"{what}: the size should be a whole number, got {type(size).__name__}"
    return int(size), bits


@exercise("08.size-and-bits")
def _(function):
    """size_and_bits(value) -> (size, bits): JPEG's magnitude category and the amplitude bits as a string."""
    values = [1, 3, -3, -1, 4, -4, 0, 5, -6, 255, -256, 1023, -2047, *range(-2047, 2048)]
    for v in values:
        what = f"size_and_bits({v})"
        got = _pair(call(function, v, what=what), what)
        if isinstance(got, str):
            return got
        size, bits = got
        right_size, right_bits = size_and_bits(v)
        if size != right_size:
            if v == 0:
                return f"{what} gives size {size}: a value 0 needs no bits at all, so its size is 0"
            if size == right_size - 1 and abs(v) & (abs(v) - 1) == 0:
                return (f"{what} gives size {size}: one short for a power of two (4 is 100 in binary, 3 digits; "
                        f"log2 rounded up gives 2): the size is how many binary digits |v| has")
            if v < 0 and size == size_and_bits(-v)[0] + 1:
                return f"{what} gives size {size}: a negative value has the size of its magnitude |v|, no sign bit"
            return f"{what} gives size {size}: the size is how many binary digits |v| has"
        if isinstance(bits, (int, np.integer)):
            return f"{what}: give the bits as a string of 0s and 1s, such as '101' (format(x, 'b') writes one)"
        if not isinstance(bits, str):
            return f"{what}: the bits should be a string of 0s and 1s, got {type(bits).__name__}"
        if set(bits) - {"0", "1"}:
            return (f"{what} gives bits {bits!r}: only 0s and 1s please (format(-3, 'b') is '-11': "
                    f"write the bits of a number that is not negative)")
        if len(bits) != size:
            if v == 0:
                return (f"{what} gives bits {bits!r}: a value 0 has no amplitude bits, '' "
                        "(careful: format(0, '00b') is '0')")
            return f"{what} gives {len(bits)} bits for size {size}: exactly size bits, padded with 0s on the left"
        if bits == right_bits:
            continue
        if v < 0 and bits == size_and_bits(-v)[1]:
            return (f"{what} gives the same bits as size_and_bits({-v}): a decoder could not tell them apart. "
                    f"JPEG writes a negative value with every bit of |v| flipped")
        if v < 0 and int(bits, 2) == (v + 2**size) % 2**size:
            return (f"{what}: your negative values are one more than JPEG's, the two's complement (2^size + v); "
                    f"JPEG flips every bit of |v|, the one's complement")
        if v > 0:
            return f"{what} gives bits {bits!r}: a positive value is written as its own binary digits"
        return f"{what} gives bits {bits!r}: a negative value is |v| with every bit flipped (0 <-> 1)"
    return None


# --- Exercise 2: the run-length coding of a block ----------------------------------------

def _pairs(got: object, what: str) -> list[tuple[int, int]] | str:
    """The learner's list as (run, level) tuples of ints, or the message saying why it is not one."""
    if isinstance(got, (str, bytes)) or not hasattr(got, "__iter__"):
        return f"{what} should give a list of (run, level) pairs, got {type(got).__name__}"
    pairs = []
    for item in got:
        if isinstance(item, str):
            return (f"{what} holds the text {item!r}: write ZRL as the pair (15, 0) and EOB as (0, 0), "
                    f"JPEG's symbols 0xF0 and 0x00")
        try:
            item = tuple(item)
        except TypeError:
            return f"{what} should hold (run, level) pairs, got an item {item!r}"
        if len(item) == 3:
            return f"{what} holds triples such as {item}: give (run, level) pairs; the size follows from the level"
        if len(item) != 2 or not all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in item):
            return f"{what} should hold pairs of whole numbers (run, level), got an item {item!r}"
        pairs.append((int(item[0]), int(item[1])))
    return pairs


def _run_length_hint(got: list[tuple[int, int]], zigzag: np.ndarray, where: str) -> str:
    """What is wrong with the learner's pairs for one block (they differ from JPEG's)."""
    expected = run_length(zigzag)
    if got[1:] == expected and got[:1] and got[0][1] == zigzag[0]:
        return ("your list starts with the DC, zigzag[0]: JPEG codes it apart, as a difference; "
                "the run-length coding covers the 63 AC numbers, zigzag[1:]")
    if any(run > 15 for run, _ in got):
        run = max(run for run, _ in got)
        return (f"on {where}, one of your runs is {run} zeros: JPEG's run has 4 bits (0 to 15), so a longer run "
                f"first sends ZRL, (15, 0), for every 16 zeros")
    if any(run < 0 for run, _ in got):
        return f"on {where}, one of your runs is negative: a run counts zeros, 0 or more"
    if EOB in got[:-1]:
        return (f"on {where}, your list has (0, 0) before its end: that pair is EOB, which comes once, last, "
                f"and says 'only zeros from here on'; a zero inside the block is counted in a run, not sent as a level")
    odd = [pair for pair in got if pair[1] == 0 and pair not in (ZRL, EOB)]
    if odd:
        return (f"on {where}, your list has {odd[0]}: a zero is counted in a run, not sent as a level; the only "
                f"pairs with level 0 are ZRL, (15, 0), and EOB, (0, 0)")
    if expected[-1] == EOB and got == expected[:-1]:
        return f"on {where}, the numbers after the last non-zero are all 0: end the list with EOB, (0, 0)"
    if expected[-1] != EOB and got == [*expected, EOB]:
        return f"on {where}: no zeros are left at the end for EOB to announce, so the list ends without it"
    if expected[-1] == EOB:
        trimmed = list(got)
        while len(trimmed) > 1 and trimmed[-2] == ZRL and trimmed[-1] == EOB:
            del trimmed[-2]
        if trimmed == expected:
            return (f"on {where}, you send ZRL for zeros at the end: EOB says 'only zeros from here on', "
                    f"however many, with no ZRL before it")
    if got == run_length(zigzag, zrl_zeros=15):
        return f"on {where}: ZRL, (15, 0), stands for 16 zeros (15 zeros, then a 16th that is a zero of size 0)"
    if got == run_length(zigzag, reset=False):
        return f"on {where}, your runs keep growing: after each non-zero level the count of zeros starts again at 0"
    if len(got) == len(expected):
        if [r for r, _ in got] == [r for r, _ in expected]:
            if [abs(v) for _, v in got] == [abs(v) for _, v in expected]:
                return f"on {where}, the runs are right but some signs are not: the level keeps its sign"
            return (f"on {where}, the runs are right but not the levels: "
                    "the second number is the level itself, with its sign")
        def shifted(by):
            return [(r, v) if (r, v) in (ZRL, EOB) else (r + by, v) for r, v in expected]

        if got in (shifted(1), shifted(-1)):
            return (f"on {where}, your runs are off by one: a run is the number of zeros between the previous "
                    f"non-zero (or the DC) and this one")
    first = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
    if first < len(got) and got[first] == EOB:
        return (f"on {where}, your EOB comes at item {first + 1}, but non-zero levels are still to come: "
                f"is one of them missing from your list?")
    if first < len(got):
        return (f"on {where}, your list first differs from JPEG's at item {first + 1}, your {got[first]}: "
                f"count again the zeros before that level")
    return f"on {where}, your list stops after {len(got)} items, before the block's end"


@exercise("08.run-length")
def _(function):
    """run_length(zigzag) -> the (run, level) pairs of the 63 AC numbers, with ZRL (15, 0) and EOB (0, 0)."""
    for where, zigzag, _ in _test_blocks():
        got = _pairs(call_on_copies(function, zigzag, what="run_length", given="zigzag numbers"), "run_length(zigzag)")
        if isinstance(got, str):
            return got
        if got != run_length(zigzag):
            return _run_length_hint(got, zigzag, where)
    return None


# --- Exercise 3: Huffman code lengths from counts ------------------------------------------

@cache
def _test_counts() -> list[tuple[str, np.ndarray]]:
    """(what, counts): the chapter's DC sizes, simple cases, and the picture's (run, size) symbols (256)."""
    zigzags = _picture_zigzags()
    dc_sizes = [size_and_bits(d)[0] for d in np.diff(zigzags[:, 0], prepend=0)]
    ac_symbols = [run << 4 | size_and_bits(level)[0] for z in zigzags for run, level in run_length(z)]
    return [
        ("the chapter's dc_counts", np.bincount(dc_sizes, minlength=12)),
        ("8 equal counts", np.full(8, 5)),
        ("the counts 1, 1, 2, 4, 8, 16", np.array([1, 1, 2, 4, 8, 16])),
        ("the counts 3, 0, 1 (a symbol that never occurs)", np.array([3, 0, 1])),
        ("the counts of the picture's (run, size) symbols, 256 of them", np.bincount(ac_symbols, minlength=256)),
    ]


@exercise("08.huffman-lengths")
def _(function):
    """huffman_code_lengths(counts) -> one length per symbol: prefix-free (Kraft), as few bits as Huffman's."""
    for where, counts in _test_counts():
        got = call_on_copies(function, counts, what="huffman_code_lengths", given="counts")
        lengths = floats(got, "huffman_code_lengths should give an array of lengths")
        if isinstance(lengths, str):
            return lengths
        if lengths.shape != counts.shape:
            return (f"on {where}, your function gives {lengths.size} lengths for {counts.size} symbols: "
                    f"one length per symbol, 0 for a symbol that never occurs")
        if not np.isfinite(lengths).all() or not np.array_equal(lengths, np.rint(lengths)):
            return f"on {where}, your lengths are not all whole numbers: a code is a whole number of bits"
        lengths = lengths.astype(int)
        used = counts > 0
        if (lengths[~used] != 0).any():
            return f"on {where}, a symbol with count 0 gets a length: it never occurs, so it gets no code (length 0)"
        if (lengths[used] <= 0).any():
            return f"on {where}, a symbol that occurs gets length {lengths[used].min()}: its code needs at least 1 bit"
        best = huffman.huffman_lengths(counts)
        if np.array_equal(lengths[used], best[used] + 1):
            return (f"on {where}, every length is one too many: a symbol's length is its depth in the tree, "
                    f"the number of joins above it (the root itself is at depth 0)")
        kraft = float(np.sum(2.0 ** -lengths[used]))
        if kraft > 1 + 1e-12:
            return (f"on {where}, no prefix-free code has these lengths: their sum of 2^-length is {kraft:.3g}, "
                    f"more than 1 (the Kraft inequality)")
        extra = int((lengths * counts).sum() - (best * counts).sum())
        if extra > 0:
            frequent = np.argmax(counts)
            if lengths[frequent] == lengths[used].max() and lengths[used].min() < lengths[used].max():
                return (f"on {where}, the most frequent symbol gets one of the longest codes: the rarest two are "
                        f"joined first and end deepest")
            return (f"on {where}, these lengths make a prefix-free code, but it spends {extra:,} bits more than "
                    f"Huffman's for these counts: join the two rarest groups each time, and add 1 to the length "
                    f"of every symbol in both")
    return None


# --- Challenge: the bits of a whole block -------------------------------------------------

@exercise("08.block-bits")
def _(function):
    """bits_of_block(zigzag, previous_dc) -> the bits the block costs with the standard luminance tables."""
    hints = {
        "eob": "EOB is a symbol too: it costs its code from the AC table, ac_lengths[0x00]",
        "zrl": "ZRL is a symbol too: each one costs its code from the AC table, ac_lengths[0xF0]",
        "amplitudes": "after each code come the value's amplitude bits, size of them (the DC difference's too)",
        "dc amplitude": "the DC difference's code is followed by its amplitude bits too, size of them",
        "dc": "you count only the AC numbers: the DC difference costs its code and its amplitude bits too",
        "dc table": "the size of the DC difference takes its code from the DC table (dc_lengths), not the AC one",
        "previous": ("the DC is coded as the difference from the previous block's, zigzag[0] - previous_dc: "
                     "use previous_dc"),
    }
    for where, zigzag, previous in _test_blocks():
        got = call_on_copies(function, zigzag, previous, what="bits_of_block", given="zigzag numbers")
        if isinstance(got, (bool, np.bool_)) or np.ndim(got) != 0 or not isinstance(got, (int, float, np.number)):
            return f"bits_of_block should give one whole number of bits, got {type(got).__name__}"
        if got != int(got):
            return f"bits_of_block gives {got}: a block costs a whole number of bits"
        expected = bits_of_block(zigzag, previous)
        if int(got) == expected:
            continue
        for skip, hint in hints.items():
            if int(got) == bits_of_block(zigzag, previous, skip=skip):
                return f"on {where}: {hint}"
        if where.startswith("the chapter's"):
            return (f"you count {int(got)} bits for the Wikipedia block, where the chapter writes 93: add up each "
                    f"symbol's code length (dc_lengths, ac_lengths) and its amplitude size, as its table prints them")
        more = "more" if got > expected else "fewer"
        return f"right for the Wikipedia block, but on {where} you count {abs(int(got) - expected)} bits {more}"
    return None
