"""Time the PNG writer that every slider step uses against Pillow's, on the course's own pictures.

``helpers.sliders.png`` writes one filter ("Up") on every row and lets deflate
look only for runs (zlib's ``Z_RLE``). Pillow tries five filters on every row
and searches for matches at zlib level 6 by default (``compress_level=1`` is its
quickest). ``small=True``, for a slider's background (written once, sent on
every step), lets deflate search for matches at level 6 too, with the one
filter. Every file is read back with Pillow and must equal the picture.

    python benchmarks/bench_png.py
"""

from __future__ import annotations

import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from helpers import images, plotting  # noqa: E402
from helpers.sliders import png  # noqa: E402

REPEATS = 7


def a_figure() -> np.ndarray:
    """A slider's figure as matplotlib holds it (RGBA, drawn at 2x): a chart beside an empty pixel panel."""
    fig, (left, right) = plotting.pixel_panels(2, (384, 384), gap=80, bottom=44)
    right.set_axis_on()
    right.barh(["raw", "lzma", "entropy"], [163_840, 136_516, 156_406])
    left.set_title("copies 1-9 of 10, noise 5")
    fig.set_dpi(2 * fig.get_dpi())
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba()).copy()
    plt.close(fig)
    return pixels


def median_ms(write) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        write()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def pillow(pixels: np.ndarray, **options) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG", **options)
    return out.getvalue()


def main() -> None:
    pictures = {"figure (RGBA, 2x)": a_figure()}
    for name in ("astronaut", "camera", "coffee"):
        picture = images.load(name)
        pictures[f"{name} {'grey' if picture.ndim == 2 else 'colour'}"] = picture
        pictures[f"{name} grey" if picture.ndim == 3 else f"{name} grey 8 levels"] = (
            images.to_grey(picture) if picture.ndim == 3 else (picture // 32) * 32)
    writers = {"ours": png, "ours, small": lambda p: png(p, small=True), "Pillow": pillow,
                "Pillow level 1": lambda p: pillow(p, compress_level=1)}
    print("| picture | size | " + " | ".join(f"{w} (ms) | {w} (kB)" for w in writers) + " | time: Pillow / ours |")
    print("| --- | --- |" + " ---: | ---: |" * len(writers) + " ---: |")
    for name, pixels in pictures.items():
        row, times = [], {}
        for writer_name, write in writers.items():
            data = write(pixels)
            assert np.array_equal(np.asarray(Image.open(io.BytesIO(data))), pixels), writer_name
            times[writer_name] = median_ms(lambda write=write, pixels=pixels: write(pixels))
            row += [f"{times[writer_name]:.1f}", f"{len(data) / 1000:.0f}"]
        shape = " x ".join(map(str, pixels.shape))
        print(f"| {name} | {shape} | " + " | ".join(row) + f" | {times['Pillow'] / times['ours']:.1f} |")


if __name__ == "__main__":
    main()
