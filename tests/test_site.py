"""The course as a website (`make site`): every chapter a page, every slider working without a kernel, offline.

The quick tests check the pieces (mathematics drawn as pictures, links to
chapters, the Binder and Colab links, a slider's HTML). The slow one builds
the whole site into a temporary folder, opens every page from the file in
headless Chromium with every request beyond the folder refused, and checks
that each picture loads, each link resolves, and that every slider of the
course, moved with the keyboard, changes its picture and its value.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

import website
from chapters import chapters
from labdriver import CHROMIUM, CHROMIUM_ARGS


def test_mathematics_becomes_pictures_and_code_keeps_its_dollars():
    source = ("$N_{bits} = 8 \\cdot W$ bits, `price = $3$` in code, and\n\n$$H = \\sum_x p(x)$$\n\n"
              "```\n$x$\n```\nsee [chapter 2](02-quantization.ipynb) and [its end](03-neighbours.ipynb#try-it)")
    out = website.markdown_for_the_site(source)
    pictures = re.findall(r'<img class="math" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)" style="([^"]*)"',
                          out)
    assert [alt for _, alt, _ in pictures] == ["N_{bits} = 8 \\cdot W", "H = \\sum_x p(x)"]
    assert all(base64.b64decode(data).lstrip().startswith(b"<?xml") for data, _, _ in pictures)
    assert pictures[0][2].startswith("vertical-align:-") and pictures[1][2].startswith("display:block")
    assert "`price = $3$`" in out and "```\n$x$\n```" in out  # code is left as it is
    assert "](02-quantization.html)" in out and "](03-neighbours.html#try-it)" in out


def test_every_formula_of_the_course_is_drawn():
    import nbformat

    count = 0
    for path in chapters():
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                out = website.markdown_for_the_site(cell.source)
                count += out.count('<img class="math"')
                assert not website.MATH.search(website.CODE.sub("", re.sub(r"<img [^>]*>", "", out))), path.name
    assert count > 100


def test_binder_and_colab_links_only_for_a_github_address():
    chapter = Path("01-counting-bits.ipynb")
    assert website.links(None, chapter) == [] and website.links("", chapter) == []
    (binder, binder_url), (colab, colab_url) = website.links("https://github.com/someone/course.git", chapter)
    assert binder_url == "https://mybinder.org/v2/gh/someone/course/HEAD?labpath=notebooks/01-counting-bits.ipynb"
    assert colab_url == "https://colab.research.google.com/github/someone/course/blob/main/notebooks/01-counting-bits.ipynb"
    with pytest.raises(ValueError, match=r"repository must be a GitHub address such as github.com/owner/name, "
                                         r"got 'gitlab.com/someone/course'"):
        website.links("gitlab.com/someone/course", chapter)


def test_a_slider_on_the_page_starts_at_the_chapter_setting_and_says_when_it_holds_a_subset():
    slider = {"update": "update", "width": 40, "height": 20, "images": ["AAAA", "BBBB"],
              "controls": [{"name": "q", "description": "quality <1>", "labels": ["10", "50", "90"], "all": 9,
                            "start": 1}],
              "frames": {"0": [[0, 0, 0, 40, 20, False]], "1": [[1, 0, 0, 40, 20, False]],
                         "2": [[0, 0, 0, 40, 20, True]]}}
    out = website.slider_html(3, slider)
    assert 'type="range" min="0" max="2" step="1" value="1" aria-valuetext="50"' in out
    assert "quality &lt;1&gt;" in out and '3 of the 9 values of "quality &lt;1&gt;"' in out
    assert out.count("<img") == 1 and "base64,BBBB" in out.split("<script")[0]  # the setting it starts at
    assert "</script>" not in out.split('class="course-frames">')[1][:-len("</script></div>")]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    return out, website.build(chapters(), out)


@pytest.mark.slow
def test_the_site_has_every_chapter_in_order_and_light_pages(site):
    out, report = site
    pages = [page["page"] for page in report["pages"]]
    assert pages == [path.with_suffix(".html").name for path in chapters()]
    index = (out / "index.html").read_text()
    assert [m for m in re.findall(r'href="([^"]+\.html)"', index) if m[:2].isdigit()] == pages
    assert all(page["bytes"] < 10_000_000 for page in report["pages"]), report["pages"]
    import nbformat

    widgets = sum("application/vnd.jupyter.widget-view+json" in output.get("data", {})
                  for path in chapters() for cell in nbformat.read(path, as_version=4).cells
                  for output in cell.get("outputs", []))
    assert report["sliders"] == widgets  # every slider of the course (each shows one widget, its controls)
    for page in pages:
        text = (out / page).read_text()
        assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', text), page  # nothing fetched


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_every_slider_works_in_the_browser_offline_and_every_picture_and_link_loads(site):
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    out, report = site
    asked = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1300, "height": 900}, device_scale_factor=2)
        context.set_offline(True)

        def refuse(route):
            if not route.request.url.startswith(("file://", "data:")):
                asked.append(route.request.url)
                return route.abort()
            return route.continue_()

        context.route("**/*", refuse)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        moved = 0
        for name in ["index.html", "photographs.html", *(p["page"] for p in report["pages"])]:
            page.goto((out / name).as_uri())
            page.wait_for_load_state("load")
            broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length")
            assert broken == 0, f"{name}: {broken} pictures did not load"
            for href in page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"):
                if href.startswith(("http://", "https://")):
                    continue  # an address elsewhere (none unless the site names its repository)
                target = href.split("#")[0]
                assert not target or (out / target).is_file(), f"{name}: link to {href} leads nowhere"
            sliders = page.locator(".course-slider")
            for k in range(sliders.count()):
                slider = sliders.nth(k)
                for control in slider.get_by_role("slider").all():  # a range input is a slider to a screen reader
                    control.scroll_into_view_if_needed()
                    before = slider.locator(".course-figure").inner_html()
                    value = control.get_attribute("aria-valuetext")
                    at_end = control.evaluate("i => i.value === i.max")
                    control.focus()
                    page.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
                    assert control.get_attribute("aria-valuetext") != value, f"{name} slider {k}: value unchanged"
                    assert slider.locator(".course-figure").inner_html() != before, f"{name} slider {k}: same picture"
                    loaded = slider.locator(".course-figure").evaluate(
                        "f => [...f.querySelectorAll('img')].every(i => i.complete && i.naturalWidth > 0)")
                    assert loaded, f"{name} slider {k}: a picture did not load"
                    moved += 1
        browser.close()
    assert not errors, errors
    assert not asked, f"the site asked for {asked}"
    assert moved == report["controls"]  # every control of every slider
