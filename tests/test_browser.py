"""The course as a learner uses it: JupyterLab in a real browser.

nbval proves that the cells run; this proves that a learner who opens a
chapter in JupyterLab sees it work. For every chapter, headless Chromium
(Debian's, driven by Playwright) opens the notebook, restarts the kernel and
runs all cells, then checks that no cell shows an error, that no widget
failed to display, and that moving the first slider with the keyboard
changes the picture under it. On failure it saves a screenshot.

JupyterLab serves a temporary copy of the notebooks, so the committed files
are never touched. Without Chromium or Playwright the test is skipped with
the reason; `.ci/run` installs both.
"""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest

from chapters import chapters
from helpers import jpeg
from jpegfiles import pillow_open
from labdriver import (
    CHROMIUM,
    CHROMIUM_ARGS,
    close_chapter,
    nodelay_of_connections,
    open_chapter,
    picture_source,
    run_all,
    serve,
)

CHAPTERS = [path.name for path in chapters()]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "browser"

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")]


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory):
    return tmp_path_factory.mktemp("lab")


@pytest.fixture(scope="module")
def lab(lab_root):
    """A JupyterLab server on a free loopback port, serving a copy of the notebooks."""
    with serve(lab_root) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_and_its_slider_redraws(lab, lab_root, browser, chapter):
    base, token = lab.url, lab.token
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside = []  # requests the page made to anything but this machine
    page.on("request", lambda request: outside.append(request.url)
            if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(request.url).hostname not in ("127.0.0.1", "localhost") else None)
    try:
        open_chapter(page, base, token, chapter)
        run_all(page)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, f"error output: {errors.first.inner_text()[:500]}"
        # Only outputs count: chapter 00's text quotes the widget error message for learners.
        broken = page.locator(".jp-OutputArea-output", has_text="Error displaying widget")
        assert broken.count() == 0, broken.first.inner_text()[:500]
        traceback = page.locator(".jp-OutputArea-output", has_text="Traceback")
        assert traceback.count() == 0, traceback.first.inner_text()[:500]

        sliders = page.locator(".widget-slider, .widget-toggle-buttons")
        assert sliders.count() > 0, "no slider found: every chapter has at least one"
        slider = sliders.first
        slider.scroll_into_view_if_needed()
        cell = slider.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')]").element_handle()
        before = picture_source(cell)
        handle = slider.locator(".noUi-handle")
        if handle.count():
            handle.first.focus()
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowLeft")
            page.keyboard.press("ArrowLeft")
        else:
            slider.locator("button").first.click()
        page.wait_for_function(
            "([cell, before]) => [...cell.querySelectorAll('.jp-OutputArea-output img')]"
            ".map(i => i.getAttribute('src')).join(' ') !== before",
            arg=[cell, before], timeout=30_000,
        )
        assert not outside, f"the page asked for something outside this machine: {outside[:5]}"
    except BaseException:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{chapter}.png"
        page.screenshot(path=str(shot), full_page=False)
        print(f"screenshot: {shot}")
        print("the end of JupyterLab's log:", *(lab_root / "lab.log").read_text().splitlines()[-40:], sep="\n")
        raise
    finally:
        page.close()
        try:
            close_chapter(base, token, chapter)
        except OSError as error:  # keep the test's own failure, if any, as the one reported
            print(f"could not shut down the kernel of {chapter}: {error}")


def test_kernel_messages_leave_at_once(lab, browser):
    """The server started as `make lab` starts it sets TCP_NODELAY on the browser's kernel websocket.

    Read from the server's sockets themselves (its HTTP connections have the
    option off between requests; tests/test_lab.py shows that plain JupyterLab
    leaves it off on the websocket too).
    """
    page = browser.new_page()
    try:
        open_chapter(page, lab.url, lab.token, CHAPTERS[0])
        page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=120_000)
        try:
            nodelay = nodelay_of_connections(lab.pid, urlsplit(lab.url).port)
        except OSError as error:
            pytest.skip(f"cannot read the server's sockets here: {error}")
    finally:
        page.close()
    assert True in nodelay, nodelay


def test_chromium_shows_our_jpeg_files_as_libjpeg_decodes_them(browser, chelsea):
    """Our baseline and progressive files, as an <img> in Chromium: every pixel as Pillow (libjpeg) decodes it."""
    files = [
        jpeg.encode(chelsea, 75), jpeg.encode(chelsea, 75, optimize=True, rdo=True),
        jpeg.encode(chelsea, 75, subsampling="4:4:4", progressive=True),
        jpeg.encode(chelsea, 75, optimize=True, progressive=True),
        jpeg.encode(chelsea[..., 1], 50, optimize=True, rdo=True, progressive=True),
    ]  # fmt: skip
    page = browser.new_page()
    try:
        for data in files:
            url = "data:image/jpeg;base64," + base64.b64encode(data).decode()
            width, height, rgba = page.evaluate("""async url => {
                const picture = new Image();
                picture.src = url;
                await picture.decode();
                const canvas = document.createElement('canvas');
                [canvas.width, canvas.height] = [picture.naturalWidth, picture.naturalHeight];
                const context = canvas.getContext('2d');
                context.drawImage(picture, 0, 0);
                const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
                return [canvas.width, canvas.height, Array.from(pixels)];
            }""", url)  # fmt: skip
            shown = np.array(rgba, np.uint8).reshape(height, width, 4)
            reference = pillow_open(data)
            np.testing.assert_array_equal(shown[..., :3] if reference.ndim == 3 else shown[..., 0], reference)
    finally:
        page.close()
