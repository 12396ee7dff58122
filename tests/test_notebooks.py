"""Each committed chapter is one clean, top-to-bottom run that reads well without a kernel.

nbval (run by the same `make test`) re-executes the notebooks and compares
their text outputs; these tests check what nbval does not: how the committed
files look to a reader on GitHub.
"""

import ast
import re

import nbformat
import pytest

from chapters import NOTEBOOKS, chapters

CHAPTERS = chapters()
WIDGET = "application/vnd.jupyter.widget-view+json"


def load(path):
    return nbformat.read(path, as_version=4)


def test_chapters_are_numbered_without_gaps():
    names = [path.name for path in CHAPTERS]
    assert names, "no notebooks found"
    assert names == sorted(path.name for path in NOTEBOOKS.glob("*.ipynb")), "a notebook without a chapter number"
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
    """Every code cell marked `skip` (the checks) is left off the slides, every other one is on them."""
    import html
    import subprocess
    import sys

    path = NOTEBOOKS / "02-quantization.ipynb"
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "slides", "--output-dir", str(tmp_path),
                    str(path)], check=True, capture_output=True)
    page = (tmp_path / "02-quantization.slides.html").read_text()
    sections = page.count("<section")
    assert sections > 10, sections
    text = html.unescape(re.sub(r"<[^>]+>", "", page))  # the code as a reader sees it, without the highlighting
    code = [cell for cell in load(path).cells if cell.cell_type == "code"]
    skipped = [cell for cell in code if cell.metadata.get("slideshow", {}).get("slide_type") == "skip"]
    assert skipped and len(skipped) < len(code), (len(skipped), len(code))
    for cell in code:
        shown = cell.source.strip() in text
        assert shown == (cell not in skipped), f"shown on the slides: {shown}\n{cell.source}"


def _bound_names(tree: ast.AST) -> set[str]:
    """Names a cell binds at the top level of the notebook (assignments, loops, defs, imports)."""
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        else:
            for child in ast.walk(node):
                if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                    names.add(child.id)
    return names


def _free_names(function: ast.FunctionDef, functions: dict[str, ast.FunctionDef], seen: set[str]) -> set[str]:
    """Global names a function reads, and those of the notebook's functions it calls."""
    local = {arg.arg for arg in function.args.args + function.args.kwonlyargs}
    local |= {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    free = {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - local
    for name in list(free):
        if name in functions and name not in seen:
            seen.add(name)
            free |= _free_names(functions[name], functions, seen)
    return free


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_sliders_still_work_after_run_all(path):
    """A slider's update function must not read a name that a later cell rebinds.

    After "Run All", every slider of the chapter is still live; if a later cell
    reuses `ax` or `crop`, moving an earlier slider would draw into the wrong
    figure.
    """
    cells = [ast.parse(cell.source) for cell in load(path).cells if cell.cell_type == "code"]
    functions: dict[str, ast.FunctionDef] = {}
    for index, tree in enumerate(cells):
        functions.update({node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)})
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "live"):
                continue
            update = functions[call.args[1].id]
            reads = _free_names(update, functions, {update.name})
            for later in cells[index + 1 :]:
                rebound = reads & _bound_names(later)
                assert not rebound, (f"{update.name} reads {sorted(rebound)}, "
                                     f"which a later cell rebinds:\n{ast.unparse(later)}")
