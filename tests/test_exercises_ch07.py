"""Chapter 07's exercises: every reference solution is "right", typical wrong answers get a hint, not a traceback."""

import numpy as np
import pytest

from exercise_tools import check, in_place, not_tried_and_one_line, wrong
from helpers import dct, images, jpeg, metrics
from helpers.exercises import ch07

GREY = images.load("astronaut", grey=True)
WEIGHTS = dct.block_dct(GREY.astype(float) - 128)  # the chapter's `weights`
TABLE_50 = jpeg.quantization_table(50)


# The reference solutions, as the chapter's <details> blocks give them.

def scaled_table(table, quality):
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    return np.clip((np.asarray(table, dtype=int) * scale + 50) // 100, 1, 255)


def encode_block(block, table):
    return np.round(dct.dct2(block.astype(float) - 128) / table).astype(int)


def decode_block(levels, table):
    return np.clip(np.rint(dct.idct2(levels * table) + 128), 0, 255).astype(np.uint8)


def estimated_bytes(levels):  # the chapter's, as it is there
    series = jpeg.to_zigzag(levels).reshape(-1, 64)
    dc_differences = np.diff(series[:, 0], prepend=0)
    bits = metrics.entropy(dc_differences) * len(series)
    bits += sum(metrics.entropy(series[:, k]) * len(series) for k in range(1, 64))
    return bits / 8


def flat_answer(step=26):
    flat_table = np.full((8, 8), step)
    flat_levels = jpeg.quantize(WEIGHTS, flat_table)
    flat_decoded = np.clip(np.rint(dct.block_idct(jpeg.dequantize(flat_levels, flat_table), GREY.shape) + 128), 0, 255)
    return flat_table, estimated_bytes(flat_levels), metrics.psnr(GREY, flat_decoded)


def border_ratio_from_sums(picture):
    """The blocking ratio worked out another way than ch07.border_ratio (an independent reference, not a copy).

    The jumps across borders are sliced out (columns 7 | 8, 15 | 16, ... and the same for rows), and those
    inside are all the jumps less those: masks that are one off, or shared by rows and columns, disagree.
    """
    p = picture.astype(int)
    right, down = np.abs(np.diff(p, axis=1)), np.abs(np.diff(p, axis=0))
    across_right, across_down = right[:, 7::8], down[7::8]
    across, crossings = across_right.sum() + across_down.sum(), across_right.size + across_down.size
    inside = (right.sum() + down.sum() - across) / (right.size + down.size - crossings)
    return across / crossings / inside


def blocking_quality():
    coffee = images.load("coffee", grey=True)
    coffee_weights = dct.block_dct(coffee.astype(float) - 128)

    def ratio_at(quality):
        table = jpeg.quantization_table(quality)
        decoded = dct.block_idct(jpeg.dequantize(jpeg.quantize(coffee_weights, table), table), coffee.shape) + 128
        return border_ratio_from_sums(np.clip(np.rint(decoded), 0, 255))

    return max(q for q in range(1, 101) if ratio_at(q) > 1.5)


NAMES = ["07.scaled-table", "07.encode-block", "07.decode-block", "07.flat-table", "07.blocking-quality"]


@pytest.mark.parametrize("name, answer", [
    ("07.scaled-table", scaled_table),
    ("07.scaled-table", lambda table, q: jpeg.quantization_table(q, chroma=table[0, 0] == 17)),
    ("07.encode-block", encode_block),
    ("07.encode-block", lambda block, table: jpeg.quantize(dct.dct2(block - 128.0), table)),
    ("07.encode-block", lambda block, table: np.rint(dct.dct2(block - 128.0) / table)),  # whole floats are fine
    ("07.decode-block", decode_block),
    ("07.decode-block",
     lambda levels, table: np.clip(np.rint(dct.idct2(jpeg.dequantize(levels, table)) + 128), 0, 255)),
    ("07.flat-table", flat_answer()),
    ("07.flat-table", flat_answer(25)),
    ("07.flat-table", tuple(float(x) if np.ndim(x) == 0 else x for x in flat_answer(27))),
    ("07.blocking-quality", blocking_quality()),
    ("07.blocking-quality", np.int64(blocking_quality())),
])
def test_the_reference_solutions_are_right(name, answer):
    assert check(name, answer).status == "right"


@pytest.mark.parametrize("name", NAMES)
def test_a_stub_is_not_tried_yet_and_an_error_is_one_line(name):
    not_tried_and_one_line(name, function=name in NAMES[:3])


def test_the_flat_stub_is_not_tried_until_every_part_is_filled():
    assert check("07.flat-table", (..., ..., ...)).status == "not tried"
    assert check("07.flat-table", (np.full((8, 8), 26), ..., ...)).status == "not tried"


# The old "Try it" answers and their checks cell, kept as facts.

def test_quality_100_is_all_ones_and_99_is_not():
    assert np.all(jpeg.quantization_table(100) == 1) and np.any(jpeg.quantization_table(99) > 1)
    assert np.all(scaled_table(jpeg.LUMINANCE, 100) == 1)


def test_halving_the_table_grows_the_estimate_about_as_quality_75():
    half_table = np.maximum(TABLE_50 // 2, 1)
    half = estimated_bytes(jpeg.quantize(WEIGHTS, half_table))
    assert half > estimated_bytes(jpeg.quantize(WEIGHTS, TABLE_50))
    assert abs(half / estimated_bytes(jpeg.quantize(WEIGHTS, jpeg.quantization_table(75))) - 1) < 0.05


# Exercise 1: the quality scaling.

def test_scaled_table_mistakes_are_named():
    def true_division(table, q):
        scale = 5000 / q if q < 50 else 200 - 2 * q
        return np.clip((np.asarray(table, dtype=int) * scale + 50) // 100, 1, 255)

    def no_clip(table, q):
        scale = 5000 // q if q < 50 else 200 - 2 * q
        return (np.asarray(table, dtype=int) * scale + 50) // 100

    def clip_low_only(table, q):
        return np.maximum(no_clip(table, q), 1)

    def uint16(table, q):  # table * scale in uint16 wraps around
        scale = 5000 // q if q < 50 else 200 - 2 * q
        return np.clip((table * np.uint16(scale) + np.uint16(50)) // np.uint16(100), 1, 255)

    def np_round(table, q):
        scale = 5000 // q if q < 50 else 200 - 2 * q
        return np.clip(np.round(np.asarray(table, dtype=int) * scale / 100), 1, 255)

    def swapped(table, q):
        scale = 5000 // q if q >= 50 else 200 - 2 * q
        return np.clip((np.asarray(table, dtype=int) * scale + 50) // 100, 1, 255)

    def fractions(table, q):
        scale = 5000 // q if q < 50 else 200 - 2 * q
        return np.clip((np.asarray(table, dtype=int) * scale + 50) / 100, 1, 255)

    def half_at_50(table, q):
        return scaled_table(table, q) // (2 if q == 50 else 1)

    def in_place(table, q):
        table[0, 0] = 1
        return scaled_table(table, q)

    assert "//" in wrong("07.scaled-table", true_division, "integer division")
    assert "at quality 100 some steps are 0" in wrong("07.scaled-table", no_clip, "np.clip")
    wrong("07.scaled-table", clip_low_only, "over 255", "np.clip")
    wrong("07.scaled-table", uint16, "overflowed", "uint16")
    wrong("07.scaled-table", np_round, "halves", "even")
    wrong("07.scaled-table", swapped, "swapped")
    wrong("07.scaled-table", fractions, "not whole numbers")
    wrong("07.scaled-table", half_at_50, "quality 50 should give the table itself")
    feedback = check("07.scaled-table", in_place)
    assert feedback.status == "wrong" and ("changed the table" in feedback.message or "read-only" in feedback.message)
    wrong("07.scaled-table", lambda table, q: np.ones((4, 4)), "shape")


def test_scaled_table_never_prints_a_table():
    for answer in (lambda t, q: np.asarray(t) + 1, lambda t, q: np.asarray(t) * 2):
        message = check("07.scaled-table", answer).message
        assert "[" not in message and "16 11 10" not in message


# Exercises 2 and 3: one block through the quantizer and back.

def test_encode_block_mistakes_are_named():
    wrong("07.encode-block", lambda block, table: dct.dct2(block - 128) / table, "not rounded")
    wrong("07.encode-block", lambda block, table: np.round(dct.dct2(block) / table), "DC", "-128")
    wrong("07.encode-block", lambda block, table: np.floor(dct.dct2(block - 128) / table), "np.floor", "nearest")
    wrong("07.encode-block", lambda block, table: (dct.dct2(block - 128) / table).astype(int), "astype(int)")
    wrong("07.encode-block", lambda block, table: dct.dct2(block - 128), "divide")
    wrong("07.encode-block", lambda block, table: np.round(dct.dct2(block - 128) / table.T), "transposed")
    wrong("07.encode-block", lambda block, table: np.zeros((8, 8), dtype=int))
    wrong("07.encode-block", lambda block, table: np.round(dct.dct2(block - 128) / table), "uint8", "wraps", "float")


def test_encode_and_decode_block_must_leave_what_they_are_given_alone():
    wrong("07.encode-block", in_place(encode_block), "changed the block or table it was given", "block - 128")
    wrong("07.decode-block", in_place(decode_block), "changed the levels or table it was given")


def test_encode_block_on_the_wikipedia_block_gives_the_published_levels():
    published = jpeg.quantize(dct.dct2(ch07.WIKIPEDIA_BLOCK - 128), TABLE_50)
    assert published[0].tolist() == [-26, -3, -6, 2, 2, -1, 0, 0]
    assert np.array_equal(encode_block(ch07.WIKIPEDIA_BLOCK, TABLE_50), published)


def test_decode_block_mistakes_are_named():
    wrong("07.decode-block", lambda levels, table: np.rint(dct.idct2(levels * table) + 128), "0..255", "np.clip")
    wrong("07.decode-block", lambda levels, table: np.clip(np.rint(dct.idct2(levels * table)), 0, 255), "128")
    wrong("07.decode-block", lambda levels, table: np.clip(np.rint(dct.idct2(levels) + 128), 0, 255), "multiply")
    wrong("07.decode-block", lambda levels, table: np.clip(dct.idct2(levels * table) + 128, 0, 255), "whole numbers")
    wrong("07.decode-block", lambda levels, table: np.clip(np.floor(dct.idct2(levels * table) + 128), 0, 255),
          "1 too dark")
    wrong("07.decode-block", lambda levels, table: np.clip(np.rint(dct.dct2(levels * table) + 128), 0, 255),
          "idct2")


def test_the_edge_block_needs_the_clip():
    levels = jpeg.quantize(dct.dct2(ch07._test_blocks()[2][0] - 128.0), jpeg.quantization_table(10))
    unclipped = np.rint(dct.idct2(jpeg.dequantize(levels, jpeg.quantization_table(10))) + 128)
    assert unclipped.min() < 0 and unclipped.max() > 255


# Exercise 4: a flat table, measured.

def test_a_flat_table_beats_quality_50_in_psnr_at_the_same_size():
    table, size, psnr = flat_answer(26)
    q50_bytes = estimated_bytes(jpeg.quantize(WEIGHTS, TABLE_50))
    q50_decoded = np.clip(np.rint(dct.block_idct(jpeg.dequantize(jpeg.quantize(WEIGHTS, TABLE_50), TABLE_50),
                                                 GREY.shape) + 128), 0, 255)
    assert abs(size / q50_bytes - 1) < 0.01  # step 26: within 1 % of quality 50's size
    assert psnr > metrics.psnr(GREY, q50_decoded) + 0.5  # and about 0.9 dB better in PSNR


def test_flat_table_mistakes_are_named():
    table, size, psnr = flat_answer(26)
    wrong("07.flat-table", (TABLE_50, size, psnr), "not flat")
    wrong("07.flat-table", (np.full((8, 8), 16), size, psnr), "bigger step")
    wrong("07.flat-table", (np.full((8, 8), 40), size, psnr), "smaller step")
    wrong("07.flat-table", (table, 8 * size, psnr), "bits")
    wrong("07.flat-table", (table, round(size * 1.02), psnr), "flat_bytes is not what your table gives")
    q50 = estimated_bytes(jpeg.quantize(WEIGHTS, TABLE_50))
    wrong("07.flat-table", (table, q50, psnr), "quality 50's size")
    wrong("07.flat-table", (table, size, 34.7464), "quality 50's")
    wrong("07.flat-table", (table, size, psnr + 0.5), "flat_psnr is not what your table gives")
    wrong("07.flat-table", (table, size, "35"), "number")
    wrong("07.flat-table", (np.full((8, 8), 0.5), size, psnr), "whole numbers from 1 to 255")
    wrong("07.flat-table", (table, size), "three things")


def test_flat_table_feedback_does_not_give_the_step():
    message = check("07.flat-table", (np.full((8, 8), 16), 1, 1)).message
    assert "26" not in message and "25" not in message and "27" not in message


# Challenge: the coffee picture's blocking.

def test_the_blocking_ratio_grows_steadily_around_1_5():
    for name in ("coffee", "astronaut"):
        ratios = [ch07.blocking_ratio(name, q) for q in range(20, 51)]
        assert all(a > b for a, b in zip(ratios, ratios[1:])), name


def test_the_chapters_border_ratio_agrees_on_the_square_astronaut():
    decoded = ch07.compress_with(jpeg.quantization_table(30))[1]
    assert round(border_ratio_from_sums(decoded), 2) == 1.52 == round(ch07.blocking_ratio("astronaut", 30), 2)


@pytest.mark.parametrize("shape", [(400, 600), (37, 23), (16, 9)])
def test_the_checks_border_ratio_equals_the_independent_one_on_any_shape(shape):
    picture = np.random.default_rng(1).integers(0, 256, shape)
    picture[:, 8::8] += 40  # a grid, so that across and inside differ
    assert np.isclose(ch07.border_ratio(picture), border_ratio_from_sums(picture), rtol=1e-12)


def test_blocking_quality_mistakes_are_named():
    answer = blocking_quality()
    astronaut = max(q for q in range(1, 101) if ch07.blocking_ratio("astronaut", q) > 1.5)
    assert answer != astronaut
    wrong("07.blocking-quality", astronaut, "astronaut")
    wrong("07.blocking-quality", answer + 1, "not above 1.5", "go lower")
    wrong("07.blocking-quality", answer - 5, "highest")
    wrong("07.blocking-quality", 1.52, "ratio")
    wrong("07.blocking-quality", 0, "1 to 100")
    wrong("07.blocking-quality", "34", "whole number")
    assert check("07.blocking-quality", float(answer)).status == "right"
    assert str(answer) not in check("07.blocking-quality", answer - 5).message.replace(f"{answer - 5}", "")


# The numbers the chapter's solutions state.

def test_the_solutions_numbers():
    assert np.all(scaled_table(jpeg.LUMINANCE, 1) == 255) and np.array_equal(scaled_table(jpeg.LUMINANCE, 50), TABLE_50)
    assert 8 * 128 // 16 == 64  # the DC's levels without the shift, at quality 50
    published = encode_block(ch07.WIKIPEDIA_BLOCK, TABLE_50)
    assert decode_block(published, TABLE_50)[0].tolist() == [62, 65, 57, 60, 72, 63, 60, 82]
    q50_bytes = estimated_bytes(jpeg.quantize(WEIGHTS, TABLE_50))
    assert round(q50_bytes) == 24974
    within = [step for step in range(10, 60) if abs(estimated_bytes(jpeg.quantize(WEIGHTS, np.full((8, 8), step)))
                                                    / q50_bytes - 1) <= 0.05]
    assert within == [25, 26, 27]
    _, size, psnr = flat_answer(26)
    assert round(size) == 24901 and round(psnr, 2) == 35.67 and round(psnr - 34.75, 1) == 0.9
    assert blocking_quality() == 34
    assert round(ch07.blocking_ratio("coffee", 34), 3) == 1.505 and round(ch07.blocking_ratio("coffee", 35), 3) == 1.490
    assert ch07.passes_last("astronaut", 31)  # the astronaut passes 1.5 below quality 32
    coffee = images.load("coffee", grey=True)
    assert coffee.shape == (400, 600)
    with pytest.raises(IndexError):  # the chapter's border_ratio, on the coffee: numpy refuses
        border = np.arange(599) % 8 == 7
        np.abs(np.diff(coffee.astype(int), axis=0))[border]
