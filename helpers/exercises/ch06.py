"""Checks for the exercises of chapter 06 · The DCT as a convolution."""

from __future__ import annotations

import numpy as np

from . import call, compare, exercise  # noqa: F401
