"""Quantization tables chosen for the picture (``tables="psnr"``, ``"perceptual"``) against libjpeg-turbo and jpegli.

Run with ``.venv/bin/python benchmarks/bench_tables.py`` (a few minutes on two
cores; ``--quick``: three pictures, qualities 30, 50, 70, 90). jpegli comes
from PyPI's ``pyjpegli`` (``make benchmark`` installs it); without it its
columns say "n/a".

For each picture every codec encodes it at qualities 30, 35, ..., 95, and
Pillow decodes each file. Each codec's curve of (bytes, quality of the
picture) is compared with libjpeg-turbo's (Pillow, baseline, standard
Huffman tables, 4:2:0) by the Bjøntegaard delta rate
(:func:`helpers.rd.bd_rate`): the average difference in bytes at equal
quality, negative when smaller. Two measures of quality: PSNR (over RGB for
colour, over grey for grey), and SSIM (:func:`helpers.metrics.ssim`, the
mean of R, G and B for colour) as ``-10 log10(1 - SSIM)`` dB, the usual way
to make its curve comparable. Codecs:

* ``ours, libjpeg's tables``: ``optimize=True, rdo=True`` (the trellis);
* ``ours, tables="psnr"``: the same, with tables chosen for the picture;
* ``ours, tables="perceptual"``: the same, tables and levels chosen for
  SSIM instead of squared error (:func:`helpers.jpeg._search.perceptual_weights`):
  it should win on the SSIM columns and lose on the PSNR ones;
* jpegli (``pyjpegli.encode``, RGB in: a grey picture goes in as three equal
  channels and its decoded grey is compared).

mozjpeg's figures, measured on the same photographs the same way with its
C build, are in ``shared/reference/encoders.md`` (``-tune-psnr``: -32.6 %
camera, -27.7 % astronaut, -26.6 % chelsea, -31.1 % coffee, -29.3 %
astronaut grey). Also the time to encode each picture once at quality 75.
Nothing here asserts anything: the tests check correctness.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from bench_rdo import _percent, bd_or_nan, pictures, pillow, pillow_decode, seconds

from helpers import images, jpeg, metrics

try:
    import pyjpegli
except ImportError:  # optional: `make benchmark` installs it
    pyjpegli = None

QUALITIES = tuple(range(30, 96, 5))
QUICK_QUALITIES = (30, 50, 70, 90)


def jpegli(image: np.ndarray, quality: int) -> bytes:
    rgb = np.repeat(image[..., None], 3, axis=2) if image.ndim == 2 else image
    return pyjpegli.encode(np.ascontiguousarray(rgb).tobytes(), rgb.shape[1], rgb.shape[0], quality)


CODECS = {
    "libjpeg": lambda image, q: pillow(image, q),
    "ours, libjpeg's tables": lambda image, q: jpeg.encode(image, q, optimize=True, rdo=True),
    'ours, tables="psnr"': lambda image, q: jpeg.encode(image, q, optimize=True, rdo=True, tables="psnr"),
    'ours, tables="perceptual"': lambda image, q: jpeg.encode(image, q, optimize=True, rdo=True,
                                                             tables="perceptual"),
}
if pyjpegli is not None:
    CODECS["jpegli"] = jpegli


def ssim_db(image: np.ndarray, decoded: np.ndarray) -> float:
    return -10 * math.log10(max(1 - metrics.ssim(image, decoded), 1e-12))


def curves(image: np.ndarray, codec, qualities) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bytes, PSNR, SSIM in dB) of ``codec`` at each quality."""
    points = []
    for quality in qualities:
        data = codec(image, quality)
        decoded = pillow_decode(data, image.ndim == 2)
        points.append((len(data), metrics.psnr(image, decoded), ssim_db(image, decoded)))
    return tuple(np.array(column) for column in zip(*points))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="three pictures, four qualities")
    quick = parser.parse_args().quick
    qualities = QUICK_QUALITIES if quick else QUALITIES
    chosen = pictures(quick)
    if not quick:
        chosen["astronaut (grey)"] = images.to_grey(images.load("astronaut"))
    others = [name for name in CODECS if name != "libjpeg"] + ([] if pyjpegli else ["jpegli"])
    print(f"BD-rate against libjpeg-turbo (standard Huffman, 4:2:0), qualities {qualities[0]}..{qualities[-1]}\n")
    header = " | ".join(f"{name} {axis}" for axis in ("PSNR", "SSIM") for name in others)
    print(f"| picture | {header} |")
    print("|---|" + "---:|" * (2 * len(others)))
    for name, image in chosen.items():
        reference = curves(image, CODECS["libjpeg"], qualities)
        found = {codec: curves(image, CODECS[codec], qualities) for codec in others if codec in CODECS}
        cells = []
        for axis in (1, 2):
            for codec in others:
                if codec not in found:
                    cells.append("n/a")
                    continue
                theirs, ours = (reference[0], reference[axis]), (found[codec][0], found[codec][axis])
                cells.append(_percent(bd_or_nan(theirs, ours)))
        print(f"| {name} | " + " | ".join(cells) + " |")

    print("\n| encode once at quality 75 (s) | " + " | ".join(CODECS) + " |")
    print("|---|" + "---:|" * len(CODECS))
    for name, image in chosen.items():
        times = [seconds(lambda codec=codec, image=image: CODECS[codec](image, 75)) for codec in CODECS]
        print(f"| {name} | " + " | ".join(f"{t:.3f}" for t in times) + " |")


if __name__ == "__main__":
    main()
