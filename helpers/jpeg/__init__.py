"""JPEG, one piece at a time: quantization tables, zigzag order, colour, subsampling.

At the end the pieces come together: :func:`encode` writes a baseline JPEG
file (or, with ``progressive=True``, a progressive one) and :func:`decode`
reads one (or a progressive, arithmetic-coded, lossless or CMYK one), both in numpy and close enough to
libjpeg that Pillow and libjpeg-turbo agree with them (see the tests).
``encode(..., rdo=True)`` chooses the levels by trellis quantization
(:func:`trellis_quantize`) as mozjpeg does: the same kind of file, about 10 %
smaller for the same PSNR. :func:`analyse` encodes once and returns the file
with where its bits go (:func:`bit_budget`, :func:`block_bits`: one part of it each).

Blocks follow the layout of :mod:`helpers.dct`: the DCT of a picture is an
array of shape ``(rows, cols, n, n)``, one ``n x n`` coefficient block per
``n x n`` pixel block, and inside a block ``[v, u]`` is (vertical frequency,
horizontal frequency), so ``[0, 0]`` is the DC coefficient. Every function
here that takes blocks accepts any array whose last two axes are ``n x n``.

This package is a thin public face; each file behind it has one job:

========================  ========================================================================
``_tables.py``            quantization tables, zigzag order, (de)quantization
``_colour.py``            RGB <-> YCbCr; resampling: mean / repeat, and like libjpeg
``_layout.py``            the MCU layout, one for the encoder and the decoder
``_entropy.py``           run-length symbols: one block plainly, all blocks at once, read back
``_compiled.py``          when a big scan's Huffman loops are compiled (numba, optional), and
``_loops.py``             those loops, the same steps on numpy arrays
``_trellis.py``           rate-distortion optimized quantization
``_search.py``            quantization tables chosen for the picture (``tables="psnr"``, ``"perceptual"``)
``_clipping.py``          targets that use the decoder's clipping and the padding (``tables="psnr"``)
``_encoder.py``           :func:`encode`
``_progressive.py``       progressive scans, written: libjpeg's scan script, EOB runs, refinement bits
``_analysis.py``          :func:`analyse`, :func:`bit_budget`, :func:`block_bits`: where a file's bits go
``_decoder.py``           :func:`decode`, :func:`segments`
``_arithmetic.py``        arithmetic-coded scans, read back
``_lossless.py``          lossless (SOF3) scans, read back: predictors and differences
``_markers.py``           the bytes of the file: marker segments, written and read
========================  ========================================================================

Inside the codec a block is a vector of 64 values in zigzag order from the
DCT to the inverse DCT, and sampling factors are (vertical, horizontal)
pairs, as in :data:`SUBSAMPLING`.
"""

from __future__ import annotations

from ._analysis import Analysis, analyse, bit_budget, block_bits
from ._colour import SUBSAMPLING, rgb_to_ycbcr, subsample, upsample, ycbcr_to_rgb
from ._decoder import (
    CorruptJPEGWarning,
    Segment,
    _read_levels,  # noqa: F401  (chapter 08 reads a file's levels with it)
    decode,
    segments,
)
from ._encoder import encode
from ._entropy import block_bit_string, block_symbols
from ._tables import (
    CHROMINANCE,
    LUMINANCE,
    ZIGZAG,
    dequantize,
    from_zigzag,
    keep_first,
    quantization_table,
    quantize,
    to_zigzag,
    zigzag_order,
)
from ._trellis import (
    _ac_lengths,  # noqa: F401  (the tests price symbols with it)
    rd_cost,
    rdo_lambda,
    trellis_quantize,
)

__all__ = [
    "LUMINANCE", "CHROMINANCE", "quantization_table",
    "ZIGZAG", "zigzag_order", "to_zigzag", "from_zigzag",
    "quantize", "dequantize", "keep_first",
    "rgb_to_ycbcr", "ycbcr_to_rgb",
    "SUBSAMPLING", "subsample", "upsample",
    "block_symbols", "block_bit_string",
    "encode", "decode", "CorruptJPEGWarning", "analyse", "Analysis", "bit_budget", "block_bits", "Segment", "segments",
    "trellis_quantize", "rd_cost", "rdo_lambda",
]  # fmt: skip
