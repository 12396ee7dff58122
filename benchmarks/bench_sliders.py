"""Time every slider of the course: one redraw per step, as a learner moves it.

Each chapter runs in a fresh kernel; then, in the same kernel, every slider
that ``helpers.sliders.live`` set up is stepped through values across its range,
the other controls at the chapter's own settings, and each step (the update
function, redrawing what changed, writing the figure and its layers as PNG
inside HTML: what a step costs in Python) is timed. The browser's own share
(sending the PNG, drawing it) is measured separately by the browser benchmark.

    python benchmarks/bench_sliders.py          # every chapter
    python benchmarks/bench_sliders.py 07       # chapters whose name starts with 07
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import kernel  # noqa: E402
from chapters import chapter_parser, chapters  # noqa: E402

# Runs inside the notebook's kernel after all its cells: step every control
# through up to 8 values spread over its range, time each step.
PROBE = '''
import json, time
import numpy as np
from helpers import sliders as _w

_results = []
for _live in _w.in_memory():
    for _name, _control in _live.controls.items():
        _times, _first = [], _control.value
        _control.unobserve_all("value")  # no display here: step by hand
        for _value in _w.values_across(_control):
            _control.value = _value
            _start = time.perf_counter()
            _live.step()  # what a step does: update, redraw what changed, write the PNGs and the HTML
            _times.append(time.perf_counter() - _start)
        _control.value = _first  # back to the chapter's own setting before the next control
        _results.append({"slider": f"{_live.update.__name__}({_name})", "times": _times})
print(json.dumps(_results))
'''


def main() -> None:
    paths = chapters(*chapter_parser(__doc__).parse_args().prefix)
    print("| chapter | slider | steps | median (ms) | slowest (ms) |")
    print("| --- | --- | ---: | ---: | ---: |")
    for path in paths:
        for result in kernel.probe(path, PROBE):
            times = sorted(1000 * t for t in result["times"])
            median = times[len(times) // 2]
            print(f"| {path.name[:2]} | {result['slider']} | {len(times)} | {median:.0f} | {times[-1]:.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()
