"""Colour (RGB <-> YCbCr) and resampling of the colour planes.

Two pairs of resamplers stand side by side. The teaching pair, public:
:func:`subsample` takes the *mean* of each group of samples and
:func:`upsample` *repeats* each sample. The pair *like libjpeg*, private, is
what :func:`~helpers.jpeg.encode` and :func:`~helpers.jpeg.decode` use, to the
last rounding: :func:`_downsample_like_libjpeg` (integer means with
alternating bias) and :func:`_upsample_like_libjpeg` (the "fancy" triangle
filter). Sampling factors and ratios are (vertical, horizontal) pairs
throughout, as in :data:`SUBSAMPLING`.
"""

from __future__ import annotations

import numpy as np

from .._bt601 import LUMA
from .._checks import array, ceil_div, choice, integer

#: JFIF (T.871) matrices: ycbcr = _TO_YCBCR @ rgb + _OFFSET, rgb = _TO_RGB @ (ycbcr - _OFFSET).
_TO_YCBCR = np.array([LUMA, [-0.168736, -0.331264, 0.5], [0.5, -0.418688, -0.081312]])
_TO_RGB = np.array([[1.0, 0.0, 1.402], [1.0, -0.344136, -0.714136], [1.0, 1.772, 0.0]])
_OFFSET = np.array([0.0, 128.0, 128.0])


def _colour(image: object) -> np.ndarray:
    image = array(image, "image", ndim=3)
    if image.shape[2] != 3:
        raise ValueError(f"image must be H x W x 3, got shape {image.shape}")
    return image.astype(np.float64)


def rgb_to_ycbcr(image: np.ndarray) -> np.ndarray:
    """Split colour into brightness Y and two colour differences Cb, Cr (JFIF, T.871).

    The eye sees detail in Y far better than in Cb and Cr, so JPEG can keep
    the colour planes at lower resolution. Full range: all three in 0..255,
    grey pixels have Cb = Cr = 128.

    Parameters
    ----------
    image : numpy.ndarray
        H x W x 3 RGB picture, ``uint8`` or float in 0..255.

    Returns
    -------
    numpy.ndarray
        H x W x 3 ``float64`` (Y, Cb, Cr), not rounded.

    Examples
    --------
    Grey has Cb = Cr = 128; pure red is dark in Y and as red as can be in Cr:

    >>> pixels = np.array([[[128, 128, 128], [255, 0, 0]]], np.uint8)
    >>> (rgb_to_ycbcr(pixels).round(1) + 0).tolist()
    [[[128.0, 128.0, 128.0], [76.2, 85.0, 255.5]]]
    """
    return _rgb_to_ycbcr(_colour(image))


def ycbcr_to_rgb(image: np.ndarray) -> np.ndarray:
    """Turn Y, Cb, Cr back into RGB: the inverse of :func:`rgb_to_ycbcr`.

    Returns an H x W x 3 ``uint8`` picture, rounded to the nearest value and
    clipped to 0..255 (quantized Y, Cb, Cr can give colours just outside).

    Examples
    --------
    >>> ycbcr_to_rgb(np.array([[[128.0, 128.0, 128.0], [76.2, 85.0, 255.5]]])).tolist()
    [[[128, 128, 128], [255, 0, 0]]]
    """
    return _ycbcr_to_rgb(_colour(image))


def _rgb_to_ycbcr(image: np.ndarray) -> np.ndarray:
    """:func:`rgb_to_ycbcr` of a trusted H x W x 3 picture."""
    return image.astype(np.float64) @ _TO_YCBCR.T + _OFFSET


def _ycbcr_to_rgb(image: np.ndarray) -> np.ndarray:
    """:func:`ycbcr_to_rgb` of a trusted H x W x 3 picture."""
    rgb = (image.astype(np.float64) - _OFFSET) @ _TO_RGB.T
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def _libjpeg_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """libjpeg's look-up tables for YCbCr -> RGB (``jdcolor.c``, ``build_ycc_rgb_table``): 16-bit fixed point."""
    fix = lambda x: int(x * (1 << 16) + 0.5)  # noqa: E731
    x = np.arange(256, dtype=np.int64) - 128
    half = 1 << 15
    cr_r = (fix(1.40200) * x + half) >> 16
    cb_b = (fix(1.77200) * x + half) >> 16
    g = np.add.outer(-fix(0.34414) * x + half, -fix(0.71414) * x) >> 16  # [cb, cr]
    return cr_r.astype(np.int16), cb_b.astype(np.int16), g.astype(np.int16)


_CR_R, _CB_B, _CB_CR_G = _libjpeg_tables()


def _ycbcr_to_rgb_like_libjpeg(y: np.ndarray, cb: np.ndarray, cr: np.ndarray) -> np.ndarray:
    """RGB from ``uint8`` Y, Cb, Cr planes exactly as libjpeg's decoder computes it (its look-up tables).

    The same formula as :func:`ycbcr_to_rgb` (R = Y + 1.402 (Cr - 128), ...),
    in libjpeg's integers: each term is looked up, rounded as libjpeg rounds it,
    and the sum clipped to 0..255. Exact, and faster than the float formula.
    """
    rgb = np.empty((*y.shape, 3), np.uint8)
    flat, y, cb, cr = rgb.reshape(-1, 3), y.reshape(-1), cb.reshape(-1), cr.reshape(-1)
    for first in range(0, len(y), _BAND_SAMPLES):  # a piece at a time: the int16 terms stay small
        piece = slice(first, first + _BAND_SAMPLES)
        luma, blue, red = y[piece].astype(np.int16), cb[piece], cr[piece]
        for k, term in enumerate((_CR_R[red], _CB_CR_G[blue, red], _CB_B[blue])):
            term += luma
            np.clip(term, 0, 255, out=term)
            flat[piece, k] = term
    return rgb


#: Chroma subsampling modes: (vertical, horizontal) factor of each colour plane.
SUBSAMPLING = {"4:4:4": (1, 1), "4:2:2": (1, 2), "4:2:0": (2, 2)}


def subsample(plane: np.ndarray, mode: str) -> np.ndarray:
    """Average every ``fy x fx`` group of samples of a colour plane into one.

    "4:2:0" keeps one colour sample per 2 x 2 pixels: half the rows, half the
    columns. Odd sides are padded by repeating the last row / column, so the
    result has ``ceil(H / fy)`` x ``ceil(W / fx)`` samples (``float64``).

    Examples
    --------
    >>> plane = np.array([[0, 2, 10, 10], [4, 6, 10, 10]])
    >>> subsample(plane, "4:2:0").tolist()
    [[3.0, 10.0]]
    >>> subsample(plane, "4:2:2").tolist()
    [[1.0, 10.0], [5.0, 10.0]]
    """
    plane = array(plane, "plane", ndim=2)
    return _subsample_mean(plane, *SUBSAMPLING[choice(mode, "mode", SUBSAMPLING)])


def upsample(plane: np.ndarray, mode: str, shape: tuple[int, int]) -> np.ndarray:
    """Bring a subsampled plane back to ``shape`` = (H, W) by repeating each sample.

    Plain pixel replication, then cropping the padding :func:`subsample`
    added. libjpeg's decoder by default uses a smoother "fancy" upsampling
    (a triangle filter between neighbouring samples); a later chapter adds it.
    Returns ``float64``.

    Examples
    --------
    >>> upsample(np.array([[3.0, 10.0]]), "4:2:0", (2, 3)).tolist()
    [[3.0, 3.0, 10.0], [3.0, 3.0, 10.0]]
    """
    plane = array(plane, "plane", ndim=2)
    fy, fx = SUBSAMPLING[choice(mode, "mode", SUBSAMPLING)]
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise TypeError(f"shape must be a (height, width) pair of integers, got {shape!r}")
    height, width = integer(shape[0], "shape[0]", low=1), integer(shape[1], "shape[1]", low=1)
    expected = (ceil_div(height, fy), ceil_div(width, fx))
    if plane.shape != expected:
        raise ValueError(
            f"plane of shape {plane.shape} does not come from a {height} x {width} plane in "
            f"mode {mode!r}, which gives {expected}"
        )
    return _upsample_repeat(plane, fy, fx, (height, width))


def _subsample_mean(plane: np.ndarray, fy: int, fx: int) -> np.ndarray:
    """The mean of every ``fy x fx`` group, the sides padded by repeating the edge."""
    rows, cols = ceil_div(plane.shape[0], fy), ceil_div(plane.shape[1], fx)
    pad = ((0, rows * fy - plane.shape[0]), (0, cols * fx - plane.shape[1]))
    padded = np.pad(plane.astype(np.float64), pad, mode="edge")
    return padded.reshape(rows, fy, cols, fx).mean(axis=(1, 3))


def _upsample_repeat(plane: np.ndarray, fy: int, fx: int, shape: tuple[int, int]) -> np.ndarray:
    """Repeat every sample ``fy x fx`` times, then crop to ``shape``."""
    big = plane.astype(np.float64).repeat(fy, axis=0).repeat(fx, axis=1)
    return big[: shape[0], : shape[1]]


# --- Like libjpeg ------------------------------------------------------------------------


#: libjpeg's rounding bias when it averages (rows, columns) samples into one,
#: alternating from column to column so that halves round up as often as down.
_BIAS = {(1, 1): (0,), (1, 2): (0, 1), (2, 2): (1, 2)}


def _downsample_like_libjpeg(
    plane: np.ndarray, ry: int, rx: int, shape: tuple[int, int]
) -> np.ndarray:
    """Average ``ry x rx`` samples into one exactly as libjpeg-turbo's encoder does.

    Its ``h2v2_downsample`` computes ``(a + b + c + d + bias) >> 2`` with
    ``bias`` 1, 2, 1, 2, ... along a row, and ``h2v1_downsample``
    ``(a + b + bias) >> 1`` with 0, 1, 0, 1, ... (``jcsample.c``). Before
    that the plane's last column is repeated until ``shape[1]`` output columns
    fit, and its last row until the row count is a multiple of ``ry``;
    afterwards the last *output* row is repeated down to ``shape[0]`` rows
    (``jcprepct.c``). Returns ``int32`` samples of the given ``shape``.
    """
    rows, cols = shape
    height, width = plane.shape
    tall = ceil_div(height, ry) * ry
    padded = np.pad(plane, ((0, tall - height), (0, cols * rx - width)), mode="edge")
    padded = padded.astype(np.int32)
    total = sum(padded[dy::ry, dx::rx] for dy in range(ry) for dx in range(rx))  # each group
    small = (total + np.resize(_BIAS[ry, rx], cols)) >> (ry * rx // 2)  # / 1, 2 or 4
    return np.pad(small, ((0, rows - small.shape[0]), (0, 0)), mode="edge")


#: Samples of a plane :func:`_upsample_like_libjpeg` and :func:`_ycbcr_to_rgb_like_libjpeg` take at a time
#: (whole rows): their integer temporaries stay a few MB, however large the picture.
_BAND_SAMPLES = 1 << 18


def _upsample_like_libjpeg(plane: np.ndarray, ry: int, rx: int) -> np.ndarray:
    """libjpeg's default ("fancy") upsampling of a ``uint8`` plane by ``ry`` x ``rx`` (each 1 to 4): ``uint8``.

    Made a band of rows at a time (:func:`_upsample_rows`), each with the row
    above and below it that its filter reaches: the same samples as all at once.
    """
    rows, cols = plane.shape
    out = np.empty((rows * ry, cols * rx), np.uint8)
    band = max(1, _BAND_SAMPLES // max(cols, 1))  # rows a band
    for top in range(0, rows, band):
        bottom = min(top + band, rows)
        first, last = max(top - 1, 0), min(bottom + 1, rows)  # one row of context each side
        big = _upsample_rows(plane[first:last], ry, rx)
        out[top * ry : bottom * ry] = big[(top - first) * ry : (bottom - first) * ry]
    return out


def _upsample_rows(plane: np.ndarray, ry: int, rx: int) -> np.ndarray:
    """libjpeg's default ("fancy") upsampling by ``ry`` x ``rx`` (each 1 to 4), in integers.

    Each new sample is 3/4 of the nearest old sample plus 1/4 of the next
    nearest, first down the columns, then along the rows: a triangle filter
    between sample centres, with libjpeg-turbo's exact rounding
    (``jdsample.c``). Across one direction, ``(3 * near + far + 1) >> 2`` and
    ``(3 * near + far + 2) >> 2`` alternate; across both, the column sums
    ``s = 3 * near + far`` give ``(3 * s + s_far + 8) >> 4`` and
    ``(3 * s + s_far + 7) >> 4``. The edges repeat the outermost sample.
    Like libjpeg, a plane only 1 or 2 samples wide that is to be twice as
    wide is upsampled by repeating samples instead, in both directions.
    """
    p = plane.astype(np.int32)
    rows, cols = p.shape
    # libjpeg smooths only doubling (jdsample.c); any other whole ratio, 3 or 4 (sampling factors
    # up to 4), it repeats each sample, as it does for a plane too narrow to be doubled smoothly
    if (ry, rx) == (1, 1) or ry > 2 or rx > 2 or (rx == 2 and cols <= 2):
        return p.repeat(ry, axis=0).repeat(rx, axis=1)
    if ry == 2:  # rows: output rows 2i and 2i + 1 lean on rows i - 1 and i + 1
        above, below = np.r_[p[:1], p[:-1]], np.r_[p[1:], p[-1:]]
        p = np.stack([3 * p + above, 3 * p + below], axis=1).reshape(2 * rows, cols)
        if rx == 1:
            return (p + np.tile([[1], [2]], (rows, 1))) >> 2
    left, right = np.c_[p[:, :1], p[:, :-1]], np.c_[p[:, 1:], p[:, -1:]]
    if ry == 2:
        pair = [(3 * p + left + 8) >> 4, (3 * p + right + 7) >> 4]
    else:
        pair = [(3 * p + left + 1) >> 2, (3 * p + right + 2) >> 2]
    return np.stack(pair, axis=2).reshape(p.shape[0], 2 * cols)
