"""Checks for the exercises of chapter 09 · Beating libjpeg at its own format."""

from __future__ import annotations

import numpy as np

from . import call, compare, exercise  # noqa: F401
