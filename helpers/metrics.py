"""How big is a picture, and how far is it from the original?"""

from __future__ import annotations

import math

import numpy as np

from ._checks import array, integer, picture

__all__ = ["mse", "psnr", "raw_bits", "raw_bytes", "bits_per_pixel", "entropy"]


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
