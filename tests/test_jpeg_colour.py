"""Tests for helpers/jpeg/_colour.py: colour, and the resamplers (mean, repeat, like libjpeg)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from helpers import jpeg
from helpers.jpeg._colour import _downsample_like_libjpeg, _upsample_like_libjpeg

# --- Colour ----------------------------------------------------------------------


def _random_rgb(seed: int, shape=(37, 23)) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (*shape, 3), dtype=np.uint8)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_colour_round_trip(seed):
    rgb = _random_rgb(seed)
    ycbcr = jpeg.rgb_to_ycbcr(rgb)
    assert ycbcr.dtype == np.float64 and ycbcr.shape == rgb.shape
    back = jpeg.ycbcr_to_rgb(ycbcr)
    assert back.dtype == np.uint8
    assert np.abs(back.astype(int) - rgb).max() <= 1
    # Even after rounding Y, Cb, Cr to bytes, as a file does, every channel is within 2.
    bytes_back = jpeg.ycbcr_to_rgb(np.clip(np.rint(ycbcr), 0, 255).astype(np.uint8))
    assert np.abs(bytes_back.astype(int) - rgb).max() <= 2


def test_grey_pixels_have_neutral_chroma():
    grey = np.repeat(np.arange(256, dtype=np.uint8).reshape(16, 16, 1), 3, axis=2)
    ycbcr = jpeg.rgb_to_ycbcr(grey)
    np.testing.assert_allclose(ycbcr[..., 0], grey[..., 0], atol=1e-9)
    np.testing.assert_allclose(ycbcr[..., 1:], 128, atol=1e-9)
    np.testing.assert_array_equal(jpeg.ycbcr_to_rgb(ycbcr), grey)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rgb_to_ycbcr_matches_pillow(seed):
    rgb = _random_rgb(seed)
    pillow = np.asarray(Image.fromarray(rgb).convert("YCbCr")).astype(int)
    ours = np.rint(jpeg.rgb_to_ycbcr(rgb)).astype(int)
    assert np.abs(ours - pillow).max() <= 1


def test_ycbcr_to_rgb_clips():
    out = jpeg.ycbcr_to_rgb(np.array([[[255.0, 255.0, 255.0], [0.0, 0.0, 0.0]]]))
    assert out.dtype == np.uint8
    assert out.min() == 0 and out.max() == 255


# --- Subsampling -------------------------------------------------------------


@pytest.mark.parametrize(
    "mode, shape, expected",
    [
        ("4:4:4", (7, 9), (7, 9)),
        ("4:2:2", (7, 9), (7, 5)),
        ("4:2:0", (7, 9), (4, 5)),
        ("4:4:4", (1, 1), (1, 1)),
        ("4:2:2", (1, 1), (1, 1)),
        ("4:2:0", (1, 1), (1, 1)),
        ("4:4:4", (16, 16), (16, 16)),
        ("4:2:2", (16, 16), (16, 8)),
        ("4:2:0", (16, 16), (8, 8)),
    ],
)
def test_subsample_shapes_and_round_trip_shape(mode, shape, expected):
    plane = np.random.default_rng(3).integers(0, 256, shape).astype(np.uint8)
    small = jpeg.subsample(plane, mode)
    assert small.shape == expected and small.dtype == np.float64
    big = jpeg.upsample(small, mode, shape)
    assert big.shape == shape and big.dtype == np.float64
    constant = np.full(shape, 77.0)
    np.testing.assert_array_equal(jpeg.subsample(constant, mode), 77.0)
    np.testing.assert_array_equal(jpeg.upsample(jpeg.subsample(constant, mode), mode, shape), 77.0)


def test_subsample_is_block_means_by_hand():
    plane = np.arange(15, dtype=float).reshape(3, 5)
    # 4:2:0 pads to 4 x 6 by repeating the last row and column, then averages 2 x 2.
    np.testing.assert_allclose(
        jpeg.subsample(plane, "4:2:0"),
        [[(0 + 1 + 5 + 6) / 4, (2 + 3 + 7 + 8) / 4, (4 + 4 + 9 + 9) / 4],
         [(10 + 11) / 2, (12 + 13) / 2, 14.0]],
    )  # fmt: skip
    np.testing.assert_allclose(jpeg.subsample(plane, "4:2:2")[0], [0.5, 2.5, 4.0])
    np.testing.assert_array_equal(jpeg.subsample(plane, "4:4:4"), plane)


def test_upsample_replicates_and_crops():
    small = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(
        jpeg.upsample(small, "4:2:0", (3, 4)), [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4]]
    )
    np.testing.assert_array_equal(jpeg.upsample(small, "4:2:2", (2, 3)), [[1, 1, 2], [3, 3, 4]])


def test_subsampling_modes():
    assert jpeg.SUBSAMPLING == {"4:4:4": (1, 1), "4:2:2": (1, 2), "4:2:0": (2, 2)}


def test_bad_colour_pictures():
    with pytest.raises(ValueError, match="image must have 3 dimensions"):
        jpeg.rgb_to_ycbcr(np.zeros((4, 4)))
    with pytest.raises(ValueError, match=r"image must be H x W x 3.*\(4, 4, 4\)"):
        jpeg.rgb_to_ycbcr(np.zeros((4, 4, 4)))
    with pytest.raises(ValueError, match="image must not contain NaN"):
        jpeg.ycbcr_to_rgb(np.full((2, 2, 3), np.nan))
    with pytest.raises(TypeError, match="image must hold integer or floating-point"):
        jpeg.rgb_to_ycbcr(np.zeros((2, 2, 3), dtype=bool))


def test_bad_subsampling_arguments():
    with pytest.raises(ValueError, match="mode must be one of '4:4:4', '4:2:2', '4:2:0'"):
        jpeg.subsample(np.zeros((4, 4)), "4:1:1")
    with pytest.raises(ValueError, match="mode must be one of"):
        jpeg.upsample(np.zeros((2, 2)), 420, (4, 4))
    with pytest.raises(ValueError, match="plane must have 2 dimensions"):
        jpeg.subsample(np.zeros((4, 4, 3)), "4:2:0")
    with pytest.raises(ValueError, match="plane must not contain NaN"):
        jpeg.subsample(np.full((4, 4), np.nan), "4:2:0")
    with pytest.raises(TypeError, match="shape must be a \\(height, width\\) pair"):
        jpeg.upsample(np.zeros((2, 2)), "4:2:0", 4)
    with pytest.raises(TypeError, match=r"shape\[0\] must be an integer"):
        jpeg.upsample(np.zeros((2, 2)), "4:2:0", (4.0, 4))
    with pytest.raises(ValueError, match=r"plane of shape \(2, 2\) does not come from a 8 x 8"):
        jpeg.upsample(np.zeros((2, 2)), "4:2:0", (8, 8))


# --- libjpeg's resampling, line by line -------------------------------------------------


def _libjpeg_upsample(plane: np.ndarray, ry: int, rx: int) -> np.ndarray:
    """h2v1_fancy_upsample, h1v2_fancy_upsample and h2v2_fancy_upsample of jdsample.c, as loops."""
    rows, cols = plane.shape
    p = [[int(v) for v in row] for row in plane]
    out = np.zeros((rows * ry, cols * rx), np.int64)
    if rx == 2 and cols <= 2:  # libjpeg's plain h2v1_upsample / h2v2_upsample
        return plane.astype(np.int64).repeat(ry, axis=0).repeat(rx, axis=1)
    for r in range(rows):
        for v in range(ry):
            if ry == 2:
                near, far = p[r], p[max(r - 1, 0)] if v == 0 else p[min(r + 1, rows - 1)]
                sums = [3 * near[c] + far[c] for c in range(cols)]
            else:
                sums = p[r]
            row = out[r * ry + v]
            if rx == 1:  # h1v2
                bias = 1 if v == 0 else 2
                row[:] = [(s + bias) >> 2 for s in sums]
                continue
            one, two = (8, 7) if ry == 2 else (1, 2)
            shift = 4 if ry == 2 else 2
            for c in range(cols):
                last, this, after = sums[max(c - 1, 0)], sums[c], sums[min(c + 1, cols - 1)]
                row[2 * c] = (3 * this + last + one) >> shift
                row[2 * c + 1] = (3 * this + after + two) >> shift
    return out


def test_fancy_upsampling_is_libjpegs():
    rng = np.random.default_rng(7)
    for ry, rx in ((1, 2), (2, 1), (2, 2)):
        for rows in (1, 2, 3, 6):
            for cols in (1, 2, 3, 4, 9):
                plane = rng.integers(0, 256, (rows, cols), dtype=np.uint8)
                expected = _libjpeg_upsample(plane, ry, rx)
                np.testing.assert_array_equal(_upsample_like_libjpeg(plane, ry, rx), expected)


def test_downsampling_is_libjpegs():
    """h2v1_downsample and h2v2_downsample of jcsample.c, with jcprepct.c's padding."""
    rng = np.random.default_rng(8)
    for ry, rx in ((1, 2), (2, 2)):
        for height, width in ((1, 1), (3, 5), (8, 16), (13, 21)):
            plane = rng.integers(0, 256, (height, width), dtype=np.uint8)
            rows, cols = -(-height // ry), -(-width // rx)
            shape = (8 * -(-rows // 8), 8 * -(-cols // 8))
            wide = np.pad(plane, ((0, (-height) % ry), (0, rx * shape[1] - width)), mode="edge")
            expected = np.zeros(shape, np.int64)
            for r in range(rows):
                bias = 1 if ry == 2 else 0  # 1, 2, 1, 2 ... for h2v2; 0, 1, 0, 1 ... for h2v1
                for c in range(shape[1]):
                    group = wide[r * ry : r * ry + ry, c * rx : c * rx + rx].astype(int).sum()
                    expected[r, c] = (group + bias) >> (ry * rx // 2)
                    bias ^= 3 if ry == 2 else 1
            expected[rows:] = expected[rows - 1]  # the last row repeated down to whole blocks
            np.testing.assert_array_equal(_downsample_like_libjpeg(plane, ry, rx, shape), expected)


def test_upsampling_and_colour_in_bands_are_the_same_as_all_at_once(monkeypatch):
    """The decoder makes large planes a band of rows at a time; band edges must not show."""
    from helpers.jpeg import _colour

    rng = np.random.default_rng(9)
    for ry, rx in ((1, 2), (2, 1), (2, 2), (3, 1), (4, 4)):
        for rows, cols in ((7, 5), (12, 3), (5, 9)):
            plane = rng.integers(0, 256, (rows, cols), dtype=np.uint8)
            whole = _upsample_like_libjpeg(plane, ry, rx)
            for samples in (1, cols, 2 * cols + 1):  # one row a band, one, two (and a part)
                monkeypatch.setattr(_colour, "_BAND_SAMPLES", samples)
                assert np.array_equal(_upsample_like_libjpeg(plane, ry, rx), whole), (ry, rx, rows, cols, samples)
                monkeypatch.undo()
            if (ry, rx) in ((1, 2), (2, 1), (2, 2)):
                assert np.array_equal(whole, _libjpeg_upsample(plane, ry, rx))
    y, cb, cr = rng.integers(0, 256, (3, 11, 13), dtype=np.uint8)
    whole = _colour._ycbcr_to_rgb_like_libjpeg(y, cb, cr)
    monkeypatch.setattr(_colour, "_BAND_SAMPLES", 17)
    assert np.array_equal(_colour._ycbcr_to_rgb_like_libjpeg(y, cb, cr), whole)
