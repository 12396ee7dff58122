"""The course's chapters: the one list that tests, benchmarks and tools use.

A chapter is a notebook in `notebooks/` whose name starts with two digits and a
dash (`00-setup-check.ipynb`); `chapters()` gives them in reading order.
"""

from __future__ import annotations

from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def chapters(*prefixes: str) -> list[Path]:
    """The numbered notebooks, sorted; only those whose name starts with one of `prefixes` if any are given."""
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    return [path for path in paths if path.name.startswith(prefixes)] if prefixes else paths
