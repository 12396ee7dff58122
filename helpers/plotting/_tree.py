"""A prefix-free code drawn as a tree: each code is the path from the root to its leaf."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from .._checks import _describe, integer


def huffman_tree(
    codes: Mapping[object, str] | Mapping[object, int],
    counts: Mapping[object, int] | None = None,
    *,
    ax: Axes | None = None,
) -> Axes:
    """Draw a prefix-free code as a tree: each code is the path from the root to its leaf.

    Going down to the left reads a 0, to the right a 1, so a symbol's depth is
    its code length. A branch that no code uses (JPEG keeps the all-ones code
    free) is drawn dashed, ending in "unused".

    Parameters
    ----------
    codes : mapping
        Symbol -> code, either as a string of bits (``{"E": "0", "T": "10"}``)
        or as a code length (``{"E": 1, "T": 2}``). Lengths are turned into
        canonical codes, as JPEG does: shorter codes first, equal lengths in
        the mapping's order, each code one more than the previous one and
        shifted left when the length grows. At most 64 symbols.
    counts : mapping, optional
        Symbol -> how often it occurs, written under its leaf. Same symbols as ``codes``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized for the tree if None.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with one text per leaf (symbol, code, count) and one per edge (its bit).

    Raises
    ------
    TypeError
        If ``codes`` is not a non-empty mapping of bit strings or of whole
        lengths, ``counts`` not a mapping of whole numbers, or ``ax`` not an Axes.
    ValueError
        If a code is empty, holds other characters than 0 and 1, or is longer
        than 32 bits; if one code is the start of another (not prefix-free);
        if lengths break the Kraft inequality (the sum of 2 ** -length is over
        1, so no prefix-free code has them); if ``counts`` has other symbols or
        a negative count.

    Examples
    --------
    >>> ax = huffman_tree({"a": 1, "b": 2, "c": 3})
    >>> sorted(t.get_text() for t in ax.texts if "\\n" in t.get_text())
    ['a\\n0', 'b\\n10', 'c\\n110', 'unused\\n111']
    """
    if not isinstance(codes, Mapping) or not codes:
        raise TypeError(f"codes must be a non-empty mapping symbol -> code ('010') or code length (3), "
                        f"got {_describe(codes)}")
    given = list(codes.values())
    if all(isinstance(c, str) for c in given):
        paths = dict(codes)
    elif all(isinstance(c, (int, np.integer)) and not isinstance(c, (bool, np.bool_)) for c in given):
        lengths = {s: integer(n, f"codes[{s!r}]", low=1, high=32) for s, n in codes.items()}
        kraft = sum(2.0 ** -n for n in lengths.values())
        if kraft > 1:
            raise ValueError(f"codes: no prefix-free code has these lengths, the sum of 2 ** -length "
                             f"is {kraft:g}, over 1 (Kraft inequality)")
        paths, code, previous = {}, 0, None
        for symbol, n in sorted(lengths.items(), key=lambda item: item[1]):  # stable: mapping order
            if previous is not None:
                code = (code + 1) << (n - previous)
            paths[symbol], previous = format(code, f"0{n}b"), n
    else:
        raise TypeError(f"codes must map every symbol to a bit string or every symbol to a whole length, "
                        f"got values {_describe(given)}")
    if len(paths) > 64:
        raise ValueError(f"codes must hold at most 64 symbols to be drawn, got {len(paths)}")
    for symbol, path in paths.items():
        if not path or set(path) - {"0", "1"} or len(path) > 32:
            raise ValueError(f"codes[{symbol!r}] must be 1 to 32 characters 0 or 1, got {path!r}")
    by_path = sorted(paths.items(), key=lambda item: item[1])
    for (a, pa), (b, pb) in zip(by_path, by_path[1:]):  # in sorted order a prefix comes right before
        if pb.startswith(pa):
            raise ValueError(f"codes must be prefix-free: {pa!r} ({a!r}) is the start of {pb!r} ({b!r})")
    if counts is not None:
        if not isinstance(counts, Mapping):
            raise TypeError(f"counts must be a mapping symbol -> count, got {_describe(counts)}")
        if set(counts) != set(paths):
            raise ValueError(f"counts must have the symbols of codes, {sorted(map(repr, paths))}, "
                             f"got {sorted(map(repr, counts))}")
        counts = {s: integer(c, f"counts[{s!r}]", low=0) for s, c in counts.items()}
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {_describe(ax)}")

    leaf_of = {path: symbol for symbol, path in paths.items()}
    inner = {path[:i] for path in paths.values() for i in range(len(path))}
    depth = max(len(p) for p in paths.values())
    positions: dict[str, tuple[float, float]] = {}
    ends: list[str] = []  # leaves and unused branches, left to right

    def place(path: str) -> None:
        if path in inner:
            place(path + "0")
            place(path + "1")
            positions[path] = ((positions[path + "0"][0] + positions[path + "1"][0]) / 2, -len(path))
        else:
            positions[path] = (len(ends), -len(path))
            ends.append(path)

    place("")
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 0.95 * len(ends) + 0.5), 0.85 * depth + 1.5))
    for path in sorted(inner):
        x, y = positions[path]
        for bit in "01":
            child = path + bit
            cx, cy = positions[child]
            used = child in inner or child in leaf_of
            ax.plot([x, cx], [y, cy], color="0.55", lw=1.2, ls="-" if used else "--")
            ax.text((x + cx) / 2, (y + cy) / 2, bit, color="C3", fontsize=11, ha="center", va="center",
                    bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none"))
    for path in ends:
        x, y = positions[path]
        if path in leaf_of:
            symbol = leaf_of[path]
            label = f"{symbol}\n{path}" + ("" if counts is None else f"\n{counts[symbol]:,}")
            ax.text(x, y - 0.12, label, ha="center", va="top", fontsize=10,
                    bbox=dict(boxstyle="round", fc="C0", ec="none", alpha=0.25))
        else:
            ax.text(x, y - 0.12, f"unused\n{path}", ha="center", va="top", fontsize=10, color="0.4",
                    style="italic", bbox=dict(boxstyle="round", fc="none", ec="0.6", ls="--"))
    ax.set_xlim(-0.6, len(ends) - 0.4)
    ax.set_ylim(-depth - (1.35 if counts is not None else 1.0), 0.3)
    ax.set_axis_off()
    return ax
