"""Figures used in every chapter: pictures, patches of numbers, byte counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from ._bt601 import LUMA
from ._checks import _describe, array, integer, picture

__all__ = ["show", "pixel_panels", "pixel_panel", "closeups", "screen_pixels", "side_by_side", "show_values",
           "update_values", "byte_bars", "update_bars", "huffman_tree"]


def show(image: np.ndarray, title: str | None = None, *, ax: Axes | None = None) -> Axes:
    """Draw a picture with its true pixel values (0 is black, 255 is white).

    Grey pictures use a fixed 0..255 range, so a picture with few levels is
    not stretched to look like it has more contrast than it has.
    """
    image = picture(image, "image")
    if ax is None:
        _, ax = plt.subplots()
    if image.ndim == 2:
        ax.imshow(image, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    else:
        shown = image if image.dtype == np.uint8 else np.clip(image, 0, 255).astype(np.uint8)
        ax.imshow(shown, interpolation="nearest")
    if title is not None:
        ax.set_title(title)
    ax.set_axis_off()
    return ax


def pixel_panels(
    count: int, shape: tuple[int, int], *, gap: int = 16, top: int = 28, bottom: int = 8
) -> tuple[Figure, list[Axes]]:
    """A figure with ``count`` empty panels side by side, each exactly ``shape`` page pixels.

    A picture of that shape drawn into a panel with :func:`show` appears one
    pixel of the page (a CSS pixel) per pixel: nothing is scaled, so no 8 x 8
    block is stretched or squeezed, and the figure is quick to draw. Drawn for
    a high-density screen (twice the dpi, as ``helpers.setup()`` and sliders
    do), each pixel is a sharp square of 2 x 2 screen dots. ``gap``, ``top``
    (room for a title) and ``bottom`` are margins in pixels.

    Sizes and positions err on the safe side of a whole pixel (see
    :func:`_ratio`), for matplotlib 3.7 to 3.10.
    """
    count = integer(count, "count", low=1)
    return _panels([_shape(shape, "shape")] * count, gap, top, bottom)


def closeups(
    pictures: Sequence[np.ndarray],
    titles: Sequence[str],
    region: tuple[slice, slice],
    *,
    scale: int = 4,
    overview: int = 160,
    gap: int = 16,
    top: int = 28,
    bottom: int = 8,
) -> tuple[Figure, list[Axes]]:
    """The same small region of several pictures, enlarged, beside a small view that marks it.

    The difference between two pictures lives in a few pixels: here each
    picture's ``region`` (rows, columns, e.g. ``np.s_[100:140, 200:260]``) is
    drawn ``scale`` times larger, every pixel a sharp square (nearest
    neighbour, a whole number of page pixels), titled with ``titles``. The
    first panel shows the whole first picture ``overview`` page pixels wide
    with the region outlined, so the reader knows where to look.

    Returns the figure and its axes: the overview first, then one close-up per
    picture. A slider changes a close-up with
    ``axes[i].images[0].set_data(new_picture[region])``.
    """
    if isinstance(pictures, np.ndarray) or not isinstance(pictures, Sequence) or not pictures:
        raise TypeError("pictures must be a non-empty list of pictures")
    pictures = [picture(p, f"pictures[{i}]") for i, p in enumerate(pictures)]
    if isinstance(titles, str) or not isinstance(titles, Sequence) or len(titles) != len(pictures):
        raise ValueError(f"titles must be a list with one title per picture ({len(pictures)}), got {titles!r}")
    if any(p.shape[:2] != pictures[0].shape[:2] for p in pictures):
        raise ValueError(f"pictures must all have one shape, got {[p.shape for p in pictures]}")
    rows, cols = _region(region, pictures[0].shape[:2])
    scale = integer(scale, "scale", low=1)
    overview = integer(overview, "overview", low=8)
    height, width = pictures[0].shape[:2]
    crop = (scale * (rows.stop - rows.start), scale * (cols.stop - cols.start))
    fig, axes = _panels([(max(1, round(overview * height / width)), overview)] + [crop] * len(pictures),
                        integer(gap, "gap", low=0), integer(top, "top", low=0), integer(bottom, "bottom", low=0))
    show(pictures[0], "where: the whole picture", ax=axes[0]).images[0].set_interpolation("antialiased")
    axes[0].add_patch(Rectangle((cols.start - 0.5, rows.start - 0.5), cols.stop - cols.start,
                                rows.stop - rows.start, fill=False, edgecolor="C1", linewidth=1.5))
    for image, title, ax in zip(pictures, titles, axes[1:]):
        show(image[rows, cols], title, ax=ax)
    return fig, axes


def _region(region: object, shape: tuple[int, int]) -> tuple[slice, slice]:
    """Check a (rows, columns) pair of slices inside a picture of ``shape``; give explicit ends."""
    if not (isinstance(region, tuple) and len(region) == 2 and all(isinstance(r, slice) for r in region)):
        raise TypeError(f"region must be a pair of slices (rows, columns) such as np.s_[10:50, 20:80], got {region!r}")
    checked = []
    for axis, (part, size) in enumerate(zip(region, shape)):
        start, stop, step = part.indices(size)
        if step != 1 or stop <= start:
            raise ValueError(f"region[{axis}] must be a non-empty slice without a step inside 0..{size}, got {part}")
        checked.append(slice(start, stop))
    return checked[0], checked[1]


def _shape(shape: object, name: str) -> tuple[int, int]:
    if not (isinstance(shape, tuple) and len(shape) == 2):
        raise TypeError(f"{name} must be a (height, width) tuple, got {shape!r}")
    return tuple(integer(n, f"{name}[{i}]", low=1) for i, n in enumerate(shape))


def _panels(shapes: list[tuple[int, int]], gap: int, top: int, bottom: int) -> tuple[Figure, list[Axes]]:
    """Panels of the given sizes in page pixels, left to right on one bottom line, ``gap`` apart."""
    gap, top, bottom = (integer(n, name, low=0) for n, name in ((gap, "gap"), (top, "top"), (bottom, "bottom")))
    dpi = plt.rcParams["figure.dpi"]
    total_width = sum(width for _, width in shapes) + (len(shapes) + 1) * gap
    total_height = max(height for height, _ in shapes) + top + bottom
    fig = plt.figure(figsize=(_ratio(total_width, dpi, "up"), _ratio(total_height, dpi, "up")), dpi=dpi,
                     layout="none")
    axes, left = [], gap
    for height, width in shapes:
        axes.append(_panel(fig, left, bottom, (height, width)))
        left += width + gap
    return fig, axes


def pixel_panel(fig: Figure, left: int, top: int, shape: tuple[int, int]) -> Axes:
    """One empty panel of exactly ``shape`` page pixels, its top-left corner ``left``, ``top`` pixels into ``fig``.

    For a figure laid out by hand: a picture drawn in it with :func:`show`
    (or ``imshow``) covers whole page pixels, as in :func:`pixel_panels`, and
    a slider sends it at its own size (:class:`helpers.widgets.Layer`).
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    left, top = integer(left, "left", low=0), integer(top, "top", low=0)
    height, width = _shape(shape, "shape")
    page_width, page_height = round(fig.bbox.width), round(fig.bbox.height)  # as built: one pixel a page pixel
    if left + width > page_width or top + height > page_height:
        raise ValueError(f"a panel of {height} x {width} page pixels at ({left}, {top}) does not fit "
                         f"in a figure of {page_width} x {page_height}")
    return _panel(fig, left, page_height - top - height, (height, width))


def _panel(fig: Figure, left: int, bottom: int, shape: tuple[int, int]) -> Axes:
    """A pixel panel whose bottom-left corner is ``left``, ``bottom`` page pixels from the figure's."""
    height, width = shape
    width_px, height_px = fig.bbox.width, fig.bbox.height
    # An axes' corners in pixels are its figure fractions times the figure's size in pixels: each
    # panel starts at or just after its first pixel and ends at or just before its last.
    y0, y1 = _ratio(bottom, height_px, "up"), _ratio(bottom + height, height_px, "down")
    x0, x1 = _ratio(left, width_px, "up"), _ratio(left + width, width_px, "down")
    ax = fig.add_axes((x0, y0, x1 - x0, y1 - y0), axes_class=_PixelPanel)
    ax.set_position(Bbox([[x0, y0], [x1, y1]]))  # the corners themselves: x0 + (x1 - x0) may not be x1
    ax.set_axis_off()
    return ax


def screen_pixels(ax: Axes) -> np.ndarray:
    """The RGB pixels that the figure draws inside ``ax``, top row first (the figure is drawn).

    With :func:`pixel_panels` this is how a test checks that a picture appears
    one page pixel per pixel: the pixels in its panel are its own (each repeated
    2 x 2 times in a figure drawn at twice its dpi).
    """
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    ax.figure.canvas.draw()
    rgba = np.asarray(ax.figure.canvas.buffer_rgba())
    box = ax.get_window_extent()
    top, bottom = rgba.shape[0] - round(box.y1), rgba.shape[0] - round(box.y0)
    return rgba[top:bottom, round(box.x0) : round(box.x1), :3].copy()


class _PixelPanel(Axes):
    """A panel of pixel_panels: it keeps its corners whatever the aspect of what is drawn in it.

    It already has the picture's shape; imshow's aspect "equal" would have matplotlib recompute
    the corners, with rounding errors that 3.7 to 3.10 turn into a shifted row.
    """

    def apply_aspect(self, position=None):
        pass


def _ratio(n: int, d: float, side: str) -> float:
    """The float nearest n / d whose product with d is at least n (side "up") or at most n ("down").

    n / d times d can miss n by a rounding error (0.56 * 100 is 56.00000000000001, and no
    float gives 56 exactly). matplotlib 3.7 to 3.10 truncate a figure's size in pixels and
    resample a picture whose size in pixels is not whole, which turns such an error into a
    missing pixel or a shifted row; erring on the known side keeps them whole.
    """
    q = n / d
    while (q * d < n) if side == "up" else (q * d > n):
        q = float(np.nextafter(q, np.inf if side == "up" else -np.inf))
    return q


def side_by_side(
    images: Sequence[np.ndarray],
    titles: Sequence[str] | None = None,
    *,
    width: float = 3.2,
) -> Figure:
    """Pictures next to each other, each with its title, ``width`` inches each."""
    if isinstance(images, np.ndarray) or not isinstance(images, Sequence) or not images:
        raise TypeError("images must be a non-empty list of pictures")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"titles must have one entry per picture ({len(images)}), got {len(titles)}")
    first = picture(images[0], "images[0]")
    aspect = first.shape[0] / first.shape[1]
    fig, axes = plt.subplots(
        1, len(images), figsize=(width * len(images), width * aspect + 0.4), squeeze=False
    )
    for i, (image, ax) in enumerate(zip(images, axes[0])):
        show(picture(image, f"images[{i}]"), None if titles is None else titles[i], ax=ax)
    return fig


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


def update_values(ax: Axes, patch: np.ndarray, *, fmt: str = "{:d}") -> Axes:
    """Put new numbers into a patch drawn by :func:`show_values`, in place (for sliders).

    The patch must have the shape of the first one; colours and text
    contrast follow the new values, with the first call's colour map and range.
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
    return ax


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


def update_bars(ax: Axes, sizes: Mapping[str, float], *, limit: float | None = None) -> Axes:
    """Give the bars drawn by :func:`byte_bars` new sizes, in place (for sliders); same labels.

    ``limit`` as for :func:`byte_bars`. The scale is set only when it changes,
    so a slider with a fixed one does not draw the axis again.
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
    return ax


def _sizes(sizes: Mapping[str, float]) -> np.ndarray:
    if not isinstance(sizes, Mapping) or not sizes:
        raise TypeError("sizes must be a non-empty mapping of label -> size")
    values = np.array([float(v) for v in sizes.values()])
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError("sizes must be finite and >= 0")
    return values


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
