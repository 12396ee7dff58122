"""The Huffman decoder's inner loops compiled to machine code with numba, for big scans.

A 12-megapixel photograph holds some ten million Huffman codes. Read one at
a time by Python (the fast ways in :mod:`._entropy`) that takes seconds; the
loops in :mod:`._loops` take the same steps, on numpy arrays, and numba
compiles them: the same scan in a small fraction of the time. numba is optional (the
``fast`` extra in pyproject.toml; ``make lab`` installs it): without it
:data:`available` is False and the Python loops do all the work.

They read only the bulk of a scan, as :mod:`._entropy`'s fast ways do. Each
one reads blocks from ``first`` on and stops

- before a block that starts within :data:`MARGIN` bytes of the end of the
  data, so a block never runs out of bits here;
- at a block with anything out of the ordinary: bits that start no code, a
  run past the end of the band, a level too big for the level array. That
  block is given back as it was (its levels, the predictions, the EOB run)
  and the Python code reads it, reporting the damage as libjpeg does.

Each returns the first block it did not read and the bit of the data where
that block starts. The data is one restart interval, its stuffed zero bytes
removed (``_Reader._data``); every table is a :func:`helpers.huffman.decoder_table`
(``length << 8 | symbol`` for each 16-bit pattern, 0 where no code starts).

Big means :data:`THRESHOLD` blocks in the scan or more: numba takes a
moment to load (a third of a second), and the first call ever compiles the
loops (a few seconds; then they are cached on disk, in ``__pycache__``), so
small pictures, like the course's, stay with Python.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from types import ModuleType

import numpy as np

#: True when numba is installed: big scans are then read by the compiled loops, and the trellis of
#: many blocks is compiled too (:data:`._trellis.COMPILED_BLOCKS`).
available = importlib.util.find_spec("numba") is not None

#: A scan with at least this many blocks is read by the compiled loops (a 1024 x 1024 colour picture has 24 576).
THRESHOLD = 1 << 15

#: Bytes a block can take at most (64 steps of at most 32 bits), and the 4 bytes a refill reads ahead.
MARGIN = 64 * 4 + 8


def wanted(blocks: int) -> bool:
    """Whether a scan of ``blocks`` blocks is read by the compiled loops."""
    return available and blocks >= THRESHOLD


def loops() -> ModuleType:
    """The compiled loops (:mod:`._loops`), numba and they loaded on the first call."""
    from . import _loops

    return _loops


@lru_cache(maxsize=32)
def _table(table: tuple[int, ...] | None) -> np.ndarray:
    """A decoder table as an int32 array (all 0, no code at all, for a table the scan does not name)."""
    return np.zeros(1 << 16, np.int32) if table is None else np.array(table, np.int32)


def tables(pairs: list[tuple[tuple[int, ...] | None, tuple[int, ...] | None]]) -> tuple[np.ndarray, np.ndarray]:
    """The scan's (DC, AC) decoder tables of each component as two arrays, one row a component."""
    return np.stack([_table(dc) for dc, _ in pairs]), np.stack([_table(ac) for _, ac in pairs])


def limits(levels: np.ndarray) -> tuple[int, int]:
    """The smallest and largest level ``levels`` can hold."""
    info = np.iinfo(levels.dtype)
    return int(info.min), int(info.max)
