"""Time helpers.dct.block_dct / block_idct against scipy on a 512 x 512 picture.

Run with ``.venv/bin/python benchmarks/bench_dct.py``. Prints a markdown table:
the best of several runs for ours and for ``scipy.fft.dctn`` / ``idctn`` over
the same (64, 64, 8, 8) block array, measured in the same run. The target for
``block_dct`` is well under 20 ms.
"""

from __future__ import annotations

import timeit

import numpy as np
import scipy.fft

from helpers.dct import block_dct, block_idct, image_to_blocks
from helpers.images import load

REPEAT, NUMBER = 7, 20


def best_ms(function) -> float:
    """Best time of one call, in milliseconds, over REPEAT rounds of NUMBER calls."""
    return min(timeit.repeat(function, repeat=REPEAT, number=NUMBER)) / NUMBER * 1e3


def main() -> None:
    image = load("astronaut", grey=True).astype(np.float64) - 128
    blocks = image_to_blocks(image)
    coeffs = block_dct(image)
    assert np.allclose(coeffs, scipy.fft.dctn(blocks, axes=(-2, -1), norm="ortho"))

    rows = [
        (
            "block_dct",
            best_ms(lambda: block_dct(image)),
            best_ms(lambda: scipy.fft.dctn(blocks, axes=(-2, -1), norm="ortho")),
        ),
        (
            "block_idct",
            best_ms(lambda: block_idct(coeffs, image.shape)),
            best_ms(lambda: scipy.fft.idctn(coeffs, axes=(-2, -1), norm="ortho")),
        ),
    ]
    print(f"512 x 512 grey picture, {blocks.shape} blocks, best of {REPEAT} x {NUMBER} calls\n")
    print("| operation | ours (ms) | scipy (ms) | ours / scipy |")
    print("|---|---:|---:|---:|")
    for name, ours, scipy_ms in rows:
        print(f"| {name} | {ours:.2f} | {scipy_ms:.2f} | {ours / scipy_ms:.2f} |")


if __name__ == "__main__":
    main()
