"""Figures used in every chapter: pictures, patches of numbers, byte counts, code trees.

This package is a thin public face; each file behind it has one job:

=================  =====================================================================================
``_pictures.py``   :func:`show`, :func:`side_by_side`; pixel panels, one page pixel a pixel
                   (:func:`pixel_panels`, :func:`pixel_panel`, :func:`screen_pixels`); :func:`closeups`
``_numbers.py``    :func:`show_values` and :func:`update_values`; :func:`byte_bars` and :func:`update_bars`
``_tree.py``       :func:`huffman_tree`
=================  =====================================================================================
"""

from __future__ import annotations

from ._numbers import byte_bars, show_values, update_bars, update_values
from ._pictures import (
    _PixelPanel,  # noqa: F401  (helpers.sliders sends such a panel's picture at its own size)
    _ratio,  # noqa: F401  (the tests check its rounding)
    closeups,
    pixel_panel,
    pixel_panels,
    screen_pixels,
    show,
    side_by_side,
)
from ._tree import huffman_tree

__all__ = ["show", "pixel_panels", "pixel_panel", "closeups", "screen_pixels", "side_by_side", "show_values",
           "update_values", "byte_bars", "update_bars", "huffman_tree"]
