"""Drawing a slider's figure again after a step: matplotlib's blitting, with the moving artists named.

This is the recipe of matplotlib's tutorial "Faster rendering by using
blitting", the one ``FuncAnimation(..., blit=True)`` follows:

1. mark the artists that move as *animated*: a drawing of the figure leaves
   them out;
2. draw the figure once and keep its pixels, the *background*;
3. on every step, put the background back and draw only the moving artists
   over it, in the order the figure draws them.

The update function of a slider names the artists it moved by returning
them, as ``FuncAnimation`` asks of its function. Two more rules keep the
picture right:

- An artist that an axes draws after a moving one may lie over it (the
  frame and ticks over a picture, lines over a box). So in each axes the
  first named artist and everything drawn after it count as moving. The
  exception is a text wholly outside the axes' frame, such as a title that
  did not change: what the axes draws inside its frame is cut at the frame
  and cannot reach it, and a text costs matplotlib milliseconds to draw.
- If anything else changed (an artist the update did not name, an axes'
  limits, artists added or removed), the background is out of date: the
  figure is drawn anew and a new background kept. Slower, never wrong.

The page is sent the same way. The background is written as a PNG once,
when it is drawn; each step writes only the squares of the figure that now
differ from it (:meth:`Blitter.changed`), and the browser puts them on top.
A step that moves a title and a small picture writes a few percent of the
figure.

``tests/test_chapter_sliders.py`` checks that every step of every slider of
the course is a blit, and that the page it sends, put together, equals a
full drawing.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = ["Blitter"]


def _figure(fig: object, name: str) -> Figure:
    if not isinstance(fig, Figure):
        raise TypeError(f"{name} must be a matplotlib Figure, got {type(fig).__name__}")
    return fig


class Blitter:
    """Draws ``fig`` again after a step: the kept background, then the artists the step moved.

    ``last`` says how the last step was drawn: ``"blit"`` (over the kept
    background) or ``"background"`` (the whole figure anew).
    """

    def __init__(self, fig: Figure):
        self.fig = _figure(fig, "fig")
        if not isinstance(fig.canvas, FigureCanvasAgg):  # a figure pyplot has closed has a bare canvas
            FigureCanvasAgg(fig)
        self.moving: list[Artist] = []  # in the order the figure draws them
        self.background = None
        self.background_pixels = np.zeros((0, 0, 4), dtype=np.uint8)  # its RGBA, as the page gets it
        self.layout: tuple | None = None
        self.last = ""

    def layers(self) -> list[list[Artist]]:
        """The artists the figure draws, in its order: each axes' by zorder, then the figure's own (as Axes.draw)."""
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

    def grounds(self) -> list[Artist]:
        """What the figure and each axes draw under everything else (their patches): never moving."""
        return [self.fig.patch, *(ax.patch for ax in self.fig.axes)]

    def artists(self) -> list[Artist]:
        """Every artist the figure draws, in the order it draws them."""
        return [artist for layer in self.layers() for artist in layer]

    def check(self, moved: Iterable[Artist], artists: list[Artist] | None = None) -> None:
        """Raise ValueError unless every one of ``moved`` is an artist the figure draws itself."""
        strangers = set(moved) - set(self.artists() if artists is None else artists)
        if strangers:
            raise ValueError("update must return artists this figure draws (a picture, a line, a title), "
                             f"got {', '.join(sorted(type(a).__name__ for a in strangers))} that it does not")

    def _layout(self) -> tuple:
        """What the background depends on besides its artists' looks: sizes, places, limits, which artists."""
        parts: list[object] = [tuple(self.fig.bbox.bounds), tuple(map(id, self.fig.get_children()))]
        for ax in self.fig.axes:
            parts.append((tuple(ax.get_position().bounds), tuple(ax.viewLim.bounds), tuple(map(id, ax.get_children()))))
        return tuple(parts)

    def draw(self, moved: Iterable[Artist]) -> np.ndarray:
        """Bring the canvas up to date after a step that moved ``moved``; return the figure's RGB pixels."""
        moved = set(moved)
        artists = self.artists()
        self.check(moved, artists)
        # (an empty text draws nothing: matplotlib marks the empty side titles changed whenever a title is set)
        others_changed = any(a.stale for a in [*self.grounds(), *artists] if a not in moved and a not in self.moving
                             and not (isinstance(a, Text) and not a.get_text()))
        if (self.background is None or others_changed or not moved <= set(self.moving)
                or self._layout() != self.layout):
            self._keep_background(artists, moved | set(self.moving))
            self.last = "background"
        else:
            self.fig.canvas.restore_region(self.background)
            self.last = "blit"
        for artist in self.moving:
            self.fig.draw_artist(artist)
        self._drawn(artists)
        return np.asarray(self.fig.canvas.buffer_rgba())[..., :3]

    def _keep_background(self, artists: list[Artist], moving: set[Artist]) -> None:
        for artist in self.moving:
            artist.set_animated(False)
        self.moving = []
        renderer = self.fig.canvas.get_renderer()
        for ax, layer in zip([*self.fig.axes, None], self.layers()):
            first = next((k for k, artist in enumerate(layer) if artist in moving), len(layer))
            for artist in layer[first:]:  # the first moving artist and all that is drawn over it...
                outside = (ax is not None and artist not in moving and isinstance(artist, Text)
                           and not artist.get_window_extent(renderer).overlaps(ax.bbox))
                if not outside:  # ...but a text the frame's contents cannot reach
                    self.moving.append(artist)
        for artist in self.moving:
            artist.set_animated(True)  # left out of the drawing below
        self.fig.canvas.draw()
        self.background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        self.background_pixels = np.asarray(self.fig.canvas.buffer_rgba()).copy()
        self.layout = self._layout()

    def changed(self, tile: int) -> list[tuple[int, int, int, int]]:
        """Where the canvas now differs from the background: boxes of whole ``tile`` x ``tile`` squares.

        Each box is (top, left, bottom, right) in dots, the bottom and right
        ones cut at the figure's edge; together they cover every dot that
        changed. Side by side squares in a row make one box, and a box grows
        down while the row below changed in the very same columns.
        """
        if isinstance(tile, bool) or not isinstance(tile, int) or tile < 1:
            raise ValueError(f"tile must be a whole number of dots >= 1, got {tile!r}")
        now = np.asarray(self.fig.canvas.buffer_rgba())
        if now.shape != self.background_pixels.shape:
            raise ValueError("the figure changed size since its background was kept: draw it again first")
        height, width = now.shape[:2]
        rows, columns = -(-height // tile), -(-width // tile)  # squares down and across, the last ones cut
        differs = np.zeros((rows * tile, columns * tile), dtype=bool)
        differs[:height, :width] = now.view(np.uint32)[..., 0] != self.background_pixels.view(np.uint32)[..., 0]
        squares = differs.reshape(rows, tile, columns, tile).any(axis=(1, 3))
        boxes, growing = [], {}  # (first column, the one after the last) -> the row its box started at
        for row in range(rows + 1):
            runs = set()
            if row < rows:
                edges = np.flatnonzero(np.diff(np.concatenate(([0], squares[row].view(np.int8), [0]))))
                runs = set(zip(edges[::2].tolist(), edges[1::2].tolist()))
            for run in set(growing) - runs:  # this box stops growing here
                top = growing.pop(run) * tile
                boxes.append((top, run[0] * tile, min(row * tile, height), min(run[1] * tile, width)))
            for run in runs - set(growing):
                growing[run] = row
        return sorted(boxes)

    def full_drawing(self) -> np.ndarray:
        """The figure drawn from scratch, every artist in place (the reference the tests compare with).

        The canvas then holds that drawing; the next step puts the background back as usual.
        """
        for artist in self.moving:
            artist.set_animated(False)
        try:
            self.fig.canvas.draw()
        finally:
            for artist in self.moving:
                artist.set_animated(True)
        self._drawn(self.artists())
        return np.asarray(self.fig.canvas.buffer_rgba())[..., :3]

    def _drawn(self, artists: list[Artist]) -> None:
        """Mark every artist up to date (an empty text is never drawn, so matplotlib leaves it marked changed).

        The grounds too: an axes without its axis does not draw its patch.
        """
        for artist in [*self.grounds(), *artists]:
            artist.stale = False
