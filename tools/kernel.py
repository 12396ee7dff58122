"""A chapter run in a fresh kernel, the same way for tools, benchmarks and tests.

The kernel starts in `notebooks/` (where a learner's kernel starts) and each
cell may take up to 10 minutes.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell

from chapters import NOTEBOOKS


def client(notebook: NotebookNode, **options) -> NotebookClient:
    """The client that runs ``notebook`` in a fresh python3 kernel; ``options`` go to NotebookClient."""
    return NotebookClient(notebook, timeout=600, kernel_name="python3",
                          resources={"metadata": {"path": str(NOTEBOOKS)}}, **options)


def probe(path: Path, code: str) -> object:
    """Run chapter ``path`` top to bottom, then ``code`` in the same kernel; what ``code`` printed last, as JSON."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(new_code_cell(code))
    client(notebook).execute()
    return json.loads(notebook.cells[-1].outputs[-1]["text"].strip().splitlines()[-1])
