"""Run every chapter top to bottom in a fresh kernel and print how long each took.

    python tools/run_notebooks.py            # measure only
    python tools/run_notebooks.py --write    # also save the outputs (make execute)
    python tools/run_notebooks.py 02         # only chapters whose name starts with 02

The time is the run of the cells, without starting the kernel (a learner
starts it once); the kernel start-up is reported in its own column.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat

import kernel
from chapters import chapter_parser, chapters


def run(path: Path, write: bool) -> tuple[float, float]:
    """Execute one notebook; return (kernel start-up, cells) in seconds."""
    notebook = nbformat.read(path, as_version=4)
    client = kernel.client(notebook, store_widget_state=True)
    start = time.perf_counter()
    with client.setup_kernel():
        ready = time.perf_counter()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        client.set_widgets_metadata()
    done = time.perf_counter()
    if write:
        nbformat.write(notebook, path)
    return ready - start, done - ready


def main() -> None:
    parser = chapter_parser(__doc__)
    parser.add_argument("--write", action="store_true", help="save the executed notebooks in place")
    args = parser.parse_args()
    paths = chapters(*args.prefix)
    print("| notebook | kernel start (s) | cells (s) |")
    print("| --- | ---: | ---: |")
    for path in paths:
        startup, cells = run(path, args.write)
        print(f"| {path.name} | {startup:.1f} | {cells:.1f} |", flush=True)


if __name__ == "__main__":
    main()
