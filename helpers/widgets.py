"""Sliders whose default picture is also a plain output.

``interact`` puts its figure inside an Output widget, so a reader without a
kernel (GitHub, nbviewer) sees only ``interactive(children=...)``. ``live``
displays the controls, then the default figure as an ordinary PNG output
with a display id, and redraws that same output when a control moves: one
picture in a live session, and a picture on GitHub too.
"""

from __future__ import annotations

import io
from collections.abc import Callable
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
from IPython.display import Image, display
from matplotlib.figure import Figure

__all__ = ["live", "render", "LIVE"]

#: Every slider set up with :func:`live` in this session, as ``(draw, controls)``:
#: ``benchmarks/bench_sliders.py`` steps through them to time each redraw.
LIVE: list[tuple[Callable[..., Figure], dict[str, widgets.ValueWidget]]] = []


def render(fig: Figure) -> Image:
    """Render a figure to a PNG image once, then close it (no second copy shows).

    Speed matters here: a slider redraws on every step. Drawing the canvas and
    writing its RGB pixels with fast zlib settings takes about half the time of
    ``savefig`` (which writes RGBA with stronger compression); the picture is
    the same, pixel for pixel, and still lossless.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"the draw function must return a matplotlib Figure, got {type(fig).__name__}")
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    plt.close(fig)
    buffer = io.BytesIO()
    PIL.Image.fromarray(pixels).save(buffer, format="PNG", compress_level=1)
    return Image(data=buffer.getvalue(), format="png")


def live(draw: Callable[..., Figure], **controls: widgets.ValueWidget) -> None:
    """Show ``draw(**values)`` and redraw it whenever one of ``controls`` moves.

    Parameters
    ----------
    draw : callable
        Takes one keyword argument per control (its current value) and
        returns a matplotlib Figure.
    **controls : ipywidgets.ValueWidget
        The sliders and selectors, by the name ``draw`` expects.

    Nothing is returned, so a cell that ends with ``live(...)`` prints no
    handle; moving a control replaces the picture in place.
    """
    if not callable(draw):
        raise TypeError(f"draw must be a function returning a Figure, got {type(draw).__name__}")
    if not controls:
        raise ValueError("live needs at least one control, e.g. bits=IntSlider(...)")
    for name, control in controls.items():
        if not isinstance(control, widgets.ValueWidget):
            raise TypeError(f"control {name!r} must be an ipywidgets control, got {type(control).__name__}")

    def values() -> dict[str, object]:
        return {name: control.value for name, control in controls.items()}

    display(widgets.HBox(list(controls.values())))
    handle = display(render(draw(**values())), display_id=True)

    def redraw(change: dict) -> None:
        handle.update(render(draw(**values())))

    for control in controls.values():
        control.observe(redraw, names="value")
    LIVE.append((draw, dict(controls)))
