"""JupyterLab in a real browser, shared by tests/test_browser.py and benchmarks/bench_browser.py."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path
from typing import NamedTuple

from chapters import NOTEBOOKS

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


class Lab(NamedTuple):
    url: str
    token: str
    pid: int  # the server's process


@contextlib.contextmanager
def serve(root: Path, module: str = "helpers.lab"):
    """Run JupyterLab on a free loopback port over a copy of the notebooks in `root`; yield a `Lab`.

    `module` is what `make lab` runs, or "jupyterlab" for plain `jupyter lab`.
    """
    workdir = root / "notebooks"
    shutil.copytree(NOTEBOOKS, workdir, ignore=shutil.ignore_patterns("*.jpg", "*.html", ".ipynb_checkpoints"))
    port, token = free_port(), "course-browser-test"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(root / "config"), JUPYTERLAB_SETTINGS_DIR=str(root / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"))
    # No announcement pop-ups over the notebook.
    settings = root / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')
    # Every cell in the page, not only those in view (JupyterLab 4.0 attaches the others when idle):
    # the checks read the whole notebook.
    notebook_settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    notebook_settings.mkdir(parents=True)
    (notebook_settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    # What `make lab` runs (helpers.lab adds --allow-root as root).
    command = [sys.executable, "-m", module, "--no-browser", f"--port={port}", "--ip=127.0.0.1",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={workdir}",
               "--LabApp.news_url=", "--ServerApp.open_browser=False"]
    if module != "helpers.lab" and hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
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
                        raise RuntimeError(f"JupyterLab exited:\n{(root / 'lab.log').read_text()}") from None
                    time.sleep(0.5)
            else:
                raise RuntimeError("JupyterLab did not answer within 60 s")
            yield Lab(base, token, server.pid)
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()


def nodelay_of_connections(pid: int, port: int) -> list[bool]:
    """TCP_NODELAY, read from the socket itself, of each connection process `pid` accepted on `port`.

    Linux only: the process's sockets are borrowed with pidfd_getfd (Linux 5.6),
    which needs the right to trace it (a child of this process qualifies);
    OSError otherwise.
    """
    accepted = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # 01: established
                    accepted.add(f"socket:[{fields[9]}]")
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    found = []
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") not in accepted:
                    continue
            except FileNotFoundError:  # closed meanwhile
                continue
            copy = libc.syscall(438, pidfd, int(fd), 0)  # 438: pidfd_getfd, the same number on every architecture
            if copy < 0:
                raise OSError(ctypes.get_errno(), f"pidfd_getfd: {os.strerror(ctypes.get_errno())}")
            with socket.socket(fileno=copy) as borrowed:
                found.append(bool(borrowed.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)))
    finally:
        os.close(pidfd)
    return found


def open_chapter(page, base: str, token: str, chapter: str) -> None:
    """Open one chapter in a workspace of its own, reset: no tabs restored from earlier pages."""
    page.goto(f"{base}/lab/workspaces/{chapter[:2]}/tree/{chapter}?token={token}&reset")


def close_chapter(base: str, token: str, chapter: str) -> None:
    """Shut down the chapter's kernel (closing its page leaves the kernel running)."""
    def call(method: str, path: str):
        request = urllib.request.Request(f"{base}{path}", method=method, headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.read()

    for session in json.loads(call("GET", "/api/sessions")):
        if Path(session["path"]).name == chapter:
            call("DELETE", f"/api/sessions/{session['id']}")


STALLED_AFTER_S = 60  # no cell has finished for this long: the run is stuck, not slow


def run_all(page, attempts: int = 2) -> None:
    """Clear every output, then Kernel > Restart Kernel and Run All Cells; wait until every cell has run.

    A run in which no cell finishes for STALLED_AFTER_S seconds is stuck. It is tried once more,
    with a warning that describes what the page showed; a second stuck run fails with that description.
    """
    page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
    # The kernel has started and the notebook is ready for commands.
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=120_000)
    for attempt in range(1, attempts + 1):
        page.keyboard.press("Escape")  # a dialog left by a stuck run would cover the menus
        page.get_by_role("menuitem", name="Edit").click()
        # Items of the open menu only: JupyterLab 4.0 has the same labels in its hidden command palette.
        page.locator("#jp-mainmenu-edit").get_by_text("Clear Outputs of All Cells", exact=True).click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]"
            ".every(p => !/\\[\\d+\\]/.test(p.textContent))", timeout=30_000)
        page.get_by_role("menuitem", name="Kernel").click()
        page.locator("#jp-mainmenu-kernel").get_by_text("Restart Kernel and Run All Cells…", exact=True).click()
        page.locator(".jp-Dialog-button.jp-mod-accept").click()
        stuck = wait_for_every_cell(page)
        if stuck is None:
            return
        if attempt < attempts:
            warnings.warn(f"Restart Kernel and Run All Cells got stuck; trying again. {stuck}", stacklevel=2)
    raise AssertionError(f"Restart Kernel and Run All Cells got stuck {attempts} times. {stuck}")


def prompts(page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]"
                         ".map(p => p.textContent.trim())")


def wait_for_every_cell(page) -> str | None:
    """None once every code cell shows a number in its prompt; else what the page shows when no cell has
    finished for STALLED_AFTER_S seconds."""
    last, changed = None, time.monotonic()
    while True:
        now = prompts(page)
        if now and all(re.fullmatch(r"\[\d+\]:?", p) for p in now):
            return None
        if now != last:
            last, changed = now, time.monotonic()
        elif time.monotonic() - changed > STALLED_AFTER_S:
            return describe(page)
        time.sleep(0.25)


def describe(page) -> str:
    """What a stuck run looks like: the prompts, the status bar, any dialog, the server's view of the kernels."""
    def texts(selector: str) -> str:
        return " / ".join(" ".join(t.split()) for t in page.locator(selector).all_inner_texts() if t.strip())

    status, dialogs = texts(".jp-StatusBar-Widget"), texts(".jp-Dialog")
    kernels = page.evaluate("""async () => {
        try { const r = await fetch('/api/kernels'); return await r.text(); } catch (e) { return String(e); } }""")
    return (f"Prompts: {' '.join(prompts(page))}. Status bar: {status}. Dialogs: {dialogs or 'none'}. "
            f"Kernels (server): {kernels}")


def picture_source(cell) -> str:
    """The data URLs of the pictures under a slider, joined (a step shows the figure and its layers)."""
    return cell.evaluate("c => [...c.querySelectorAll('.jp-OutputArea-output img')]"
                         ".map(i => i.getAttribute('src')).join(' ')")
