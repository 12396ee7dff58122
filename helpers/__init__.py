"""Helpers for the notebooks of *Image compression in Python*.

Import the package and call :func:`setup` once at the top of a chapter::

    import helpers
    rng = helpers.setup()

Importing has no side effects; ``setup`` applies the course's matplotlib
style, has figures drawn sharp on high-density screens, and returns a seeded
random generator.
"""

from __future__ import annotations

import importlib
from importlib import resources

import numpy as np

#: The submodules, imported on first use (``helpers.jpeg``, ``from helpers import jpeg``):
#: ``import helpers.jpeg`` then loads neither matplotlib's pyplot nor the notebook's widgets.
SUBMODULES = ("dct", "exercises", "huffman", "images", "jpeg", "metrics", "plotting", "quantize",
              "rd", "sliders")  # fmt: skip

__all__ = ["setup", *SUBMODULES]

STYLE = resources.files(__name__) / "course.mplstyle"


def __getattr__(name: str) -> object:
    """Import a submodule the first time it is asked for (PEP 562)."""
    if name in SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *SUBMODULES})


def setup(seed: int = 0) -> np.random.Generator:
    """Apply the course style to matplotlib, draw figures for 2x screens, seed the random numbers.

    In a notebook, every figure is then drawn at twice its resolution and
    shown at its own size (IPython's "retina" format): on a high-density
    screen, where one pixel of the page is 2 x 2 dots of the screen, text,
    lines and the pixels of a picture stay sharp instead of being blown up.
    Sliders do the same (:data:`helpers.sliders.SCALE`).

    Parameters
    ----------
    seed : int
        Seed for numpy's legacy global generator and for the returned one.

    Returns
    -------
    numpy.random.Generator
        ``np.random.default_rng(seed)``: use it for every random number in a
        chapter so that each run gives the same pictures.
    """
    import matplotlib.pyplot as plt

    from ._checks import integer

    seed = integer(seed, "seed", low=0)
    plt.style.use(str(STYLE))
    _retina()
    np.random.seed(seed)
    return np.random.default_rng(seed)


def _retina() -> None:
    """Have the notebook's inline figures drawn at twice their dpi and shown at their size."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # plain Python: no notebook to show figures in
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina")
