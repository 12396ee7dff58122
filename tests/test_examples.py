"""Every public function of helpers that a chapter calls shows how to call it: an Examples section, run as a doctest."""

import doctest
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("dct", "quantize", "metrics", "images", "rd", "huffman", "jpeg", "plotting", "sliders", "exercises")


def _called():
    """``module.name`` for every ``module.name(`` in the chapters and in helpers/exercises."""
    sources = [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("helpers/exercises/*.py")]
    pattern = re.compile(rf"\b({'|'.join(MODULES)})\.([A-Za-z]\w*)\(")
    return sorted({f"{m}.{name}" for path in sources for m, name in pattern.findall(path.read_text())})


CALLED = _called()


def test_the_chapters_are_read():
    assert len(CALLED) > 50 and "jpeg.encode" in CALLED and "dct.dct2" in CALLED


@pytest.mark.parametrize("called", CALLED)
def test_has_an_example_that_runs_as_a_doctest(called):
    module, name = called.split(".")
    function = getattr(importlib.import_module(f"helpers.{module}"), name)
    tests = doctest.DocTestFinder(recurse=False).find(function, called)
    assert "\n    Examples\n    --------\n" in (function.__doc__ or ""), f"{called} has no Examples section"
    assert tests and tests[0].examples, f"{called}'s Examples hold no >>> lines"
