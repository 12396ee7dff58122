"""Chapter 08's exercises: every reference solution is "right", typical wrong answers get a hint, not a traceback."""

import heapq
import io
from pathlib import Path

import nbformat
import numpy as np
import pytest
from PIL import Image

from exercise_tools import check, not_tried_and_one_line, wrong
from helpers import huffman, images, jpeg
from helpers.exercises import ch08

NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "08-entropy-coding-and-a-real-jpeg.ipynb"
dc_codes, dc_lengths = huffman.code_table(huffman.DC_LUMINANCE)  # the chapter's tables
ac_codes, ac_lengths = huffman.code_table(huffman.AC_LUMINANCE)


# The reference solutions, as the chapter's <details> blocks give them.

def size_and_bits(value):
    size = abs(value).bit_length()  # how many binary digits |value| has; 0 for 0
    if value < 0:
        value = value + 2**size - 1  # every bit of |value| flipped
    return size, format(value, "b").zfill(size) if size else ""


def run_length(zigzag):
    last = max([k for k in range(1, 64) if zigzag[k] != 0], default=0)  # the last non-zero AC number
    pairs, run = [], 0
    for k in range(1, last + 1):
        if zigzag[k] == 0:
            run += 1
            continue
        while run > 15:  # a run of 16 zeros or more: ZRL first
            pairs.append((15, 0))
            run -= 16
        pairs.append((run, int(zigzag[k])))
        run = 0
    if last < 63:  # zeros to the end: EOB
        pairs.append((0, 0))
    return pairs


def huffman_code_lengths(counts):
    lengths = [0] * len(counts)
    heap = [(count, [symbol]) for symbol, count in enumerate(counts) if count > 0]
    heapq.heapify(heap)
    while len(heap) > 1:
        count_1, group_1 = heapq.heappop(heap)  # the two rarest groups
        count_2, group_2 = heapq.heappop(heap)
        for symbol in group_1 + group_2:
            lengths[symbol] += 1  # one join more above it: one level deeper, one bit longer
        heapq.heappush(heap, (count_1 + count_2, group_1 + group_2))
    return lengths


def bits_of_block(zigzag, previous_dc=0):
    size, bits = size_and_bits(int(zigzag[0]) - previous_dc)
    total = dc_lengths[size] + size  # the DC difference: its code, then its bits
    for run, level in run_length(zigzag):
        size, bits = size_and_bits(level)
        total += ac_lengths[run << 4 | size] + size  # ZRL (15, 0) and EOB (0, 0) have no amplitude bits
    return int(total)


NAMES = ["08.size-and-bits", "08.run-length", "08.huffman-lengths", "08.block-bits"]


@pytest.mark.parametrize("name, answer", [
    ("08.size-and-bits", size_and_bits),
    ("08.size-and-bits", ch08.size_and_bits),
    ("08.run-length", run_length),
    ("08.huffman-lengths", huffman_code_lengths),
    ("08.huffman-lengths", huffman.huffman_lengths),
    ("08.huffman-lengths", lambda counts: np.array(huffman_code_lengths(counts), float)),  # whole floats are fine
    ("08.block-bits", bits_of_block),
])
def test_the_reference_solutions_are_right(name, answer):
    assert check(name, answer).status == "right"


@pytest.mark.parametrize("name", NAMES)
def test_a_stub_is_not_tried_yet_and_an_error_is_one_line(name):
    not_tried_and_one_line(name)


# The checks' references agree with the chapter's own code.

def chapter_cell(start):
    return next(c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.source.startswith(start))


def test_the_reference_run_length_is_the_chapters_block_symbols():
    """Every test block's (run, level) pairs give the chapter's `block_symbols` symbols, ZRL and EOB included."""
    namespace = {"np": np, "huffman": huffman, "zigzag": ch08._test_blocks()[0][1]}
    exec(chapter_cell("def block_symbols"), namespace)  # also prints the Wikipedia block's table
    blocks = ch08._test_blocks()
    assert sum(ch08.ZRL in run_length(z) for _, z, _ in blocks) >= 15  # the ZRL cases are tried
    for _, z, previous in blocks:
        symbols = namespace["block_symbols"](z, previous)
        pairs = run_length(z)
        assert [s for _, s, _, _ in symbols[1:]] == [r << 4 | size_and_bits(v)[0] for r, v in pairs]
        assert [b for *_, b in symbols[1:]] == [int(size_and_bits(v)[1] or "0", 2) for _, v in pairs]
        assert pairs == ch08.run_length(z)


def test_the_reference_bits_are_the_encoders():
    """bits_of_block over the picture's blocks is jpeg.block_bits (the encoder's own count); the chapter's 93."""
    blocks = ch08._test_blocks()
    assert bits_of_block(blocks[0][1]) == 93
    picture = [bits_of_block(z, previous) for where, z, previous in blocks if where.startswith("block ")]
    assert picture == jpeg.block_bits(images.load("astronaut", grey=True), 50).ravel().tolist()


def test_the_reference_sizes_are_huffmans():
    for value in range(-2047, 2048):
        size, bits = huffman.amplitude_bits(np.array([value]))
        assert size_and_bits(value) == (int(size[0]), format(int(bits[0]), f"0{size[0]}b") if size[0] else "")


# Exercise 1: size_and_bits.

@pytest.mark.parametrize("function, words", [
    (lambda v: (int(np.ceil(np.log2(abs(v)))) if v else 0, size_and_bits(v)[1]), ["one short for a power of two"]),
    (lambda v: (abs(v).bit_length() + (v < 0), size_and_bits(v)[1]), ["size of its magnitude"]),
    (lambda v: (1, "0") if v == 0 else size_and_bits(v), ["size_and_bits(0) gives size 1", "size is 0"]),
    (lambda v: (0, "0") if v == 0 else size_and_bits(v), ["no amplitude bits", "format(0, '00b')"]),
    (lambda v: (abs(v).bit_length(), format(v, "b")), ["size_and_bits(-3) gives bits '-11'", "only 0s and 1s"]),
    (lambda v: (abs(v).bit_length(), format(abs(v), "b")), ["same bits as size_and_bits(3)", "flipped"]),
    (lambda v: (s := abs(v).bit_length(), format((v + 2**s) % 2**s, f"0{s}b") if s else ""), ["two's complement"]),
    (lambda v: (abs(v).bit_length(), int(size_and_bits(v)[1] or "0", 2)), ["as a string of 0s and 1s"]),
    (lambda v: (s := abs(v).bit_length(), format(v + 2**s - 1, "b") if v < 0 else format(v, "b")),
     ["size_and_bits(-3) gives 1 bits for size 2", "padded with 0s on the left"]),
    (lambda v: size_and_bits(v)[1], ["should give two things, (size, bits)"]),
    (lambda v: (float(abs(v).bit_length()), size_and_bits(v)[1]), ["size should be a whole number, got float"]),
    (lambda v: (abs(v).bit_length(), size_and_bits(v)[1][::-1]),
     ["size_and_bits(4) gives bits '001'", "its own binary digits"]),
])
def test_size_and_bits_wrong(function, words):
    message = wrong("08.size-and-bits", function, *words)
    assert "'00'" not in message  # never the bits of a value it tests


# Exercise 2: run_length.

def with_dc(zigzag):
    return [(0, int(zigzag[0])), *run_length(zigzag)]


def without_eob(zigzag):
    return [pair for pair in run_length(zigzag) if pair != (0, 0)]


def always_eob(zigzag):
    pairs = run_length(zigzag)
    return pairs if pairs[-1] == (0, 0) else [*pairs, (0, 0)]


def runs_too_long(zigzag):  # no ZRL: runs of 16 or more as they are
    pairs, run = [], 0
    for level in zigzag[1:]:
        if level == 0:
            run += 1
        else:
            pairs.append((run, int(level)))
            run = 0
    return [*pairs, (0, 0)] if run else pairs


def zrl_at_the_end(zigzag):  # ZRLs for the trailing zeros too, then EOB
    pairs = [pair for pair in run_length(zigzag) if pair != (0, 0)]
    last = max([k for k in range(1, 64) if zigzag[k] != 0], default=0)
    return [*pairs, *[(15, 0)] * ((63 - last) // 16), (0, 0)] if last < 63 else pairs


def zeros_as_levels(zigzag):
    return [(0, int(level)) for level in zigzag[1:]]


def runs_off_by_one(zigzag):
    return [pair if pair in ((15, 0), (0, 0)) else (pair[0] + 1, pair[1]) for pair in run_length(zigzag)]


def sizes_not_levels(zigzag):
    return [(r, size_and_bits(v)[0]) if (r, v) not in ((15, 0), (0, 0)) else (r, v) for r, v in run_length(zigzag)]


def no_signs(zigzag):
    return [(r, abs(v)) for r, v in run_length(zigzag)]


def eob_and_zrl_as_text(zigzag):
    return [{(15, 0): "ZRL", (0, 0): "EOB"}.get(pair, pair) for pair in run_length(zigzag)]


def triples(zigzag):
    return [(r, size_and_bits(v)[0], v) for r, v in run_length(zigzag)]


def in_place(zigzag):
    pairs = run_length(zigzag)
    zigzag[1:] = 0
    return pairs


def zigzag_as_floats(zigzag):  # levels that are floats, as np.array(zigzag, float) would give
    return [(r, float(v)) for r, v in run_length(zigzag)]


@pytest.mark.parametrize("function, words", [
    (with_dc, ["starts with the DC", "zigzag[1:]"]),
    (without_eob, ["the chapter's Wikipedia block", "end the list with EOB, (0, 0)"]),
    (always_eob, ["zigzag[63], is not 0", "without it"]),
    (runs_too_long, ["a block with 20 zeros in a row", "runs is 20 zeros", "ZRL, (15, 0), for every 16 zeros"]),
    (zrl_at_the_end, ["the chapter's Wikipedia block", "ZRL for zeros at the end", "no ZRL before it"]),
    (lambda z: ch08.run_length(z, zrl_zeros=15), ["20 zeros", "stands for 16 zeros"]),
    (lambda z: ch08.run_length(z, reset=False), ["runs keep growing"]),
    (zeros_as_levels, ["that pair is EOB", "a zero inside the block is counted in a run"]),
    (runs_off_by_one, ["off by one"]),
    (sizes_not_levels, ["runs are right but not the levels"]),
    (no_signs, ["some signs are not"]),
    (eob_and_zrl_as_text, ["the text 'EOB'", "(0, 0)"]),
    (triples, ["triples", "(run, level) pairs"]),
    (in_place, ["changed the zigzag numbers"]),
    (zigzag_as_floats, ["pairs of whole numbers"]),
    (lambda z: 42, ["should give a list of (run, level) pairs, got int"]),
    (lambda z: run_length(z)[:-2] + run_length(z)[-1:] if len(run_length(z)) > 3 else run_length(z),
     ["your EOB comes at item 19", "missing"]),
])
def test_run_length_wrong(function, words):
    message = wrong("08.run-length", function, *words)
    assert "(-1, -1)" not in message


# Exercise 3: huffman_code_lengths.

def lengths_plus_one(counts):
    return [n + 1 if n else 0 for n in huffman_code_lengths(counts)]


def lengths_minus_one(counts):
    return [max(n - 1, 1) if n else 0 for n in huffman_code_lengths(counts)]


def fixed_length(counts):  # a fixed-length code: prefix-free, not the best
    used = int(np.count_nonzero(counts))
    return [int(np.ceil(np.log2(used))) if c else 0 for c in counts]


def reversed_lengths(counts):  # the frequent symbols get the long codes
    lengths = np.array(huffman_code_lengths(counts))
    used = np.flatnonzero(counts)
    by_count = used[np.argsort(np.asarray(counts)[used], kind="stable")]
    out = np.zeros(len(counts), int)
    out[by_count] = np.sort(lengths[used])  # the rarest gets the shortest
    return out


def zero_counts_get_lengths(counts):
    return huffman_code_lengths(np.maximum(counts, 1))


def largest_joined(counts):  # joins the two most frequent: a lopsided tree
    lengths = [0] * len(counts)
    heap = [(-count, [symbol]) for symbol, count in enumerate(counts) if count > 0]
    heapq.heapify(heap)
    while len(heap) > 1:
        count_1, group_1 = heapq.heappop(heap)
        count_2, group_2 = heapq.heappop(heap)
        for symbol in group_1 + group_2:
            lengths[symbol] += 1
        heapq.heappush(heap, (count_1 + count_2, group_1 + group_2))
    return lengths


def counts_in_place(counts):
    lengths = huffman_code_lengths(counts)
    counts[:] = 0
    return lengths


@pytest.mark.parametrize("function, words", [
    (lengths_plus_one, ["one too many", "depth"]),
    (lengths_minus_one, ["no prefix-free code has these lengths", "more than 1", "Kraft"]),
    (fixed_length, ["the chapter's dc_counts", "bits more than Huffman's", "two rarest"]),
    (reversed_lengths, ["most frequent symbol gets one of the longest codes"]),
    (zero_counts_get_lengths, ["count 0", "length 0"]),
    (largest_joined, ["most frequent symbol gets one of the longest codes"]),
    (counts_in_place, ["changed the counts"]),
    (lambda counts: huffman_code_lengths(counts)[:-1], ["lengths for 12 symbols"]),
    (lambda counts: [n + 0.5 for n in huffman_code_lengths(counts)], ["whole numbers"]),
    (lambda counts: [0] * len(counts), ["at least 1 bit"]),
    (lambda counts: {s: n for s, n in enumerate(huffman_code_lengths(counts))}, ["an array of lengths, got dict"]),
])
def test_huffman_lengths_wrong(function, words):
    wrong("08.huffman-lengths", function, *words)


# Challenge: bits_of_block.

def leaving_out(skip):
    return lambda zigzag, previous_dc=0: ch08.bits_of_block(zigzag, previous_dc, skip=skip)


@pytest.mark.parametrize("function, words", [
    (leaving_out("eob"), ["Wikipedia block", "EOB is a symbol too"]),
    (leaving_out("zrl"), ["20 zeros in a row", "ZRL is a symbol too"]),
    (leaving_out("amplitudes"), ["amplitude bits"]),
    (leaving_out("dc amplitude"), ["DC difference's code is followed by its amplitude bits"]),
    (leaving_out("dc"), ["only the AC numbers"]),
    (leaving_out("dc table"), ["from the DC table (dc_lengths)"]),
    (leaving_out("previous"), ["20 zeros in a row", "previous_dc"]),
    (lambda z, previous_dc=0: bits_of_block(z, previous_dc) + 3, ["you count 96 bits for the Wikipedia block",
                                                                  "the chapter writes 93"]),
    (lambda z, previous_dc=0: bits_of_block(z, previous_dc) + 5 * (previous_dc != 0),
     ["right for the Wikipedia block", "5 bits more"]),
    (lambda z, previous_dc=0: [bits_of_block(z, previous_dc)], ["one whole number of bits, got list"]),
    (lambda z, previous_dc=0: bits_of_block(z, previous_dc) + 0.5, ["a whole number of bits"]),
])
def test_block_bits_wrong(function, words):
    wrong("08.block-bits", function, *words)


def test_block_bits_is_right_with_a_float_total():
    assert check("08.block-bits", lambda z, previous_dc=0: float(bits_of_block(z, previous_dc))).right


# The old "Try it" 1 and its visible check cell, moved here.

def test_the_cat_file_opens_and_weighs_about_35_kb():
    cat_file = jpeg.encode(images.load("chelsea"), quality=90)
    assert Image.open(io.BytesIO(cat_file)).size == (451, 300)
    assert 30_000 < len(cat_file) < 40_000


def test_the_numbers_the_solutions_state():
    """The facts in the chapter's <details> blocks."""
    blocks = ch08._test_blocks()
    wikipedia = blocks[0][1]
    pairs = run_length(wikipedia)
    assert len(pairs) == 20 and pairs[-1] == (0, 0) and pairs[:3] == [(0, -3), (1, -3), (0, -2)]
    assert size_and_bits(-26) == (5, "00101") and dc_lengths[5] == 3 and ac_lengths[0] == 4
    assert sum(ac_lengths[r << 4 | size_and_bits(v)[0]] for r, v in pairs[:-1]) == 49
    assert sum(size_and_bits(v)[0] for _, v in pairs) == 32 and 8 + 49 + 32 + 4 == 93
    picture = sum(bits_of_block(z, previous) for where, z, previous in blocks if where.startswith("block "))
    assert picture == 190_544 and picture / 8 == 23_818
    dc_counts = ch08._test_counts()[0][1]
    assert round(huffman.average_length(np.array(huffman_code_lengths(dc_counts)), dc_counts), 3) == 2.948
    assert size_and_bits(-3) == (2, "00") and size_and_bits(3) == (2, "11")
