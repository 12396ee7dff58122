import base64
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import helpers
from helpers import images


@pytest.mark.parametrize(
    "name, shape",
    [("astronaut", (512, 512, 3)), ("camera", (512, 512)), ("coffee", (400, 600, 3)), ("chelsea", (300, 451, 3))],
)
def test_load_shapes_and_dtype(name, shape):
    picture = images.load(name)
    assert picture.shape == shape
    assert picture.dtype == np.uint8


def test_load_matches_the_file_pixel_for_pixel():
    with Image.open(images.PICTURES / "coffee.png") as file:
        expected = np.asarray(file.convert("RGB"))
    np.testing.assert_array_equal(images.load("coffee"), expected)


def test_default_is_the_astronaut():
    np.testing.assert_array_equal(images.load(), images.load("astronaut"))


def test_grey_uses_bt601_weights():
    rgb = images.load("chelsea")
    grey = images.load("chelsea", grey=True)
    assert grey.shape == rgb.shape[:2]
    expected = np.rint(0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2])
    np.testing.assert_array_equal(grey, expected.astype(np.uint8))


def test_grey_agrees_with_pillow_within_one_level():
    rgb = images.load("astronaut")
    pillow = np.asarray(Image.fromarray(rgb).convert("L")).astype(int)
    assert np.abs(images.to_grey(rgb).astype(int) - pillow).max() <= 1


def test_pure_colours_have_the_published_luma():
    pixels = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]]], dtype=np.uint8)
    np.testing.assert_array_equal(images.to_grey(pixels), [[76, 150, 29, 255]])


def test_grey_picture_stays_grey():
    camera = images.load("camera")
    np.testing.assert_array_equal(images.load("camera", grey=True), camera)


def test_unknown_name_lists_the_names():
    with pytest.raises(ValueError, match="name must be one of 'astronaut', 'camera', 'coffee', 'chelsea', got 'lena'"):
        images.load("lena")


def test_name_must_be_a_string():
    with pytest.raises(ValueError, match="name must be one of"):
        images.load(3)


def test_grey_must_be_a_bool():
    with pytest.raises(TypeError, match="grey must be True or False"):
        images.load("camera", grey="yes")


def test_to_grey_rejects_floats():
    with pytest.raises(TypeError, match="image must have dtype uint8"):
        images.to_grey(np.zeros((4, 4, 3)))


def test_every_picture_has_provenance():
    readme = (images.PICTURES / "README.md").read_text()
    for name in images.NAMES:
        assert f"{name}.png" in readme


def test_setup_seeds_and_styles():
    import matplotlib as mpl

    first = helpers.setup().integers(0, 1000, 5)
    again = helpers.setup().integers(0, 1000, 5)
    np.testing.assert_array_equal(first, again)
    assert mpl.rcParams["image.cmap"] == "gray"
    assert mpl.rcParams["image.interpolation"] == "nearest"
    assert np.random.randint(1000) == np.random.RandomState(0).randint(1000)


def test_setup_rejects_a_bad_seed():
    with pytest.raises(ValueError, match="seed must be >= 0, got -1"):
        helpers.setup(-1)


def _python(code: str) -> str:
    """What a fresh Python process that runs ``code`` prints."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_import_has_no_side_effects():
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams); import helpers; "
        "assert dict(mpl.rcParams) == before; print('clean')"
    )
    assert _python(code) == "clean"


def test_import_helpers_jpeg_loads_no_pyplot_widgets_or_ipython():
    code = (
        "import sys, helpers.jpeg; "
        "print(sorted(m for m in ('matplotlib.pyplot', 'ipywidgets', 'IPython') if m in sys.modules))"
    )
    assert _python(code) == "[]"


def test_submodules_load_on_first_use():
    from helpers import jpeg, plotting

    assert helpers.images is images and helpers.jpeg is jpeg and helpers.plotting is plotting
    assert set(helpers.SUBMODULES) <= set(dir(helpers)) and "setup" in helpers.__all__
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        helpers.nope  # noqa: B018


def test_setup_in_a_notebook_draws_figures_for_2x_screens():
    # In IPython, setup() has every inline figure drawn at twice its dpi and shown at its own size.
    import matplotlib.pyplot as plt
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        helpers.setup()
        fig = plt.figure(figsize=(2, 1))  # 160 x 80 page pixels at the course's 80 dpi
        fig.add_subplot().plot([0, 1])
        data, metadata = shell.display_formatter.format(fig)
        png = data["image/png"]
        png = base64.b64decode(png) if isinstance(png, str) else png
        assert int.from_bytes(png[16:20], "big") > 300  # drawn with about twice the pixels...
        assert metadata["image/png"]["width"] == int.from_bytes(png[16:20], "big") // 2  # ...shown at half
        plt.close(fig)
    finally:
        InteractiveShell.clear_instance()
