"""Tests for helpers/jpeg/_analysis.py: analyse, bit_budget and block_bits.

Where the bits of a file go: the analysis is the file :func:`encode` writes
with its budget and its bits per block, from one encode; the budget adds up
to the file, the blocks' bits to the scan.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers import images, jpeg
from jpegfiles import picture, segment_named, subsampling_for

# --- The budget ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["grey", "4:2:0"])
def test_bit_budget_adds_up_to_the_file(astronaut, mode):
    image = picture(astronaut, mode)
    budgets = {}
    for optimize in (False, True):
        budget = jpeg.bit_budget(image, 75, subsampling=subsampling_for(mode), optimize=optimize)
        data = jpeg.encode(image, 75, subsampling=subsampling_for(mode), optimize=optimize)
        assert list(budget) == ["headers", "DC codes", "DC amplitudes", "AC codes",
                                "AC amplitudes", "EOB codes", "padding and stuffing"]  # fmt: skip
        assert sum(budget.values()) == len(data)
        assert budget["headers"] == segment_named(data, "ECS").offset + 2
        assert all(value >= 0 for value in budget.values())
        dc = budget["DC codes"] + budget["DC amplitudes"]
        assert budget["AC codes"] + budget["AC amplitudes"] > dc
        budgets[optimize] = budget
    # Better codes, the very same amplitudes.
    assert budgets[True]["AC codes"] < budgets[False]["AC codes"]
    assert budgets[True]["AC amplitudes"] == budgets[False]["AC amplitudes"]


# --- Bits per block ------------------------------------------------------------------------


def _scan_bits(budget: dict[str, float]) -> float:
    keys = ("DC codes", "DC amplitudes", "AC codes", "AC amplitudes", "EOB codes")
    return 8 * sum(budget[key] for key in keys)


@pytest.mark.parametrize(
    ("mode", "rdo"), [("grey", False), ("4:2:0", True), ("4:2:2", False), ("4:4:4", True)]
)
def test_block_bits_add_up_to_the_scan(chelsea, mode, rdo):
    image = picture(chelsea, mode)
    options = {"subsampling": subsampling_for(mode), "optimize": True, "rdo": rdo}
    components = ["Y"] if mode == "grey" else ["Y", "Cb", "Cr"]
    grids = {c: jpeg.block_bits(image, 60, component=c, **options) for c in components}
    budget = jpeg.bit_budget(image, 60, **options)
    assert sum(int(g.sum()) for g in grids.values()) == _scan_bits(budget)
    # Shapes: whole MCUs of each component (chelsea is 300 x 451).
    fy, fx = (1, 1) if mode == "grey" else jpeg.SUBSAMPLING[mode]
    mcu_rows, mcu_cols = math.ceil(300 / (8 * fy)), math.ceil(451 / (8 * fx))
    assert grids["Y"].shape == (mcu_rows * fy, mcu_cols * fx)
    for c in components[1:]:
        assert grids[c].shape == (mcu_rows, mcu_cols)
    assert all(g.dtype == np.int64 and g.min() >= 2 for g in grids.values())  # DC + EOB at least


def test_block_bits_of_one_block_and_where_the_bits_go(astronaut):
    tiny = picture(astronaut, "grey", (8, 8))
    bits = jpeg.block_bits(tiny, 50)
    assert bits.shape == (1, 1) and bits[0, 0] == _scan_bits(jpeg.bit_budget(tiny, 50))
    # Across the astronaut: flat blocks (the black background) cost a few bits, busy ones many.
    bits = jpeg.block_bits(astronaut, 75, optimize=True, rdo=True)
    assert bits.shape == (64, 64)
    spread = images.to_grey(astronaut).reshape(64, 8, 64, 8).std(axis=(1, 3))
    assert (spread < 1).sum() > 100 and np.median(bits[spread < 1]) <= 8
    assert bits[spread > 40].mean() > 100
    # The trellis saves bits mostly where there are many: compare block by block.
    plain = jpeg.block_bits(astronaut, 75, optimize=True)
    assert plain.sum() > bits.sum()


def test_block_bits_of_dummy_blocks():
    """A 17 x 17 colour picture in 4:2:0: 2 x 2 MCUs, so 4 x 4 luma blocks of which 3 x 3
    are the picture's; the others are libjpeg's padding blocks, DC unchanged and EOB."""
    image = np.random.default_rng(0).integers(0, 256, (17, 17, 3), dtype=np.uint8)
    bits = jpeg.block_bits(image, 75)
    assert bits.shape == (4, 4)
    dc0, eob = 2, 4  # standard luma tables: difference 0 is 2 bits, EOB 4
    assert (bits[:, 3] == dc0 + eob).all() and (bits[3, :] == dc0 + eob).all()


# --- One analysis: the file, its budget and its bits per block from one encode ----------------


@pytest.mark.parametrize(
    ("mode", "shape", "options"),
    [
        ("grey", (33, 47), {}),
        ("4:2:0", (17, 17), {"optimize": True}),
        ("4:2:2", (33, 47), {"optimize": True, "rdo": True}),
        ("4:4:4", (7, 3), {"rdo": True, "lam": 12.5}),
        ("4:2:0", None, {"optimize": True}),
    ],
)
def test_analysis_is_encode_bit_budget_and_block_bits(chelsea, mode, shape, options):
    image = picture(chelsea, mode, shape)
    options = {"subsampling": subsampling_for(mode), **options}
    analysis = jpeg.analyse(image, 60, **options)
    assert analysis.data == jpeg.encode(image, 60, **options)
    assert dict(analysis.budget) == jpeg.bit_budget(image, 60, **options)
    components = ["Y"] if mode == "grey" else ["Y", "Cb", "Cr"]
    assert list(analysis.block_bits) == list(analysis.padded_bits) == components
    height, width = image.shape[:2]
    fy, fx = (1, 1) if mode == "grey" else jpeg.SUBSAMPLING[mode]
    for c in components:
        padded = jpeg.block_bits(image, 60, component=c, **options)
        assert np.array_equal(analysis.padded_bits[c], padded)
        # Cropped to the picture: its blocks, in the component's own (subsampled) plane.
        down, across = (1, 1) if c == "Y" else (fy, fx)
        rows, cols = math.ceil(math.ceil(height / down) / 8), math.ceil(math.ceil(width / across) / 8)
        assert np.array_equal(analysis.block_bits[c], padded[:rows, :cols])
    assert "bytes; blocks Y" in repr(analysis) and f"{len(analysis.data):,} bytes" in repr(analysis)


def test_analysis_adds_up(chelsea):
    """Every block's bits, padding blocks included, are the scan's bits; the padding blocks cost "DC 0, EOB"."""
    image = picture(chelsea, "4:2:0")  # 300 x 451: 19 x 29 MCUs, one column of Y blocks and a row of chroma too many
    analysis = jpeg.analyse(image, 75)
    padded, cropped = analysis.padded_bits, analysis.block_bits
    assert sum(int(grid.sum()) for grid in padded.values()) == _scan_bits(analysis.budget)
    assert sum(analysis.budget.values()) == len(analysis.data)
    assert cropped["Y"].shape == (38, 57) and padded["Y"].shape == (38, 58)
    assert cropped["Cb"].shape == cropped["Cr"].shape == padded["Cb"].shape == (19, 29)
    dc0, eob = 2, 4  # standard luma tables: difference 0 is 2 bits, EOB 4
    assert (padded["Y"][:, 57] == dc0 + eob).all()
    assert int(padded["Y"].sum() - cropped["Y"].sum()) == 38 * (dc0 + eob)


def test_analysis_is_read_only(astronaut):
    analysis = jpeg.analyse(astronaut[:16, :24], 50)
    with pytest.raises(ValueError, match="read-only"):
        analysis.block_bits["Y"][0, 0] = 0
    with pytest.raises(ValueError, match="read-only"):
        analysis.padded_bits["Cb"][0, 0] = 0
    with pytest.raises(TypeError):
        analysis.budget["headers"] = 0
    with pytest.raises(AttributeError):
        analysis.data = b""
    mine = jpeg.block_bits(astronaut[:16, :24], 50)  # a copy of its own, for the caller to change
    mine[0, 0] = 0
    assert analysis.padded_bits["Y"][0, 0] > 0


def test_analysis_names_an_unknown_argument(astronaut):
    image = astronaut[:8, :8]
    with pytest.raises(TypeError, match="encode\\(\\) got an unexpected keyword argument 'optimise'"):
        jpeg.encode(image, optimise=True)
    for function in (jpeg.analyse, jpeg.bit_budget, jpeg.block_bits):
        with pytest.raises(TypeError, match=f"{function.__name__}\\(\\) got an unexpected keyword argument 'optimise'"):
            function(image, optimise=True)
    with pytest.raises(TypeError, match="takes from 1 to 2 positional arguments"):
        jpeg.analyse(image, 75, "4:2:0")
