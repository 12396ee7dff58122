"""The steps of SSIMULACRA 2 (Jon Sneyers, Cloudinary, 2022; updated in 2023), behind :func:`.metrics.ssimulacra2`.

Written here in numpy from the C++ reference in libjxl, read at these commits:

- ``tools/ssimulacra2.cc`` (ea17d78d094d92b9c085da6d61afab6cbaedfad3): the scales, the error maps, the 108
  weights and the final polynomial;
- ``tools/gauss_blur.cc`` (1c1959f8f80cced462dcc11e8c96f87a9dd9ea93; earlier ``lib/jxl/gauss_blur.cc``): the
  recursive Gaussian of standard deviation 1.5;
- ``lib/jxl/cms/opsin_params.h`` (3e9cbb0e691fd8cdb285e3a99e4cd41867d12ff0) and ``lib/jxl/enc_xyb.cc``: the XYB
  colour space (opsin absorbance matrix, bias, cube root).

Like the C++, pictures are float32 and the sums over a map are float64.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

F32 = np.float32

# --- XYB: lib/jxl/cms/opsin_params.h (kM00..kM22, kOpsinAbsorbanceBias0) and LinearRGBToXYB in lib/jxl/enc_xyb.cc.
_OPSIN_ABSORBANCE = np.array([
    [0.30, 1 - 0.078 - 0.30, 0.078],
    [0.23, 1 - 0.078 - 0.23, 0.078],
    [0.24342268924547819, 0.20476744424496821, 1 - 0.24342268924547819 - 0.20476744424496821],
], dtype=F32)
_OPSIN_BIAS = F32(0.0037930732552754493)  # the same for the three cones

# --- SSIMULACRA 2: tools/ssimulacra2.cc.
_C2 = F32(0.0009)  # kC2, keeps flat windows from dividing by almost 0
_SCALES = 6  # kNumScales: 1:1 to 1:32
_SMALLEST = 8  # a scale is only computed from a picture at least 8 x 8 (checked before halving it)

# The 108 weights of Msssim::Score(), in the C++'s order: for each channel (X, Y, B), for each scale (1:1 .. 1:32),
# for each norm (1-norm, 4-norm): SSIM error, ringing, blurring. One line is one channel at one scale.
_WEIGHTS = np.array([
    # X
    0.0, 0.0007376606707406586, 0.0, 0.0, 0.0007793481682867309, 0.0,
    0.0, 0.0004371155730107379, 0.0, 1.1041726426657346, 0.00066284834129271, 0.00015231632783718752,
    0.0, 0.0016406437456599754, 0.0, 1.8422455520539298, 11.441172603757666, 0.0,
    0.0007989109436015163, 0.000176816438078653, 0.0, 1.8787594979546387, 10.94906990605142, 0.0,
    0.0007289346991508072, 0.9677937080626833, 0.0, 0.00014003424285435884, 0.9981766977854967, 0.00031949755934435053,
    0.0004550992113792063, 0.0, 0.0, 0.0013648766163243398, 0.0, 0.0,
    # Y
    0.0, 0.0, 0.0, 7.466890328078848, 0.0, 17.445833984131262,
    0.0006235601634041466, 0.0, 0.0, 6.683678146179332, 0.00037724407979611296, 1.027889937768264,
    225.20515300849274, 0.0, 0.0, 19.213238186143016, 0.0011401524586618361, 0.001237755635509985,
    176.39317598450694, 0.0, 0.0, 24.43300999870476, 0.28520802612117757, 0.0004485436923833408,
    0.0, 0.0, 0.0, 34.77906344483772, 44.835625328877896, 0.0,
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
    # B
    0.0, 0.0008680556573291698, 0.0, 0.0, 0.0, 0.0,
    0.0, 0.0005313191874358747, 0.0, 0.00016533814161379112, 0.0, 0.0,
    0.0, 0.0, 0.0, 0.0004179171803251336, 0.0017290828234722833, 0.0,
    0.0020827005846636437, 0.0, 0.0, 8.826982764996862, 23.19243343998926, 0.0,
    95.1080498811086, 0.9863978034400682, 0.9834382792465353, 0.0012286405048278493, 171.2667255897307, 0.9807858872435379,  # noqa: E501
    0.0, 0.0, 0.0, 0.0005130064588990679, 0.0, 0.00010854057858411537,
])


def to_linear(picture: np.ndarray) -> np.ndarray:
    """8-bit sRGB (H x W x 3, uint8) to linear light 0..1, by the sRGB transfer curve (IEC 61966-2-1).

    Returned channels first (3 x H x W, float32), the layout of the C++'s planes and the fast one here.
    """
    v = np.arange(256) / 255
    table = np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4).astype(F32)
    return np.ascontiguousarray(table[picture].transpose(2, 0, 1))


def to_xyb(linear: np.ndarray) -> np.ndarray:
    """Linear RGB (3 x H x W) to SSIMULACRA 2's XYB, each channel in about 0..1 (ToXYB, then MakePositiveXYB).

    The cones' responses are a mix of R, G, B plus a small bias, compressed by a cube root (less the bias's, so
    black stays 0); X is half the difference of the long and medium cones, Y half their sum, B the short cone.
    Then X becomes 14 X + 0.42, Y + 0.01 and B becomes B - Y + 0.55.
    """
    mixed = np.maximum(np.tensordot(_OPSIN_ABSORBANCE, linear, axes=1) + _OPSIN_BIAS, F32(0))
    long, medium, short = np.cbrt(mixed) - np.cbrt(_OPSIN_BIAS)
    x = F32(0.5) * (long - medium)
    y = F32(0.5) * (long + medium)
    return np.stack([x * F32(14) + F32(0.42), y + F32(0.01), (short - y) + F32(0.55)])


def halve(linear: np.ndarray) -> np.ndarray:
    """Average each 2 x 2 block (Downsample in tools/ssimulacra2.cc); an odd last row or column pairs with itself."""
    h, w = linear.shape[1:]
    padded = np.pad(linear, ((0, 0), (0, h % 2), (0, w % 2)), mode="edge")
    return padded.reshape(3, (h + 1) // 2, 2, (w + 1) // 2, 2).sum(axis=(2, 4), dtype=F32) * F32(0.25)


def recursive_gaussian(sigma: float = 1.5) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """The constants of libjxl's recursive Gaussian (CreateRecursiveGaussian in tools/gauss_blur.cc).

    Charalampidis (2016), "Recursive implementation of the Gaussian filter using truncated cosine functions":
    the Gaussian is approximated by three cosines of frequencies ``k pi / (2 N)`` (k = 1, 3, 5) cut at ``N``
    pixels from the centre, with weights ``beta`` chosen so the kernel sums to 1, has the Gaussian's
    variance ``sigma**2`` and meets the paper's third condition (52)-(55). Returns ``N``, the frequencies,
    ``beta`` and the recursion's two coefficients per cosine (``n2``, ``d1``).
    """
    radius = round(3.2795 * sigma + 0.2546)  # (57)
    omega = np.pi / (2 * radius) * np.array([1.0, 3.0, 5.0])
    p = 1 / np.tan(omega / 2) * np.array([1.0, -1.0, 1.0])  # (37)
    r = p * p / np.sin(omega) * np.array([1.0, -1.0, 1.0])  # (44)
    rho = np.exp(-0.5 * sigma**2 * omega**2) / radius  # (50)
    d13, d35, d51 = p[0] * r[1] - r[0] * p[1], p[1] * r[2] - r[1] * p[2], p[2] * r[0] - r[2] * p[0]  # (52)
    zeta15, zeta35 = d35 / d13, d51 / d13
    a = np.array([p, r, [zeta15, zeta35, 1.0]])  # (56)
    beta = np.linalg.solve(a, [1.0, radius**2 - sigma**2, zeta15 * rho[0] + zeta35 * rho[1] + rho[2]])  # (53), (55)
    n2 = -beta * np.cos(omega * (radius + 1))  # (33)
    d1 = -2 * np.cos(omega)
    return radius, omega, beta, np.stack([n2, d1])


def gaussian_kernel(sigma: float = 1.5) -> np.ndarray:
    """The recursive Gaussian's impulse response: ``sum_k beta_k cos(omega_k t)`` for ``|t| < N``, 0 beyond.

    The recursion of libjxl is exactly this finite kernel (each cosine is 0 at ``|t| = N``), so blurring with
    it, outside the picture counting as 0, gives the same numbers as the recursion, up to rounding. For
    sigma 1.5, ``N = 5``: 9 taps, summing to 1, variance 2.25.
    """
    radius, omega, beta, _ = recursive_gaussian(sigma)
    t = np.arange(-radius + 1, radius)
    return (beta[:, None] * np.cos(omega[:, None] * t)).sum(axis=0)


_KERNEL = gaussian_kernel(1.5)


def blur(planes: np.ndarray) -> np.ndarray:
    """Blur the last two axes (H x W) of a stack of planes, outside the picture counting as 0.

    As in libjxl (FastGaussian), nothing is renormalised at the borders: near an edge the weights that fall
    outside are lost, so a flat picture comes out darker in its outer 4 pixels.
    """
    out = ndimage.correlate1d(planes, _KERNEL, axis=-1, mode="constant", cval=0.0)
    return ndimage.correlate1d(out, _KERNEL, axis=-2, mode="constant", cval=0.0)


def _norms(error: np.ndarray) -> np.ndarray:
    """Per channel (first axis): the mean of ``error`` (1-norm) and the 4th root of the mean of its 4th power."""
    return np.stack([error.mean(axis=(1, 2)), np.sqrt(np.sqrt(np.square(np.square(error)).mean(axis=(1, 2))))])


def scale_scores(xyb1: np.ndarray, xyb2: np.ndarray) -> np.ndarray:
    """The 18 numbers of one scale (XYB planes 3 x H x W), as an array (3 channels, 2 norms, 3 maps).

    The maps are SSIM error, ringing and blurring.

    SSIM error (SSIMMap): ``1 - (1 - (mu1 - mu2)^2) (2 s12 + C2) / (s11 + s22 + C2)``, at least 0, where mu are
    the blurred planes and s the blurred products less the products of the mu (variances, covariance): SSIM without
    its brightness denominator, which the C++ drops because XYB is already perceptually spaced. Ringing and
    blurring (EdgeDiffMap): how much more (less) the distorted picture departs from its blurred self than the
    original does, ``(1 + |img2 - mu2|) / (1 + |img1 - mu1|) - 1``, its positive and its negative part.
    """
    mu1, mu2, s11, s22, s12 = blur(np.stack([xyb1, xyb2, xyb1 * xyb1, xyb2 * xyb2, xyb1 * xyb2]))
    num_m = F32(1) - (mu1 - mu2) * (mu1 - mu2)
    num_s = F32(2) * (s12 - mu1 * mu2) + _C2
    denom_s = (s11 - mu1 * mu1) + (s22 - mu2 * mu2) + _C2
    ssim_error = np.maximum(1.0 - (num_m * num_s / denom_s).astype(np.float64), 0.0)
    ratio = (1.0 + np.abs(xyb2 - mu2).astype(np.float64)) / (1.0 + np.abs(xyb1 - mu1).astype(np.float64)) - 1.0
    maps = [ssim_error, np.maximum(ratio, 0.0), np.maximum(-ratio, 0.0)]
    return np.stack([_norms(m) for m in maps], axis=-1).transpose(1, 0, 2)  # (channel, norm, map)


def score(linear1: np.ndarray, linear2: np.ndarray) -> float:
    """SSIMULACRA 2 of two linear-RGB pictures, 3 x H x W (ComputeSSIMULACRA2 and Msssim::Score in the C++)."""
    scales = []
    for scale in range(_SCALES):
        if min(linear1.shape[1:]) < _SMALLEST:  # as the C++: the size is checked before halving, so the last
            break  # scale computed can be 4..7 pixels across
        if scale:
            linear1, linear2 = halve(linear1), halve(linear2)
        scales.append(scale_scores(to_xyb(linear1), to_xyb(linear2)))
    # The C++ walks the weights in order for channel, scale, norm, map; with fewer than 6 scales (a side under
    # 113 pixels) the channels Y and B read weights meant for the previous channel's later scales.
    features = np.abs(np.stack(scales, axis=1)).ravel()  # (channel, scale, norm, map)
    total = float(features @ _WEIGHTS[: features.size]) * 0.9562382616834844  # then Msssim::Score's mapping
    total = 2.326765642916932 * total - 0.020884521182843837 * total**2 + 6.248496625763138e-05 * total**3
    return 100.0 - 10.0 * total**0.6276336467831387 if total > 0 else 100.0
