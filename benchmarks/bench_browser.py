"""Time every slider of the course in a real browser: key press -> new picture on screen.

JupyterLab serves a copy of the notebooks; headless Chromium opens each
chapter, runs all cells, then moves every slider one step at a time with the
keyboard (and presses every toggle button) and measures, for each step, the
time until the pictures under it have been replaced and decoded, on a
high-density screen (device_scale_factor 2), as on most laptops. Each control
walks across its range from the chapter's own setting, and is put back
there before the next control is measured. As a learner would, it starts
once the chapter has run and the page has settled (the kernel idle, a
second without work for the browser), and after scrolling to a control
waits until the page is quiet again before its first key press. Targets: median
at most 100 ms, 90th percentile at most 200 ms, on 512 x 512 pictures.

    python benchmarks/bench_browser.py          # every chapter (a few minutes)
    python benchmarks/bench_browser.py 02 07    # some chapters
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

from playwright.sync_api import sync_playwright  # noqa: E402

from chapters import chapter_parser, chapters  # noqa: E402
from labdriver import CHROMIUM, CHROMIUM_ARGS, close_chapter, open_chapter, run_all, serve  # noqa: E402

STEPS = 10


def mark_picture(cell) -> None:
    """Remember the picture the cell shows now, inside the page (nothing large crosses to Python)."""
    cell.evaluate("c => { window.__shown = [...c.querySelectorAll('.jp-OutputArea-output img')].pop(); }")


def wait_for_new_picture(page, cell) -> None:
    """Wait until other pictures have replaced the marked ones, all of them decoded, ready to paint."""
    page.wait_for_function(
        """cell => {
            const imgs = [...cell.querySelectorAll('.jp-OutputArea-output img')];
            const last = imgs[imgs.length - 1];
            return last !== undefined && last !== window.__shown && imgs.every(i => i.complete && i.naturalWidth > 0);
        }""",
        arg=cell, timeout=30_000, polling="raf",
    )


def settle(page) -> None:
    """Wait until the kernel is idle and the browser has had a second with nothing left to draw."""
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=120_000)
    page.wait_for_timeout(1000)
    page.evaluate("() => new Promise(done => requestIdleCallback(done, {timeout: 5000}))")


def time_slider(page, control) -> tuple[str, list[float]]:
    """Step one control and return its label and the time of each step in ms."""
    # The description is the label that is not the value (text_content: cells off screen have no inner text).
    texts = [t.strip() for t in control.locator(".widget-label").all_text_contents()]
    label = next((t for t in texts if t and not t.replace(".", "").replace("-", "").isdigit()), "?")
    cell = control.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')]").element_handle()
    control.scroll_into_view_if_needed()
    page.evaluate("() => new Promise(done => requestIdleCallback(done, {timeout: 5000}))")  # drawn what came into view
    times = []
    handle = control.locator(".noUi-handle")
    if handle.count():
        handle = handle.first
        handle.focus()
        first = float(handle.get_attribute("aria-valuenow"))
        direction = "ArrowRight"
        for _ in range(STEPS):
            now, low, high = (float(handle.get_attribute(a))
                              for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
            # Walk across the range, turning at its ends: every step is a value not just shown.
            if direction == "ArrowRight" and now >= high:
                direction = "ArrowLeft"
            elif direction == "ArrowLeft" and now <= low:
                direction = "ArrowRight"
            mark_picture(cell)
            start = time.perf_counter()
            page.keyboard.press(direction)
            wait_for_new_picture(page, cell)
            times.append(1000 * (time.perf_counter() - start))
        # Back to where it started (not timed): every control is measured from the chapter's own settings.
        while (now := float(handle.get_attribute("aria-valuenow"))) != first:
            mark_picture(cell)
            page.keyboard.press("ArrowLeft" if now > first else "ArrowRight")
            wait_for_new_picture(page, cell)
    else:  # toggle buttons: press each one that is not selected, twice round (ends where it started)
        buttons = control.locator("button")
        for i in list(range(buttons.count())) * 2:
            if "mod-active" in (buttons.nth(i).get_attribute("class") or ""):
                continue
            buttons.nth(i).focus()  # then a key press, as for sliders (a mouse click adds Playwright's own checks)
            mark_picture(cell)
            start = time.perf_counter()
            page.keyboard.press("Enter")
            wait_for_new_picture(page, cell)
            times.append(1000 * (time.perf_counter() - start))
    return label, times


def main() -> None:
    args = chapter_parser(__doc__).parse_args()
    if CHROMIUM is None:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    names = [path.name for path in chapters(*args.prefix)]
    all_ok = True
    with tempfile.TemporaryDirectory() as root, serve(Path(root)) as (base, token, _), sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print("| chapter | control | steps | median (ms) | 90th percentile (ms) | slowest (ms) | target met |")
        print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
        for chapter in names:
            # a high-density laptop screen
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, device_scale_factor=2)
            open_chapter(page, base, token, chapter)
            run_all(page)
            settle(page)
            controls = page.locator(".widget-slider, .widget-toggle-buttons")
            for i in range(controls.count()):
                label, times = time_slider(page, controls.nth(i))
                times.sort()
                median = statistics.median(times)
                p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
                ok = median <= 100 and p90 <= 200
                all_ok &= ok
                print(f"| {chapter[:2]} | {label} | {len(times)} | {median:.0f} | {p90:.0f} | {times[-1]:.0f} | "
                      f"{'yes' if ok else 'NO'} |", flush=True)
            page.close()
            close_chapter(base, token, chapter)
        browser.close()
    print(f"\nevery control meets the target: {'yes' if all_ok else 'no'}")


if __name__ == "__main__":
    main()
