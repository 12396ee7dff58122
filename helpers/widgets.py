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

    fig, ax = plt.subplots()
    view = plotting.show(picture, ax=ax).images[0]

    def update(bits):
        view.set_data(quantize.quantize(picture, bits))
        ax.set_title(f"{bits} bits")

    live(fig, update, bits=IntSlider(value=4, min=1, max=8, description="bits"))
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Image, display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["live", "snapshot", "render", "png", "LIVE"]

#: Every slider set up with :func:`live` in this session, as ``(fig, update, controls)``:
#: ``benchmarks/bench_sliders.py`` steps through them to time each redraw.
LIVE: list[tuple[Figure, Callable[..., object], dict[str, widgets.ValueWidget]]] = []


def _figure(fig: object, name: str) -> Figure:
    if not isinstance(fig, Figure):
        raise TypeError(f"{name} must be a matplotlib Figure, got {type(fig).__name__}")
    return fig


def snapshot(fig: Figure) -> Image:
    """Draw the figure as it is now and return it as a PNG image; the figure stays open."""
    fig = _figure(fig, "fig")
    if not isinstance(fig.canvas, FigureCanvasAgg):  # a figure pyplot has closed has a bare canvas
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    return Image(data=png(np.asarray(fig.canvas.buffer_rgba())[..., :3]), format="png")


def png(pixels: np.ndarray) -> bytes:
    """Write an RGB picture as a PNG file, quickly: lossless, made for a slider's every step.

    A PNG stores each row as its difference to the row above (PNG's "Up"
    filter: the prediction of chapter 03, one row at a time), then deflates
    the differences. Choosing one filter for every row, with zlib's fastest
    level, writes the figures of this course in about half the time Pillow
    takes (it tries five filters on every row), at about the same size.
    """
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ValueError(f"pixels must be an H x W x 3 uint8 array, got {pixels.dtype} {pixels.shape}")
    height, width, _ = pixels.shape
    rows = pixels.reshape(height, width * 3)
    filtered = np.empty((height, width * 3 + 1), dtype=np.uint8)
    filtered[:, 0] = 2  # filter type "Up" on every row
    filtered[:, 1:] = rows
    filtered[1:, 1:] -= rows[:-1]  # uint8 arithmetic wraps around, as PNG's filters do

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, RGB, deflate, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(filtered.tobytes(), 1)) + chunk(b"IEND", b""))


def render(fig: Figure) -> Image:
    """Render a figure to a PNG image once, then close it (no second copy shows)."""
    image = snapshot(fig)
    plt.close(fig)
    return image


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

    def values() -> dict[str, object]:
        return {name: control.value for name, control in controls.items()}

    # pyplot forgets the figure (the notebook would otherwise show it a second
    # time at the end of the cell); it stays alive here, in the callback.
    plt.close(fig)
    update(**values())
    display(widgets.HBox(list(controls.values())))
    handle = display(snapshot(fig), display_id=True)
    fig.set_layout_engine("none")  # keep the layout of the first drawing

    def redraw(change: dict) -> None:
        update(**values())
        handle.update(snapshot(fig))

    for control in controls.values():
        control.observe(redraw, names="value")
    LIVE.append((fig, update, dict(controls)))
