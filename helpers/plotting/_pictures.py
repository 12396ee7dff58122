"""Pictures drawn pixel for pixel: one picture, several side by side, pixel panels, close-ups."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from .._checks import _describe, integer, picture


def show(image: np.ndarray, title: str | None = None, *, ax: Axes | None = None) -> Axes:
    """Draw a picture with its true pixel values (0 is black, 255 is white).

    Grey pictures use a fixed 0..255 range, so a picture with few levels is
    not stretched to look like it has more contrast than it has.

    Examples
    --------
    >>> ax = show(np.full((8, 8), 100, dtype=np.uint8), "a flat grey")
    >>> [float(v) for v in ax.images[0].get_clim()], ax.images[0].get_interpolation(), ax.get_title()
    ([0.0, 255.0], 'nearest', 'a flat grey')
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


def side_by_side(
    images: Sequence[np.ndarray],
    titles: Sequence[str] | None = None,
    *,
    width: float = 3.2,
) -> Figure:
    """Pictures next to each other, each with its title, ``width`` inches each.

    Examples
    --------
    >>> black, white = np.zeros((8, 16), dtype=np.uint8), np.full((8, 16), 255, dtype=np.uint8)
    >>> fig = side_by_side([black, white], ["black", "white"], width=3)
    >>> [ax.get_title() for ax in fig.axes], fig.get_size_inches().tolist()  # 3 inches wide each, half as tall
    (['black', 'white'], [6.0, 1.9])
    """
    images = _pictures(images, "images")
    if titles is not None:
        _titles(titles, len(images))
    aspect = images[0].shape[0] / images[0].shape[1]
    fig, axes = plt.subplots(1, len(images), figsize=(width * len(images), width * aspect + 0.4), squeeze=False)
    for i, (image, ax) in enumerate(zip(images, axes[0])):
        show(image, None if titles is None else titles[i], ax=ax)
    return fig


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

    Examples
    --------
    >>> fig, axes = pixel_panels(2, (64, 96))
    >>> round(fig.bbox.width), round(fig.bbox.height)  # 16 + 96 + 16 + 96 + 16 wide, 28 + 64 + 8 tall
    (240, 100)
    >>> ax = show(np.zeros((64, 96), dtype=np.uint8), ax=axes[0])
    >>> screen_pixels(ax).shape  # one page pixel a pixel
    (64, 96, 3)
    >>> fig.set_dpi(2 * fig.dpi)  # drawn for a 2x screen (helpers.sliders.SCALE)
    >>> screen_pixels(ax).shape  # each pixel a square of 2 x 2 dots
    (128, 192, 3)
    """
    count = integer(count, "count", low=1)
    return _panels([_shape(shape, "shape")] * count, gap, top, bottom)


def pixel_panel(fig: Figure, left: int, top: int, shape: tuple[int, int]) -> Axes:
    """One empty panel of exactly ``shape`` page pixels, its top-left corner ``left``, ``top`` pixels into ``fig``.

    For a figure laid out by hand: a picture drawn in it with :func:`show`
    (or ``imshow``) covers whole page pixels, as in :func:`pixel_panels`, and
    a slider sends it at its own size (:class:`helpers.sliders.Layer`).

    Examples
    --------
    >>> fig = plt.figure(figsize=(3, 2), dpi=100, layout="none")  # 300 x 200 page pixels
    >>> ax = pixel_panel(fig, 10, 20, (64, 96))
    >>> [round(n) for n in ax.get_window_extent().bounds]  # left, bottom (200 - 20 - 64), width, height
    [10, 116, 96, 64]
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

    Examples
    --------
    >>> ramp = np.tile(np.arange(0, 256, 4, dtype=np.uint8), (48, 1))  # 48 x 64
    >>> fig, axes = closeups([ramp, 255 - ramp], ["ramp", "inverted"], np.s_[8:16, 16:28], scale=4, overview=64)
    >>> [ax.get_title() for ax in axes]
    ['where: the whole picture', 'ramp', 'inverted']
    >>> screen_pixels(axes[1]).shape  # 8 x 12 pixels, each 4 x 4 page pixels
    (32, 48, 3)
    """
    pictures = _pictures(pictures, "pictures")
    _titles(titles, len(pictures))
    if any(p.shape[:2] != pictures[0].shape[:2] for p in pictures):
        raise ValueError(f"pictures must all have one shape, got {[p.shape for p in pictures]}")
    rows, cols = _region(region, pictures[0].shape[:2])
    scale = integer(scale, "scale", low=1)
    overview = integer(overview, "overview", low=8)
    height, width = pictures[0].shape[:2]
    crop = (scale * (rows.stop - rows.start), scale * (cols.stop - cols.start))
    fig, axes = _panels([(max(1, round(overview * height / width)), overview)] + [crop] * len(pictures),
                        gap, top, bottom)
    show(pictures[0], "where: the whole picture", ax=axes[0]).images[0].set_interpolation("antialiased")
    axes[0].add_patch(Rectangle((cols.start - 0.5, rows.start - 0.5), cols.stop - cols.start,
                                rows.stop - rows.start, fill=False, edgecolor="C1", linewidth=1.5))
    for image, title, ax in zip(pictures, titles, axes[1:]):
        show(image[rows, cols], title, ax=ax)
    return fig, axes


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


def _pictures(pictures: object, name: str) -> list[np.ndarray]:
    """Check a non-empty list of pictures, each as :func:`helpers._checks.picture` does."""
    if isinstance(pictures, np.ndarray) or not isinstance(pictures, Sequence) or not pictures:
        raise TypeError(f"{name} must be a non-empty list of pictures, got {_describe(pictures)}")
    return [picture(p, f"{name}[{i}]") for i, p in enumerate(pictures)]


def _titles(titles: object, count: int) -> None:
    """Check that ``titles`` is a list of ``count`` titles."""
    if isinstance(titles, str) or not isinstance(titles, Sequence) or len(titles) != count:
        raise ValueError(f"titles must be a list with one title per picture ({count}), got {titles!r}")


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
    """Panels of the given sizes in page pixels, left to right on one bottom line, ``gap`` apart.

    The margins are checked here, for :func:`pixel_panels` and :func:`closeups`.
    """
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
