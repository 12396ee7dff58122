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
    """The client that runs ``notebook`` in a fresh python3 kernel; ``options`` go to NotebookClient.

    nbclient waits 4 s by default for a cell's last output to arrive and then
    goes on without it, saying nothing: on a busy machine a probe's printed
    answer was lost that way. Here it waits up to a minute, and fails if even
    that is not enough.
    """
    options = {"iopub_timeout": 60, "raise_on_iopub_timeout": True, **options}
    return NotebookClient(notebook, timeout=600, kernel_name="python3",
                          resources={"metadata": {"path": str(NOTEBOOKS)}}, **options)


def probe(path: Path, code: str) -> object:
    """Run chapter ``path`` top to bottom, then ``code`` in the same kernel; what ``code`` printed last, as JSON."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(new_code_cell(code))
    client(notebook).execute()
    printed = [output["text"] for output in notebook.cells[-1].outputs if output.get("name") == "stdout"]
    if not printed:
        outputs = notebook.cells[-1].outputs
        raise RuntimeError(f"the probe run after {path.name} printed nothing; its outputs: {outputs}")
    return json.loads("".join(printed).strip().splitlines()[-1])
