"""plotting: numbers printed on a patch and byte counts as bars, drawn and updated in place."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import plotting


def test_show_values_prints_every_value_with_contrast():
    patch = np.array([[0, 255], [10, 200]], dtype=np.uint8)
    ax = plotting.show_values(patch)
    texts = {t.get_text(): t.get_color() for t in ax.texts}
    assert texts == {"0": "white", "255": "black", "10": "white", "200": "black"}


def test_show_values_signed_floats():
    coeffs = np.array([[-415.4, 4.5], [-46.8, 0.0]])
    ax = plotting.show_values(coeffs, fmt="{:.0f}", cmap="RdBu_r", vmin=-500, vmax=500)
    assert sorted(t.get_text() for t in ax.texts) == sorted(["-415", "4", "-47", "0"])


def test_show_values_refuses_big_patches():
    with pytest.raises(ValueError, match="patch must be at most 32 x 32"):
        plotting.show_values(np.zeros((64, 64)))


def test_byte_bars_labels_and_values():
    ax = plotting.byte_bars({"raw": 786432, "zlib": 500000}, "sizes")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["raw", "zlib"]
    assert [round(p.get_width()) for p in ax.patches] == [786432, 500000]
    assert ax.get_xlabel() == "bytes"


def test_byte_bars_rejects_bad_sizes():
    with pytest.raises(TypeError, match="sizes must be a non-empty mapping"):
        plotting.byte_bars([1, 2])
    with pytest.raises(ValueError, match="sizes must be finite and >= 0"):
        plotting.byte_bars({"a": -1})


def test_update_values_changes_numbers_and_contrast_in_place():
    ax = plotting.show_values(np.array([[0, 255], [10, 200]], dtype=np.uint8))
    texts = list(ax.texts)
    plotting.update_values(ax, np.array([[255, 0], [200, 10]], dtype=np.uint8))
    assert ax.texts[:] == texts  # the same Text objects, new contents
    assert [(t.get_text(), t.get_color()) for t in ax.texts] == [
        ("255", "black"), ("0", "white"), ("200", "black"), ("10", "white")]
    np.testing.assert_array_equal(ax.images[0].get_array(), [[255, 0], [200, 10]])
    fresh = plotting.show_values(np.array([[255, 0], [200, 10]], dtype=np.uint8))
    assert [t.get_text() for t in fresh.texts] == [t.get_text() for t in ax.texts]


def test_update_values_checks_its_arguments():
    ax = plotting.show_values(np.zeros((2, 2), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"patch must have the shape of the first one, \(2, 2\), got \(3, 3\)"):
        plotting.update_values(ax, np.zeros((3, 3), dtype=np.uint8))
    _, other = plt.subplots()
    with pytest.raises(TypeError, match="ax must be the axes returned by show_values"):
        plotting.update_values(other, np.zeros((2, 2)))


def test_update_bars_moves_bars_numbers_and_range():
    ax = plotting.byte_bars({"raw": 100, "lzma": 10}, "sizes")
    plotting.update_bars(ax, {"raw": 1000, "lzma": 400})
    assert [round(p.get_width()) for p in ax.patches] == [1000, 400]
    assert [t.get_text() for t in ax.texts] == [" 1,000", " 400"]
    assert [t.get_position()[0] for t in ax.texts] == [1000, 400]
    assert ax.get_xlim() == (0, 1250)
    with pytest.raises(ValueError, match=r"sizes must have one entry per bar \(2\), got 3"):
        plotting.update_bars(ax, {"a": 1, "b": 2, "c": 3})
    with pytest.raises(ValueError, match="sizes must be finite and >= 0"):
        plotting.update_bars(ax, {"raw": 1, "lzma": float("nan")})
    _, other = plt.subplots()
    with pytest.raises(TypeError, match="ax must be the axes returned by byte_bars"):
        plotting.update_bars(other, {"raw": 1})


def test_bars_on_a_fixed_scale_leave_the_axis_alone():
    ax = plotting.byte_bars({"raw": 100, "lzma": 10}, limit=5000)
    assert ax.get_xlim() == (0, 5000)
    ax.figure.canvas.draw()
    ax.xaxis.stale = False
    plotting.update_bars(ax, {"raw": 1000, "lzma": 400}, limit=5000)
    assert ax.get_xlim() == (0, 5000) and not ax.xaxis.stale  # a slider need not draw the axis again
    assert ax.get_axisbelow() is True  # and it is drawn under the bars, so moving them does not touch it
    plotting.update_bars(ax, {"raw": 1000, "lzma": 400})
    assert ax.get_xlim() == (0, 1250)
    with pytest.raises(ValueError, match="limit must be a positive number of bytes, got 0"):
        plotting.update_bars(ax, {"raw": 1, "lzma": 2}, limit=0)
