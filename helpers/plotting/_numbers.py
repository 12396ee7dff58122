"""Numbers drawn: a small patch with its values printed on it, byte counts as bars; both updated in place."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from .._bt601 import LUMA
from .._checks import array


def show_values(
    patch: np.ndarray,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    fmt: str = "{:d}",
    cmap: str = "gray",
    vmin: float = 0,
    vmax: float = 255,
) -> Axes:
    """Draw a small grey patch with each pixel's value printed on it.

    The text is black on light pixels and white on dark ones. For signed
    numbers (DCT coefficients, errors) pass a diverging ``cmap`` and a range
    centred on zero, and ``fmt="{:.0f}"`` for floats.

    Examples
    --------
    >>> ax = show_values(np.array([[0, 255], [10, 200]], dtype=np.uint8))
    >>> [(text.get_text(), text.get_color()) for text in ax.texts]  # row by row
    [('0', 'white'), ('255', 'black'), ('10', 'white'), ('200', 'black')]
    >>> ax = show_values(np.array([[-415.4, 4.5]]), fmt="{:.0f}", cmap="RdBu_r", vmin=-500, vmax=500)
    >>> [text.get_text() for text in ax.texts]
    ['-415', '4']
    """
    patch = array(patch, "patch", ndim=2)
    if patch.shape[0] > 32 or patch.shape[1] > 32:
        raise ValueError(f"patch must be at most 32 x 32 to print its values, got {patch.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * patch.shape[1] + 0.6, 0.45 * patch.shape[0] + 0.6))
    ax.imshow(patch, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    for row, col in np.ndindex(patch.shape):
        ax.text(col, row, "", ha="center", va="center", fontsize=8)
    update_values(ax, patch, fmt=fmt)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title)
    return ax


def update_values(ax: Axes, patch: np.ndarray, *, fmt: str = "{:d}") -> list[Artist]:
    """Put new numbers into a patch drawn by :func:`show_values`, in place (for sliders).

    The patch must have the shape of the first one; colours and text
    contrast follow the new values, with the first call's colour map and range.
    Returns the artists it changed (the picture, then the numbers), which a
    slider's update function returns in turn (see :func:`helpers.sliders.live`).

    Examples
    --------
    >>> ax = show_values(np.array([[0, 255]], dtype=np.uint8))
    >>> moved = update_values(ax, np.array([[255, 0]], dtype=np.uint8))
    >>> [(text.get_text(), text.get_color()) for text in ax.texts], len(moved)
    ([('255', 'black'), ('0', 'white')], 3)
    """
    if not isinstance(ax, Axes) or not ax.images or len(ax.texts) != ax.images[0].get_array().size:
        raise TypeError("ax must be the axes returned by show_values")
    image = ax.images[0]
    patch = array(patch, "patch", ndim=2)
    if patch.shape != image.get_array().shape:
        raise ValueError(f"patch must have the shape of the first one, {image.get_array().shape}, got {patch.shape}")
    image.set_data(patch)
    colours = image.cmap(image.norm(patch))
    light = colours[..., :3] @ np.array(LUMA) > 0.5
    for text, ((row, col), value) in zip(ax.texts, np.ndenumerate(patch)):
        text.set_text(fmt.format(int(value) if fmt == "{:d}" else value))
        text.set_color("black" if light[row, col] else "white")
    return [image, *ax.texts]


def byte_bars(
    sizes: Mapping[str, float],
    title: str | None = None,
    *,
    ax: Axes | None = None,
    unit: str = "bytes",
    limit: float | None = None,
) -> Axes:
    """A horizontal bar for each named size, with the number written at its end.

    ``limit`` is where the scale ends; by default a quarter past the longest
    bar. A slider that should show the bars grow passes a fixed one.

    Examples
    --------
    >>> ax = byte_bars({"raw": 786432, "PNG": 512000}, "one photograph")
    >>> [text.get_text() for text in ax.texts], [float(x) for x in ax.get_xlim()]  # to 1.25 x 786,432
    ([' 786,432', ' 512,000'], [0.0, 983040.0])
    """
    values = _sizes(sizes)
    labels = list(sizes)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 0.45 * len(labels) + 1.0))
    ax.barh(labels, values, color="C0")
    ax.invert_yaxis()
    ax.set_axisbelow(True)  # the axis is drawn before the bars: a slider moving a bar need not draw it again
    for y in range(len(labels)):
        ax.text(0, y, "", va="center", fontsize=9)
    ax.set_xlabel(unit)
    update_bars(ax, sizes, limit=limit)
    if title is not None:
        ax.set_title(title)
    return ax


def update_bars(ax: Axes, sizes: Mapping[str, float], *, limit: float | None = None) -> list[Artist]:
    """Give the bars drawn by :func:`byte_bars` new sizes, in place (for sliders); same labels.

    ``limit`` as for :func:`byte_bars`. The scale is set only when it changes,
    so a slider with a fixed one does not draw the axis again. Returns the
    artists it changed (the bars, then their numbers), which a slider's update
    function returns in turn (see :func:`helpers.sliders.live`).

    Examples
    --------
    >>> ax = byte_bars({"raw": 100, "lzma": 10}, limit=5000)
    >>> moved = update_bars(ax, {"raw": 1000, "lzma": 400}, limit=5000)
    >>> [float(bar.get_width()) for bar in ax.containers[0]], [float(x) for x in ax.get_xlim()], len(moved)
    ([1000.0, 400.0], [0.0, 5000.0], 4)
    """
    if not isinstance(ax, Axes) or not ax.containers:
        raise TypeError("ax must be the axes returned by byte_bars")
    bars = ax.containers[0]
    values = _sizes(sizes)
    if len(values) != len(bars):
        raise ValueError(f"sizes must have one entry per bar ({len(bars)}), got {len(values)}")
    if limit is not None and not (isinstance(limit, (int, float, np.number)) and np.isfinite(limit) and limit > 0):
        raise ValueError(f"limit must be a positive number of {ax.get_xlabel() or 'bytes'}, got {limit!r}")
    for bar, text, value in zip(bars, ax.texts, values):
        bar.set_width(value)
        text.set_x(value)
        text.set_text(f" {value:,.0f}")
    end = limit if limit is not None else (values.max() * 1.25 if values.max() > 0 else 1)
    if ax.get_xlim() != (0, end):
        ax.set_xlim(0, end)
    return [*bars, *ax.texts]


def _sizes(sizes: Mapping[str, float]) -> np.ndarray:
    if not isinstance(sizes, Mapping) or not sizes:
        raise TypeError("sizes must be a non-empty mapping of label -> size")
    values = np.array([float(v) for v in sizes.values()])
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError("sizes must be finite and >= 0")
    return values
