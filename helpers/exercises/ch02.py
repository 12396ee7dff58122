"""Checks for the exercises of chapter 02 · Quantization."""

from __future__ import annotations

import numpy as np

from . import call, compare, exercise  # noqa: F401
