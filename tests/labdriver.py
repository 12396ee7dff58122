"""JupyterLab in a real browser, shared by tests/test_browser.py and benchmarks/bench_browser.py."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Without these flags Chromium tries to reach Google's services at start-up; the
# resolver rule makes any host name but localhost unresolvable (the suite is offline).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(root: Path):
    """Run JupyterLab on a free loopback port over a copy of the notebooks in `root`; yield (url, token)."""
    workdir = root / "notebooks"
    shutil.copytree(NOTEBOOKS, workdir, ignore=shutil.ignore_patterns("*.jpg", "*.html", ".ipynb_checkpoints"))
    port, token = free_port(), "course-browser-test"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(root / "config"), JUPYTERLAB_SETTINGS_DIR=str(root / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"))
    # No announcement pop-ups over the notebook.
    settings = root / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')
    # What `make lab` runs (helpers.lab adds --allow-root as root).
    command = [sys.executable, "-m", "helpers.lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={workdir}",
               "--LabApp.news_url=", "--ServerApp.open_browser=False"]
    base = f"http://127.0.0.1:{port}"
    with open(root / "lab.log", "w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                    break
                except OSError:
                    if server.poll() is not None:
                        raise RuntimeError(f"JupyterLab exited:\n{(root / 'lab.log').read_text()}")
                    time.sleep(0.5)
            else:
                raise RuntimeError("JupyterLab did not answer within 60 s")
            yield base, token
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()


def open_chapter(page, base: str, token: str, chapter: str) -> None:
    """Open one chapter in a workspace of its own, reset: no tabs restored from earlier pages."""
    page.goto(f"{base}/lab/workspaces/{chapter[:2]}/tree/{chapter}?token={token}&reset")


def run_all(page) -> None:
    """Clear every output, then Kernel > Restart Kernel and Run All Cells; wait until every cell has run."""
    page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
    # The kernel has started and the notebook is ready for commands.
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=120_000)
    page.get_by_role("menuitem", name="Edit").click()
    # Items of the open menu only: JupyterLab 4.0 has the same labels in its hidden command palette.
    page.locator("#jp-mainmenu-edit").get_by_text("Clear Outputs of All Cells", exact=True).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]"
        ".every(p => !/\\[\\d+\\]/.test(p.textContent))", timeout=30_000)
    page.get_by_role("menuitem", name="Kernel").click()
    page.locator("#jp-mainmenu-kernel").get_by_text("Restart Kernel and Run All Cells…", exact=True).click()
    page.locator(".jp-Dialog-button.jp-mod-accept").click()
    # Done when every code cell has a number in its prompt and none shows [*].
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent);
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p));
        }""",
        timeout=180_000,
    )


def picture_source(cell) -> str:
    """The data URL of the slider's picture (the last in the cell; redrawing replaces the img element)."""
    return cell.evaluate("c => [...c.querySelectorAll('.jp-OutputArea-output img')].pop().getAttribute('src')")
