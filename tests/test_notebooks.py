"""Each committed chapter is one clean, top-to-bottom run that reads well without a kernel.

nbval (run by the same `make test`) re-executes the notebooks and compares
their text outputs; these tests check what nbval does not: how the committed
files look to a reader on GitHub.
"""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
CHAPTERS = sorted(NOTEBOOKS.glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


def load(path):
    return nbformat.read(path, as_version=4)


def test_chapters_are_numbered_without_gaps():
    names = [path.name for path in CHAPTERS]
    assert names, "no notebooks found"
    for number, name in enumerate(names):
        assert re.fullmatch(rf"{number:02d}-[a-z0-9]+(-[a-z0-9]+)*\.ipynb", name), name


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_committed_as_one_clean_run(path):
    notebook = load(path)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.source.strip() for cell in code), "empty code cell"
    counts = [cell.execution_count for cell in code]
    assert counts == list(range(1, len(code) + 1)), f"execution counts {counts}: re-run top to bottom"
    for cell in code:
        for output in cell.outputs:
            assert output.output_type != "error", f"stored error in cell:\n{cell.source}"
            assert not (output.output_type == "stream" and output.name == "stderr"), (
                f"warning or error text in cell:\n{cell.source}\n{output.text}"
            )
    assert notebook.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_slider_leaves_a_plain_figure(path):
    for cell in load(path).cells:
        if cell.cell_type != "code":
            continue
        kinds = [set(output.get("data", {})) for output in cell.outputs]
        if any(WIDGET in kind for kind in kinds):
            assert any("image/png" in kind for kind in kinds), f"slider without a figure:\n{cell.source}"
        for output in cell.outputs:
            text = output.get("data", {}).get("text/plain", "")
            assert "interactive(children" not in text, f"interact() output:\n{cell.source}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_same_opening_and_ending(path):
    cells = load(path).cells
    number = int(path.name[:2])
    opening, ending = cells[0], cells[-1]
    assert opening.cell_type == "markdown" and opening.source.startswith(f"# {number:02d} · ")
    assert "**You will learn**" in opening.source and "*Time:" in opening.source
    if number > 0:
        assert f"({CHAPTERS[number - 1].name})" in opening.source, "the opening links to the previous chapter"
    if number < len(CHAPTERS) - 1:
        assert ending.cell_type == "markdown" and ending.source.startswith("**Next:**")
        assert f"({CHAPTERS[number + 1].name})" in ending.source, "the ending links to the next chapter"
    text = "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    for section in ("## Summary", "**Key terms:**", "**Try it**", "<details>"):
        assert section in text, f"missing {section}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_links_to_other_chapters_resolve(path):
    for cell in load(path).cells:
        if cell.cell_type == "markdown":
            for target in re.findall(r"\]\(([^)#]+\.ipynb)", cell.source):
                assert (NOTEBOOKS / target).is_file(), f"broken link to {target}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_cells_carry_slide_metadata(path):
    cells = load(path).cells
    types = [cell.metadata.get("slideshow", {}).get("slide_type") for cell in cells]
    assert types[0] == "slide"
    assert set(types) <= {"slide", "subslide", "fragment", "-", "skip", "notes"}, set(types)
    for cell, kind in zip(cells, types):
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            assert kind == "slide", cell.source[:60]


def test_a_chapter_converts_to_slides(tmp_path):
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "slides", "--output-dir", str(tmp_path),
                    str(NOTEBOOKS / "02-quantization.ipynb")], check=True, capture_output=True)
    html = (tmp_path / "02-quantization.slides.html").read_text()
    sections = html.count("<section")
    assert sections > 10, sections
    assert "assert 1 - len(packed_5) / raw == 0.375" not in html  # checks are skipped on slides
