"""helpers imports its submodules on first use: the codec loads no plotting or notebook machinery."""

from __future__ import annotations

import subprocess
import sys

import pytest

import helpers


def test_import_helpers_jpeg_loads_no_pyplot_widgets_or_ipython():
    code = (
        "import sys, helpers.jpeg; "
        "print(sorted(m for m in ('matplotlib.pyplot', 'ipywidgets', 'IPython') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_submodules_load_on_first_use():
    from helpers import images, jpeg, plotting

    assert helpers.images is images and helpers.jpeg is jpeg and helpers.plotting is plotting
    assert set(helpers.SUBMODULES) <= set(dir(helpers)) and "setup" in helpers.__all__
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        helpers.nope  # noqa: B018
