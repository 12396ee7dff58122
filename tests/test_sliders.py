import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from IPython.display import Image

from helpers import _png, plotting, sliders


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
                def update(self, new, raw=False):
                    recorder.updates.append(new)

            return Handle()
        return None


@pytest.fixture
def recorder(monkeypatch):
    rec = Recorder()
    monkeypatch.setattr(sliders, "display", rec)
    return rec


def line_figure():
    """A figure and its update function, the way the chapters build sliders."""
    fig, ax = plt.subplots()
    line = ax.axhline(0)
    seen = []

    def update(level, label="a"):
        seen.append((level, label))
        line.set_ydata([level, level])
        ax.set_title(f"level {level} {label}")
        return line, ax.title

    return fig, update, seen


def test_live_shows_controls_then_a_plain_png(recorder):
    fig, update, seen = line_figure()
    slider = widgets.IntSlider(value=3, min=0, max=9, description="level")
    assert sliders.live(fig, update, level=slider) is None
    controls, picture = recorder.shown
    assert isinstance(controls, widgets.HBox) and controls.children == (slider,)
    assert isinstance(picture, Image) and picture.data[:8] == b"\x89PNG\r\n\x1a\n"
    # drawn at twice the dpi for high-density screens, shown at the figure's own size
    width, height = (int(n) for n in fig.get_size_inches() * fig.dpi)
    assert fig.dpi == 2 * plt.rcParams["figure.dpi"] and sliders.SCALE == 2
    assert (picture.width, picture.height) == (width // 2, height // 2)
    assert picture.data[16:24] == width.to_bytes(4, "big") + height.to_bytes(4, "big")  # the PNG's own size
    assert seen == [(3, "a"), (4, "a"), (3, "a")]  # drawn at the slider's default, rehearsed one step on and back
    assert fig.axes[0].get_title() == "level 3 a"
    assert plt.get_fignums() == []  # pyplot forgot it: the notebook does not show it a second time


def test_moving_a_control_updates_the_same_output(recorder):
    fig, update, seen = line_figure()
    slider = widgets.IntSlider(value=3, min=0, max=9)
    chooser = widgets.Dropdown(options=["a", "b"], value="a")
    sliders.live(fig, update, level=slider, label=chooser)
    slider.value = 7
    chooser.value = "b"
    assert seen == [(3, "a"), (4, "b"), (3, "a"), (7, "a"), (7, "b")]  # after the rehearsal, each move
    assert len(recorder.updates) == 2
    # each step is HTML: the figure as a PNG shown at the first picture's size
    width = recorder.shown[1].width
    assert all(f"width:{width}px" in u["text/html"] and "data:image/png;base64," in u["text/html"]
               for u in recorder.updates)
    assert recorder.updates[0] != recorder.updates[1]  # the picture changed with the title
    assert len(recorder.shown) == 2  # nothing new appended: pictures replaced in place


def test_the_layout_of_the_first_drawing_is_kept(recorder):
    fig, ax = plt.subplots(figsize=(3, 2), layout="constrained")

    def update(level):
        return ax.set_title("x" * level)

    sliders.live(fig, update, level=widgets.IntSlider(value=1, min=1, max=40))
    position = ax.get_position().bounds
    sliders.in_memory()[-1].controls["level"].value = 40
    assert ax.get_position().bounds == position


def test_live_checks_its_arguments(recorder):
    fig, update, _ = line_figure()
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure, got function"):
        sliders.live(update, update, level=widgets.IntSlider())
    with pytest.raises(TypeError, match="update must be a function that changes the figure, got int"):
        sliders.live(fig, 3, level=widgets.IntSlider())
    with pytest.raises(ValueError, match="at least one control"):
        sliders.live(fig, update)
    with pytest.raises(TypeError, match="control 'level' must be an ipywidgets control"):
        sliders.live(fig, update, level=5)
    # update names what it moved; nothing shows before that is right
    with pytest.raises(TypeError, match=r"update must return the artists it moved, e.g. `return view, ax.title`, "
                                        r"got NoneType"):
        sliders.live(fig, lambda level: None, level=widgets.IntSlider())
    with pytest.raises(TypeError, match="update must return matplotlib artists, got int among them"):
        sliders.live(fig, lambda level: [fig.axes[0].title, 3], level=widgets.IntSlider())
    other, other_ax = plt.subplots()
    with pytest.raises(ValueError, match="update must return artists this figure draws .*, got Text that it does not"):
        sliders.live(fig, lambda level: other_ax.title, level=widgets.IntSlider())
    assert recorder.shown == []
    plt.close(fig)
    plt.close(other)


def test_each_slider_is_found_in_memory_while_its_controls_live_and_only_then(recorder):
    import gc
    import weakref

    fig, update, _ = line_figure()
    slider = widgets.IntSlider(value=1, min=0, max=3)
    sliders.live(fig, update, level=slider)
    registered = sliders.in_memory()[-1]  # the newest
    assert (registered.fig, registered.update, registered.controls) == (fig, update, {"level": slider})
    assert isinstance(registered.blitter, sliders.Blitter) and registered.blitter.fig is fig
    assert registered.layers == []  # a chart: nothing travels on its own
    assert [s.number for s in sliders.in_memory()] == sorted(s.number for s in sliders.in_memory())
    gone = weakref.ref(registered)
    slider.unobserve_all("value")  # nothing calls it back any more: nothing keeps it
    del registered
    gc.collect()
    assert gone() is None and all(s.fig is not fig for s in sliders.in_memory())


def page_of(html):
    """Put a step's HTML together as the browser does, in device pixels: each image at its place and size."""
    import base64
    import io
    import re

    from PIL import Image as PILImage

    scale = sliders.SCALE
    size = re.match(r'<div style="position:relative;width:(\d+)px;height:(\d+)px', html)
    width, height = (int(n) for n in size.groups())
    page = np.zeros((scale * height, scale * width, 3), dtype=np.uint8)
    for data, style in re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="[^"]*" style="([^"]*)"', html):
        picture = PILImage.open(io.BytesIO(base64.b64decode(data)))
        if picture.mode == "RGBA":  # the figure, as matplotlib holds it: opaque, or the page would show through
            assert picture.getextrema()[3] == (255, 255)
        picture = np.asarray(picture.convert("RGB"))
        box = {k: int(v) for k, v in re.findall(r"(left|top|width|height):(\d+)px", style)}
        factor = scale * box["width"] // picture.shape[1]  # enlarged without smoothing (pixelated) or as drawn
        assert factor * picture.shape[1] == scale * box["width"] and factor * picture.shape[0] == scale * box["height"]
        top, left = scale * box.get("top", 0), scale * box.get("left", 0)
        page[top : top + scale * box["height"], left : left + scale * box["width"]] = \
            picture.repeat(factor, axis=0).repeat(factor, axis=1)
    return page


def pixel_figure(scale=1):
    """Two pictures in pixel panels (one of them a 4x close-up) and a chart, as chapters build them."""
    rng = np.random.default_rng(3)
    grey = rng.integers(0, 256, (24, 32), dtype=np.uint8)
    fig, axes = plotting.closeups([grey, 255 - grey], ["a", "b"], np.s_[4:10, 8:16], scale=4, overview=32)
    signed = axes[2].imshow(np.zeros((6, 8)), cmap="RdBu_r", vmin=-40, vmax=40)  # drawn over the second close-up
    return fig, axes, grey, signed


def test_pictures_of_pixel_panels_travel_as_layers_and_the_page_equals_a_full_drawing(recorder):
    fig, axes, grey, signed = pixel_figure()
    errors = np.random.default_rng(4).normal(0, 30, (8, 6, 8))

    def update(k):
        axes[1].images[0].set_data(grey[4:10, 8:16] // (k + 1))
        axes[1].set_title(f"k {k}")
        signed.set_data(errors[k])
        return axes[1].images[0], axes[1].title, signed

    slider = widgets.IntSlider(value=0, min=0, max=7)
    sliders.live(fig, update, k=slider)
    registered = sliders.in_memory()[-1]
    # the first close-up is a layer; the overview is scaled down under an outline; the second panel holds two images
    assert [layer.image for layer in registered.layers] == [axes[1].images[0]]
    (layer,) = registered.layers
    assert (layer.width, layer.height) == (32, 24) and layer.top == 28  # 4 page pixels per pixel
    for k in (3, 5):
        slider.value = k
        html = recorder.updates[-1]["text/html"]
        assert html.count("image-rendering:pixelated") == 1 and f"left:{layer.left}px" in html
        page = registered.composed()
        assert np.array_equal(page_of(html), page)  # the HTML, put together as a browser does
        reference = registered.drawn_from_scratch()  # everything drawn into the figure
        assert np.abs(page.astype(int) - reference).max() <= 1
    plt.close(fig)


def test_a_grey_layer_travels_as_one_channel_a_coloured_one_as_three(recorder):
    import base64
    import io
    import re

    from PIL import Image as PILImage

    fig, axes, grey, signed = pixel_figure()
    coloured = np.random.default_rng(8).integers(0, 256, (6, 8, 3), dtype=np.uint8)
    def update(k):
        axes[1].images[0].set_data(coloured if k else grey[4:10, 8:16])
        return axes[1].images[0]

    sliders.live(fig, update, k=widgets.IntSlider(value=1, max=1))
    registered = sliders.in_memory()[-1]
    for k, mode in ((0, "L"), (1, "RGB")):
        registered.controls["k"].value = k
        html = recorder.updates[-1]["text/html"]
        (data,) = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="" ', html)  # the layer
        picture = PILImage.open(io.BytesIO(base64.b64decode(data)))
        assert picture.mode == mode
        assert np.array_equal(np.asarray(picture.convert("RGB")), registered.layers[0].pixels())
    plt.close(fig)


def test_layer_pixels_are_the_coloured_picture_at_its_own_size(recorder):
    fig, axes, grey, signed = pixel_figure()
    sliders.live(fig, lambda k: [], k=widgets.IntSlider())  # nothing moves
    (layer,) = sliders.in_memory()[-1].layers
    pixels = layer.pixels()
    assert pixels.shape == (6, 8, 3) and pixels.dtype == np.uint8
    # the grey colour map's 256 steps may round a level by one, as matplotlib's own drawing does
    assert np.abs(pixels.astype(int) - grey[4:10, 8:16, None]).max() <= 1
    plt.close(fig)


def test_snapshot_keeps_the_figure_open():
    fig, _ = plt.subplots(figsize=(1, 1))
    assert isinstance(sliders.snapshot(fig), Image) and plt.fignum_exists(fig.number)
    plt.close(fig)
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure, got str"):
        sliders.snapshot("figure")


def test_snapshot_is_lossless_and_the_size_of_the_figure():
    import io

    import numpy as np
    from PIL import Image as PILImage

    fig, ax = plt.subplots(figsize=(2, 1), dpi=50)
    fig.set_layout_engine("none")  # constrained layout may move axes by a pixel between two draws
    ax.imshow(np.arange(64).reshape(8, 8), cmap="gray")
    fig.canvas.draw()
    expected = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    png = sliders.snapshot(fig)
    plt.close(fig)
    decoded = np.asarray(PILImage.open(io.BytesIO(png.data)).convert("RGB"))
    assert decoded.shape == (50, 100, 3)
    np.testing.assert_array_equal(decoded, expected)


@pytest.mark.parametrize("shape", [(1, 1, 3), (7, 13, 3), (64, 33, 3), (7, 13, 4), (1, 1), (7, 13), (64, 33)])
def test_png_is_lossless_and_pillow_reads_it(shape):
    import io

    import numpy as np
    from PIL import Image as PILImage

    pixels = np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
    pixels[: shape[0] // 2] = 200  # flat rows too, where the Up filter gives zeros
    decoded = PILImage.open(io.BytesIO(sliders.png(pixels)))
    decoded.load()  # checks the CRCs and the deflate stream
    assert decoded.mode == {3: "RGB", 4: "RGBA"}.get(shape[-1], "L")  # a grey picture is written as one channel
    np.testing.assert_array_equal(np.asarray(decoded), pixels)


def test_png_refuses_what_is_not_rgb_bytes():
    import numpy as np

    with pytest.raises(TypeError, match=r"pixels must be a uint8 array \(0-255\), got float64 \(2, 2, 3\)"):
        sliders.png(np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match=r"pixels must be an H x W x 3, H x W x 4 or H x W uint8 array, "
                                         r"got shape \(2, 2, 2\)"):
        sliders.png(np.zeros((2, 2, 2), dtype=np.uint8))


def steps_match_full_drawings(fig, update, values):
    """Step ``update`` through ``values``; each blit must equal a drawing from scratch. Returns how each was drawn."""
    fig.set_layout_engine("none")
    fig.canvas.draw()
    blitter = sliders.Blitter(fig)
    kinds = []
    for value in values:
        blitted = blitter.draw(update(value)).copy()
        kinds.append(blitter.last)
        np.testing.assert_array_equal(blitted, blitter.full_drawing(), err_msg=f"step {value!r}")
    return blitter, kinds


def test_blitting_draws_only_the_named_artists_and_equals_a_full_drawing():
    rng = np.random.default_rng(5)
    fig, axes = plt.subplots(1, 2, figsize=(8, 3), dpi=50, gridspec_kw={"wspace": 0.4})
    picture = axes[0].imshow(rng.random((16, 16)), cmap="gray")
    (diagonal,) = axes[0].plot([0, 15], [0, 15], color="white")  # drawn over the picture: drawn again
    axes[1].plot(range(10), rng.random(10))
    note = fig.text(0.5, 0.02, "")

    def update(step):
        picture.set_data(rng.random((16, 16)))
        note.set_text("x" * step)
        return picture, axes[0].set_title(f"step {step}"), note

    blitter, kinds = steps_match_full_drawings(fig, update, range(1, 6))
    assert kinds == ["background"] + ["blit"] * 4  # the first step keeps the background
    # in the order the figure draws them, with what the axes draws over them; animated: a drawing leaves them out
    over = [*axes[0].spines.values(), axes[0].xaxis, axes[0].yaxis]
    assert set(blitter.moving) >= {picture, diagonal, axes[0].title, note, *over}
    assert blitter.moving[0] is picture and blitter.moving[-1] is note
    assert all(artist.get_animated() for artist in blitter.moving)
    assert not set(blitter.moving) & set(axes[1].get_children())
    plt.close(fig)


def test_anything_else_that_changes_draws_the_figure_anew():
    rng = np.random.default_rng(6)
    fig, ax = plt.subplots(figsize=(3, 2), dpi=50)
    (line,) = ax.plot(range(5), rng.random(5), label="data")
    shade = ax.axvspan(1, 2, color="0.9")  # drawn before the line (a patch, zorder 1): not redrawn with it

    def update(step):
        line.set_ydata(rng.random(5) * (1 + step % 2))
        if step == 2:
            ax.set_ylabel("a label")  # lives in the axis, which is not named
        if step == 3:
            ax.set_ylim(0, 3)  # limits: ticks change
        if step == 4:
            ax.legend()  # a new artist
        if step == 5:
            shade.set_visible(False)  # an artist not named
        if step == 6:
            shade.set_visible(True)
            return [shade, line]  # a newly named one: the background is kept without it from now on
        if step == 8:
            ax.patch.set_facecolor("0.95")  # the ground the axes draws on, never named
        if step == 9:
            fig.patch.set_facecolor("0.98")  # and the figure's
        return [line]

    _, kinds = steps_match_full_drawings(fig, update, range(1, 11))
    assert kinds == ["background"] * 6 + ["blit", "background", "background", "blit"]
    plt.close(fig)


def test_blitting_after_a_picture_changes_size():
    fig, ax = plt.subplots(figsize=(2, 2), dpi=50)
    view = ax.imshow(np.zeros((8, 8)), cmap="gray", vmin=0, vmax=1)
    ax.set_axis_off()

    def update(size):
        view.set_data(np.eye(size))
        view.set_extent((-0.5, size - 0.5, size - 0.5, -0.5))
        return [view]

    _, kinds = steps_match_full_drawings(fig, update, [8, 4, 4, 12, 12])
    assert kinds == ["background", "background", "blit", "background", "blit"]  # a new size: new axes limits
    plt.close(fig)


def test_values_across_a_control():
    assert sliders.values_across(widgets.IntSlider(min=1, max=8), 8) == list(range(1, 9))
    assert sliders.values_across(widgets.IntSlider(min=0, max=300, step=10), 4) == [0, 100, 200, 300]
    assert sliders.values_across(widgets.FloatSlider(min=0, max=8, step=0.5), 3) == [0, 4, 8]
    assert sliders.values_across(widgets.ToggleButtons(options=["a", "b"])) == ["a", "b"]
    assert sliders.values_across(widgets.SelectionSlider(options=[("x", 1), ("y", 2)])) == [1, 2]
    with pytest.raises(ValueError, match="count must be an integer >= 2, got 1"):
        sliders.values_across(widgets.IntSlider(), 1)
    with pytest.raises(TypeError, match="control must be an ipywidgets control, got int"):
        sliders.values_across(3)


def test_a_layer_that_did_not_change_is_not_written_again(recorder, monkeypatch):
    fig, axes, grey, signed = pixel_figure()

    def update(k):
        if k % 2:  # odd steps change the picture, even steps only the title
            axes[1].images[0].set_data(grey[4:10, 8:16] // (k + 1))
        return axes[1].images[0], axes[1].set_title(f"k {k}")

    slider = widgets.IntSlider(value=0, min=0, max=7)
    sliders.live(fig, update, k=slider)
    written = []
    real_png = sliders.png
    monkeypatch.setattr(_png, "png",
                        lambda pixels, palette=None, **options:
                        written.append(pixels.shape) or real_png(pixels, palette, **options))
    slider.value = 1
    slider.value = 2
    assert written.count((6, 8)) == 1  # the grey layer once (step 1), the figure at every step
    assert recorder.updates[-1]["text/html"].count("pixelated") == 1  # still on the page
    (layer,) = sliders.in_memory()[-1].layers
    layer.image.set_clim(0, 100)  # new colours, same array: written again
    slider.value = 4
    assert written.count((6, 8)) == 2
    plt.close(fig)


def test_a_picture_seen_again_is_not_written_again_and_old_ones_are_forgotten(monkeypatch):
    written = []
    real_png = sliders.png
    monkeypatch.setattr(_png, "png",
                        lambda pixels, palette=None, **options:
                        written.append(pixels.shape) or real_png(pixels, palette, **options))
    pictures = [np.full((4, 6, 3), k, dtype=np.uint8) for k in range(3)]
    kept = _png.Written()
    first = [kept.base64_png(p) for p in pictures]
    assert [kept.base64_png(p) for p in pictures] == first and len(written) == 3  # each written once
    assert kept.base64_png(pictures[0][..., 0]) != first[0] and len(written) == 4  # same bytes, other shape
    small = sliders.Written(budget=len(first[0]) + 1)
    for p in pictures + pictures[:1]:
        small.base64_png(p)
    assert len(small.kept) == 1 and len(written) == 8  # only the newest fits: the first was written again


def test_png_with_a_palette_is_one_byte_a_pixel_and_pillow_reads_its_colours():
    import io

    from PIL import Image as PILImage

    rng = np.random.default_rng(9)
    palette = rng.integers(0, 256, (200, 3), dtype=np.uint8)
    indices = rng.integers(0, 200, (13, 17), dtype=np.uint8)
    decoded = PILImage.open(io.BytesIO(sliders.png(indices, palette)))
    assert decoded.mode == "P"
    np.testing.assert_array_equal(np.asarray(decoded.convert("RGB")), palette[indices])
    with pytest.raises(ValueError, match=r"pixels must index the palette's 200 colours, got index 200"):
        sliders.png(np.full((2, 2), 200, dtype=np.uint8), palette)
    with pytest.raises(ValueError, match=r"palette must be a K x 3 uint8 array, 1 <= K <= 256"):
        sliders.png(indices, np.zeros((300, 3), dtype=np.uint8))
    with pytest.raises(TypeError, match=r"palette must be a uint8 array of K x 3 colours, got int64 \(2, 3\)"):
        sliders.png(indices, np.zeros((2, 3), dtype=np.int64))


def test_a_colour_mapped_layer_travels_as_indices_into_its_map_and_looks_the_same(recorder):
    import base64
    import io
    import re

    from PIL import Image as PILImage

    fig, axes = plotting.pixel_panels(1, (24, 32))
    values = np.random.default_rng(10).normal(0, 30, (24, 32))
    view = axes[0].imshow(values, cmap="RdBu_r", vmin=-40, vmax=40)  # some values beyond the range: RGB
    def update(k):
        view.set_data(values * k / 4)
        return view

    sliders.live(fig, update, k=widgets.IntSlider(value=4, max=4))
    registered = sliders.in_memory()[-1]
    for k, mode in ((1, "P"), (4, "RGB")):  # a quarter stays inside -40..40
        registered.controls["k"].value = k
        (data,) = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="" ', recorder.updates[-1]["text/html"])
        picture = PILImage.open(io.BytesIO(base64.b64decode(data)))
        assert picture.mode == mode
        assert np.array_equal(np.asarray(picture.convert("RGB")), registered.layers[0].pixels())
    plt.close(fig)


def test_the_first_step_is_as_quick_as_the_rest_the_rehearsal_kept_the_background(recorder):
    fig, ax = plt.subplots()
    view = ax.imshow(np.zeros((4, 4)), cmap="gray", vmin=0, vmax=9)
    options = widgets.Dropdown(options=[("dark", 0), ("light", 9)], value=0)

    def update(level, shade):
        view.set_data(np.full((4, 4), shade))
        return view, ax.set_title(f"level {level}")

    sliders.live(fig, update, level=widgets.IntSlider(value=5, min=0, max=5), shade=options)
    registered = sliders.in_memory()[-1]
    assert registered.values() == {"level": 5, "shade": 0}  # back where it started
    registered.controls["level"].value = 2  # the learner's first step
    assert registered.blitter.last == "blit"
    assert sliders._neighbour(registered.controls["level"]) == 3 and sliders._neighbour(options) == 9
    assert sliders._neighbour(widgets.IntSlider(value=5, min=0, max=5)) == 4  # at the end: one step back
    assert sliders._neighbour(widgets.ToggleButton(value=False)) is True
    plt.close(fig)


def test_a_text_outside_the_frame_is_not_drawn_again_one_inside_is():
    fig, ax = plt.subplots(figsize=(3, 2), dpi=50)
    view = ax.imshow(np.zeros((8, 8)), cmap="gray", vmin=0, vmax=8)
    inside = ax.text(3.5, 3.5, "over the picture", ha="center", color="C1")  # static, drawn after it
    title = ax.set_title("a title that does not change")

    def update(level):
        view.set_data(np.full((8, 8), level))
        return [view]

    blitter, kinds = steps_match_full_drawings(fig, update, [1, 2, 3])
    assert kinds == ["background", "blit", "blit"]
    assert inside in blitter.moving and title not in blitter.moving  # the frame's contents cannot reach the title
    plt.close(fig)


def test_a_picture_at_one_screen_dot_a_pixel_travels_as_a_layer_too(recorder):
    fig, (ax,) = plotting.pixel_panels(1, (24, 32))  # 32 x 24 page pixels: 64 x 48 dots on the slider's figure
    fine = np.random.default_rng(11).integers(0, 256, (48, 64), dtype=np.uint8)
    view = ax.imshow(fine, cmap="gray", vmin=0, vmax=255, interpolation="nearest")

    def update(k):
        view.set_data(fine // (k + 1))
        return [view]

    sliders.live(fig, update, k=widgets.IntSlider(value=0, max=3))
    registered = sliders.in_memory()[-1]
    (layer,) = registered.layers
    assert (layer.width, layer.height) == (32, 24)
    registered.controls["k"].value = 2
    html = recorder.updates[-1]["text/html"]
    assert "image-rendering:auto" in html and "pixelated" not in html  # shown dot for dot, not enlarged
    page = registered.composed()
    assert np.array_equal(page_of(html), page)
    assert np.abs(page.astype(int) - registered.drawn_from_scratch()).max() <= 1
    plt.close(fig)


def test_changed_boxes_cover_every_changed_dot_in_whole_squares():
    fig, ax = plt.subplots(figsize=(3.1, 2.05), dpi=100)  # about 310 x 205 dots: the last squares are cut
    ax.plot([0, 1], [0, 1])
    title = ax.set_title("")
    note = fig.text(0.99, 0.01, "", ha="right")
    fig.canvas.draw()
    blitter = sliders.Blitter(fig)
    for step, moved in enumerate([(title,), (title, note), (note,)]):
        title.set_text("before" if step % 2 else "a title, then another")
        note.set_text(f"note {step}")
        now = blitter.draw(moved)
        before = blitter.background_pixels[..., :3]
        boxes = blitter.changed(16)
        height, width = now.shape[:2]
        assert height % 16 and width % 16  # squares cut at both edges
        covered = np.zeros((height, width), dtype=bool)
        for top, left, bottom, right in boxes:
            assert top % 16 == left % 16 == 0 and 0 < bottom - top and 0 < right - left
            assert (bottom % 16 == 0 or bottom == height) and (right % 16 == 0 or right == width)
            assert not covered[top:bottom, left:right].any()  # no dot sent twice
            covered[top:bottom, left:right] = True
            assert (now[top:bottom, left:right] != before[top:bottom, left:right]).any()
        differs = (now != before).any(axis=2)
        assert differs.any() and not (differs & ~covered).any()  # every changed dot is in a box
        # and no square that did not change: the squares covered are exactly those with a changed dot
        rows, columns = -(-height // 16), -(-width // 16)
        padded = np.zeros((16 * rows, 16 * columns), dtype=bool)
        padded[:height, :width] = differs
        squares = padded.reshape(rows, 16, columns, 16).any(axis=(1, 3))
        padded[:height, :width] = covered
        assert np.array_equal(padded.reshape(rows, 16, columns, 16).any(axis=(1, 3)), squares)
    fig.set_size_inches(4, 2)  # the canvas now has another size than its background
    fig.canvas.draw()
    with pytest.raises(ValueError, match="changed size"):
        blitter.changed(16)
    with pytest.raises(ValueError, match=r"tile must be a whole number of dots >= 1, got 0"):
        blitter.changed(0)
    plt.close(fig)


def test_a_step_sends_the_background_once_and_the_squares_that_changed(recorder, monkeypatch):
    fig, axes, grey, signed = pixel_figure()
    title = fig.text(0.98, 0.01, "", ha="right", va="bottom")  # at the bottom right, clear of the layer

    def update(k):
        title.set_text(f"step {k}")
        return title

    slider = widgets.IntSlider(value=0, min=0, max=7)
    sliders.live(fig, update, k=slider)
    registered = sliders.in_memory()[-1]
    written = []
    real_png = sliders.png
    def recorded(pixels, palette=None, **options):
        written.append((pixels.shape, options.get("small", False)))
        return real_png(pixels, palette, **options)

    monkeypatch.setattr(_png, "png", recorded)
    for k in (1, 2, 3, 2):
        slider.value = k
        html = recorder.updates[-1]["text/html"]
        assert html.count('alt="figure"') == 1  # the background, under the squares of the title
        page = page_of(html)
        assert np.array_equal(page, registered.composed())
        (dots, top, left, _), *squares = registered.pieces()
        assert dots is registered.blitter.background_pixels and (top, left) == (0, 0)
        assert squares and all(t >= dots.shape[0] // 2 for _, t, _, _ in squares)  # the bottom half: the text
        assert sum(d.shape[0] * d.shape[1] for d, *_ in squares) < dots.shape[0] * dots.shape[1] / 8
        assert np.abs(page.astype(int) - registered.drawn_from_scratch()).max() <= 1
    assert not [shape for shape, small in written if small]  # the rehearsal wrote the background; never again
    assert written and all(shape[0] <= 60 for shape, _ in written)  # only its squares (the layer did not change)

    plt.close(fig)


def test_a_step_that_changes_most_of_the_figure_sends_it_whole(recorder):
    rng = np.random.default_rng(9)
    fig = plt.figure(figsize=(2, 2))
    ax = fig.add_axes((0, 0, 1, 1))
    view = ax.imshow(rng.random((20, 20)), aspect="auto")  # the whole figure, not a pixel panel

    def update(k):
        view.set_data(rng.random((20, 20)))
        return view

    slider = widgets.IntSlider(value=0, min=0, max=3)
    sliders.live(fig, update, k=slider)
    registered = sliders.in_memory()[-1]
    slider.value = 1
    html = recorder.updates[-1]["text/html"]
    assert html.count("<img") == 1 and registered.blitter.last == "blit"
    ((dots, top, left, _),) = registered.pieces()
    assert dots.shape == registered.blitter.background_pixels.shape and (top, left) == (0, 0)
    assert dots is not registered.blitter.background_pixels  # the figure as it is now
    assert np.array_equal(page_of(html), np.asarray(fig.canvas.buffer_rgba())[..., :3])
    plt.close(fig)
