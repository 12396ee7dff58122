"""Checks for the exercises of chapter 05 · The 2-D DCT basis."""

from __future__ import annotations
