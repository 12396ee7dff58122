"""Our JPEG codec (helpers.jpeg.encode / decode) against Pillow's libjpeg-turbo.

Run with ``.venv/bin/python benchmarks/bench_jpeg.py``. The picture is the
512 x 512 RGB astronaut at quality 75 with 4:2:0 subsampling, Pillow's
defaults. Prints markdown tables, everything measured in the same run:

* time to encode and to decode, best of several rounds, ours against Pillow
  and the ratio (targets: encode within 50 x Pillow, aim 10 x; decode within
  300 x, aim 100 x). Both decoders read the same file, Pillow's, baseline and
  progressive (libjpeg's scan script: ten scans);
* peak memory of ``encode`` (``tracemalloc``) as a multiple of the picture's
  size in bytes (target: below 20 x), and of ``decode`` for information;
* decoding a 12-megapixel photograph (4000 x 3000: the astronaut tiled,
  Pillow's file at quality 90), baseline and progressive: seconds and
  megapixels a second, ours and Pillow's (target: at most 3 s), and our
  first call, which loads numba too;
* encoding progressive files (``progressive=True``) against Pillow's, with
  their sizes;
* file sizes with the standard and with optimized Huffman tables, and the
  PSNR of each file against the original (both decoded by Pillow), plus how
  close our decoder comes to Pillow's on the same file.

Nothing here asserts a time: the tests check correctness, this only reports.
"""

from __future__ import annotations

import io
import timeit
import tracemalloc

import numpy as np
from PIL import Image

from helpers import jpeg, metrics
from helpers.images import load
from helpers.jpeg import _compiled

QUALITY, REPEAT = 75, 7


def best_ms(function) -> float:
    """Best time of one call in milliseconds: REPEAT rounds of enough calls for ~0.2 s each."""
    number, _ = timeit.Timer(function).autorange()
    return min(timeit.repeat(function, repeat=REPEAT, number=number)) / number * 1e3


def pillow_encode(image: np.ndarray, **options) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "JPEG", quality=QUALITY, **options)
    return buffer.getvalue()


def pillow_decode(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as file:
        file.load()
        return np.asarray(file)


def peak_memory(function) -> int:
    """Largest amount of memory ``function()`` had allocated at once, in bytes."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    image = load("astronaut")
    ours, theirs = jpeg.encode(image, QUALITY), pillow_encode(image)
    progressive = pillow_encode(image, progressive=True)
    print(f"512 x 512 RGB astronaut, quality {QUALITY}, 4:2:0; best of {REPEAT} rounds\n")

    steps = {
        "encode": (lambda: jpeg.encode(image, QUALITY), lambda: pillow_encode(image)),
        "decode": (lambda: jpeg.decode(theirs), lambda: pillow_decode(theirs)),
        "decode progressive": (lambda: jpeg.decode(progressive), lambda: pillow_decode(progressive)),
    }
    print("| step | ours (ms) | Pillow (ms) | ours / Pillow |")
    print("|---|---:|---:|---:|")
    for step, (ours_call, pillow_call) in steps.items():
        ours_ms, pillow_ms = best_ms(ours_call), best_ms(pillow_call)
        print(f"| {step} | {ours_ms:.1f} | {pillow_ms:.2f} | {ours_ms / pillow_ms:.0f} x |")

    print(f"\nThe picture is {image.nbytes:,} bytes.\n")
    print("| peak memory (tracemalloc) | bytes | x picture |")
    print("|---|---:|---:|")
    for step, (ours_call, _) in steps.items():
        peak = peak_memory(ours_call)
        print(f"| {step} | {peak:,} | {peak / image.nbytes:.1f} |")

    print("\n| progressive encode, optimized | ours (ms) | Pillow (ms) | ours / Pillow | ours, Pillow (bytes) |")
    print("|---|---:|---:|---:|---:|")
    for name, rdo in (("plain rounding", False), ("rdo=True", True)):
        ours_ms = best_ms(lambda rdo=rdo: jpeg.encode(image, QUALITY, optimize=True, rdo=rdo, progressive=True))
        pillow_ms = best_ms(lambda: pillow_encode(image, optimize=True, progressive=True))
        size = len(jpeg.encode(image, QUALITY, optimize=True, rdo=rdo, progressive=True))
        print(f"| {name} | {ours_ms:.1f} | {pillow_ms:.2f} | {ours_ms / pillow_ms:.0f} x "
              f"| {size:,}, {len(pillow_encode(image, optimize=True, progressive=True)):,} |")

    big = np.tile(image, (6, 8, 1))[:3000, :4000]
    megapixels = big.shape[0] * big.shape[1] / 1e6
    loops = "compiled loops (numba) for the bulk" if _compiled.available else "Python loops only (numba not installed)"
    print(f"\nDecoding a {megapixels:.0f} MP photograph: {loops}. The first call of a process also loads numba and")
    print("its cached machine code (and compiles it, the first time ever); 'ours' is the best of the calls after it.")
    print(f"\n| decode {megapixels:.0f} MP, quality 90 | ours (s) | first call (s) | Pillow (s) | ours (MP/s) "
          "| Pillow (MP/s) | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, progressive_big in (("baseline", False), ("progressive", True)):
        buffer = io.BytesIO()
        Image.fromarray(big).save(buffer, "JPEG", quality=90, progressive=progressive_big)
        data = buffer.getvalue()
        first_s = timeit.timeit(lambda data=data: jpeg.decode(data), number=1)
        ours_s = min(timeit.repeat(lambda data=data: jpeg.decode(data), repeat=3, number=1))
        pillow_s = min(timeit.repeat(lambda data=data: pillow_decode(data), repeat=5, number=1))
        print(f"| {name} | {ours_s:.2f} | {first_s:.2f} | {pillow_s:.3f} | {megapixels / ours_s:.1f} "
              f"| {megapixels / pillow_s:.0f} | {ours_s / pillow_s:.0f} x |")
    peak = peak_memory(lambda: jpeg.decode(data))
    print(f"\nPeak memory of the progressive {megapixels:.0f} MP decode: {peak / big.nbytes:.1f} x the picture.")

    print("\n| tables | ours (bytes) | Pillow (bytes) | ours / Pillow | PSNR ours, Pillow |")
    print("|---|---:|---:|---:|---:|")
    for name, optimize in (("standard", False), ("optimized", True)):
        a = jpeg.encode(image, QUALITY, optimize=optimize)
        b = pillow_encode(image, optimize=optimize)
        psnr = ", ".join(f"{metrics.psnr(image, pillow_decode(d)):.3f}" for d in (a, b))
        print(f"| {name} | {len(a):,} | {len(b):,} | {len(a) / len(b):.4f} | {psnr} dB |")

    print("\n| same file, two decoders | PSNR of ours against Pillow's decode (dB) |")
    print("|---|---:|")
    for name, data in (("our file", ours), ("Pillow's file", theirs), ("Pillow's progressive file", progressive)):
        print(f"| {name} | {metrics.psnr(pillow_decode(data), jpeg.decode(data)):.2f} |")


if __name__ == "__main__":
    main()
