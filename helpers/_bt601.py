"""The ITU-R BT.601 luma weights, in one place for the whole package.

Brightness ``Y = 0.299 R + 0.587 G + 0.114 B``: the weights JPEG (JFIF)
uses for its Y channel, :func:`helpers.images.to_grey` for grey pictures and
:mod:`helpers.plotting` to choose black or white text on a coloured cell.
"""

LUMA = (0.299, 0.587, 0.114)
