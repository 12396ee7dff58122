"""Published values the tests check against.

The worked example of Wikipedia's "JPEG" article (sections "Discrete cosine
transform" and "Quantization"): one 8 x 8 block of a grey picture, its DCT
coefficients (rounded to 2 decimals there) and its quantized block with the
quality-50 luminance table. The block itself is the one the chapters' exercises
try the learner's code on (``helpers.exercises.WIKIPEDIA_BLOCK``); the values
below are what it must give.
"""

import numpy as np

from helpers.exercises import WIKIPEDIA_BLOCK  # noqa: F401 - the tests import it from here, beside its results

# DCT of the block shifted by -128: first row and first column as published.
WIKIPEDIA_ROW = [-415.38, -30.19, -61.20, 27.24, 56.12, -20.10, -2.39, 0.46]
WIKIPEDIA_COLUMN = [-415.38, 4.47, -46.83, -48.53, 12.12, -7.73, -1.03, -0.17]

# Divided by the quality-50 luminance table and rounded.
WIKIPEDIA_QUANTIZED = np.zeros((8, 8), dtype=int)
WIKIPEDIA_QUANTIZED[:5] = [
    [-26, -3, -6, 2, 2, -1, 0, 0],
    [0, -2, -4, 1, 1, 0, 0, 0],
    [-3, 1, 5, -1, -1, 0, 0, 0],
    [-3, 1, 2, -1, 0, 0, 0, 0],
    [1, 0, 0, 0, 0, 0, 0, 0],
]
