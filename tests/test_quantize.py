import numpy as np
import pytest

from helpers import quantize


@pytest.fixture
def ramp():
    return np.arange(256, dtype=np.uint8).reshape(16, 16)


@pytest.mark.parametrize("bits, step", [(1, 128), (4, 16), (5, 8), (8, 1)])
def test_step(bits, step):
    assert quantize.step(bits) == step


@pytest.mark.parametrize("bits", range(1, 9))
def test_quantize_gives_2_to_the_bits_levels(ramp, bits):
    out = quantize.quantize(ramp, bits)
    assert out.dtype == np.uint8
    assert len(np.unique(out)) == 2**bits
    # every pixel moves by at most half a step
    assert np.abs(out.astype(int) - ramp).max() <= quantize.step(bits) // 2


def test_eight_bits_is_the_identity(ramp):
    np.testing.assert_array_equal(quantize.quantize(ramp, 8), ramp)


def test_five_bits_reconstructs_at_the_middle_of_each_step(ramp):
    out = quantize.quantize(ramp, 5)
    np.testing.assert_array_equal(np.unique(out), np.arange(4, 256, 8))
    assert quantize.indices(ramp, 5).max() == 31


def test_one_bit():
    x = np.array([[0, 127, 128, 255]], dtype=np.uint8)
    np.testing.assert_array_equal(quantize.quantize(x, 1), [[64, 64, 192, 192]])


def test_reconstruct_rejects_levels_out_of_range():
    with pytest.raises(ValueError, match="levels must be 0..15 for bits=4"):
        quantize.reconstruct(np.array([[16]], dtype=np.uint8), 4)


@pytest.mark.parametrize("bits", [0, 9, -1])
def test_bits_outside_1_to_8(ramp, bits):
    with pytest.raises(ValueError, match=f"bits must be 1..8, got {bits}"):
        quantize.quantize(ramp, bits)


def test_bits_must_be_an_integer(ramp):
    with pytest.raises(TypeError, match="bits must be an integer"):
        quantize.quantize(ramp, 4.0)


def test_quantize_needs_uint8():
    with pytest.raises(TypeError, match="image must have dtype uint8"):
        quantize.quantize(np.zeros((4, 4)), 4)


def test_quantize_rejects_empty_and_wrong_dims():
    with pytest.raises(ValueError, match="image must not be empty"):
        quantize.quantize(np.zeros((0, 4), dtype=np.uint8), 4)
    with pytest.raises(ValueError, match="image must have 2 or 3 dimensions, got 1"):
        quantize.quantize(np.zeros(4, dtype=np.uint8), 4)
    with pytest.raises(ValueError, match=r"H x W x 3"):
        quantize.quantize(np.zeros((4, 4, 4), dtype=np.uint8), 4)
    with pytest.raises(TypeError, match="image must be a numpy array"):
        quantize.quantize([[1, 2]], 4)


def test_downsample_averages_blocks():
    x = np.array([[0, 2, 10, 10], [4, 6, 10, 10]], dtype=np.uint8)
    np.testing.assert_array_equal(quantize.downsample(x, 2), [[3, 10]])


def test_downsample_pads_odd_sides_with_the_edge():
    x = np.arange(15, dtype=np.uint8).reshape(3, 5)
    small = quantize.downsample(x, 2)
    assert small.shape == (2, 3)
    # bottom-right block is pixel 14 repeated four times
    assert small[1, 2] == 14
    # bottom row block: rows 2 and (repeated) 2, columns 0-1 -> mean of 10, 11, 10, 11
    assert small[1, 0] == 10  # 10.5 rounds to even


def test_downsample_colour_keeps_channels():
    x = np.zeros((8, 6, 3), dtype=np.uint8)
    x[..., 1] = 200
    small = quantize.downsample(x, 2)
    assert small.shape == (4, 3, 3)
    np.testing.assert_array_equal(small[..., 1], 200)


def test_factor_one_is_the_identity(ramp):
    np.testing.assert_array_equal(quantize.downsample(ramp, 1), ramp)
    np.testing.assert_array_equal(quantize.upsample(ramp, 1), ramp)


def test_upsample_repeats_and_crops():
    x = np.array([[1, 2], [3, 4]], dtype=np.uint8)
    np.testing.assert_array_equal(
        quantize.upsample(x, 2), [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]
    )
    np.testing.assert_array_equal(quantize.upsample(x, 2, shape=(3, 3)), [[1, 1, 2], [1, 1, 2], [3, 3, 4]])


def test_down_then_up_round_trip_on_a_blocky_picture():
    blocky = np.kron(np.arange(12, dtype=np.uint8).reshape(3, 4), np.ones((4, 4), dtype=np.uint8))
    np.testing.assert_array_equal(quantize.upsample(quantize.downsample(blocky, 4), 4), blocky)


@pytest.mark.parametrize("factor", [0, -2])
def test_factor_below_one(ramp, factor):
    with pytest.raises(ValueError, match=f"factor must be >= 1, got {factor}"):
        quantize.downsample(ramp, factor)
    with pytest.raises(ValueError, match=f"factor must be >= 1, got {factor}"):
        quantize.upsample(ramp, factor)


def test_upsample_rejects_bad_shape(ramp):
    with pytest.raises(TypeError, match="shape must be a"):
        quantize.upsample(ramp, 2, shape=[3, 3])
    with pytest.raises(ValueError, match="shape must be at most"):
        quantize.upsample(ramp, 2, shape=(40, 3))


@pytest.mark.parametrize("bits", range(1, 9))
def test_pack_takes_bits_per_pixel_and_round_trips(bits):
    rng = np.random.default_rng(bits)
    levels = rng.integers(0, 2**bits, (37, 53), dtype=np.uint8)
    data = quantize.pack(levels, bits)
    assert len(data) == -(-37 * 53 * bits // 8)
    np.testing.assert_array_equal(quantize.unpack(data, bits, levels.shape), levels)


def test_pack_known_bytes():
    # four 2-bit levels 3, 0, 1, 2 -> 11 00 01 10
    assert quantize.pack(np.array([[3, 0, 1, 2]], dtype=np.uint8), 2) == bytes([0b11000110])


def test_pack_refuses_levels_that_do_not_fit():
    with pytest.raises(ValueError, match="levels must be 0..15 to fit in bits=4, got a maximum of 16"):
        quantize.pack(np.array([[16]], dtype=np.uint8), 4)


def test_unpack_refuses_short_data():
    with pytest.raises(ValueError, match="data holds 1 bytes, too few for 4 levels of 5 bits"):
        quantize.unpack(b"\x00", 5, (2, 2))
    with pytest.raises(TypeError, match="data must be bytes"):
        quantize.unpack([0], 5, (1, 1))
