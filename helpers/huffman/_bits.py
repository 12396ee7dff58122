"""Bits on their way into a JPEG scan and back: amplitude bits, packing with byte stuffing, the reader."""

from __future__ import annotations

import re

import numpy as np

from .._checks import _describe, array, integer
from ._tables import MAX_LENGTH


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

    Examples
    --------
    >>> sizes, bits = amplitude_bits(np.array([0, 1, -1, 3, -3, 5]))
    >>> sizes.tolist(), bits.tolist()
    ([0, 1, 1, 2, 2, 3], [0, 1, 0, 3, 0, 5])
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

    Examples
    --------
    ``101`` then ``1``, padded with 1-bits; a 0xFF byte gets a stuffed 0x00:

    >>> pack_bits(np.array([0b101, 0b1]), np.array([3, 1])).hex()
    'bf'
    >>> pack_bits(np.array([0xFF]), np.array([8])).hex()
    'ff00'
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

    Examples
    --------
    The byte ``10110111``: 3 bits ``101`` are 5, the 2-bit amplitude ``10`` is +2 (it starts
    with 1), and 3 bits are left:

    >>> reader = BitReader(bytes([0b10110111]))
    >>> reader.read_bits(3), reader.receive_extend(2), reader.bits_left
    (5, 2, 3)
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
    def intervals(self) -> list[bytes]:
        """The data's bytes between RST markers, stuffing removed: one entry per restart interval."""
        return list(self._segments)

    @property
    def restarts(self) -> list[int]:
        """The number (0..7) of each RST marker in the data, in order."""
        return list(self._restarts)

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

    def _bad_code(self) -> int:
        """What to do with bits that start no code: here, refuse them (a subclass may read on)."""
        raise self._invalid()

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
                return self._bad_code()
        else:  # fewer than 16 bits left: is there a code among them?
            free = MAX_LENGTH - nbits
            low = (self._acc & ((1 << nbits) - 1)) << free
            entry = table[low]
            if not entry or entry >> 8 > nbits:
                if any(table[low : low + (1 << free)]):
                    raise self._truncated("a Huffman code")
                return self._bad_code()
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
