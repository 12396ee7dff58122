"""Huffman coding the JPEG way: short codes for frequent symbols, packed into bytes.

A JPEG file describes each Huffman code by two lists (ITU-T T.81 Annex C):
``bits``, how many codes have length 1, 2, ..., 16, and ``values``, the
symbols in the order they receive codes. The codes themselves are
*canonical*: count upwards, and shift left by one bit whenever the length
grows. So a table costs at most 16 + 256 bytes in a file, and encoder and
decoder derive exactly the same codes from it.

Symbols are bytes (0..255). For a DC coefficient the symbol is the size of
the difference from the previous block; for AC coefficients it is
``run << 4 | size``. The amplitude itself follows the code as ``size`` plain
bits (:func:`amplitude_bits`, :meth:`BitReader.receive_extend`).

This package is a thin public face; each file behind it has one job:

=================  ==============================================================
``_tables.py``     :class:`HuffmanSpec`, the standard tables, their codes both ways
``_trees.py``      codes from counts: Huffman's tree, JPEG's optimal table, lengths
``_bits.py``       amplitude bits, packing codes into bytes, :class:`BitReader`
=================  ==============================================================
"""

from __future__ import annotations

from ._bits import (
    BitReader,
    _amplitude_bits,  # noqa: F401  (the JPEG encoder's trusted path)
    _pack_bits,  # noqa: F401  (the JPEG encoder's trusted path)
    amplitude_bits,
    pack_bits,
    stuff_bytes,
)
from ._tables import (
    AC_CHROMINANCE,
    AC_LUMINANCE,
    DC_CHROMINANCE,
    DC_LUMINANCE,
    MAX_LENGTH,  # noqa: F401
    HuffmanSpec,
    _spec,  # noqa: F401  (the trellis checks its table with it)
    code_table,
    decoder_table,
)
from ._trees import Node, average_length, huffman_lengths, optimal_spec, tree

__all__ = [
    "HuffmanSpec", "DC_LUMINANCE", "DC_CHROMINANCE", "AC_LUMINANCE", "AC_CHROMINANCE",
    "code_table", "optimal_spec", "Node", "tree", "huffman_lengths", "average_length",
    "amplitude_bits", "pack_bits", "stuff_bytes", "decoder_table", "BitReader",
]  # fmt: skip
