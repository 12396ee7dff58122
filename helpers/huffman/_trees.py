"""Huffman codes built from counts: Huffman's tree, JPEG's 16-bit-limited table, the average length."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from .._checks import array
from ._tables import MAX_LENGTH, HuffmanSpec


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

    Examples
    --------
    Three symbols: the most frequent gets 1 bit, and the all-ones code of 3 bits stays unused:

    >>> counts = np.zeros(256, np.int64)
    >>> counts[:3] = 5, 2, 1
    >>> spec = optimal_spec(counts)
    >>> spec.bits[:4], spec.values
    ((1, 1, 1, 0), (0, 1, 2))
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

    Examples
    --------
    The two rarest symbols, 2 and 1, are joined first; symbol 0 meets them at the root:

    >>> root = tree(np.array([5, 2, 1]))
    >>> root.weight, root.right.symbol, root.left.left.symbol, root.left.right.symbol
    (8, 0, 2, 1)
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

    Examples
    --------
    >>> huffman_lengths(np.array([5, 2, 1, 0])).tolist()
    [1, 2, 2, 0]
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

    Examples
    --------
    >>> average_length(np.array([1, 2, 2]), np.array([5, 2, 1]))
    1.375
    """
    counts = _counts(counts, "counts")
    lengths = array(lengths, "lengths", ndim=1)
    if lengths.shape != counts.shape:
        raise ValueError(f"lengths and counts must have the same shape, "
                         f"got {lengths.shape} and {counts.shape}")  # fmt: skip
    if (lengths[counts > 0] <= 0).any():
        raise ValueError("every symbol with a positive count needs a positive length")
    return float((lengths.astype(np.float64) * counts).sum() / counts.sum())
