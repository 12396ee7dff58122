"""plotting: pictures drawn pixel for pixel (show, side_by_side, pixel panels, close-ups)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import plotting


def test_show_uses_the_full_fixed_range_for_grey():
    dim = np.full((4, 4), 100, dtype=np.uint8)
    ax = plotting.show(dim, "dim")
    image = ax.get_images()[0]
    assert image.get_clim() == (0, 255)
    assert ax.get_title() == "dim"
    assert image.get_interpolation() == "nearest"


def test_show_colour_keeps_the_pixels():
    rgb = np.zeros((2, 2, 3), dtype=np.uint8)
    rgb[0, 0] = [255, 0, 0]
    ax = plotting.show(rgb)
    np.testing.assert_array_equal(ax.get_images()[0].get_array(), rgb)


def test_side_by_side_one_axis_per_picture():
    pics = [np.zeros((8, 16), dtype=np.uint8)] * 3
    fig = plotting.side_by_side(pics, ["a", "b", "c"])
    assert [ax.get_title() for ax in fig.axes] == ["a", "b", "c"]


def test_side_by_side_checks_titles_and_pictures():
    with pytest.raises(ValueError, match=r"titles must be a list with one title per picture \(1\), got \[.a., .b.\]"):
        plotting.side_by_side([np.zeros((2, 2))], ["a", "b"])
    with pytest.raises(TypeError, match="images must be a non-empty list"):
        plotting.side_by_side([])
    with pytest.raises(TypeError, match=r"images\[1\] must be a numpy array"):
        plotting.side_by_side([np.zeros((2, 2)), "picture"])


# (1, (36, 56), 20) and (1, (51, 56), 44) lost a row on matplotlib 3.7 before pixel_panels rounded
# to the safe side; (1, (30, 56), 20) with bottom 8 made a figure one pixel short
@pytest.mark.parametrize("count, shape, top, bottom", [(1, (40, 56), 20, 6), (2, (40, 56), 20, 6),
                                                       (1, (320, 320), 44, 6), (1, (36, 56), 20, 6),
                                                       (1, (51, 56), 44, 6), (1, (30, 56), 20, 8),
                                                       (3, (72, 101), 44, 8)])
def test_pixel_panels_show_pictures_one_screen_pixel_per_pixel(count, shape, top, bottom):
    picture = np.random.default_rng(4).integers(0, 256, shape, dtype=np.uint8)
    fig, axes = plotting.pixel_panels(count, picture.shape, gap=10, top=top, bottom=bottom)
    for ax in axes:
        plotting.show(picture, ax=ax)
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    height, width = shape
    assert pixels.shape == (top + height + bottom, count * width + (count + 1) * 10, 3)
    for i, ax in enumerate(axes):
        left = 10 + i * (width + 10)
        shown = pixels[top : top + height, left : left + width]
        # every pixel in its place (random pixels: any scaling or shift would be far off); the grey
        # colour map's 256 steps may round a level by one
        assert np.abs(shown.astype(int) - picture[..., None]).max() <= 1
        assert np.array_equal(plotting.screen_pixels(ax), shown)
    plt.close(fig)


def test_pixel_panels_keep_their_corners_whatever_is_drawn_in_them():
    picture = np.random.default_rng(5).integers(0, 256, (36, 56), dtype=np.uint8)
    fig, (ax,) = plotting.pixel_panels(1, picture.shape, gap=10, top=20, bottom=6)
    ax.imshow(picture, cmap="gray", vmin=0, vmax=255)  # aspect "equal", not through show()
    assert np.abs(plotting.screen_pixels(ax)[..., 0].astype(int) - picture).max() <= 1
    plt.close(fig)


def test_screen_pixels_are_what_the_axes_shows():
    fig, ax = plt.subplots(figsize=(2, 1), dpi=100)
    ax.set_position((0.25, 0.2, 0.5, 0.6))
    ax.set_facecolor("red")  # the axes' background, and nothing else: no frame, no ticks
    ax.spines[:].set_visible(False)
    ax.set_xticks([])
    ax.set_yticks([])
    pixels = plotting.screen_pixels(ax)
    assert pixels.shape == (60, 100, 3)
    assert (pixels == (255, 0, 0)).all()
    plt.close(fig)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes, got Figure"):
        plotting.screen_pixels(fig)


@pytest.mark.parametrize("n, d", [(56, 100.0), (58, 100.0), (57, 101.0), (320, 100.0), (0, 100.0), (7, 3.0)])
def test_ratio_errs_on_the_side_asked_for(n, d):
    up, down = plotting._ratio(n, d, "up"), plotting._ratio(n, d, "down")
    assert down * d <= n <= up * d
    assert abs(up - n / d) <= 2 * np.spacing(n / d) and abs(down - n / d) <= 2 * np.spacing(n / d)


def test_pixel_panels_checks_its_arguments():
    with pytest.raises(ValueError, match="count must be >= 1, got 0"):
        plotting.pixel_panels(0, (8, 8))
    with pytest.raises(TypeError, match=r"shape must be a \(height, width\) tuple, got \[8, 8\]"):
        plotting.pixel_panels(1, [8, 8])
    with pytest.raises(TypeError, match="shape\\[1\\] must be an integer"):
        plotting.pixel_panels(1, (8, 8.5))


def test_pixel_panels_at_twice_the_dpi_show_each_pixel_as_a_sharp_2x2_square():
    # what a slider (helpers.sliders.live) and a retina figure draw on a high-density screen
    picture = np.random.default_rng(6).integers(0, 256, (40, 56), dtype=np.uint8)
    fig, (ax,) = plotting.pixel_panels(1, picture.shape, gap=10, top=20, bottom=6)
    plotting.show(picture, ax=ax)
    fig.set_dpi(2 * fig.dpi)
    shown = plotting.screen_pixels(ax)[..., 0].astype(int)
    assert shown.shape == (80, 112)
    for dy in (0, 1):
        for dx in (0, 1):
            assert np.abs(shown[dy::2, dx::2] - picture).max() <= 1
    plt.close(fig)


@pytest.mark.parametrize("size, left, top, shape", [((712, 412), 482, 176, (208, 208)), ((300, 200), 13, 7, (37, 51)),
                                                     ((300, 200), 0, 0, (200, 300))])
def test_pixel_panel_in_a_figure_laid_out_by_hand_covers_whole_pixels(size, left, top, shape):
    dpi = plt.rcParams["figure.dpi"]
    fig = plt.figure(figsize=(size[0] / dpi, size[1] / dpi), layout="none")
    fig.add_axes((0.1, 0.1, 0.3, 0.3)).plot([0, 1])  # something else in the figure
    ax = plotting.pixel_panel(fig, left, top, shape)
    picture = np.random.default_rng(7).integers(0, 256, shape, dtype=np.uint8)
    plotting.show(picture, ax=ax)
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., 0].astype(int)
    assert np.abs(pixels[top : top + shape[0], left : left + shape[1]] - picture).max() <= 1
    assert np.array_equal(plotting.screen_pixels(ax)[..., 0], pixels[top : top + shape[0], left : left + shape[1]])
    plt.close(fig)


def test_pixel_panel_checks_its_arguments():
    fig = plt.figure(figsize=(3, 2), dpi=100, layout="none")
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure, got Axes"):
        plotting.pixel_panel(fig.add_axes((0, 0, 1, 1)), 0, 0, (8, 8))
    with pytest.raises(ValueError,
                       match=r"a panel of 8 x 8 page pixels at \(295, 0\) does not fit in a figure of 300 x 200"):
        plotting.pixel_panel(fig, 295, 0, (8, 8))
    with pytest.raises(ValueError, match="top must be >= 0, got -1"):
        plotting.pixel_panel(fig, 0, -1, (8, 8))
    plt.close(fig)


def test_closeups_enlarge_the_region_and_mark_it_on_the_overview():
    rng = np.random.default_rng(7)
    original = rng.integers(0, 256, (64, 96), dtype=np.uint8)
    changed = 255 - original
    region = np.s_[10:20, 30:45]
    fig, axes = plotting.closeups([original, changed], ["original", "changed"], region, scale=3, overview=48)
    assert len(axes) == 3 and [ax.get_title() for ax in axes[1:]] == ["original", "changed"]
    (outline,) = axes[0].patches
    assert (outline.get_x(), outline.get_y(), outline.get_width(), outline.get_height()) == (29.5, 9.5, 15, 10)
    for ax, picture in zip(axes[1:], (original, changed)):
        shown = plotting.screen_pixels(ax)[..., 0].astype(int)
        assert shown.shape == (30, 45)  # 3 page pixels for each pixel, each way
        assert np.abs(shown[1::3, 1::3] - picture[region]).max() <= 1
        assert np.abs(shown[::3, ::3] - shown[2::3, 2::3]).max() == 0  # nearest: squares, not blur
    assert plotting.screen_pixels(axes[0]).shape[:2] == (32, 48)  # the overview keeps the aspect
    plt.close(fig)


def test_closeups_check_their_arguments():
    grey = np.zeros((20, 30), dtype=np.uint8)
    with pytest.raises(TypeError, match="region must be a pair of slices"):
        plotting.closeups([grey], ["a"], (slice(0, 5), 3))
    with pytest.raises(ValueError, match=r"region\[1\] must be a non-empty slice"):
        plotting.closeups([grey], ["a"], np.s_[0:5, 10:10])
    with pytest.raises(ValueError, match="titles must be a list with one title per picture"):
        plotting.closeups([grey, grey], ["a"], np.s_[0:5, 0:5])
    with pytest.raises(ValueError, match="pictures must all have one shape"):
        plotting.closeups([grey, grey[:10]], ["a", "b"], np.s_[0:5, 0:5])
    with pytest.raises(TypeError, match="pictures must be a non-empty list"):
        plotting.closeups(grey, ["a"], np.s_[0:5, 0:5])
    with pytest.raises(ValueError, match="scale must be >= 1"):
        plotting.closeups([grey], ["a"], np.s_[0:5, 0:5], scale=0)
