import math

import numpy as np
import pytest

from helpers import metrics


def test_mse_and_psnr_known_values():
    a = np.zeros((4, 4), dtype=np.uint8)
    b = np.full((4, 4), 10, dtype=np.uint8)
    assert metrics.mse(a, b) == 100.0
    assert metrics.psnr(a, b) == pytest.approx(10 * math.log10(255**2 / 100))


def test_psnr_of_identical_pictures_is_infinite():
    a = np.arange(16, dtype=np.uint8).reshape(4, 4)
    assert metrics.psnr(a, a.copy()) == math.inf


def test_mse_does_not_wrap_around_in_uint8():
    a = np.array([[0]], dtype=np.uint8)
    b = np.array([[255]], dtype=np.uint8)
    assert metrics.mse(a, b) == 255.0**2
    assert metrics.psnr(a, b) == pytest.approx(0.0)


def test_psnr_agrees_with_the_formula_on_random_pictures():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
    b = np.clip(a + rng.normal(0, 5, a.shape), 0, 255).astype(np.uint8)
    expected = 10 * np.log10(255**2 / np.mean((a.astype(float) - b) ** 2))
    assert metrics.psnr(a, b) == pytest.approx(expected)


def test_shapes_must_match():
    with pytest.raises(ValueError, match=r"same shape, got \(4, 4\) and \(4, 5\)"):
        metrics.mse(np.zeros((4, 4)), np.zeros((4, 5)))


def test_nan_is_refused():
    bad = np.zeros((2, 2))
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="test must not contain NaN"):
        metrics.psnr(np.zeros((2, 2)), bad)


def test_raw_sizes():
    grey = np.zeros((512, 512), dtype=np.uint8)
    colour = np.zeros((512, 512, 3), dtype=np.uint8)
    assert metrics.raw_bits(grey) == 512 * 512 * 8
    assert metrics.raw_bytes(colour) == 786_432
    assert metrics.raw_bits(grey, 5) == 512 * 512 * 5
    assert metrics.raw_bytes(np.zeros((1, 3), dtype=np.uint8), 3) == 2  # 9 bits -> 2 bytes


def test_bits_per_pixel():
    colour = np.zeros((10, 10, 3), dtype=np.uint8)
    assert metrics.bits_per_pixel(300, colour) == 24.0
    assert metrics.bits_per_pixel(metrics.raw_bytes(colour), colour) == 24.0
    with pytest.raises(ValueError, match="n_bytes must be >= 0, got -1"):
        metrics.bits_per_pixel(-1, colour)


def test_entropy_known_values():
    assert metrics.entropy(np.zeros(100, dtype=np.uint8)) == 0.0
    assert metrics.entropy(np.arange(256)) == pytest.approx(8.0)
    assert metrics.entropy(np.array([0, 0, 1, 2])) == pytest.approx(1.5)
    assert metrics.entropy(np.array([1.0, 2.0])) == pytest.approx(1.0)


def test_entropy_refuses_fractions():
    with pytest.raises(ValueError, match="values must be whole numbers"):
        metrics.entropy(np.array([0.5, 1.0]))


@pytest.mark.parametrize("values", [
    np.random.default_rng(2).integers(0, 256, (64, 64), dtype=np.uint8),
    np.random.default_rng(3).integers(-300, 300, 5000),
    np.array([-(2**40), 0, 2**40, 0]),  # a range too wide for counting: falls back to sorting
    np.array([3.0, 3.0, -1.0]),
])
def test_entropy_equals_the_histogram_definition(values):
    _, counts = np.unique(values, return_counts=True)
    p = counts / counts.sum()
    assert metrics.entropy(values) == pytest.approx(float(-(p * np.log2(p)).sum()), abs=1e-12)


def test_ssim_is_the_published_value_for_the_noisy_cameraman(camera):
    """The reference value: IPOL's ``imdiff -m mssim`` (Getreuer 2011) on the cameraman and a noisy copy.

    scikit-image's test suite publishes it (0.357959091663361, for this
    cameraman: Lav Varshney's, as scikit-image's ``data.camera()`` since
    2020), with the noise it adds: normal, standard deviation 20, from
    ``np.random.seed(5)``, clipped and cast to uint8.
    """
    noisy = np.clip(camera + 20.0 * np.random.RandomState(5).randn(*camera.shape), 0, 255).astype(np.uint8)
    assert abs(metrics.ssim(camera, noisy) - 0.357959091663361) < 1e-4
    assert metrics.ssim(camera, camera) == 1.0


def test_ssim_of_flat_pictures_is_the_brightness_term_and_colour_is_the_channels_mean(chelsea):
    c1 = (0.01 * 255) ** 2
    for a, b in ((100.0, 110.0), (0.0, 255.0), (30.0, 30.0)):
        expected = (2 * a * b + c1) / (a * a + b * b + c1)  # no contrast, no structure: those terms are 1
        assert metrics.ssim(np.full((12, 20), a), np.full((12, 20), b)) == pytest.approx(expected, rel=1e-12)
    noisy = np.clip(chelsea + np.random.default_rng(2).normal(0, 15, chelsea.shape), 0, 255).astype(np.uint8)
    each = [metrics.ssim(chelsea[..., k], noisy[..., k]) for k in range(3)]
    assert metrics.ssim(chelsea, noisy) == pytest.approx(np.mean(each), rel=1e-12)
    assert metrics.ssim_map(chelsea[..., 0], noisy[..., 0]).shape == (chelsea.shape[0] - 10, chelsea.shape[1] - 10)


def test_ssim_rises_with_jpeg_quality(camera):
    from helpers import jpeg

    scores = [metrics.ssim(camera, jpeg.decode(jpeg.encode(camera, q))) for q in (10, 30, 50, 75, 95)]
    assert scores == sorted(scores) and 0.5 < scores[0] < scores[-1] < 1


def test_ssim_bad_input_is_named():
    with pytest.raises(ValueError, match=r"reference and test must have the same shape"):
        metrics.ssim(np.zeros((16, 16)), np.zeros((16, 17)))
    with pytest.raises(ValueError, match=r"at least 11 x 11 pixels \(SSIM's window\), got \(8, 40\)"):
        metrics.ssim(np.zeros((8, 40)), np.zeros((8, 40)))
    with pytest.raises(ValueError, match=r"grey picture \(H x W\) for ssim_map"):
        metrics.ssim_map(np.zeros((16, 16, 3)), np.zeros((16, 16, 3)))
    with pytest.raises(TypeError, match="reference must be a numpy array"):
        metrics.ssim([[0] * 16] * 16, np.zeros((16, 16)))
