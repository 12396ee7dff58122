"""Rate-distortion optimized quantization (``encode(..., rdo=True)``) against libjpeg-turbo.

Run with ``.venv/bin/python benchmarks/bench_rdo.py`` (about 30 s on two
cores; ``--quick``: three pictures and four qualities, about 10 s).

For each picture, every codec encodes it at qualities 30, 40, ..., 90 and the
file is decoded by Pillow; the points (bytes, PSNR) of each codec are
compared with libjpeg-turbo's (Pillow, ``optimize=True``) by the Bjøntegaard
delta rate (:func:`helpers.rd.bd_rate`): the average difference in bytes at
the same PSNR, negative when smaller. PSNR is over the decoded RGB values of
colour pictures (all three channels in one mean squared error) and over the
grey values of grey ones, against the original.

Codecs: ours without and with rdo (both ``optimize=True``, 4:2:0), Pillow's
progressive JPEG (``progressive=True, optimize=True``), and, for perspective,
WebP and AVIF (if this Pillow has it) at the same quality numbers. Also the
time to encode each picture once at quality 75: ours with rdo, without, and
Pillow. Nothing here asserts anything: the tests check correctness.
"""

from __future__ import annotations

import argparse
import functools
import io
import time

import numpy as np
from PIL import Image, ImageDraw, ImageFont, features
from scipy import ndimage

from helpers import images, jpeg, metrics
from helpers.rd import bd_rate

QUALITIES = (30, 40, 50, 60, 70, 80, 90)
QUICK_QUALITIES = (30, 50, 70, 90)


# --- Pictures of other kinds than photographs, made here (seeded, the same every run) ----


def texture(seed: int = 1) -> np.ndarray:
    """384 x 384 colour texture: noise blurred at two scales, like fabric or bark."""
    rng = np.random.default_rng(seed)
    fine = ndimage.gaussian_filter(rng.normal(size=(384, 384, 3)), (1.2, 1.2, 0))
    coarse = ndimage.gaussian_filter(rng.normal(size=(384, 384, 3)), (8, 8, 0))
    mix = fine / fine.std() + 0.8 * coarse / coarse.std()
    mix = mix @ np.array([[0.8, 0.5, 0.3], [0.2, 0.6, 0.2], [0.1, 0.2, 0.5]])  # brownish
    return np.clip(np.rint(128 + 35 * mix), 0, 255).astype(np.uint8)


def _font(size: int) -> ImageFont.ImageFont:
    """PIL's default font at ``size`` pixels (Pillow >= 10.1; older ones have one small size)."""
    try:
        return ImageFont.load_default(size)
    except TypeError:
        return ImageFont.load_default()


def text(seed: int = 2) -> np.ndarray:
    """384 x 512 page of text in PIL's default font: black lines, a red heading, a blue box."""
    rng = np.random.default_rng(seed)
    page = Image.new("RGB", (512, 384), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((330, 290, 496, 372), fill=(220, 235, 255), outline=(30, 60, 160), width=2)
    draw.text((16, 14), "Image compression", fill=(190, 20, 20), font=_font(30))
    words = "the quick brown fox jumps over a lazy dog while jpeg blocks ring".split()
    y = 60
    for size in (12, 14, 16, 20, 12, 24, 14, 12, 18, 12, 16, 14, 12, 22, 12):
        line = " ".join(rng.choice(words, 7))
        draw.text((16, y), line, fill="black", font=_font(size))
        y += size + 6
    return np.asarray(page)


def flat(seed: int = 3) -> np.ndarray:
    """384 x 512 cartoon: a few shapes of flat colour (sky, hills, sun, house, trees)."""
    rng = np.random.default_rng(seed)
    scene = Image.new("RGB", (512, 384), (120, 190, 240))
    draw = ImageDraw.Draw(scene)
    draw.ellipse((380, 30, 470, 120), fill=(255, 210, 40))
    draw.ellipse((-100, 220, 300, 500), fill=(70, 160, 60))
    draw.ellipse((200, 250, 650, 520), fill=(90, 180, 70))
    draw.rectangle((120, 190, 250, 300), fill=(200, 90, 60))
    draw.polygon([(110, 190), (185, 130), (260, 190)], fill=(120, 40, 40))
    draw.rectangle((170, 240, 200, 300), fill=(80, 50, 30))
    for x in rng.integers(300, 500, 4):
        draw.rectangle((x - 5, 250, x + 5, 300), fill=(100, 70, 40))
        draw.ellipse((x - 25, 200, x + 25, 260), fill=(30, 110, 40))
    return np.asarray(scene)


def gradient() -> np.ndarray:
    """384 x 512 smooth synthetic colour: linear ramps and a soft radial glow."""
    y, x = np.mgrid[0:384, 0:512] / np.array([383, 511])[:, None, None]
    glow = np.exp(-((x - 0.7) ** 2 + (y - 0.35) ** 2) / 0.08)
    rgb = np.stack([40 + 180 * x + 30 * glow, 60 + 120 * y + 50 * glow, 200 - 150 * x * y], -1)
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def pictures(quick: bool = False) -> dict[str, np.ndarray]:
    """The benchmark's pictures by name: the four photographs and four made here."""
    names = ("astronaut", "camera", "text") if quick else tuple(images.NAMES)
    made = {"texture": texture, "text": text, "flat": flat, "gradient": gradient}
    return {
        name: images.load(name) if name in images.NAMES else made[name]()
        for name in (names if quick else (*names, *made))
    }


# --- Codecs --------------------------------------------------------------------------


def pillow(image: np.ndarray, quality: int, format: str = "JPEG", **options) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format, quality=quality, **options)
    return buffer.getvalue()


def pillow_decode(data: bytes, grey: bool) -> np.ndarray:
    """Decode any of the files with Pillow, to grey or RGB (WebP and AVIF store grey as colour)."""
    with Image.open(io.BytesIO(data)) as file:
        return np.asarray(file.convert("L" if grey else "RGB"))


CODECS = {
    "libjpeg": lambda image, q: pillow(image, q, optimize=True),
    "ours": lambda image, q: jpeg.encode(image, q, optimize=True),
    "ours rdo": lambda image, q: jpeg.encode(image, q, optimize=True, rdo=True),
    "progressive": lambda image, q: pillow(image, q, progressive=True, optimize=True),
    "WebP": lambda image, q: pillow(image, q, "WEBP"),
}
if features.check("avif"):
    CODECS["AVIF"] = lambda image, q: pillow(image, q, "AVIF")


def curve(image: np.ndarray, codec, qualities) -> tuple[np.ndarray, np.ndarray]:
    """(bytes, PSNR in dB) of ``codec`` at each quality."""
    sizes, psnrs = [], []
    for quality in qualities:
        data = codec(image, quality)
        sizes.append(len(data))
        psnrs.append(metrics.psnr(image, pillow_decode(data, image.ndim == 2)))
    return np.array(sizes), np.array(psnrs)


def bd_or_nan(reference, other) -> float:
    """BD-rate of ``other`` against ``reference``; NaN when their PSNR ranges do not overlap."""
    try:
        return bd_rate(*reference, *other)
    except ValueError:  # e.g. WebP's quality 30 is already better than libjpeg's 90
        return float("nan")


def seconds(function, rounds: int = 3) -> float:
    """Best time of one call over ``rounds`` calls."""
    best = np.inf
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def _percent(value: float) -> str:
    return "n/a" if np.isnan(value) else f"{value:+.1f} %"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 pictures, 4 qualities")
    quick = parser.parse_args().quick
    qualities = QUICK_QUALITIES if quick else QUALITIES
    others = [name for name in CODECS if name != "libjpeg"]
    print(f"BD-rate against libjpeg-turbo (Pillow, optimize=True), qualities {list(qualities)};")
    print("PSNR of RGB (grey for grey pictures); negative = fewer bytes at the same PSNR\n")
    print("| picture | size | " + " | ".join(others) + " |")
    print("|---|---|" + "---:|" * len(others))
    table, times = {}, {}
    for name, image in pictures(quick).items():
        reference = curve(image, CODECS["libjpeg"], qualities)
        table[name] = [bd_or_nan(reference, curve(image, CODECS[o], qualities)) for o in others]
        shape = "x".join(str(n) for n in image.shape[:2]) + (" grey" if image.ndim == 2 else "")
        cells = " | ".join(_percent(value) for value in table[name])
        print(f"| {name} | {shape} | {cells} |", flush=True)
        times[name] = [
            seconds(functools.partial(CODECS[c], image, 75)) for c in ("ours rdo", "ours", "libjpeg")
        ]
    means = np.nanmean(list(table.values()), axis=0)
    print("| **mean** | | " + " | ".join(f"**{_percent(value)}**" for value in means) + " |")
    if np.isnan(list(table.values())).any():
        print("\nn/a: the PSNR ranges do not overlap (no BD-rate); the mean leaves those out.")

    print("\nTime to encode once at quality 75 (best of 3), optimize=True:\n")
    print("| picture | ours rdo (s) | ours (s) | Pillow (ms) | rdo / ours | rdo / Pillow |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (rdo, ours, theirs) in times.items():
        print(f"| {name} | {rdo:.2f} | {ours:.3f} | {theirs * 1e3:.1f} | "
              f"{rdo / ours:.0f} x | {rdo / theirs:.0f} x |")  # fmt: skip


if __name__ == "__main__":
    main()
