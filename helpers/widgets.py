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
from IPython.display import Image, display
from matplotlib.figure import Figure

__all__ = ["live", "render"]


def render(fig: Figure) -> Image:
    """Render a figure to a PNG image once, then close it (no second copy shows)."""
    if not isinstance(fig, Figure):
        raise TypeError(f"the draw function must return a matplotlib Figure, got {type(fig).__name__}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
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
