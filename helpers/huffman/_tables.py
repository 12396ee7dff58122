"""JPEG's Huffman tables: the two lists a DHT segment stores, the standard ones, their codes.

A table is ``bits`` (how many codes have length 1..16) and ``values`` (the
symbols in code order); the codes are canonical (T.81 Annex C), so encoder and
decoder derive the same codes from the two lists.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import _describe, integer

MAX_LENGTH = 16  # JPEG codes are at most 16 bits long


@dataclass(frozen=True)
class HuffmanSpec:
    """A JPEG Huffman table as a DHT segment stores it.

    Attributes
    ----------
    bits : tuple of 16 int
        ``bits[i]`` is how many codes are ``i + 1`` bits long.
    values : tuple of int
        The symbols (0..255) in code order, shortest codes first; ``sum(bits)`` of them.
    """

    bits: tuple[int, ...]
    values: tuple[int, ...]

    def __post_init__(self) -> None:
        for name, given in (("bits", self.bits), ("values", self.values)):
            if not isinstance(given, (tuple, list, bytes, np.ndarray)):
                raise TypeError(f"{name} must be a sequence of integers, got {_describe(given)}")
        bits = tuple(integer(n, f"bits[{i}]", low=0, high=256) for i, n in enumerate(self.bits))
        values = tuple(
            integer(s, f"values[{i}]", low=0, high=255) for i, s in enumerate(self.values)
        )
        if len(bits) != MAX_LENGTH:
            raise ValueError(f"bits must hold 16 counts (lengths 1..16), got {len(bits)}")
        if sum(bits) != len(values):
            raise ValueError(f"values must hold sum(bits) = {sum(bits)} symbols, got {len(values)}")
        if len(set(values)) != len(values):
            raise ValueError("values must not list a symbol twice")
        if sum(b << (MAX_LENGTH - n) for n, b in enumerate(bits, 1)) > 1 << MAX_LENGTH:
            raise ValueError("bits asks for more codes than there are (Kraft sum above 1)")
        object.__setattr__(self, "bits", bits)
        object.__setattr__(self, "values", values)

    @classmethod
    def _with_repeats(cls, bits: tuple[int, ...], values: tuple[int, ...]) -> HuffmanSpec:
        """A table whose values list a symbol twice (two codes for it), as libjpeg accepts from a damaged DHT.

        Everything else is checked as usual; the JPEG decoder alone makes these.
        """
        unique = tuple(range(len(values)))  # stand-ins, to check all the rest
        cls(bits, unique)
        spec = object.__new__(cls)
        object.__setattr__(spec, "bits", tuple(bits))
        object.__setattr__(spec, "values", tuple(values))
        return spec


# ITU-T T.81 Annex K.3, Tables K.3-K.6 (the same numbers as std_huff_tables in libjpeg's jcparam.c).
# ITU-T T.81 Annex K.3, Tables K.3-K.6 (the same numbers as std_huff_tables in libjpeg's jcparam.c).
DC_LUMINANCE = HuffmanSpec((0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0), tuple(range(12)))
DC_CHROMINANCE = HuffmanSpec((0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0), tuple(range(12)))

#: Every AC symbol there is: EOB (0x00), ZRL (0xF0) and ``run << 4 | size`` for runs 0..15 and sizes 1..10.
AC_SYMBOLS = (0x00, 0xF0, *(run << 4 | size for run in range(16) for size in range(1, 11)))


def _ac_spec(bits: tuple[int, ...], shorter: tuple[int, ...]) -> HuffmanSpec:
    """A standard AC table: the symbols with codes shorter than 16 bits, then all the others.

    Tables K.5 and K.6 give a 16-bit code to every AC symbol not among the
    ``shorter`` ones, in increasing order; so only those need listing.
    """
    longest = tuple(sorted(set(AC_SYMBOLS) - set(shorter)))
    return HuffmanSpec(bits, shorter + longest)


AC_LUMINANCE = _ac_spec((0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D), (
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0,
    0x24, 0x33, 0x62, 0x72, 0x82,
))  # fmt: skip
AC_CHROMINANCE = _ac_spec((0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77), (
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
    0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33, 0x52, 0xF0,
    0x15, 0x62, 0x72, 0xD1, 0x0A, 0x16, 0x24, 0x34, 0xE1, 0x25, 0xF1,
))  # fmt: skip


def _spec(value: object, name: str = "spec") -> HuffmanSpec:
    if not isinstance(value, HuffmanSpec):
        raise TypeError(f"{name} must be a HuffmanSpec, got {_describe(value)}")
    return value


def _canonical(spec: HuffmanSpec) -> list[tuple[int, int, int]]:
    """(symbol, code, length) for every symbol of ``spec``: T.81 Figures C.1 and C.2."""
    table, code, k = [], 0, 0
    for length, count in enumerate(spec.bits, start=1):
        for _ in range(count):
            table.append((spec.values[k], code, length))
            code, k = code + 1, k + 1
        code <<= 1  # the next length starts where this one left off, one bit longer
    return table


def code_table(spec: HuffmanSpec) -> tuple[np.ndarray, np.ndarray]:
    """Code and code length of each of the 256 symbols (T.81 Annex C).

    Returns
    -------
    codes : numpy.ndarray of uint32, shape (256,)
        ``codes[s]`` holds the code of symbol ``s`` in its lowest bits.
    lengths : numpy.ndarray of uint8, shape (256,)
        ``lengths[s]`` is its number of bits, 0 for a symbol the table lacks.

    Examples
    --------
    The codes of DC sizes 0..3 in the standard luminance table (T.81 Table K.3):

    >>> codes, lengths = code_table(DC_LUMINANCE)
    >>> [format(int(codes[s]), f"0{lengths[s]}b") for s in range(4)]
    ['00', '010', '011', '100']
    """
    codes, lengths = np.zeros(256, np.uint32), np.zeros(256, np.uint8)
    for symbol, code, length in _canonical(_spec(spec)):
        codes[symbol], lengths[symbol] = code, length
    return codes, lengths


def decoder_table(spec: HuffmanSpec) -> tuple[int, ...]:
    """A lookup for :meth:`BitReader.decode_huffman`: next 16 bits -> (symbol, length).

    Every 16-bit pattern that starts with a code maps to
    ``length << 8 | symbol``; patterns that start with no code map to 0. One
    look-up then decodes a symbol, instead of one step per bit.

    Examples
    --------
    Every 16-bit pattern starting with ``010`` (the code of size 1) gives length 3, symbol 1:

    >>> entry = decoder_table(DC_LUMINANCE)[0b010 << 13]
    >>> entry >> 8, entry & 0xFF
    (3, 1)
    """
    table = [0] * (1 << MAX_LENGTH)
    for symbol, code, length in _canonical(_spec(spec)):
        free = MAX_LENGTH - length
        table[code << free : (code + 1) << free] = [length << 8 | symbol] * (1 << free)
    return tuple(table)
