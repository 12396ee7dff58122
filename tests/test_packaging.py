"""A plain ``pip install .`` takes every part of helpers: each package under helpers/ is listed in pyproject.toml."""

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_of_helpers_is_installed():
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "helpers").rglob("__init__.py")}
    listed = set(settings["packages"])
    assert found <= listed, f"not in pyproject.toml, so pip install . would leave out: {found - listed}"
    assert listed - found == {"helpers.pictures"}  # the photographs, copied in from pictures/
    assert settings["package-dir"]["helpers.pictures"] == "pictures"
