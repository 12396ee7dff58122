"""The course's chapters: the one list that tests, benchmarks and tools use.

A chapter is a notebook in `notebooks/` whose name starts with two digits and a
dash (`00-setup-check.ipynb`); `chapters()` gives them in reading order.
"""

from __future__ import annotations

import argparse
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def chapters(*prefixes: str) -> list[Path]:
    """The numbered notebooks, sorted; only those whose name starts with one of `prefixes` if any are given."""
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    return [path for path in paths if path.name.startswith(prefixes)] if prefixes else paths


def chapter_parser(description: str) -> argparse.ArgumentParser:
    """A command line that names chapters by the start of their name (``07``, ``02 03``); all of them if none.

    ``chapters(*parser.parse_args().prefix)`` gives the notebooks it names.
    """
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("prefix", nargs="*", help="only chapters whose name starts with one of these")
    return parser
