"""The course as a static website whose sliders work without Python: `make site` -> build/site/.

Each chapter's committed notebook (text, code, outputs) becomes one HTML page,
with nbconvert's JupyterLab look (`tools/website/page.html.j2`). Three things
are done to it first:

- **Sliders.** The chapter runs once in a fresh kernel; every slider
  (`helpers.sliders.live`) is then moved through its values and each setting
  drawn, as a learner's step draws it: the figure's background, the squares
  that changed over it and its layers (`Live.page`). The page carries those
  pictures, each one once however many settings show it, and
  `tools/website/sliders.js` swaps them when an `<input type="range">` moves.
  A slider with more settings than `MAX_FRAMES`, or whose pictures would make
  the page bigger than `PAGE_BYTES`, keeps evenly spread values (its own value
  among them), and the page says so.
- **Mathematics** (`$...$`, `$$...$$` in the text) is drawn by matplotlib's
  mathtext as SVG pictures: no MathJax, so nothing to fetch.
- **Links** to other chapters (`02-quantization.ipynb`) point at their pages.

Every picture is inside the page (data: addresses) and the one script sits
beside it, so the site works from a folder on a USB stick, opened as a file:
nothing is requested from any other address. With a public repository
(`--repository github.com/owner/name`, `make site SITE_REPOSITORY=...`) each
page links to it on Binder and Colab.

    python tools/website.py                 # every chapter, into build/site/
    python tools/website.py 00 05 --out DIR # some chapters
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html_mistune
from nbformat import NotebookNode

import kernel
from chapters import NOTEBOOKS, chapter_parser, chapters

ROOT = NOTEBOOKS.parent
FILES = Path(__file__).resolve().parent / "website"
MAX_FRAMES = 64  # settings drawn per slider, at most: all of them when there are no more
PAGE_BYTES = 9_500_000  # a page's size at most, about: its sliders share what the notebook leaves

# Run in the chapter's kernel after its last cell: every slider's settings, drawn.
PROBE = """
import itertools as _it, json as _json, math as _math
from helpers import sliders as _w

def _label(control, value):
    for option in getattr(control, "options", None) or ():
        label, option_value = option if isinstance(option, tuple) else (str(option), option)
        if option_value == value:
            return label
    return f"{value:g}" if isinstance(value, float) else str(value)

def _subsets(controls, limit):
    every = [_w.values_across(c, 10**6) for c in controls]
    counts = [len(v) for v in every]
    while _math.prod(counts) > limit and max(counts) > 2:
        widest = max(range(len(counts)), key=counts.__getitem__)
        counts[widest] -= 1
    chosen = []
    for control, values, count in zip(controls, every, counts):
        spread = {round(k * (len(values) - 1) / max(count - 1, 1)) for k in range(count)}  # ends included
        spread.add(values.index(control.value))  # the chapter's own setting is always one of them
        chosen.append([values[k] for k in sorted(spread)])
    return every, chosen

def _drawn(live, limit):
    live.small = True  # written once, kept in the page: as small as deflate makes them
    names, controls, defaults = list(live.controls), list(live.controls.values()), live.values()
    every, chosen = _subsets(controls, limit)
    images, frames = {}, {}
    for combo in _it.product(*[range(len(v)) for v in chosen]):
        pictures = live.page(**{n: v[i] for n, v, i in zip(names, chosen, combo)})
        frames[",".join(map(str, combo))] = [[images.setdefault(p[0], len(images)), *p[1:5], p[5] == "pixelated"]
                                             for p in pictures]
    live.page(**defaults)  # the figure back at the chapter's setting
    height, width = (n // _w.SCALE for n in live.blitter.background_pixels.shape[:2])
    return {
        "update": live.update.__name__, "width": width, "height": height,
        "controls": [{"name": n, "description": c.description or n, "labels": [_label(c, v) for v in values],
                      "all": len(all_values), "start": values.index(defaults[n])}
                     for n, c, values, all_values in zip(names, controls, chosen, every)],
        "images": list(images), "frames": frames}

_lives = _w.in_memory()
_limits = [MAX_FRAMES] * len(_lives)
_sliders = [_drawn(_live, _limit) for _live, _limit in zip(_lives, _limits)]
_size = lambda slider: sum(map(len, slider["images"]))
# The page holds them all: while they are too big, the biggest slider keeps fewer settings.
while sum(map(_size, _sliders)) > PAGE_BYTES - TEXT_BYTES:
    _k = max(range(len(_sliders)), key=lambda k: _size(_sliders[k]) if _limits[k] > 2 else -1)
    if _limits[_k] == 2:
        break
    _over = sum(map(_size, _sliders)) - (PAGE_BYTES - TEXT_BYTES)
    _share = max(0.0, 1 - _over / _size(_sliders[_k]))  # as if its settings cost the same each
    _limits[_k] = max(2, min(_limits[_k] - 1, int(len(_sliders[_k]["frames"]) * _share)))
    _sliders[_k] = _drawn(_lives[_k], _limits[_k])
with open(OUT, "w") as _file:
    _json.dump(_sliders, _file)
print(_json.dumps(len(_sliders)))
"""

CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)  # code in Markdown: its dollars are not mathematics
MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)
CHAPTER_LINK = re.compile(r"\]\((\d\d-[\w.-]+?)\.ipynb(#[^)\s]*)?\)")


def sliders_of(path: Path) -> list[dict]:
    """Every slider of chapter ``path``, each setting drawn (run in a fresh kernel)."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "sliders.json"
        settings = f"MAX_FRAMES, PAGE_BYTES, TEXT_BYTES = {MAX_FRAMES}, {PAGE_BYTES}, {path.stat().st_size}\n"
        count = kernel.probe(path, settings + f"OUT = {str(out)!r}\n" + PROBE)
        sliders = json.loads(out.read_text())
    assert count == len(sliders)
    return sliders


def math_picture(tex: str, display: bool) -> str:
    """TeX drawn by matplotlib's mathtext as an SVG <img>, set on the text's baseline; its source as the alt text."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=13 if display else 11)
    # \text{...} came to mathtext in matplotlib 3.8; \mathrm{...} with its spaces kept draws the same everywhere
    upright = re.sub(r"\\text\{([^{}]*)\}", lambda m: r"\mathrm{" + m.group(1).replace(" ", r"\ ") + "}", tex.strip())
    expression = f"${upright}$"
    svg = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "course", "svg.fonttype": "path"}):
        mathtext.math_to_image(expression, svg, prop=prop, format="svg")
    depth = mathtext.MathTextParser("path").parse(expression, prop=prop).depth  # points below the baseline
    data = base64.b64encode(re.sub(rb"<metadata>.*?</metadata>", b"", svg.getvalue(), flags=re.S)).decode()
    style = "display:block;margin:0.6em auto" if display else f"vertical-align:{-depth:.2f}pt"
    return (f'<img class="math" src="data:image/svg+xml;base64,{data}" alt="{html.escape(tex.strip())}" '
            f'style="{style}">')


def markdown_for_the_site(source: str) -> str:
    """A Markdown cell as the site shows it: its mathematics drawn, its links to chapters pointing at their pages."""
    parts = CODE.split(source)
    for k in range(0, len(parts), 2):  # the text between pieces of code
        parts[k] = MATH.sub(lambda m: math_picture(m.group(1) or m.group(2), display=m.group(1) is not None),
                            parts[k])
        parts[k] = CHAPTER_LINK.sub(lambda m: f"]({m.group(1)}.html{m.group(2) or ''})", parts[k])
    return "".join(parts)


def slider_html(number: int, slider: dict) -> str:
    """A slider that works without a kernel: its controls, its figure at the chapter's setting, its pictures."""
    controls, notes = [], []
    for control in slider["controls"]:
        labels, start = control["labels"], control["start"]
        controls.append(
            f'<label class="course-control"><span>{html.escape(control["description"])}</span>'
            f'<input type="range" min="0" max="{len(labels) - 1}" step="1" value="{start}" '
            f'aria-valuetext="{html.escape(labels[start])}"><output>{html.escape(labels[start])}</output></label>')
        if len(labels) < control["all"]:
            notes.append(f'{len(labels)} of the {control["all"]} values of "{html.escape(control["description"])}"')
    start = ",".join(str(control["start"]) for control in slider["controls"])
    pictures = "".join(picture_html(slider["images"], *piece) for piece in slider["frames"][start])
    note = ("<p class=\"course-note\">Without Python: this page holds " + " and ".join(notes)
            + ", drawn when the site was built. In JupyterLab the slider takes every value.</p>") if notes else ""
    data = json.dumps({key: slider[key] for key in ("controls", "images", "frames")}).replace("</", "<\\/")
    return (f'<div class="course-slider" id="slider-{number}">'
            f'<div class="course-controls">{"".join(controls)}</div>{note}'
            f'<div class="course-figure" style="position:relative;width:{slider["width"]}px;'
            f'height:{slider["height"]}px;line-height:0">{pictures}</div>'
            f'<script type="application/json" class="course-frames">{data}</script></div>')


def picture_html(images: list[str], image: int, left: int, top: int, width: int, height: int, pixelated: bool) -> str:
    rendering = "pixelated" if pixelated else "auto"
    return (f'<img src="data:image/png;base64,{images[image]}" alt="" style="position:absolute;left:{left}px;'
            f'top:{top}px;width:{width}px;height:{height}px;max-width:none;image-rendering:{rendering}">')


def page_notebook(path: Path, sliders: list[dict]) -> NotebookNode:
    """The chapter's committed notebook, made ready for its page: sliders that work, mathematics drawn, links."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("widgets", None)  # no widget state: nothing to fetch a widget manager for
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = markdown_for_the_site(cell.source)
    for number, slider in enumerate(sliders):
        cells = [c for c in notebook.cells if c.cell_type == "code" and f"def {slider['update']}(" in c.source
                 and "live(" in c.source]
        if len(cells) != 1:
            raise ValueError(f"{path.name}: {len(cells)} cells define {slider['update']} and call live(); expected 1")
        outputs = cells[0].outputs
        widget = next(k for k, output in enumerate(outputs)
                      if "application/vnd.jupyter.widget-view+json" in output.get("data", {}))
        # the controls (a widget) and the picture under them become one slider that works in the page
        replaced = nbformat.v4.new_output("display_data", data={"text/html": slider_html(number, slider)})
        outputs[widget : widget + 2] = [replaced]
    return notebook


def chapter_title(notebook: NotebookNode, path: Path) -> str:
    for cell in notebook.cells:
        heading = re.search(r"^#\s+(.+)$", cell.source, re.M) if cell.cell_type == "markdown" else None
        if heading:
            return heading.group(1).strip()
    return path.stem


def links(repository: str | None, path: Path) -> list[tuple[str, str]]:
    """"Open in Binder" and "open in Colab" for chapter ``path``, if the repository has a public address."""
    if not repository:
        return []
    match = re.fullmatch(r"(?:https?://)?github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", repository)
    if not match:
        raise ValueError(f"repository must be a GitHub address such as github.com/owner/name, got {repository!r}")
    owner, name = match.groups()
    notebook = f"notebooks/{path.name}"
    return [("open in Binder", f"https://mybinder.org/v2/gh/{owner}/{name}/HEAD?labpath={notebook}"),
            ("open in Colab", f"https://colab.research.google.com/github/{owner}/{name}/blob/main/{notebook}")]


def navigation(pages: list[tuple[str, str]], k: int, extra: list[tuple[str, str]]) -> str:
    """Links to the index and the chapters before and after page ``k`` of ``pages`` (file, title)."""
    items = ['<a href="index.html">all chapters</a>']
    if k > 0:
        items.append(f'<a href="{pages[k - 1][0]}" rel="prev">&larr; {html.escape(pages[k - 1][1])}</a>')
    if k + 1 < len(pages):
        items.append(f'<a href="{pages[k + 1][0]}" rel="next">{html.escape(pages[k + 1][1])} &rarr;</a>')
    items += [f'<a href="{html.escape(url)}">{html.escape(label)}</a>' for label, url in extra]
    return '<nav class="course-nav">' + " · ".join(items) + "</nav>"


def exporter() -> HTMLExporter:
    exporter = HTMLExporter(template_name="lab", extra_template_paths=[str(FILES)])
    exporter.template_file = "page.html.j2"
    exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
    return exporter


def readme_chapters() -> dict[str, str]:
    """What each chapter teaches, from the README's table of chapters: by its two digits."""
    table = (ROOT / "README.md").read_text()
    rows = re.finditer(r"^\| (\d\d) \| \[[^]]+\]\([^)]+\) \| (.+) \|$", table, re.M)
    return {row.group(1): row.group(2).strip() for row in rows}


def standalone(title: str, body: str) -> str:
    """A page of the site that is not a chapter (the index, the photographs' credits), in the same look."""
    css = (FILES / "site.css").read_text()
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>{html.escape(title)}</title>'
            f"<style>{css}</style></head><body class=\"course-page\"><main>{body}</main></body></html>\n")


def build(paths: list[Path], out: Path, repository: str | None = None) -> dict:
    """Write the site for chapters ``paths`` into ``out``; return what was built (pages, sliders, bytes, seconds)."""
    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy(FILES / "sliders.js", out / "sliders.js")
    notebooks = [nbformat.read(path, as_version=4) for path in paths]
    pages = [(path.with_suffix(".html").name, chapter_title(nb, path)) for path, nb in zip(paths, notebooks)]
    taught = readme_chapters()
    report = {"pages": [], "sliders": 0, "controls": 0, "frames": 0}
    html_exporter = exporter()
    for k, path in enumerate(paths):
        sliders = sliders_of(path)
        notebook = page_notebook(path, sliders)
        nav = navigation(pages, k, links(repository, path))
        body, _ = html_exporter.from_notebook_node(
            notebook, resources={"course": {"nav": nav, "css": (FILES / "site.css").read_text()},
                                 "metadata": {"name": pages[k][1]}})
        (out / pages[k][0]).write_text(body)
        report["sliders"] += len(sliders)
        report["controls"] += sum(len(s["controls"]) for s in sliders)
        report["frames"] += sum(len(s["frames"]) for s in sliders)
        report["pages"].append({"page": pages[k][0], "sliders": len(sliders), "bytes": len(body.encode())})
    def inline(text: str) -> str:  # the README's Markdown: only `code` in these cells
        return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))

    rows = "".join(f'<li><a href="{file}">{html.escape(title)}</a>'
                   + (f"<br><span>{inline(taught[file[:2]])}</span>" if file[:2] in taught else "") + "</li>"
                   for file, title in pages)
    credits = markdown2html_mistune((ROOT / "pictures" / "README.md").read_text())
    (out / "photographs.html").write_text(standalone("The photographs", '<p><a href="index.html">all chapters</a></p>'
                                                     + credits))
    (out / "index.html").write_text(standalone("Image compression in Python", (
        "<h1>Image compression in Python</h1>"
        "<p>Numbered chapters that teach how image compression works, from counting the bits in a photograph "
        "to writing a real <code>.jpg</code> file by hand. Every slider on these pages works without Python: "
        "its pictures were drawn when the site was built. To change the code and run it, install the course "
        "(two commands, in its README) and open the same chapters in JupyterLab.</p>"
        f'<ol class="course-chapters" start="0">{rows}</ol>'
        '<p><a href="photographs.html">The photographs and where they come from</a></p>')))
    report["bytes"] = sum(f.stat().st_size for f in out.iterdir())
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def main() -> None:
    parser = chapter_parser(__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site", help="the folder to write (emptied first)")
    parser.add_argument("--repository", default="",
                        help="the public repository, github.com/owner/name: Binder and Colab links")
    args = parser.parse_args()
    report = build(chapters(*args.prefix), args.out, args.repository or None)
    for page in report["pages"]:
        print(f"{page['page']:48s} {page['sliders']:2d} sliders {page['bytes'] / 1e6:6.1f} MB")
    print(f"{len(report['pages'])} chapters, {report['sliders']} sliders ({report['frames']} settings drawn), "
          f"{report['bytes'] / 1e6:.1f} MB in {args.out}, built in {report['seconds']} s")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
