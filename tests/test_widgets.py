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
