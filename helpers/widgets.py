"""Sliders whose default picture is also a plain output, and that answer fast.

``interact`` puts its figure inside an Output widget, so a reader without a
kernel (GitHub, nbviewer) sees only ``interactive(children=...)``. ``live``
displays the controls, then the figure at its default setting as an ordinary
PNG output with a display id, and replaces that same output when a control
moves: one picture in a live session, and a picture on GitHub too.

The figure is built once, and the slider only changes what moves in it
(``set_data`` on a picture, ``set_text`` on a title): making a new figure,
laying it out and drawing its axes again on every step would cost more than
the step itself. This is matplotlib's own advice for animations and widgets.

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

    live(fig, update, bits=IntSlider(value=4, min=1, max=8, description="bits"))
"""

from __future__ import annotations

import base64
import hashlib
import struct
import zlib
from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Image, display
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.text import Text

__all__ = ["live", "Live", "Layer", "layers", "Redrawer", "snapshot", "png", "values_across", "LIVE", "SCALE"]

#: Device pixels per page pixel, each way, in every picture a slider shows. Most laptops at a
#: meetup have a high-density screen, where one CSS pixel of the page is 2 x 2 dots: a figure
#: drawn at its own size would be blown up and blurred there. A slider's figure is drawn at twice
#: its resolution and shown at its own size, as ``helpers.setup()`` has every other figure drawn.
SCALE = 2


def _figure(fig: object, name: str) -> Figure:
    if not isinstance(fig, Figure):
        raise TypeError(f"{name} must be a matplotlib Figure, got {type(fig).__name__}")
    return fig


class Redrawer:
    """Draws a figure again after its artists changed: only what changed, when that is enough.

    A slider's update function usually changes a picture and a title; the
    axes, ticks, labels and other panels stay as they were. After the first
    step, the figure is drawn once *without* the artists that changed, and
    without every artist drawn after one of them over the same pixels (so the
    drawing order stays right: of 64 numbers printed on a grid, only those
    that change are drawn again); that background is kept. Each later step puts
    the background back and draws only those artists: the same pixels as
    drawing the whole figure (``tests/test_sliders.py`` checks it for every
    slider of the course), in a fraction of the time. Whenever something else
    changes (axes limits, artists added or removed, a new artist changed, a
    changed artist grown over another one), the whole figure is drawn again
    and a new background kept.

    This is matplotlib's "blitting", done for any update function.
    """

    def __init__(self, fig: Figure):
        """``fig`` as it was last drawn: what changes from now on is redrawn."""
        self.fig = _figure(fig, "fig")
        self.changing: set[Artist] = set()
        self.redraw: list[Artist] = []
        self.background = None
        self.signature: tuple | None = None
        self.extents: dict[Artist, object] = {}
        self.watch: set[Artist] = set()
        self.last = ""  # how the last step was drawn: "blit", "background" or "full"
        self.wasted = 0  # backgrounds kept in a row that no step could use
        self.plain = 0  # steps left to draw plainly before keeping a background again
        self._text_boxes: dict[tuple, object] = {}  # see _text_extent
        self._drawn()

    def _drawn(self) -> None:
        """Mark every artist up to date (an empty text is never drawn, so it stays marked changed)."""
        for layer in self._layers():
            for artist in layer:
                artist.stale = False

    def _layers(self) -> list[list[Artist]]:
        """The figure's artists in the order it draws them: each axes', then the figure's own."""
        layers = []
        for ax in self.fig.axes:
            artists = [a for a in ax.get_children() if a is not ax.patch]
            if not (ax.axison and ax.get_frame_on()):
                artists = [a for a in artists if a not in ax.spines.values()]
            if not ax.axison:
                artists = [a for a in artists if a is not ax.xaxis and a is not ax.yaxis]
            layers.append(sorted(artists, key=lambda a: a.zorder))
        own = [a for a in self.fig.get_children() if a is not self.fig.patch and not isinstance(a, Axes)]
        layers.append(sorted(own, key=lambda a: a.zorder))
        return layers

    def _signature(self) -> tuple:
        """What a background depends on besides the changing artists."""
        parts: list[object] = [tuple(self.fig.bbox.bounds), tuple(map(id, self.fig.get_children()))]
        for ax in self.fig.axes:
            parts.append((tuple(ax.get_position().bounds), tuple(ax.viewLim.bounds), ax.axison,
                          ax.get_frame_on(), tuple(map(id, ax.get_children()))))
        return tuple(parts)

    def _extent(self, artist: Artist):
        """The pixels an artist covers (padded), None if none, ``True`` if unknown (assume all)."""
        if not artist.get_visible() or (isinstance(artist, Text) and not artist.get_text()):
            return None
        try:
            box = self._text_extent(artist) if isinstance(artist, Text) else None
            if box is None:
                box = artist.get_tightbbox(self.fig.canvas.get_renderer())
        except Exception:  # an artist that cannot say: assume it covers everything
            return True
        if box is None or not np.isfinite(box.extents).all():  # nothing drawn (an empty text)
            return None
        if box.width == 0 and box.height == 0:
            return True
        return box.padded(2)

    def _text_extent(self, text: Text):
        """A text's extent from one laid out before with the same words and looks, moved to its place.

        Laying out a text is most of what measuring it costs; its box relative to its anchor
        depends only on the words and how they are set. Of 64 numbers on a grid that change on
        every step, few are new. None when clipping could cut the box (then matplotlib measures).
        """
        clipped = text.get_clip_on() and (text.get_clip_box() is not None or text.get_clip_path() is not None)
        if text.get_wrap() or clipped:
            return None
        key = (text.get_text(), hash(text.get_fontproperties()), text.get_rotation(), text.get_rotation_mode(),
               text.get_horizontalalignment(), text.get_verticalalignment(), getattr(text, "_multialignment", None),
               getattr(text, "_linespacing", None), text.get_usetex(), self.fig.dpi)
        anchor = text.get_transform().transform(text.get_unitless_position())
        if key not in self._text_boxes:
            if len(self._text_boxes) > 4096:
                self._text_boxes.clear()
            self._text_boxes[key] = text.get_window_extent(self.fig.canvas.get_renderer()).translated(*-anchor)
        return self._text_boxes[key].translated(*anchor)

    def _plan(self, layers: list[list[Artist]]) -> list[Artist]:
        """The artists to draw over the background, in drawing order.

        In each layer, the first changing artist and every artist drawn after
        it, but for the texts that cover none of the pixels drawn before them
        (a text's extent is exact; an axis' or a spine's may miss its ticks).
        """
        plan, covered = [], []
        for layer in layers:
            started = False
            for artist in layer:
                extent = self.extents.get(artist)
                overlaps = extent is True or (
                    extent is not None and any(c is True or extent.overlaps(c) for c in covered))
                started |= artist in self.changing or overlaps
                if artist in self.changing or overlaps or (started and not isinstance(artist, Text)):
                    plan.append(artist)
                    if extent is not None:
                        covered.append(extent)
        return plan

    def draw(self) -> np.ndarray:
        """Bring the canvas up to date with the figure; return its RGB pixels."""
        fig = self.fig
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        layers = self._layers()
        changed = {a for layer in layers for a in layer if a.stale}
        signature = self._signature()
        if self.background is not None and signature == self.signature and changed <= self.changing:
            for artist in self.watch:  # may have grown over an artist drawn after it
                self.extents[artist] = self._extent(artist)
            if not self.watch or self._plan(layers) == self.redraw:
                fig.canvas.restore_region(self.background)
                for artist in self.redraw:
                    fig.draw_artist(artist)
                self._drawn()
                self.wasted, self.last = 0, "blit"
                return np.asarray(fig.canvas.buffer_rgba())[..., :3]
        if self.background is not None:  # kept, but the very next step could not use it
            self.wasted += 1
            self.plain = 2 ** min(self.wasted, 4) - 1
        self.background = None
        if self.plain:  # the figure changes shape step after step (a new legend, a new size): draw it all
            self.plain -= 1
            self.changing |= changed
            fig.canvas.draw()
            self._drawn()
            self.last = "full"
        else:
            self._keep_background(layers, changed)
            self.last = "background"
        return np.asarray(fig.canvas.buffer_rgba())[..., :3]

    def _keep_background(self, layers: list[list[Artist]], changed: set[Artist]) -> None:
        fig = self.fig
        present = {a for layer in layers for a in layer}
        self.changing = (self.changing & present) | changed
        self.extents = {a: self._extent(a) for a in present}
        self.redraw = self._plan(layers)
        # Only a changing artist with an unplanned one drawn after it can spoil the plan (by growing over it).
        planned = set(self.redraw)
        self.watch, unplanned_after = set(), False
        for artist in reversed([a for layer in layers for a in layer]):
            if artist in self.changing and unplanned_after:
                self.watch.add(artist)
            unplanned_after |= artist not in planned
        # Axes titles are emptied rather than hidden: matplotlib places a
        # hidden title as if it were a point, and would move it.
        titles = {t for ax in fig.axes for t in (ax.title, ax._left_title, ax._right_title)}
        kept = [(a.get_text() if a in titles else a.get_visible()) for a in self.redraw]
        for artist in self.redraw:
            artist.set_text("") if artist in titles else artist.set_visible(False)
        fig.canvas.draw()
        self.background = fig.canvas.copy_from_bbox(fig.bbox)
        for artist, value in zip(self.redraw, kept):
            artist.set_text(value) if artist in titles else artist.set_visible(value)
            fig.draw_artist(artist)
        self._drawn()
        self.signature = self._signature()


class Written:
    """The PNGs (in base64) of the last pictures written, by their content: a picture seen again is not written again.

    A learner goes back and forth over the same few values of a slider. Hashing a
    picture's bytes takes a fraction of the time of writing it as PNG, and the
    browser is sent the very same image again.
    """

    def __init__(self, budget: int = 8_000_000):
        self.budget = budget  # at most this many characters of base64 kept
        self.kept: dict[bytes, str] = {}  # by the hash of the picture, oldest first

    def base64_png(
        self, pixels: np.ndarray, palette: np.ndarray | None = None, *, source: np.ndarray | None = None
    ) -> str:
        """``png(pixels, palette)`` in base64, written only if this picture is not among the last ones.

        ``source``: the array the pixels were cut from, if it is quicker to hash (a colour
        layer's RGBA for its RGB: no copy).
        """
        source = np.ascontiguousarray(pixels if source is None else source)
        digest = hashlib.sha256(repr((pixels.shape, source.shape)).encode())
        digest.update(source.data)
        if palette is not None:
            digest.update(b"palette" + np.ascontiguousarray(palette).data)
        key = digest.digest()
        text = self.kept.pop(key, None)
        if text is None:
            text = base64.b64encode(png(pixels, palette)).decode()
        self.kept[key] = text  # now the newest
        size = sum(map(len, self.kept.values()))
        while size > self.budget and len(self.kept) > 1:  # forget the oldest
            size -= len(self.kept.pop(next(iter(self.kept))))
        return text


class Layer:
    """A picture that a slider sends at its own size, for the browser to enlarge (no smoothing).

    A picture in a :func:`helpers.plotting.pixel_panels` or
    :func:`helpers.plotting.closeups` panel fills the panel at a whole number of
    page pixels per pixel. Drawn into the figure at twice the dpi it would cost
    4 to 64 times its own pixels on every step, to draw, to write as PNG, to send
    and to decode; sent as it is, with CSS ``image-rendering: pixelated``, the
    browser shows the same sharp squares for a fraction of that.
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

    def _indexed(self, pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The picture as indices into its colour map's colours, and those colours; None if it is not so.

        As matplotlib colours a number: scaled by the norm to 0..1, then to one of the map's N
        colours. Checked against the picture itself: any doubt (colours beyond the range, masked
        or missing values), and it travels as RGB.
        """
        image, data = self.image, self.image.get_array()
        if data.ndim != 2 or image.cmap.N > 256 or np.ma.is_masked(data):
            return None
        with np.errstate(invalid="ignore"):
            scaled = np.asarray(image.norm(data), dtype=float) * image.cmap.N
            scaled[scaled == image.cmap.N] = image.cmap.N - 1
            if not ((scaled >= 0) & (scaled < image.cmap.N)).all():
                return None
        indices = scaled.astype(np.uint8)
        colours = image.cmap(np.arange(image.cmap.N), bytes=True)[:, :3]
        return (indices, colours) if np.array_equal(colours[indices], pixels) else None

    def html(self) -> str:
        # set_data stores a new array, so the same array, colour map and range is the same picture:
        # a picture that did not change is not written again.
        image = self.image
        key = (id(image.get_array()), image.get_cmap().name, image.norm.vmin, image.norm.vmax)
        if self._sent is None or self._sent[0] != key:
            rgba = self._rgba()
            pixels = rgba[..., :3]
            if (pixels[..., :1] == pixels[..., 1:]).all():  # a grey picture: one channel is a third of the bytes
                self._sent = (key, self.written.base64_png(pixels[..., 0], source=rgba))
            else:  # a colour map has at most 256 colours: one byte a pixel, an index into them
                self._sent = (key, self.written.base64_png(*(self._indexed(pixels) or (pixels,)), source=rgba))
        return (f'<img src="data:image/png;base64,{self._sent[1]}" alt="" '
                f'style="position:absolute;left:{self.left}px;top:{self.top}px;width:{self.width}px;'
                f'height:{self.height}px;max-width:none;image-rendering:pixelated">')


def layers(fig: Figure, scale: int) -> list[Layer]:
    """The pictures of ``fig`` (drawn at ``scale`` times its page size) that can travel as layers.

    Each is the only thing drawn in a pixel panel, opaque, and fills it at a
    whole number of page pixels per pixel.
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
        if (whole and round(width) % cols == 0 and round(height) % rows == 0
                and round(width) // cols == round(height) // rows
                and tuple(extent) == (-0.5, cols - 0.5, rows - 0.5, -0.5)
                and tuple(ax.get_xlim()) == (-0.5, cols - 0.5) and tuple(ax.get_ylim()) == (rows - 0.5, -0.5)):
            found.append(Layer(image, (round(left), round(top), round(width), round(height))))
    return found


class Live:
    """One slider's figure: what each step draws and sends (see :func:`live`)."""

    def __init__(self, fig: Figure, update: Callable[..., object], controls: dict[str, widgets.ValueWidget]):
        self.fig, self.update, self.controls = fig, update, controls
        self.layers = layers(fig, SCALE)
        for layer in self.layers:  # from now on sent beside the figure, not drawn into it
            layer.image.set_visible(False)
        self.redrawer = Redrawer(fig)
        self.written = Written()

    def values(self) -> dict[str, object]:
        return {name: control.value for name, control in self.controls.items()}

    def rehearse(self) -> None:
        """Step to neighbouring values and back, showing nothing: the learner's first step is then as quick as the rest.

        The redrawer learns what moves and keeps its background now, while the cell runs.
        """
        start = self.values()
        for values in ({name: _neighbour(control) for name, control in self.controls.items()}, start):
            self.update(**values)
            self.redrawer.draw()

    def step(self) -> dict[str, str]:
        """Update the figure to the controls' values; return what the page shows, as HTML.

        The figure without its layers (mostly blank where the pictures go: quick
        to write), with each layer on top at its own size.
        """
        self.update(**self.values())
        self.redrawer.draw()
        # Sent as matplotlib holds it, RGBA: copying out the RGB alone (3 bytes of every 4)
        # takes numpy longer than deflating the whole figure.
        rgba = np.asarray(self.fig.canvas.buffer_rgba())
        height, width = (n // SCALE for n in rgba.shape[:2])
        figure = (f'<img src="data:image/png;base64,{self.written.base64_png(rgba)}" alt="figure" '
                  f'style="width:{width}px;height:{height}px;max-width:none">')
        html = (f'<div style="position:relative;width:{width}px;height:{height}px;line-height:0">'
                + figure + "".join(layer.html() for layer in self.layers) + "</div>")
        return {"text/html": html, "text/plain": f"<figure {width} x {height}>"}

    def composed(self) -> np.ndarray:
        """The figure's RGB pixels as the page shows them after a step: the layers enlarged on top (for tests)."""
        pixels = self.redrawer.draw().copy()
        for layer in self.layers:
            picture = layer.pixels()
            factor = SCALE * layer.width // picture.shape[1]
            top, left = SCALE * layer.top, SCALE * layer.left
            pixels[top : top + SCALE * layer.height, left : left + SCALE * layer.width] = \
                picture.repeat(factor, axis=0).repeat(factor, axis=1)
        return pixels


#: Every slider set up with :func:`live` in this session: ``benchmarks/bench_sliders.py`` and
#: ``tests/test_sliders.py`` step through them.
LIVE: list[Live] = []


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


def png(pixels: np.ndarray, palette: np.ndarray | None = None) -> bytes:
    """Write an RGB picture (H x W x 3), an RGBA one (H x W x 4) or a grey one (H x W) as a PNG file, quickly.

    With a ``palette`` (K x 3 colours), ``pixels`` (H x W) are indices into it: a picture in at
    most 256 colours (a colour map's) in one byte a pixel.

    A PNG stores each row as its difference to the row above (PNG's "Up"
    filter: the prediction of chapter 03, one row at a time), then deflates
    the differences. Here deflate looks only for runs of equal bytes (zlib's
    ``Z_RLE``), which is what flat areas become after the filter. Pillow
    tries five filters on every row and searches harder for matches: this
    writes a slider's figure about 3 times quicker than Pillow does, at about
    twice its bytes (still small: mostly white), and a photograph about 8 times
    quicker at a few percent more bytes (``benchmarks/bench_png.py``).

    Examples
    --------
    >>> data = png(np.zeros((2, 3), dtype=np.uint8))
    >>> data[:8] == b"\\x89PNG\\r\\n\\x1a\\n", int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    (True, 3, 2)
    """
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8 or not (pixels.ndim == 2 or (pixels.ndim == 3 and pixels.shape[2] in (3, 4))):
        raise ValueError(f"pixels must be an H x W x 3, H x W x 4 or H x W uint8 array, "
                         f"got {pixels.dtype} {pixels.shape}")
    if palette is not None:
        palette = np.asarray(palette)
        if (palette.dtype != np.uint8 or palette.ndim != 2 or palette.shape[1] != 3
                or not 1 <= len(palette) <= 256 or pixels.ndim != 2):
            raise ValueError(f"palette must be a K x 3 uint8 array, 1 <= K <= 256, with H x W pixels (its "
                             f"indices), got {palette.dtype} {palette.shape} with pixels {pixels.shape}")
        if pixels.size and pixels.max() >= len(palette):
            raise ValueError(f"pixels must index the palette's {len(palette)} colours, got index {pixels.max()}")
    height, width = pixels.shape[:2]
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    rows = pixels.reshape(height, width * channels)
    filtered = np.empty((height, width * channels + 1), dtype=np.uint8)
    filtered[:, 0] = 2  # filter type "Up" on every row
    filtered[:, 1:] = rows
    filtered[1:, 1:] -= rows[:-1]  # uint8 arithmetic wraps around, as PNG's filters do
    deflate = zlib.compressobj(1, zlib.DEFLATED, 15, 8, zlib.Z_RLE)
    compressed = deflate.compress(filtered) + deflate.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    colour_type = 3 if palette is not None else {1: 0, 3: 2, 4: 6}[channels]  # indexed, grey, RGB or RGBA
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)  # 8 bits, deflate, no interlace
    colours = b"" if palette is None else chunk(b"PLTE", palette.tobytes())
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + colours
            + chunk(b"IDAT", compressed) + chunk(b"IEND", b""))


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
        Takes one keyword argument per control (its current value) and
        changes the figure's artists in place; its return value is ignored.
    **controls : ipywidgets.ValueWidget
        The sliders and selectors, by the name ``update`` expects.

    The figure is drawn at :data:`SCALE` times its dpi and shown at its own
    size, so that it is sharp on a high-density screen: a picture in a
    :func:`helpers.plotting.pixel_panels` panel still takes one page pixel
    per pixel, each one a square of 2 x 2 screen dots there.

    The first picture is a plain PNG output, for readers without Python. Each
    step after it sends the figure without its pictures (drawn again only
    where it changed, :class:`Redrawer`) and each picture of a pixel panel at
    its own size on top (:class:`Layer`): HTML that the browser puts together.

    The figure is laid out once, on its first drawing, then keeps that layout,
    so the pictures do not jump as titles change length. Nothing is returned,
    so a cell that ends with ``live(...)`` prints no handle.
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
    update(**{name: control.value for name, control in controls.items()})
    display(widgets.HBox(list(controls.values())))
    handle = display(snapshot(fig, SCALE), display_id=True)  # what a reader without Python sees
    fig.set_layout_engine("none")  # keep the layout of the first drawing
    slider = Live(fig, update, dict(controls))
    slider.rehearse()

    def redraw(change: dict) -> None:
        handle.update(slider.step(), raw=True)

    for control in controls.values():
        control.observe(redraw, names="value")
    LIVE.append(slider)
