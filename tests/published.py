"""Published values the tests check against.

The worked example of Wikipedia's "JPEG" article (sections "Discrete cosine
transform" and "Quantization"): one 8 x 8 block of a grey picture, its DCT
coefficients (rounded to 2 decimals there) and its quantized block with the
quality-50 luminance table.
"""

import numpy as np

WIKIPEDIA_BLOCK = np.array([
    [52, 55, 61, 66, 70, 61, 64, 73],
    [63, 59, 55, 90, 109, 85, 69, 72],
    [62, 59, 68, 113, 144, 104, 66, 73],
    [63, 58, 71, 122, 154, 106, 70, 69],
    [67, 61, 68, 104, 126, 88, 68, 70],
    [79, 65, 60, 70, 77, 68, 58, 75],
    [85, 71, 64, 59, 55, 61, 65, 83],
    [87, 79, 69, 68, 65, 76, 78, 94],
], dtype=np.uint8)  # fmt: skip

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
