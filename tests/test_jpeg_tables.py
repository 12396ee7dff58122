"""Tests for helpers/jpeg/_tables.py: quantization tables, zigzag order, (de)quantization."""

from __future__ import annotations

import io

import numpy as np
import pytest
import scipy.fft
from PIL import Image

from helpers import jpeg
from published import WIKIPEDIA_BLOCK, WIKIPEDIA_QUANTIZED, WIKIPEDIA_ROW

RNG_SEED = 0


def _pillow_jpeg(quality: int) -> bytes:
    """A small seeded RGB picture saved by Pillow at ``quality``."""
    pixels = np.random.default_rng(RNG_SEED).integers(0, 256, (16, 16, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _dqt_tables(data: bytes) -> dict[int, list[int]]:
    """Parse every DQT segment (marker FF DB) of a JPEG file by hand.

    Returns {table id Tq: the 64 entries in the order stored, i.e. zigzag}.
    """
    tables: dict[int, list[int]] = {}
    pos = 2  # after SOI (FF D8)
    while pos < len(data):
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: no more tables before the entropy-coded data
            break
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker == 0xDB:
            body, i = data[pos + 4 : pos + 2 + length], 0
            while i < len(body):
                precision, table_id = body[i] >> 4, body[i] & 0x0F
                size = 1 + precision  # bytes per entry: Pq = 0 -> 8 bit, 1 -> 16 bit
                raw = body[i + 1 : i + 1 + 64 * size]
                tables[table_id] = [
                    int.from_bytes(raw[k : k + size], "big") for k in range(0, 64 * size, size)
                ]
                i += 1 + 64 * size
        pos += 2 + length
    return tables


# --- Quantization tables -----------------------------------------------------


def test_base_tables_are_read_only_uint16_and_quality_50_is_the_base():
    for table in (jpeg.LUMINANCE, jpeg.CHROMINANCE):
        assert table.shape == (8, 8) and table.dtype == np.uint16
        assert not table.flags.writeable
    assert jpeg.LUMINANCE[0].tolist() == [16, 11, 10, 16, 24, 40, 51, 61]
    assert jpeg.LUMINANCE[7].tolist() == [72, 92, 95, 98, 112, 100, 103, 99]
    assert jpeg.CHROMINANCE[0].tolist() == [17, 18, 24, 47, 99, 99, 99, 99]
    np.testing.assert_array_equal(jpeg.quantization_table(50), jpeg.LUMINANCE)
    np.testing.assert_array_equal(jpeg.quantization_table(50, chroma=True), jpeg.CHROMINANCE)
    table = jpeg.quantization_table(75)
    assert table.dtype == np.uint16 and not table.flags.writeable
    assert (jpeg.quantization_table(100) == 1).all()
    assert (jpeg.quantization_table(1) == 255).all()  # clamped by force_baseline


def test_pillow_returns_tables_in_natural_order():
    # Pillow 13 gives Image.quantization in natural (row-major) order: it undoes the
    # zigzag order the file stores them in. (Very old Pillow, before 8.3, returned
    # them in file/zigzag order.) At quality 50 the tables are the base tables, so
    # natural order matches row by row and zigzag order does not.
    tables = Image.open(io.BytesIO(_pillow_jpeg(50))).quantization
    assert list(tables) == [0, 1]
    assert tables[0] == jpeg.LUMINANCE.ravel().tolist()
    assert tables[1] == jpeg.CHROMINANCE.ravel().tolist()
    assert tables[0] != jpeg.to_zigzag(jpeg.LUMINANCE).tolist()


@pytest.mark.parametrize("quality", range(1, 101))
def test_quantization_table_matches_pillow(quality):
    tables = Image.open(io.BytesIO(_pillow_jpeg(quality))).quantization
    for table_id, chroma in ((0, False), (1, True)):
        pillow = np.array(tables[table_id]).reshape(8, 8)  # natural order, see above
        np.testing.assert_array_equal(
            jpeg.quantization_table(quality, chroma=chroma), pillow, err_msg=f"chroma={chroma}"
        )


@pytest.mark.parametrize("quality", [1, 10, 25, 49, 50, 51, 75, 90, 95, 100])
def test_dqt_bytes_in_the_file_are_our_tables_in_zigzag_order(quality):
    stored = _dqt_tables(_pillow_jpeg(quality))
    assert sorted(stored) == [0, 1]
    for table_id, chroma in ((0, False), (1, True)):
        ours = jpeg.quantization_table(quality, chroma=chroma)
        np.testing.assert_array_equal(jpeg.from_zigzag(np.array(stored[table_id])), ours)
        assert jpeg.to_zigzag(ours).tolist() == stored[table_id]


def test_quantization_table_accepts_numpy_integers():
    ours = jpeg.quantization_table(np.int64(80))
    np.testing.assert_array_equal(ours, jpeg.quantization_table(80))


# --- Zigzag -------------------------------------------------------------------


def test_zigzag_starts_like_the_standard_and_is_a_permutation():
    assert jpeg.ZIGZAG[:16].tolist() == [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5]
    assert jpeg.ZIGZAG[-6:].tolist() == [60, 61, 54, 47, 55, 62, 63][1:]
    assert sorted(jpeg.ZIGZAG.tolist()) == list(range(64))
    np.testing.assert_array_equal(jpeg.zigzag_order(8), jpeg.ZIGZAG)
    assert not jpeg.ZIGZAG.flags.writeable


def test_zigzag_small_sizes():
    assert jpeg.zigzag_order(1).tolist() == [0]
    assert jpeg.zigzag_order(2).tolist() == [0, 1, 2, 3]
    assert jpeg.zigzag_order(3).tolist() == [0, 1, 3, 6, 4, 2, 5, 7, 8]


@pytest.mark.parametrize("n", [1, 2, 4, 8])
def test_zigzag_round_trip(n):
    x = np.random.default_rng(n).normal(size=(3, 5, n, n))
    vectors = jpeg.to_zigzag(x)
    assert vectors.shape == (3, 5, n * n)
    np.testing.assert_array_equal(jpeg.from_zigzag(vectors), x)
    np.testing.assert_array_equal(jpeg.from_zigzag(vectors, n), x)
    np.testing.assert_array_equal(jpeg.from_zigzag(jpeg.to_zigzag(x[0, 0])), x[0, 0])


def test_to_zigzag_reads_an_index_block_in_zigzag_order():
    block = np.arange(64).reshape(8, 8)
    np.testing.assert_array_equal(jpeg.to_zigzag(block), jpeg.ZIGZAG)


# --- The Wikipedia worked example ----------------------------------------------

def test_wikipedia_example():
    coeffs = scipy.fft.dctn(WIKIPEDIA_BLOCK - 128.0, norm="ortho")
    # Published to two decimals. Two exact values end in 5 (-415.375 and 56.125) and
    # the page rounds them different ways (-415.38, 56.12), so allow 0.005.
    assert np.abs(coeffs[0] - WIKIPEDIA_ROW).max() <= 0.005 + 1e-9
    levels = jpeg.quantize(coeffs, jpeg.quantization_table(50))
    assert levels.dtype == np.int32
    np.testing.assert_array_equal(levels, WIKIPEDIA_QUANTIZED)
    # The zigzag sequence the entropy coder reads: 26 values, then only zeros (EOB).
    assert jpeg.to_zigzag(levels)[:26].tolist() == [
        -26, -3, 0, -3, -2, -6, 2, -4, 1, -3, 1, 1, 5, 1, 2,
        -1, 1, -1, 2, 0, 0, 0, 0, 0, -1, -1,
    ]  # fmt: skip
    assert (jpeg.to_zigzag(levels)[26:] == 0).all()


# --- Quantize / dequantize ----------------------------------------------------


def test_quantize_broadcasts_and_dequantize_is_within_half_a_step():
    rng = np.random.default_rng(1)
    coeffs = rng.normal(scale=200, size=(4, 6, 8, 8))
    table = jpeg.quantization_table(30)
    levels = jpeg.quantize(coeffs, table)
    assert levels.shape == coeffs.shape and levels.dtype == np.int32
    for r, c in [(0, 0), (3, 5), (2, 1)]:
        np.testing.assert_array_equal(levels[r, c], jpeg.quantize(coeffs[r, c], table))
    back = jpeg.dequantize(levels, table)
    assert back.dtype == np.float64 and back.shape == coeffs.shape
    assert (np.abs(back - coeffs) <= table / 2 + 1e-9).all()
    np.testing.assert_array_equal(back, levels * table.astype(np.float64))


def test_quantize_rounds_halves_away_from_zero_like_libjpeg():
    table = np.full((2, 2), 2)
    coeffs = np.array([[5.0, -5.0], [3.0, -1.0]])  # ratios 2.5, -2.5, 1.5, -0.5
    np.testing.assert_array_equal(jpeg.quantize(coeffs, table), [[3, -3], [2, -1]])
    np.testing.assert_array_equal(jpeg.quantize(np.array([[0.49, -0.49]] * 2), np.ones((2, 2))), 0)


def test_dequantize_accepts_whole_floats():
    levels = np.array([[1.0, -2.0], [0.0, 3.0]])
    np.testing.assert_array_equal(jpeg.dequantize(levels, np.full((2, 2), 4)), [[4, -8], [0, 12]])


# --- keep_first ------------------------------------------------------------------


def test_keep_first():
    x = np.random.default_rng(2).normal(size=(2, 3, 8, 8)) + 10  # no zeros by chance
    assert (jpeg.keep_first(x, 0) == 0).all()
    np.testing.assert_array_equal(jpeg.keep_first(x, 64), x)
    dc = jpeg.keep_first(x, 1)
    np.testing.assert_array_equal(dc[..., 0, 0], x[..., 0, 0])
    assert np.count_nonzero(dc) == 2 * 3
    kept = jpeg.keep_first(x, 3) != 0
    expected = np.zeros((8, 8), dtype=bool)
    expected[0, 0] = expected[0, 1] = expected[1, 0] = True
    assert (kept == expected).all()
    assert (jpeg.keep_first(np.ones((4, 4)), 6) != 0).sum() == 6


# --- Bad input -------------------------------------------------------------------


@pytest.mark.parametrize(
    "quality, error",
    [(0, ValueError), (101, ValueError), (50.0, TypeError), (True, TypeError), ("50", TypeError)],
)
def test_bad_quality(quality, error):
    with pytest.raises(error, match="quality"):
        jpeg.quantization_table(quality)


def test_bad_chroma():
    with pytest.raises(TypeError, match="chroma"):
        jpeg.quantization_table(50, chroma="yes")


def test_bad_tables():
    coeffs = np.zeros((2, 2, 8, 8))
    with pytest.raises(ValueError, match=r"table must be 8 x 8.*\(4, 4\)"):
        jpeg.quantize(coeffs, np.ones((4, 4)))
    with pytest.raises(ValueError, match="table must be a square"):
        jpeg.quantize(coeffs, np.ones((8, 7)))
    with pytest.raises(ValueError, match="table must have 2 dimensions"):
        jpeg.dequantize(np.zeros((8, 8), dtype=int), np.ones(64))
    with pytest.raises(ValueError, match="table must hold steps > 0"):
        jpeg.quantize(coeffs, np.zeros((8, 8)))
    with pytest.raises(TypeError, match="table must be a numpy array"):
        jpeg.quantize(coeffs, [[1] * 8] * 8)


def test_bad_blocks():
    with pytest.raises(ValueError, match="coeffs must end in two equal axes"):
        jpeg.quantize(np.zeros((8, 4)), jpeg.LUMINANCE)
    with pytest.raises(ValueError, match="blocks must end in two equal axes"):
        jpeg.to_zigzag(np.zeros(64))
    with pytest.raises(ValueError, match="coeffs must not contain NaN"):
        jpeg.quantize(np.full((8, 8), np.nan), jpeg.LUMINANCE)
    with pytest.raises(ValueError, match="levels must be whole numbers"):
        jpeg.dequantize(np.full((8, 8), 0.5), jpeg.LUMINANCE)
    with pytest.raises(ValueError, match="coeffs are too large"):
        jpeg.quantize(np.full((8, 8), 1e12), np.ones((8, 8)))
    with pytest.raises(TypeError, match="blocks must be a numpy array"):
        jpeg.to_zigzag([[1, 2], [3, 4]])


def test_bad_zigzag_arguments():
    with pytest.raises(ValueError, match="vectors must have a last axis of a perfect square"):
        jpeg.from_zigzag(np.zeros(63))
    with pytest.raises(ValueError, match="vectors must have a last axis of n \\* n = 16"):
        jpeg.from_zigzag(np.zeros(64), 4)
    with pytest.raises(ValueError, match="vectors must have at least 1 dimension"):
        jpeg.from_zigzag(np.array(3.0))
    with pytest.raises(ValueError, match="n must be >= 1"):
        jpeg.zigzag_order(0)
    with pytest.raises(TypeError, match="n must be an integer"):
        jpeg.zigzag_order(8.0)


def test_bad_keep_first():
    with pytest.raises(ValueError, match="k must be 0..64, got 65"):
        jpeg.keep_first(np.zeros((8, 8)), 65)
    with pytest.raises(ValueError, match="k must be 0..16, got -1"):
        jpeg.keep_first(np.zeros((4, 4)), -1)
    with pytest.raises(TypeError, match="k must be an integer"):
        jpeg.keep_first(np.zeros((8, 8)), 1.5)
