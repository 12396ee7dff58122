"""Comparing two codecs by their rate-distortion curves: the Bjøntegaard delta rate.

Encode the same picture with codec A and codec B at a few qualities and you
get two curves of points (file size, PSNR). Which codec is better? Not a
question one point answers: B may be smaller at quality 75 only because its
quality 75 is worse. Bjøntegaard's method (ITU-T VCEG-M33, 2001) compares the
curves instead: fit each as a smooth function *log(rate) of PSNR*, and average
the horizontal gap between them over the PSNR range both cover. The gap in
log-rate is a ratio of sizes: "B needs 7 % fewer bytes than A for the same
PSNR, on average" is a BD-rate of -7 %.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.polynomial import Polynomial

from ._checks import array

__all__ = ["bd_rate"]


def _points(value: object, name: str) -> np.ndarray:
    """A 1-D array of finite numbers; lists and tuples are welcome too."""
    if isinstance(value, (list, tuple)):
        value = np.asarray(value)
    return array(value, name, ndim=1).astype(np.float64)


def _curve(rate: object, psnr: object, codec: str) -> tuple[np.ndarray, np.ndarray]:
    """Check one codec's points: as many rates as PSNRs, rates > 0, at least 4 distinct PSNRs."""
    rate, psnr = _points(rate, f"rate_{codec}"), _points(psnr, f"psnr_{codec}")
    if rate.shape != psnr.shape:
        raise ValueError(
            f"rate_{codec} and psnr_{codec} must have the same length, "
            f"got {rate.size} and {psnr.size}"
        )
    if (rate <= 0).any():
        raise ValueError(f"rate_{codec} must be > 0 (sizes or bits per pixel), got {rate.min()}")
    if np.unique(psnr).size < 4:
        raise ValueError(
            f"psnr_{codec} must hold at least 4 different values (a cubic needs 4 points), "
            f"got {np.unique(psnr).size}"
        )
    return rate, psnr


def bd_rate(
    rate_a: np.ndarray, psnr_a: np.ndarray, rate_b: np.ndarray, psnr_b: np.ndarray
) -> float:
    """Bjøntegaard delta rate of codec B against codec A, in percent.

    Each curve is fitted with a cubic polynomial giving ``log(rate)`` as a
    function of PSNR (least squares through its points); both cubics are
    integrated over the PSNR interval where the curves overlap, and the mean
    difference ``log(rate_b) - log(rate_a)`` is turned back into a ratio.
    Negative means B needs fewer bytes than A for the same PSNR: -10 means
    10 % fewer. This is the standard method of VCEG-M33 (the fits use
    ``numpy.polynomial.Polynomial.fit``, which rescales PSNR first, so the
    cubic is well conditioned).

    Parameters
    ----------
    rate_a, psnr_a : numpy.ndarray or list
        Codec A's points: sizes (bytes, bits, bits per pixel: any unit, the
        same for both codecs) and PSNR in dB. At least 4 points, in any order.
    rate_b, psnr_b : numpy.ndarray or list
        Codec B's points, in the same unit.

    Returns
    -------
    float
        The average rate difference of B against A, in percent.

    Raises
    ------
    ValueError
        If a curve has fewer than 4 distinct PSNR values, a rate is not
        positive, a value is not finite (a lossless point has infinite PSNR:
        leave it out), or the two PSNR ranges do not overlap.

    Examples
    --------
    A codec that needs exactly 10 % fewer bytes at every PSNR:

    >>> rate, psnr = [1000, 2000, 4000, 8000], [30.0, 33.0, 36.0, 39.0]
    >>> round(bd_rate(rate, psnr, [0.9 * r for r in rate], psnr), 6)
    -10.0
    """
    rate_a, psnr_a = _curve(rate_a, psnr_a, "a")
    rate_b, psnr_b = _curve(rate_b, psnr_b, "b")
    low, high = max(psnr_a.min(), psnr_b.min()), min(psnr_a.max(), psnr_b.max())
    if not low < high:
        raise ValueError(
            f"the PSNR ranges must overlap, got {psnr_a.min():.2f}..{psnr_a.max():.2f} dB (a) "
            f"and {psnr_b.min():.2f}..{psnr_b.max():.2f} dB (b)"
        )
    areas = []
    for rate, psnr in ((rate_a, psnr_a), (rate_b, psnr_b)):
        integral = Polynomial.fit(psnr, np.log(rate), 3).integ()
        areas.append(integral(high) - integral(low))
    return 100 * math.expm1((areas[1] - areas[0]) / (high - low))
