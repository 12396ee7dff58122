"""How big is a picture, and how far is it from the original?"""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage

from . import _ssimulacra2
from ._checks import array, integer, number, picture

__all__ = ["mse", "psnr", "ssim", "ssim_map", "ssimulacra2", "raw_bits", "raw_bytes", "bits_per_pixel", "entropy"]


def _pair(reference: object, test: object) -> tuple[np.ndarray, np.ndarray]:
    reference = picture(reference, "reference")
    test = picture(test, "test")
    if reference.shape != test.shape:
        raise ValueError(
            f"reference and test must have the same shape, got {reference.shape} and {test.shape}"
        )
    return reference.astype(np.float64), test.astype(np.float64)


def mse(reference: np.ndarray, test: np.ndarray) -> float:
    """Mean squared error between two pictures of the same shape.

    Examples
    --------
    One of four pixels off by 2: (0 + 4 + 0 + 0) / 4.

    >>> mse(np.zeros((2, 2)), np.array([[0, 2], [0, 0]]))
    1.0
    """
    reference, test = _pair(reference, test)
    return float(np.mean((reference - test) ** 2))


def psnr(reference: np.ndarray, test: np.ndarray, *, peak: float = 255.0) -> float:
    """Peak signal-to-noise ratio in decibels: ``10 log10(peak**2 / MSE)``.

    Identical pictures give ``inf``. Higher is better; around 30 dB a JPEG
    looks fine, above 40 dB the difference is very hard to see.

    Examples
    --------
    >>> round(psnr(np.zeros((2, 2)), np.array([[0, 2], [0, 0]])), 2)
    48.13
    >>> psnr(np.zeros((2, 2)), np.zeros((2, 2)))
    inf
    """
    error = mse(reference, test)
    if error == 0:
        return math.inf
    return 10 * math.log10(peak**2 / error)


#: SSIM's window: a Gaussian of standard deviation 1.5 pixels, 11 x 11 (5 pixels each side of the centre).
_SSIM_SIGMA, _SSIM_RADIUS = 1.5, 5


def ssim_map(reference: np.ndarray, test: np.ndarray, *, peak: float = 255.0) -> np.ndarray:
    """The structural similarity of two grey pictures around every pixel (Wang, Bovik, Sheikh, Simoncelli 2004).

    PSNR compares pixel by pixel; SSIM compares neighbourhoods, as the eye
    does. Around each pixel it weighs an 11 x 11 window (a Gaussian of
    standard deviation 1.5 pixels) and compares three things of the two
    windows: their mean brightness, their contrast (standard deviation) and
    their structure (how the two vary together, the correlation):

        SSIM = (2 mx my + C1) (2 sxy + C2) / ((mx^2 + my^2 + C1) (sx^2 + sy^2 + C2))

    with ``C1 = (0.01 peak)^2`` and ``C2 = (0.03 peak)^2`` keeping flat,
    dark windows from dividing by almost 0. 1 means the same
    neighbourhood; noise, blur or blocking lower it, each in its own place.
    The map is as large as the picture less 5 pixels on each side, where
    the window would reach past the edge.

    Examples
    --------
    A ramp against itself is 1 everywhere; with its right half 40 levels
    brighter, the windows that see the step drop, the others stay near 1:

    >>> ramp = np.tile(np.arange(0, 200, 5, dtype=np.uint8), (24, 1))  # 24 x 40
    >>> ssim_map(ramp, ramp).shape, float(ssim_map(ramp, ramp).min())
    ((14, 30), 1.0)
    >>> step = ramp.copy()
    >>> step[:, 20:] += 40
    >>> ssim_map(ramp, step)[0, ::3].round(2).tolist()  # map column k: the window around pixel column k + 5
    [1.0, 1.0, 1.0, 1.0, 0.77, 0.51, 0.89, 0.97, 0.97, 0.98]
    """
    reference, test = _pair(reference, test)
    if reference.ndim != 2:
        raise ValueError(f"reference must be a grey picture (H x W) for ssim_map, got shape {reference.shape}")
    if min(reference.shape) <= 2 * _SSIM_RADIUS:
        raise ValueError(f"reference must be at least {2 * _SSIM_RADIUS + 1} x {2 * _SSIM_RADIUS + 1} pixels "
                         f"(SSIM's window), got {reference.shape}")
    peak = number(peak, "peak", low=0)

    def local_mean(values: np.ndarray) -> np.ndarray:  # the Gaussian-weighted mean of each window
        return ndimage.gaussian_filter(values, _SSIM_SIGMA, truncate=_SSIM_RADIUS / _SSIM_SIGMA, mode="reflect")

    mx, my = local_mean(reference), local_mean(test)
    sxx = local_mean(reference * reference) - mx * mx  # variances and covariance of each window
    syy = local_mean(test * test) - my * my
    sxy = local_mean(reference * test) - mx * my
    c1, c2 = (0.01 * peak) ** 2, (0.03 * peak) ** 2
    similarity = (2 * mx * my + c1) * (2 * sxy + c2) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    edge = _SSIM_RADIUS
    return similarity[edge:-edge, edge:-edge]


def ssim(reference: np.ndarray, test: np.ndarray, *, peak: float = 255.0) -> float:
    """Mean structural similarity (SSIM) of two pictures: 1 for the same picture, lower the more they differ.

    The mean of :func:`ssim_map`; for RGB pictures, of each channel's, as
    scikit-image's ``structural_similarity(..., channel_axis=-1,
    gaussian_weights=True, use_sample_covariance=False)`` computes it. It
    agrees with the reference implementation of the IPOL article (Getreuer,
    2011) to 3 decimals on the cameraman with noise (the tests check it).

    Examples
    --------
    >>> flat = np.full((16, 16), 100.0)
    >>> ssim(flat, flat)
    1.0
    >>> round(ssim(flat, flat + 10), 4)  # only the brightness differs: (2 * 100 * 110 + C1) / (100^2 + 110^2 + C1)
    0.9955
    """
    reference, test = _pair(reference, test)
    if reference.ndim == 3:
        return float(np.mean([ssim_map(reference[..., k], test[..., k], peak=peak).mean()
                              for k in range(reference.shape[2])]))
    return float(ssim_map(reference, test, peak=peak).mean())


def ssimulacra2(reference: np.ndarray, test: np.ndarray) -> float:
    """SSIMULACRA 2, a perceptual score of ``test`` against ``reference``: 100 for the same picture, lower is worse.

    Jon Sneyers' metric (Cloudinary, 2022; weights retuned in 2023), fitted to people's opinion scores.
    The C++ tool's README reads it roughly so: 90 very high quality (hard to tell from the original at
    1:1), 70 high, 50 medium, 30 low, 10 very low, below 0 extremely low. It works in XYB, a colour
    space close to how the eye's cones respond, and at six scales (the picture halved five times, in
    linear light). At each scale and in each of X, Y, B it makes three error maps, each summarised by
    its mean and by a 4-norm that stresses the worst places:

    - SSIM's error (1 - SSIM, see :func:`ssim_map`) with a Gaussian window of standard deviation 1.5;
    - ringing: the distorted picture has edges (departs from its blurred self) where the original is smooth;
    - blurring: the original has edges where the distorted picture is smooth.

    The 108 numbers are weighted (weights fitted to people's scores) and a polynomial maps the sum to
    the score. This is our numpy reading of libjxl's C++ (``tools/ssimulacra2.cc``; see
    ``helpers/_ssimulacra2.py``); the tests hold it within 0.2 of the C++'s scores on the reference
    cases of imazen/ssimulacra2. A 512 x 512 RGB pair takes about 0.25 s (measured on a 2-core machine).

    Parameters
    ----------
    reference, test : numpy.ndarray
        8-bit sRGB pictures (uint8) of the same shape, H x W x 3, or H x W grey (used as R = G = B), at
        least 8 x 8 pixels.

    Returns
    -------
    float
        The score, 100 for identical pictures.

    Examples
    --------
    >>> grey = np.full((64, 64), 128, np.uint8)
    >>> ssimulacra2(grey, grey)
    100.0
    >>> round(ssimulacra2(grey, grey + 20), 1)  # a flat grey 20 levels brighter; libjxl's C++ gives 56.06
    56.2
    """
    reference = picture(reference, "reference", dtype="uint8")
    test = picture(test, "test", dtype="uint8")
    if reference.shape != test.shape:
        raise ValueError(
            f"reference and test must have the same shape, got {reference.shape} and {test.shape}"
        )
    if min(reference.shape[:2]) < 8:
        raise ValueError(f"reference must be at least 8 x 8 pixels for ssimulacra2, got shape {reference.shape}")
    if reference.ndim == 2:
        reference, test = (np.repeat(p[..., None], 3, axis=2) for p in (reference, test))
    return _ssimulacra2.score(_ssimulacra2.to_linear(reference), _ssimulacra2.to_linear(test))


def raw_bits(image: np.ndarray, bits_per_sample: int = 8) -> int:
    """Bits needed to store every sample as it is: ``W * H * C * bits_per_sample``.

    Examples
    --------
    >>> raw_bits(np.zeros((512, 512, 3), np.uint8))
    6291456
    """
    image = picture(image, "image")
    bits_per_sample = integer(bits_per_sample, "bits_per_sample", low=1, high=64)
    return int(image.size) * bits_per_sample


def raw_bytes(image: np.ndarray, bits_per_sample: int = 8) -> int:
    """Bytes needed to store every sample as it is (bits rounded up to whole bytes).

    Examples
    --------
    >>> raw_bytes(np.zeros((3, 3), np.uint8), bits_per_sample=5)
    6
    """
    return math.ceil(raw_bits(image, bits_per_sample) / 8)


def bits_per_pixel(n_bytes: int, image: np.ndarray) -> float:
    """Average number of bits spent on each pixel (``H * W`` of ``image``).

    A raw grey picture uses 8, a raw colour picture 24.

    Examples
    --------
    >>> bits_per_pixel(32_768, np.zeros((512, 512), np.uint8))
    1.0
    """
    n_bytes = integer(n_bytes, "n_bytes", low=0)
    image = picture(image, "image")
    return 8 * n_bytes / (image.shape[0] * image.shape[1])


def entropy(values: np.ndarray) -> float:
    """Shannon entropy of the histogram of ``values``, in bits per value.

    The least number of bits per value any code can reach if it looks at
    each value on its own, knowing only how often each one occurs.

    Examples
    --------
    A fair coin is 1 bit, a die 2.58 bits:

    >>> entropy(np.array([0, 1]))
    1.0
    >>> round(entropy(np.arange(1, 7)), 2)
    2.58
    """
    values = array(values, "values")
    if values.dtype.kind == "f":
        if not np.array_equal(values, np.round(values)):
            raise ValueError("values must be whole numbers (a histogram of symbols)")
        values = values.astype(np.int64)
    if values.size and int(values.max()) - int(values.min()) < 1 << 20:
        counts = np.bincount((values.ravel() - values.min()).astype(np.intp))  # no sort: fast enough for a slider
        counts = counts[counts > 0]
    else:
        _, counts = np.unique(values, return_counts=True)
    p = counts / counts.sum()
    return float(-(p * np.log2(p)).sum())
