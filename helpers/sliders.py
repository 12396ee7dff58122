"""Sliders whose default picture is also a plain output, and that answer fast.

(Called ``sliders``, not ``widgets``: the chapters import ipywidgets as ``widgets``.)

``interact`` puts its figure inside an Output widget, so a reader without a
kernel (GitHub, nbviewer) sees only ``interactive(children=...)``. ``live``
displays the controls, then the figure at its default setting as an ordinary
PNG output with a display id, and replaces that same output when a control
moves: one picture in a live session, and a picture on GitHub too.

The figure is built once, and the slider only changes what moves in it
(``set_data`` on a picture, ``set_text`` on a title): making a new figure,
laying it out and drawing its axes again on every step would cost more than
the step itself. The update function returns the artists it moved, as
matplotlib's ``FuncAnimation`` asks for blitting: the rest of the figure is
drawn once and kept, and each step draws only those over it (:class:`Blitter`).
The page gets the same treatment: the kept background is written as PNG once,
and each step writes only the squares of the figure that changed over it.

Figures are drawn at twice their resolution, for high-density screens. A
picture shown at a whole number of page pixels per pixel (in a
``plotting.pixel_panels`` or ``plotting.closeups`` panel) would then cost 4 to
64 times its own pixels on every step; instead each step sends it at its own
size on top of the figure, and the browser enlarges it without smoothing
(:class:`Layer`). The page looks the same, pixel for pixel.

    fig, ax = plt.subplots()
    view = plotting.show(picture, ax=ax).images[0]

    def update(bits):
        view.set_data(quantize.quantize(picture, bits))
        ax.set_title(f"{bits} bits")
        return view, ax.title  # what moved

    live(fig, update, bits=IntSlider(value=4, min=1, max=8, description="bits"))
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable, Iterable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Image, display
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from ._blit import Blitter, _figure
from ._png import Written, png

__all__ = ["live", "Live", "Layer", "layers", "Blitter", "Written", "snapshot", "png", "values_across",
           "in_memory", "SCALE"]

#: Device pixels per page pixel, each way, in every picture a slider shows. Most laptops at a
#: meetup have a high-density screen, where one CSS pixel of the page is 2 x 2 dots: a figure
#: drawn at its own size would be blown up and blurred there. A slider's figure is drawn at twice
#: its resolution and shown at its own size, as ``helpers.setup()`` has every other figure drawn.
SCALE = 2

#: A step sends the figure's squares of TILE x TILE page pixels that changed, over its background.
TILE = 8


class Layer:
    """A picture that a slider sends at its own size, for the browser to enlarge (no smoothing).

    A picture in a :func:`helpers.plotting.pixel_panels` or
    :func:`helpers.plotting.closeups` panel fills the panel at a whole number of
    page pixels per pixel. Drawn into the figure at twice the dpi it would cost
    4 to 64 times its own pixels on every step, to draw, to write as PNG, to send
    and to decode; sent as it is, with CSS ``image-rendering: pixelated``, the
    browser shows the same sharp squares for a fraction of that. A picture made
    at the figure's own resolution (one screen dot per pixel, such as chapter
    06's printed numbers) travels the same way: matplotlib need not draw it,
    and the browser shows it dot for dot.
    """

    def __init__(self, image: AxesImage, box: tuple[int, int, int, int]):
        self.image = image
        self.left, self.top, self.width, self.height = box  # where, in page pixels
        self._sent: tuple[tuple, str] | None = None  # the last picture written, and its PNG in base64
        self.written = Written()

    def pixels(self) -> np.ndarray:
        """The picture's own RGB pixels, coloured as matplotlib colours them (colour map and range)."""
        return self._rgba()[..., :3]

    def _rgba(self) -> np.ndarray:
        return self.image.to_rgba(self.image.get_array(), bytes=True)

    def _indexed(self, pixels: np.ndarray | None) -> tuple[np.ndarray, np.ndarray] | None:
        """The picture as indices into its colour map's colours, and those colours; None if it is not so.

        As matplotlib colours a number: scaled by the norm to 0..1, then to one of the map's N
        colours. Any doubt (colours beyond the range, masked or missing values), and it travels
        as RGB. Checked against the picture's RGB ``pixels``; without them only for a plain
        linear range (matplotlib's ``Normalize``), whose arithmetic this repeats step for step.
        """
        image, data = self.image, self.image.get_array()
        if data.ndim != 2 or image.cmap.N > 256 or np.ma.is_masked(data):
            return None
        if pixels is None and type(image.norm) is not Normalize:
            return None
        with np.errstate(invalid="ignore"):
            scaled = np.asarray(image.norm(data), dtype=float) * image.cmap.N
            scaled[scaled == image.cmap.N] = image.cmap.N - 1
            if not ((scaled >= 0) & (scaled < image.cmap.N)).all():
                return None
        indices = scaled.astype(np.uint8)
        colours = image.cmap(np.arange(image.cmap.N), bytes=True)[:, :3]
        return (indices, colours) if pixels is None or np.array_equal(colours[indices], pixels) else None

    def _base64_png(self, small: bool) -> str:
        """The picture as PNG in base64, in as few bytes a pixel as its colours allow."""
        quick = self._indexed(None)  # numbers under a colour map: indices made straight away, no RGB picture
        if quick is not None:
            indices, colours = quick
            if (colours[:, :1] == colours[:, 1:]).all():  # a grey map: one channel, each pixel its grey level
                return self.written.base64_png(colours[:, 0][indices], small=small)
            return self.written.base64_png(indices, colours, small=small)
        rgba = self._rgba()
        pixels = rgba[..., :3]
        if (pixels[..., :1] == pixels[..., 1:]).all():  # a grey picture: one channel is a third of the bytes
            return self.written.base64_png(pixels[..., 0], source=rgba, small=small)
        # a colour map has at most 256 colours: one byte a pixel, an index into them (for a plain linear
        # range, the quick way above has already found that it is not so)
        indexed = None if type(self.image.norm) is Normalize else self._indexed(pixels)
        return self.written.base64_png(*(indexed or (pixels,)), source=rgba, small=small)

    def piece(self, small: bool = False) -> tuple[str, int, int, int, int, str]:
        """The layer on the page: (PNG in base64, left, top, width, height in page pixels, CSS image-rendering).

        ``small``: written as :func:`png` writes with ``small=True``.
        """
        # set_data stores a new array, so the same array, colour map and range is the same picture:
        # a picture that did not change is not written again.
        image = self.image
        key = (id(image.get_array()), image.get_cmap().name, image.norm.vmin, image.norm.vmax, small)
        if self._sent is None or self._sent[0] != key:
            self._sent = (key, self._base64_png(small))
        # enlarged: squares without smoothing; one dot a pixel: as the figure (smoothed where a screen has fewer dots)
        rendering = "pixelated" if self.width >= self.image.get_array().shape[1] else "auto"
        return self._sent[1], self.left, self.top, self.width, self.height, rendering

    def html(self) -> str:
        return _img(*self.piece(), alt="")


def _img(data: str, left: int, top: int, width: int, height: int, rendering: str, alt: str) -> str:
    """An <img> of a PNG in base64 at its place on the page, in page pixels."""
    return (f'<img src="data:image/png;base64,{data}" alt="{alt}" style="position:absolute;left:{left}px;'
            f'top:{top}px;width:{width}px;height:{height}px;max-width:none;image-rendering:{rendering}">')


def layers(fig: Figure, scale: int) -> list[Layer]:
    """The pictures of ``fig`` (drawn at ``scale`` times its page size) that can travel as layers.

    Each is the only thing drawn in a pixel panel, opaque, and fills it at a
    whole number of screen dots (``scale`` a page pixel) per pixel, at a place and size in whole page pixels.
    """
    from .plotting import _PixelPanel

    found = []
    height_px = fig.bbox.height
    for ax in fig.axes:
        if not isinstance(ax, _PixelPanel) or ax.axison or len(ax.images) != 1:
            continue
        image = ax.images[0]
        others = [a for a in ax.get_children() if a.get_visible() and a is not image and a is not ax.patch
                  and a not in (ax.title, ax._left_title, ax._right_title)
                  and a is not ax.xaxis and a is not ax.yaxis and a not in ax.spines.values()]
        data = image.get_array()
        if others or data is None or (data.ndim == 3 and data.shape[2] != 3) or image.get_alpha() is not None:
            continue
        box = ax.get_window_extent()
        left, top = box.x0 / scale, (height_px - box.y1) / scale
        width, height = box.width / scale, box.height / scale
        rows, cols = data.shape[:2]
        whole = all(abs(v - round(v)) < 1e-6 for v in (left, top, width, height))
        extent = image.get_extent()
        dots_wide, dots_high = scale * round(width), scale * round(height)
        if (whole and dots_wide % cols == 0 and dots_high % rows == 0 and dots_wide // cols == dots_high // rows
                and tuple(extent) == (-0.5, cols - 0.5, rows - 0.5, -0.5)
                and tuple(ax.get_xlim()) == (-0.5, cols - 0.5) and tuple(ax.get_ylim()) == (rows - 0.5, -0.5)):
            found.append(Layer(image, (round(left), round(top), round(width), round(height))))
    return found


class Live:
    """One slider's figure: what each step draws and sends (see :func:`live`).

    Nothing keeps a list of them: each lives as long as its controls call it back.
    :func:`in_memory` finds them, for tests and benchmarks.
    """

    _made = itertools.count()  # numbers them in the order they are made

    def __init__(self, fig: Figure, update: Callable[..., object], controls: dict[str, widgets.ValueWidget]):
        self.fig, self.update, self.controls = fig, update, controls
        self.number = next(Live._made)
        self.layers = layers(fig, SCALE)
        for layer in self.layers:  # from now on sent beside the figure, not drawn into it
            layer.image.set_visible(False)
        self.blitter = Blitter(fig)
        self.written = Written()
        self._background: tuple[np.ndarray | None, str] = (None, "")  # the last background sent, and its PNG
        #: Write every picture small (deflate level 6), as the background: slower, for pictures
        #: written once and kept (the website's, ``tools/website.py``).
        self.small = False

    def values(self) -> dict[str, object]:
        return {name: control.value for name, control in self.controls.items()}

    def move(self, **values: object) -> np.ndarray:
        """Call the update function with these values and draw what it moved; return the figure's RGB pixels."""
        return self.blitter.draw(_moved(self.update(**values)))

    def rehearse(self) -> None:
        """Step to neighbouring values and back, showing nothing: the learner's first step is then as quick as the rest.

        The background is drawn, kept and written as PNG now, while the cell runs.
        """
        start = self.values()
        for values in ({name: _neighbour(control) for name, control in self.controls.items()}, start):
            self.move(**values)
            self.pieces()

    def pieces(self) -> list[tuple[np.ndarray, int, int, str]]:
        """What the page shows of the figure after the last step, bottom first: (RGBA dots, top, left, PNG in base64).

        Where less than half the figure changed, its background (written once,
        small) and the squares that changed over it (:meth:`Blitter.changed`);
        else the whole figure. Places are in dots; the layers go on top of these.
        """
        rgba = np.asarray(self.fig.canvas.buffer_rgba())
        height, width = rgba.shape[:2]
        boxes = self.blitter.changed(SCALE * TILE) if height % SCALE == width % SCALE == 0 else None
        changed = None if boxes is None else sum((bottom - top) * (right - left) for top, left, bottom, right in boxes)
        if changed is None or changed > height * width / 2:
            # Sent as matplotlib holds it, RGBA: copying out the RGB alone (3 bytes of every 4)
            # takes numpy longer than deflating the whole figure.
            return [(rgba, 0, 0, self.written.base64_png(rgba, small=self.small))]
        background = self.blitter.background_pixels
        if self._background[0] is not background:  # drawn anew: written once, and sent on every step
            self._background = (background, self.written.base64_png(background, small=True))
        return [(background, 0, 0, self._background[1])] + [
            (rgba[top:bottom, left:right], top, left,
             self.written.base64_png(rgba[top:bottom, left:right], small=self.small))
            for top, left, bottom, right in boxes]

    def page(self, **values: object) -> list[tuple[str, int, int, int, int, str]]:
        """Update the figure to the controls' values (or these); return the pictures the page shows, bottom first.

        Each is (PNG in base64, left, top, width, height in page pixels, CSS
        image-rendering): the figure without its layers (its background and
        the squares that changed over it, or the whole figure), then each layer
        at its own size.
        """
        self.move(**{**self.values(), **values})
        figure = [(data, left // SCALE, top // SCALE, dots.shape[1] // SCALE, dots.shape[0] // SCALE, "auto")
                  for dots, top, left, data in self.pieces()]
        return figure + [layer.piece(self.small) for layer in self.layers]

    def step(self, **values: object) -> dict[str, str]:
        """Update the figure to the controls' values (or these); return what the page shows, as HTML."""
        pictures = self.page(**values)
        height, width = (n // SCALE for n in np.asarray(self.fig.canvas.buffer_rgba()).shape[:2])
        html = (f'<div style="position:relative;width:{width}px;height:{height}px;line-height:0">'
                + "".join(_img(*picture, alt="figure" if k == 0 else "") for k, picture in enumerate(pictures))
                + "</div>")
        return {"text/html": html, "text/plain": f"<figure {width} x {height}>"}

    def composed(self, **values: object) -> np.ndarray:
        """The RGB pixels the page shows after a step (to the controls' values, or these): layers enlarged on top.

        What the tests compare with a full drawing.
        """
        self.move(**{**self.values(), **values})
        pixels = np.zeros_like(self.blitter.background_pixels[..., :3])
        for dots, top, left, _ in self.pieces():
            pixels[top : top + dots.shape[0], left : left + dots.shape[1]] = dots[..., :3]
        for layer in self.layers:
            picture = layer.pixels()
            factor = SCALE * layer.width // picture.shape[1]
            top, left = SCALE * layer.top, SCALE * layer.left
            pixels[top : top + SCALE * layer.height, left : left + SCALE * layer.width] = \
                picture.repeat(factor, axis=0).repeat(factor, axis=1)
        return pixels

    def drawn_from_scratch(self) -> np.ndarray:
        """The figure drawn from scratch, its layers drawn into it: what :meth:`composed` must equal (for tests)."""
        for layer in self.layers:
            layer.image.set_visible(True)
        try:
            pixels = self.blitter.full_drawing().copy()
        finally:
            for layer in self.layers:
                layer.image.set_visible(False)
                layer.image.stale = False  # as before the drawing: nothing changed for the next step
        return pixels


def snapshot(fig: Figure, scale: int = 1) -> Image:
    """Draw the figure as it is now and return it as a PNG image; the figure stays open.

    ``scale`` is how many pixels of the figure make one pixel of the page each way: the image
    is shown at ``1 / scale`` of its size in pixels (2 for a figure drawn at twice its dpi).
    """
    fig = _figure(fig, "fig")
    if not isinstance(fig.canvas, FigureCanvasAgg):  # a figure pyplot has closed has a bare canvas
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    return _shown(np.asarray(fig.canvas.buffer_rgba())[..., :3], scale)


def _shown(pixels: np.ndarray, scale: int) -> Image:
    """A figure's pixels as a PNG output, shown at 1 / scale of their size on the page."""
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be a whole number >= 1, got {scale!r}")
    height, width = pixels.shape[:2]
    return Image(data=png(pixels), format="png", width=width // scale, height=height // scale)

def _moved(artists: object) -> list[Artist]:
    """What an update function returned, checked: the artists it moved."""
    if isinstance(artists, Artist):
        return [artists]
    if artists is None or isinstance(artists, (str, bytes)) or not isinstance(artists, Iterable):
        raise TypeError("update must return the artists it moved, e.g. `return view, ax.title`, "
                        f"got {type(artists).__name__}")
    artists = list(artists)
    for artist in artists:
        if not isinstance(artist, Artist):
            raise TypeError(f"update must return matplotlib artists, got {type(artist).__name__} among them")
    return artists


def _neighbour(control: widgets.ValueWidget) -> object:
    """A value of the control next to its own: one step along a slider, another option of a selector."""
    value = control.value
    options = getattr(control, "options", None)
    if options:
        others = [o[1] if isinstance(o, tuple) else o for o in options]
        return next((o for o in others if o != value), value)
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)) and all(hasattr(control, a) for a in ("min", "max", "step")):
        return value + control.step if value + control.step <= control.max else max(control.min, value - control.step)
    return value


def values_across(control: widgets.ValueWidget, count: int = 8) -> list:
    """Up to ``count`` values spread over a slider's range, ends included; every option of a selector.

    What the benchmarks and tests step a control through.
    """
    if not isinstance(control, widgets.ValueWidget):
        raise TypeError(f"control must be an ipywidgets control, got {type(control).__name__}")
    if isinstance(count, bool) or not isinstance(count, int) or count < 2:
        raise ValueError(f"count must be an integer >= 2, got {count!r}")
    options = getattr(control, "options", None)
    if options:
        return [o[1] if isinstance(o, tuple) else o for o in options]
    if not all(hasattr(control, a) for a in ("min", "max", "step")):
        raise TypeError(f"control must be a slider or a selector, got {type(control).__name__}")
    steps = int(round((control.max - control.min) / control.step))
    return [control.min + control.step * int(round(i)) for i in np.linspace(0, steps, min(steps + 1, count))]


def live(fig: Figure, update: Callable[..., object], **controls: widgets.ValueWidget) -> None:
    """Show ``fig`` after ``update(**values)``, and again whenever one of ``controls`` moves.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Built once, before the call: axes, fixed labels, the pictures at
        their first setting.
    update : callable
        Takes one keyword argument per control (its current value),
        changes the figure's artists in place and returns those it changed
        (an artist, or several), as matplotlib's ``FuncAnimation`` asks for
        blitting: ``return view, ax.title``.
    **controls : ipywidgets.ValueWidget
        The sliders and selectors, by the name ``update`` expects.

    The figure is drawn at :data:`SCALE` times its dpi and shown at its own
    size, so that it is sharp on a high-density screen: a picture in a
    :func:`helpers.plotting.pixel_panels` panel still takes one page pixel
    per pixel, each one a square of 2 x 2 screen dots there.

    The first picture is a plain PNG output, for readers without Python. Each
    step after it sends the figure without its pictures (the rest drawn once
    and kept, and the artists ``update`` returned drawn over it, :class:`Blitter`):
    the kept background, written once, and the squares that changed over it;
    then each picture of a pixel panel at its own size on top (:class:`Layer`).
    HTML that the browser puts together.

    The figure is laid out once, on its first drawing, then keeps that layout,
    so the pictures do not jump as titles change length. Nothing is returned,
    so a cell that ends with ``live(...)`` prints no handle.

    Examples
    --------
    Outside a notebook, the controls and the first picture are printed, not shown:

    >>> import ipywidgets as widgets
    >>> fig, ax = plt.subplots(figsize=(2, 1))
    >>> title = ax.set_title("")
    >>> def update(level):
    ...     title.set_text(f"level {level}")
    ...     return title
    >>> live(fig, update, level=widgets.IntSlider(value=3, min=0, max=5, description="level"))
    HBox(children=(IntSlider(value=3, description='level', max=5),))
    <IPython.core.display.Image object>
    >>> title.get_text(), fig.dpi == SCALE * plt.rcParams["figure.dpi"]
    ('level 3', True)
    """
    fig = _figure(fig, "fig")
    if not callable(update):
        raise TypeError(f"update must be a function that changes the figure, got {type(update).__name__}")
    if not controls:
        raise ValueError("live needs at least one control, e.g. bits=IntSlider(...)")
    for name, control in controls.items():
        if not isinstance(control, widgets.ValueWidget):
            raise TypeError(f"control {name!r} must be an ipywidgets control, got {type(control).__name__}")

    # pyplot forgets the figure (the notebook would otherwise show it a second
    # time at the end of the cell); it stays alive here, in the callback.
    plt.close(fig)
    fig.set_dpi(fig.dpi * SCALE)  # every length in points doubles in pixels; the page size stays
    # a clear error before anything shows
    Blitter(fig).check(_moved(update(**{name: control.value for name, control in controls.items()})))
    display(widgets.HBox(list(controls.values())))
    handle = display(snapshot(fig, SCALE), display_id=True)  # what a reader without Python sees
    fig.set_layout_engine("none")  # keep the layout of the first drawing
    slider = Live(fig, update, dict(controls))
    slider.rehearse()

    def redraw(change: dict) -> None:
        handle.update(slider.step(), raw=True)

    for control in controls.values():
        control.observe(redraw, names="value")  # this callback is what keeps the slider alive


def in_memory() -> list[Live]:
    """Every slider of this session still alive, in the order :func:`live` made them.

    ``tests/test_chapter_sliders.py`` and ``benchmarks/bench_sliders.py`` run a
    chapter, then step each of its sliders through its range.

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> fig, ax = plt.subplots(figsize=(2, 1))
    >>> def update(level):
    ...     return ax.set_title(f"level {level}")
    >>> live(fig, update, level=widgets.IntSlider(value=3, description="level"))
    HBox(children=(IntSlider(value=3, description='level'),))
    <IPython.core.display.Image object>
    >>> newest = in_memory()[-1]
    >>> newest.fig is fig, ax.title in newest.blitter.moving  # what each step draws again
    (True, True)
    """
    return sorted((o for o in gc.get_objects() if isinstance(o, Live)), key=lambda live: live.number)
