"""Helpers for the notebooks of *Image compression in Python*.

Import the package and call :func:`setup` once at the top of a chapter::

    import helpers
    rng = helpers.setup()

Importing has no side effects; ``setup`` applies the course's matplotlib
style and returns a seeded random generator.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from . import dct, huffman, images, jpeg, metrics, plotting, quantize, rd, widgets

__all__ = ["setup", "dct", "huffman", "images", "jpeg", "metrics", "plotting", "quantize", "rd", "widgets"]

STYLE = resources.files(__name__) / "course.mplstyle"


def setup(seed: int = 0) -> np.random.Generator:
    """Apply the course style to matplotlib and seed the random numbers.

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
    np.random.seed(seed)
    return np.random.default_rng(seed)
