import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from IPython.display import Image

from helpers import widgets as live_widgets


class Recorder:
    """Stands in for IPython's display: records what is shown and updated."""

    def __init__(self):
        self.shown = []
        self.updates = []

    def __call__(self, obj, display_id=None):
        self.shown.append(obj)
        if display_id:
            recorder = self

            class Handle:
                def update(self, new):
                    recorder.updates.append(new)

            return Handle()
        return None


@pytest.fixture
def recorder(monkeypatch):
    rec = Recorder()
    monkeypatch.setattr(live_widgets, "display", rec)
    return rec


def draw_line(level):
    fig, ax = plt.subplots()
    ax.axhline(level)
    ax.set_title(f"level {level}")
    return fig


def test_live_shows_controls_then_a_plain_png(recorder):
    slider = widgets.IntSlider(value=3, min=0, max=9, description="level")
    assert live_widgets.live(draw_line, level=slider) is None
    controls, picture = recorder.shown
    assert isinstance(controls, widgets.HBox) and controls.children == (slider,)
    assert isinstance(picture, Image) and picture.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert plt.get_fignums() == []  # the figure was closed after rendering


def test_moving_a_control_updates_the_same_output(recorder):
    seen = []

    def draw(level, label):
        seen.append((level, label))
        return draw_line(level)

    slider = widgets.IntSlider(value=3, min=0, max=9)
    chooser = widgets.Dropdown(options=["a", "b"], value="a")
    live_widgets.live(draw, level=slider, label=chooser)
    slider.value = 7
    chooser.value = "b"
    assert seen == [(3, "a"), (7, "a"), (7, "b")]
    assert len(recorder.updates) == 2
    assert all(isinstance(u, Image) for u in recorder.updates)
    assert len(recorder.shown) == 2  # nothing new appended: pictures replaced in place


def test_live_needs_a_figure(recorder):
    with pytest.raises(TypeError, match="must return a matplotlib Figure, got int"):
        live_widgets.live(lambda level: 3, level=widgets.IntSlider())


def test_live_checks_its_arguments(recorder):
    with pytest.raises(TypeError, match="draw must be a function"):
        live_widgets.live(3, level=widgets.IntSlider())
    with pytest.raises(ValueError, match="at least one control"):
        live_widgets.live(draw_line)
    with pytest.raises(TypeError, match="control 'level' must be an ipywidgets control"):
        live_widgets.live(draw_line, level=5)


def test_live_registers_each_slider_for_the_benchmark(recorder):
    slider = widgets.IntSlider(value=1, min=0, max=3)
    before = len(live_widgets.LIVE)
    live_widgets.live(draw_line, level=slider)
    assert len(live_widgets.LIVE) == before + 1
    draw, controls = live_widgets.LIVE[-1]
    assert draw is draw_line and controls == {"level": slider}


def test_render_is_lossless_and_the_size_of_the_figure():
    import io

    import numpy as np
    from PIL import Image as PILImage

    fig, ax = plt.subplots(figsize=(2, 1), dpi=50)
    fig.set_layout_engine("none")  # constrained layout may move axes by a pixel between two draws
    ax.imshow(np.arange(64).reshape(8, 8), cmap="gray")
    fig.canvas.draw()
    expected = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    png = live_widgets.render(fig)
    decoded = np.asarray(PILImage.open(io.BytesIO(png.data)).convert("RGB"))
    assert decoded.shape == (50, 100, 3)
    np.testing.assert_array_equal(decoded, expected)
