"""Drawing a figure again after a slider step: only the artists that changed, over a kept background."""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = ["Redrawer"]


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
    drawing the whole figure (``tests/test_chapter_sliders.py`` checks it for every
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
        self.last = ""  # how the last step was drawn: "blit" (over the kept background) or "background" (anew)
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
                self.last = "blit"
                return np.asarray(fig.canvas.buffer_rgba())[..., :3]
        self._keep_background(layers, changed)  # the first step, or something else changed: start again
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
