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
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

import numpy as np

from ._checks import _describe, array, integer

__all__ = [
    "HuffmanSpec", "DC_LUMINANCE", "DC_CHROMINANCE", "AC_LUMINANCE", "AC_CHROMINANCE",
    "code_table", "optimal_spec", "Node", "tree", "huffman_lengths", "average_length",
    "amplitude_bits", "pack_bits", "stuff_bytes", "decoder_table", "BitReader",
]  # fmt: skip

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


# ITU-T T.81 Annex K.3, Tables K.3-K.6 (the same numbers as std_huff_tables in libjpeg's jcparam.c).
DC_LUMINANCE = HuffmanSpec((0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0), tuple(range(12)))
DC_CHROMINANCE = HuffmanSpec((0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0), tuple(range(12)))
AC_LUMINANCE = HuffmanSpec((0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D), (
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51,
    0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1,
    0x15, 0x52, 0xD1, 0xF0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18,
    0x19, 0x1A, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
    0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57,
    0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75,
    0x76, 0x77, 0x78, 0x79, 0x7A, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x92,
    0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
    0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3,
    0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8,
    0xD9, 0xDA, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF1, 0xF2,
    0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
))  # fmt: skip
AC_CHROMINANCE = HuffmanSpec((0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77), (
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07,
    0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xA1, 0xB1, 0xC1, 0x09,
    0x23, 0x33, 0x52, 0xF0, 0x15, 0x62, 0x72, 0xD1, 0x0A, 0x16, 0x24, 0x34, 0xE1, 0x25,
    0xF1, 0x17, 0x18, 0x19, 0x1A, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x35, 0x36, 0x37, 0x38,
    0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56,
    0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74,
    0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5,
    0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA,
    0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6,
    0xD7, 0xD8, 0xD9, 0xDA, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF2,
    0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
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
    """
    codes, lengths = np.zeros(256, np.uint32), np.zeros(256, np.uint8)
    for symbol, code, length in _canonical(_spec(spec)):
        codes[symbol], lengths[symbol] = code, length
    return codes, lengths


def _counts(value: object, name: str, size: int | None = None) -> np.ndarray:
    value = array(value, name, ndim=1)
    if value.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold whole counts (integer dtype, e.g. from np.bincount), "
                        f"got dtype {value.dtype}")  # fmt: skip
    if size is not None and value.size != size:
        raise ValueError(f"{name} must hold {size} counts (one per symbol), got {value.size}")
    if value.min() < 0:
        raise ValueError(f"{name} must not be negative, got a minimum of {value.min()}")
    if not value.any():
        raise ValueError(f"{name} must contain at least one positive count")
    return value


def optimal_spec(counts: np.ndarray) -> HuffmanSpec:
    """The best JPEG table for these symbol counts (T.81 Annex K.2, as libjpeg does it).

    Huffman's procedure (Figure K.1) runs on the 256 counts plus a pretend
    symbol 256 with count 1, which takes the all-ones code; removing it at the
    end leaves that code unused, as JPEG requires. Codes longer than 16 bits
    are then shortened (Figure K.3, Adjust_BITS). Ties go to the larger symbol
    number, exactly as in libjpeg's ``jpeg_gen_optimal_table``, so the tables
    come out identical. A symbol with count 0 gets no code; a lone symbol gets
    a 1-bit code.

    Parameters
    ----------
    counts : numpy.ndarray
        256 non-negative integers: how often each symbol occurs.
    """
    freq = [int(c) for c in _counts(counts, "counts", size=256)] + [1]
    # The heap pops the smallest count first and, among equal counts, the larger symbol.
    heap = [(f, -s) for s, f in enumerate(freq) if f > 0]
    heapq.heapify(heap)
    members = [[s] for s in range(257)]  # the symbols of the subtree kept under each symbol
    codesize = [0] * 257
    while len(heap) > 1:  # Figure K.1
        (f1, minus1), (f2, minus2) = heapq.heappop(heap), heapq.heappop(heap)
        c1, c2 = -minus1, -minus2
        for s in members[c1] + members[c2]:
            codesize[s] += 1  # both subtrees move one level down
        members[c1] += members[c2]
        heapq.heappush(heap, (f1 + f2, -c1))
    bits = [0] * (max(max(codesize), MAX_LENGTH) + 1)  # Figure K.2: count codes of each size
    for size in codesize:
        if size:
            bits[size] += 1
    for i in range(len(bits) - 1, MAX_LENGTH, -1):  # Adjust_BITS
        while bits[i] > 0:
            j = i - 2
            while bits[j] == 0:
                j -= 1
            bits[i] -= 2  # two codes of length i give up their place:
            bits[i - 1] += 1  # one takes their parent's,
            bits[j + 1] += 2  # the other pairs up with a code of length j,
            bits[j] -= 1  # which becomes a prefix one bit longer
    i = MAX_LENGTH
    while bits[i] == 0:
        i -= 1
    bits[i] -= 1  # drop the pretend symbol: the all-ones code stays unused
    values = sorted((s for s in range(256) if codesize[s]), key=lambda s: (codesize[s], s))
    return HuffmanSpec(tuple(bits[1 : MAX_LENGTH + 1]), tuple(values))


@dataclass(frozen=True)
class Node:
    """A node of a Huffman tree: a leaf holds a symbol, an inner node two subtrees.

    Going left appends a 0 to the code, going right a 1.
    """

    weight: int
    symbol: int | None = None
    left: Node | None = None
    right: Node | None = None


def tree(counts: np.ndarray) -> Node:
    """Huffman's tree: join the two lightest subtrees until one is left.

    Symbols with count 0 are left out. Ties go to the subtree made first, so
    the result is the same on every run.

    Parameters
    ----------
    counts : numpy.ndarray
        Non-negative integers, ``counts[s]`` being how often symbol ``s`` occurs.
    """
    counts = _counts(counts, "counts")
    heap = [(int(c), s, Node(int(c), s)) for s, c in enumerate(counts) if c > 0]
    heapq.heapify(heap)
    order = len(counts)
    while len(heap) > 1:
        (w1, _, a), (w2, _, b) = heapq.heappop(heap), heapq.heappop(heap)
        heapq.heappush(heap, (w1 + w2, order, Node(w1 + w2, None, a, b)))
        order += 1
    return heap[0][2]


def huffman_lengths(counts: np.ndarray) -> np.ndarray:
    """Code length of each symbol in Huffman's tree (no 16-bit limit, nothing reserved).

    The length is the depth of the symbol's leaf; 0 for symbols that do not
    occur. A lone symbol still needs 1 bit.
    """
    root = tree(counts)
    lengths = np.zeros(len(counts), np.int64)
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if node.symbol is not None:
            lengths[node.symbol] = max(depth, 1)
        else:
            stack += [(node.left, depth + 1), (node.right, depth + 1)]
    return lengths


def average_length(lengths: np.ndarray, counts: np.ndarray) -> float:
    """Average number of bits per symbol: ``sum(lengths * counts) / sum(counts)``.

    Compare it with the entropy of the counts: no code that spends a whole
    number of bits on each symbol can do better, Huffman's is within 1 bit.
    """
    counts = _counts(counts, "counts")
    lengths = array(lengths, "lengths", ndim=1)
    if lengths.shape != counts.shape:
        raise ValueError(f"lengths and counts must have the same shape, "
                         f"got {lengths.shape} and {counts.shape}")  # fmt: skip
    if (lengths[counts > 0] <= 0).any():
        raise ValueError("every symbol with a positive count needs a positive length")
    return float((lengths.astype(np.float64) * counts).sum() / counts.sum())


def _integers(value: object, name: str) -> np.ndarray:
    """An integer array, which may be empty (an empty float array is fine too)."""
    if isinstance(value, np.ndarray) and value.size == 0 and value.dtype.kind in "iuf":
        return value.astype(np.int64)
    value = array(value, name)
    if value.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integers, got dtype {value.dtype}")
    return value


def amplitude_bits(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """JPEG's (size, extra bits) for signed integers (T.81 F.1.2.1).

    ``size`` is how many bits ``|v|`` needs (0 for 0). The extra bits are
    ``v`` itself for positive ``v`` and ``v + 2**size - 1`` for negative ``v``:
    a negative value is written as the bitwise NOT of its absolute value, so
    its first bit is 0 while a positive value's is 1.

    Parameters
    ----------
    values : numpy.ndarray
        Integers with ``|v| < 2**16``, any shape (empty is fine).

    Returns
    -------
    sizes : numpy.ndarray of uint8
    bits : numpy.ndarray of uint32
        Both of the same shape as ``values``.
    """
    v = _integers(values, "values").astype(np.int64)
    if v.size and np.abs(v).max() >= 1 << 16:
        raise ValueError(f"values must be within -65535..65535, got {v.min()}..{v.max()}")
    return _amplitude_bits(v)


def _amplitude_bits(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`amplitude_bits` of trusted ``int64`` values (the JPEG encoder's own)."""
    sizes = np.frexp(np.abs(v).astype(np.float64))[1]  # exponent of |v| = its number of bits
    bits = np.where(v > 0, v, v + (np.int64(1) << sizes) - 1)
    return sizes.astype(np.uint8), bits.astype(np.uint32)


def stuff_bytes(data: bytes) -> bytes:
    """Insert a 0x00 after every 0xFF, so that coded data never looks like a marker."""
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"data must be bytes, got {_describe(data)}")
    return bytes(data).replace(b"\xff", b"\xff\x00")


def pack_bits(codes: np.ndarray, lengths: np.ndarray) -> bytes:
    """Write variable-length codes one after another, most significant bit first.

    The last byte is padded with 1-bits and every 0xFF byte is followed by a
    stuffed 0x00, as a JPEG scan requires. Vectorized: each code is shifted to
    its place in a 64-bit word, and the words are joined with a bitwise OR.

    A Huffman code and the amplitude bits after it may be passed as one code,
    ``code << size | bits`` of length ``length + size`` (at most 16 + 16).

    Parameters
    ----------
    codes : numpy.ndarray
        Non-negative integers, each below ``2**length``.
    lengths : numpy.ndarray
        Number of bits of each code, 0..32 (0 writes nothing).

    Returns
    -------
    bytes
        The packed, padded and stuffed bits; ``b""`` for no bits at all.
    """
    codes, lengths = _integers(codes, "codes").ravel(), _integers(lengths, "lengths").ravel()
    if codes.shape != lengths.shape:
        raise ValueError(
            f"codes and lengths must have the same size, got {codes.size} and {lengths.size}"
        )
    if lengths.size and (lengths.min() < 0 or lengths.max() > 32):
        raise ValueError(f"lengths must be 0..32, got {lengths.min()}..{lengths.max()}")
    if codes.size and codes.min() < 0:
        raise ValueError(f"codes must not be negative, got {codes.min()}")
    codes, lengths = codes.astype(np.uint64), lengths.astype(np.int64)
    if (codes >> lengths.astype(np.uint64)).any():
        raise ValueError("each code must fit in its length: codes < 2**lengths")
    return _pack_bits(codes, lengths)


def _pack_bits(codes: np.ndarray, lengths: np.ndarray) -> bytes:
    """:func:`pack_bits` of trusted 1-D codes and lengths (the JPEG encoder's own)."""
    codes, lengths = codes.astype(np.uint64), lengths.astype(np.int64)
    used = lengths > 0
    codes, lengths = codes[used], lengths[used]
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if ends.size else 0
    if total == 0:
        return b""
    word, offset = divmod(ends - lengths, 64)  # where each code starts
    spill = np.maximum(offset + lengths - 64, 0)  # bits that run into the next word
    head = (codes >> spill.astype(np.uint64)) << (64 - offset - lengths + spill).astype(np.uint64)
    words = np.zeros(total // 64 + 2, np.uint64)
    first = np.flatnonzero(np.diff(word, prepend=-1))  # first code in each word
    words[word[first]] = np.bitwise_or.reduceat(head, first)
    crossing = spill > 0  # at most one code crosses into each word
    tail_bits = spill[crossing].astype(np.uint64)
    tail = codes[crossing] & ((np.uint64(1) << tail_bits) - np.uint64(1))
    words[word[crossing] + 1] |= tail << (np.uint64(64) - tail_bits)
    packed = bytearray(words.astype(">u8").tobytes()[: (total + 7) // 8])
    packed[-1] |= (1 << (-total % 8)) - 1  # pad the last byte with 1-bits
    return stuff_bytes(packed)


def decoder_table(spec: HuffmanSpec) -> tuple[int, ...]:
    """A lookup for :meth:`BitReader.decode_huffman`: next 16 bits -> (symbol, length).

    Every 16-bit pattern that starts with a code maps to
    ``length << 8 | symbol``; patterns that start with no code map to 0. One
    look-up then decodes a symbol, instead of one step per bit.
    """
    table = [0] * (1 << MAX_LENGTH)
    for symbol, code, length in _canonical(_spec(spec)):
        free = MAX_LENGTH - length
        table[code << free : (code + 1) << free] = [length << 8 | symbol] * (1 << free)
    return tuple(table)


_MARKER = re.compile(rb"\xff+(.?)", re.DOTALL)  # fill bytes 0xFF..., then the next byte


class BitReader:
    """Read the entropy-coded data of a JPEG scan bit by bit.

    Parameters
    ----------
    data : bytes
        The bytes after a scan's SOS header. Stuffed zeros are removed; RSTn
        markers split the data into intervals (see :meth:`read_restart`); any
        other marker, or the end of ``data``, ends the scan.

    Attributes
    ----------
    end : int
        Index in ``data`` where the scan ends (the marker after it, or ``len(data)``).
    """

    def __init__(self, data: bytes) -> None:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data must be bytes, got {_describe(data)}")
        data = bytes(data)
        self._segments: list[bytes] = []
        self._restarts: list[int] = []  # the RST number after each segment
        pieces, start, self.end = [], 0, len(data)
        for match in _MARKER.finditer(data):
            pieces.append(data[start : match.start()])
            start, follower = match.end(), match.group(1)
            if follower == b"\x00":
                pieces.append(b"\xff")  # a stuffed 0xFF data byte
                continue
            self._segments.append(b"".join(pieces))
            pieces = []
            if follower and 0xD0 <= follower[0] <= 0xD7:
                self._restarts.append(follower[0] - 0xD0)
            else:
                self.end = match.start()
                break
        else:
            self._segments.append(b"".join(pieces) + data[start:])
        self._index, self._data, self._pos, self._acc, self._nbits = 0, self._segments[0], 0, 0, 0

    @property
    def bits_left(self) -> int:
        """Bits not read yet before the next RST marker or the end of the scan."""
        return self._nbits + 8 * (len(self._data) - self._pos)

    def _refill(self) -> None:
        chunk = self._data[self._pos : self._pos + ((64 - self._nbits) >> 3)]
        if chunk:
            kept = self._acc & ((1 << self._nbits) - 1)
            self._acc = kept << (len(chunk) << 3) | int.from_bytes(chunk, "big")
            self._nbits += len(chunk) << 3
            self._pos += len(chunk)

    def _truncated(self, what: str) -> ValueError:
        more = self._index < len(self._restarts)
        where = "the next RST marker" if more else "the end of the scan"
        return ValueError(f"truncated data: {what} runs past {where}")

    def _invalid(self) -> ValueError:
        bit = 8 * self._pos - self._nbits
        return ValueError(
            f"invalid Huffman code at bit {bit} of restart interval {self._index}: "
            "these bits start no code of the table"
        )

    def read_bits(self, n: int) -> int:
        """The next ``n`` bits (0..16) as an unsigned integer, first bit most significant."""
        if n.__class__ is not int or not 0 <= n <= MAX_LENGTH:
            n = integer(n, "n", low=0, high=MAX_LENGTH)
        if self._nbits < n:
            self._refill()
            if self._nbits < n:
                raise self._truncated(f"reading {n} bits")
        self._nbits -= n
        return (self._acc >> self._nbits) & ((1 << n) - 1)

    def receive_extend(self, size: int) -> int:
        """Read a ``size``-bit amplitude and give its signed value (T.81 F.2.2.1 EXTEND).

        The inverse of :func:`amplitude_bits`: a first bit 0 means negative.
        """
        value, size = self.read_bits(size), int(size)
        if size and value < 1 << (size - 1):
            value -= (1 << size) - 1
        return value

    def decode_huffman(self, table: tuple[int, ...]) -> int:
        """Read one Huffman code and return its symbol, using a :func:`decoder_table`."""
        if table.__class__ is not tuple or len(table) != 1 << MAX_LENGTH:
            raise TypeError(f"table must come from decoder_table(spec), got {_describe(table)}")
        if self._nbits < MAX_LENGTH:
            self._refill()
        nbits = self._nbits
        if nbits >= MAX_LENGTH:
            entry = table[(self._acc >> (nbits - MAX_LENGTH)) & 0xFFFF]
            if not entry:
                raise self._invalid()
        else:  # fewer than 16 bits left: is there a code among them?
            free = MAX_LENGTH - nbits
            low = (self._acc & ((1 << nbits) - 1)) << free
            entry = table[low]
            if not entry or entry >> 8 > nbits:
                if any(table[low : low + (1 << free)]):
                    raise self._truncated("a Huffman code")
                raise self._invalid()
        self._nbits = nbits - (entry >> 8)
        return entry & 0xFF

    def read_restart(self, number: int) -> None:
        """Skip to the byte boundary and read the marker RST``number`` (0..7).

        Raises ``ValueError`` if whole bytes of data are left before the next
        marker, or if that marker is not RST``number``.
        """
        number = integer(number, "number", low=0, high=7)
        self._nbits -= self._nbits & 7  # drop the bits that pad the last byte
        if self.bits_left:
            left = self.bits_left // 8
            raise ValueError(f"expected RST{number}, but {left} bytes of data come first")
        if self._index >= len(self._restarts):
            raise ValueError(f"expected RST{number}, but the scan ends here")
        if self._restarts[self._index] != number:
            raise ValueError(f"expected RST{number}, found RST{self._restarts[self._index]}")
        self._index += 1
        self._data, self._pos, self._acc, self._nbits = self._segments[self._index], 0, 0, 0
