"""Every slider of the course draws, step after step, exactly the figure a full drawing gives.

``helpers.sliders.live`` draws again only the artists an update function
returns, over a background kept from the first drawing (see
``helpers.sliders.Blitter``), and sends the pictures of pixel panels beside the
figure at their own size (``helpers.sliders.Layer``). Here each chapter runs in
a fresh kernel; then every slider is stepped across its range and back, and
after each step the page it sends (its HTML: the figure's background, the
squares that changed over it and the layers, each PNG decoded and put in its
place) is compared with the same figure drawn from scratch, and must have been
a blit: an update that changed something it did not name would have made the
figure be drawn anew.
"""

import pytest

import kernel
from chapters import chapters

CHAPTERS = chapters()

pytestmark = pytest.mark.slow  # a fresh kernel per chapter: `make quick` leaves these out

PROBE = """
import base64, io, json, re
import numpy as np
from PIL import Image as _PILImage
from helpers import sliders as _w

def _values(control):
    values = _w.values_across(control, 7)
    start = values.index(control.value) if control.value in values else 0
    return values[start:] + values[::-1] + [control.value]  # up, all the way down, back to the default

import matplotlib
_LAYER_LIMIT = 1 if tuple(int(p) for p in matplotlib.__version__.split(".")[:2]) >= (3, 8) else 4
assert _w.SCALE == 2

def _page(html):  # the step's HTML put together as the browser does, in dots: each PNG at its place and size
    width, height = map(int, re.match(r'<div style="position:relative;width:(\\d+)px;height:(\\d+)px', html).groups())
    page = np.zeros((2 * height, 2 * width, 3), dtype=np.uint8)
    for data, style in re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="[^"]*" style="([^"]*)"', html):
        picture = _PILImage.open(io.BytesIO(base64.b64decode(data)))
        if picture.mode == "RGBA" and picture.getextrema()[3] != (255, 255):
            return None  # see-through: the page would show through
        picture = np.asarray(picture.convert("RGB"))
        box = {k: 2 * int(v) for k, v in re.findall(r"(left|top|width|height):(\\d+)px", style)}
        factor = box["width"] // picture.shape[1]
        page[box["top"] : box["top"] + box["height"], box["left"] : box["left"] + box["width"]] = \
            picture.repeat(factor, axis=0).repeat(factor, axis=1)
    return page

_report = []
for _live in _w.in_memory():
    _fig, _update, _controls, _blitter = _live.fig, _live.update, _live.controls, _live.blitter
    for _name, _control in _controls.items():
        _settings = {n: c.value for n, c in _controls.items()}
        _steps, _wrong, _blitted = 0, [], 0
        for _value in _values(_control):
            _settings[_name] = _value
            _pixels = _page(_live.step(**_settings)["text/html"])  # what the page shows
            _blitted += _blitter.last == "blit"
            if _pixels is None:
                _wrong.append(f"{_value!r} (see-through)")
                continue
            # each layer's PNG, as the page gets it, holds exactly the layer's pixels
            for _layer in _live.layers:
                (_data,) = re.findall(r'<img src="data:image/png;base64,([^"]+)"', _layer.html())
                _decoded = np.asarray(_PILImage.open(io.BytesIO(base64.b64decode(_data))).convert("RGB"))
                if not np.array_equal(_decoded, _layer.pixels()):
                    _wrong.append(f"{_value!r} (layer PNG)")
            _reference = _live.drawn_from_scratch().astype(int)  # everything drawn from scratch into the figure
            _steps += 1
            # the grey colour map may round a level by one between a layer and matplotlib's drawing;
            # matplotlib before 3.8 resamples float data before its colour map: up to 4 levels off there
            if _pixels.shape != _reference.shape:
                _wrong.append(repr(_value))
                continue
            _off = np.abs(_pixels - _reference).max(axis=2)
            _inside = np.zeros(_off.shape, dtype=bool)
            for _layer in _live.layers:
                _rows = slice(2 * _layer.top, 2 * (_layer.top + _layer.height))
                _inside[_rows, 2 * _layer.left : 2 * (_layer.left + _layer.width)] = True
            if _off[~_inside].max(initial=0) > 1 or _off[_inside].max(initial=0) > _LAYER_LIMIT:
                _wrong.append(repr(_value))
        _report.append({"slider": f"{_update.__name__}({_name})", "steps": _steps, "wrong": _wrong,
                        "blitted": _blitted, "layers": len(_live.layers)})
print(json.dumps(_report))
"""


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name[:2])
def test_every_step_equals_a_full_drawing(path):
    report = kernel.probe(path, PROBE)
    assert report, "no slider found"
    for slider in report:
        assert slider["steps"] >= 3, slider
        assert not slider["wrong"], f"{slider['slider']}: blitted picture differs at {slider['wrong']}"
        # every step drew only what the update named: it changed nothing else
        assert slider["blitted"] == slider["steps"], f"{slider['slider']}: drawn anew, not blitted: {slider}"


def test_pictures_of_the_sliders_travel_at_their_own_size():
    """The sliders of chapters 07 and 08 show pictures in pixel panels: those go as layers."""
    for path in CHAPTERS:
        if path.name[:2] not in ("07", "08"):
            continue
        code = "from helpers import sliders; print(sum(len(s.layers) for s in sliders.in_memory()))"
        assert kernel.probe(path, code) >= 2, path.name
