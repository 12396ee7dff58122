"""Tests for helpers/jpeg/_encoder.py: encode, analyse, bit_budget and block_bits against libjpeg.

The references are libjpeg-turbo twice over: Pillow (which bundles it) and the
``djpeg`` program of the system's libjpeg-turbo. Every file we write must open
in both without a warning, and for the same picture, quality and tables our
files must be as small and as good as libjpeg's.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image

from helpers import huffman, images, jpeg, metrics
from helpers.jpeg import _markers
from jpegfiles import (
    MODES,
    PILLOW_SUBSAMPLING,
    agree,
    djpeg,
    needs_djpeg,
    picture,
    pillow_open,
    pillow_save,
    pillow_subsampling,
    segment_named,
    subsampling_for,
)

QUALITIES = [1, 5, 10, 25, 50, 75, 90, 95, 100]
SHAPES = [(1, 1), (1, 17), (7, 3), (8, 8), (16, 16), (33, 47)]


# --- Our files open in libjpeg ------------------------------------------------------


def _our_files(image: np.ndarray, mode: str):
    """Our file of ``image`` at every quality of QUALITIES, standard and optimized tables."""
    for quality in QUALITIES:
        for optimize in (False, True):
            yield jpeg.encode(image, quality, subsampling=subsampling_for(mode), optimize=optimize)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("mode", MODES)
def test_pillow_reads_our_small_files_and_we_read_them_alike(astronaut, mode, shape):
    image = picture(astronaut, mode, shape)
    for quality, data in zip(np.repeat(QUALITIES, 2), _our_files(image, mode), strict=True):
        with Image.open(io.BytesIO(data)) as file:
            assert file.format == "JPEG" and file.mode == ("L" if mode == "grey" else "RGB")
            assert file.size == (shape[1], shape[0])
        pillow = pillow_open(data)
        agree(jpeg.decode(data), pillow, psnr=45)
        if quality >= 90:  # and the picture is still the picture
            assert metrics.psnr(image, pillow) > 30


@pytest.mark.parametrize("optimize", [False, True])
@pytest.mark.parametrize("mode", MODES)
def test_a_photograph_with_odd_sides(chelsea, mode, optimize):
    image = picture(chelsea, mode)
    data = jpeg.encode(image, 80, subsampling=subsampling_for(mode), optimize=optimize)
    pillow = pillow_open(data)
    assert metrics.psnr(image, pillow) > 32
    agree(jpeg.decode(data), pillow, psnr=55)


@needs_djpeg
@pytest.mark.parametrize("mode", MODES)
def test_djpeg_reads_our_files_without_a_warning(astronaut, chelsea, mode):
    """libjpeg-turbo's own decoder program: exit code 0, nothing on stderr, Pillow's pixels."""
    pictures = [picture(astronaut, mode, shape) for shape in SHAPES]
    for data in (d for image in pictures for d in _our_files(image, mode)):
        np.testing.assert_array_equal(djpeg(data), pillow_open(data))
    for photo in (astronaut, chelsea):
        for quality in (30, 75, 95):
            data = jpeg.encode(picture(photo, mode), quality, subsampling=subsampling_for(mode))
            np.testing.assert_array_equal(djpeg(data), pillow_open(data))


def test_our_headers_are_libjpegs_byte_for_byte(astronaut):
    for mode in MODES:
        image = picture(astronaut, mode)
        ours = jpeg.encode(image, 75, subsampling=subsampling_for(mode))
        theirs = pillow_save(image, quality=75, **pillow_subsampling(mode))
        scan = segment_named(ours, "ECS").offset  # SOI, APP0, DQT, SOF0, DHT, SOS: all the same
        assert scan == segment_named(theirs, "ECS").offset
        assert ours[:scan] == theirs[:scan], mode


@pytest.mark.parametrize("optimize", [False, True], ids=["standard", "optimized"])
@pytest.mark.parametrize("quality", [50, 75, 90])
@pytest.mark.parametrize("mode", ["grey", "4:4:4", "4:2:0"])
def test_as_small_and_as_good_as_libjpeg(astronaut, mode, quality, optimize):
    """Same picture, quality and kind of tables: at most 1 % bigger, PSNR within 0.1 dB.

    Measured (astronaut, ours / Pillow): 0.993..0.998 of the size, PSNR within 0.01 dB.
    """
    image = picture(astronaut, mode)
    subsampling = subsampling_for(mode)
    ours = jpeg.encode(image, quality, subsampling=subsampling, optimize=optimize)
    theirs = pillow_save(image, quality=quality, optimize=optimize, **pillow_subsampling(mode))
    assert len(ours) <= 1.01 * len(theirs), f"{len(ours)} bytes against libjpeg's {len(theirs)}"
    ours_psnr = metrics.psnr(image, pillow_open(ours))
    theirs_psnr = metrics.psnr(image, pillow_open(theirs))
    assert abs(ours_psnr - theirs_psnr) <= 0.1, f"{ours_psnr:.3f} dB against {theirs_psnr:.3f} dB"


def _huffman_tables(data: bytes) -> list[tuple[int, int, huffman.HuffmanSpec]]:
    """Every (class, id, spec) the DHT segments of a file define, in file order."""
    found = []
    for s in jpeg.segments(data):
        if s.name == "DHT":
            found += _markers.read_dht(data[s.offset + 4 : s.offset + s.size])
    return found


def test_optimized_tables_are_libjpegs_or_nearly(astronaut):
    """With optimize=True we build the tables libjpeg builds from nearly the same counts.

    Our float DCT rounds a few levels differently from libjpeg's integer one,
    so the symbol counts differ a little. Measured on the astronaut at quality
    75: the DC tables come out identical, the AC tables give the same symbols
    codes whose lengths differ by at most 1 bit.
    """
    image = picture(astronaut, "4:2:0")
    ours = _huffman_tables(jpeg.encode(image, 75, optimize=True))
    theirs = _huffman_tables(pillow_save(image, quality=75, optimize=True))
    assert (
        [(c, i) for c, i, _ in ours]
        == [(c, i) for c, i, _ in theirs]
        == [(0, 0), (1, 0), (0, 1), (1, 1)]
    )
    for (table_class, _, a), (_, _, b) in zip(ours, theirs, strict=True):
        if table_class == 0:
            assert a == b
        lengths_a, lengths_b = huffman.code_table(a)[1], huffman.code_table(b)[1]
        np.testing.assert_array_equal(lengths_a > 0, lengths_b > 0)  # the same symbols
        assert np.abs(lengths_a.astype(int) - lengths_b).max() <= 1
    assert len(jpeg.encode(image, 75, optimize=True)) < 0.99 * len(jpeg.encode(image, 75))


@pytest.mark.parametrize("mode", ["4:2:2", "4:2:0"])
def test_our_quantized_levels_are_libjpegs(chelsea, mode):
    """Read the quantized levels back from our file and from libjpeg's: nearly all equal.

    This checks colour conversion, downsampling with its edge padding, DCT and
    quantization together. Random pixels, 26 x 22, make the padding matter
    (libjpeg repeats the last *subsampled* row, not the last pixel row: the
    other way, about 20 % of the chroma levels of this picture differ at
    quality 90); the photograph is the everyday case. Measured: 98.8 % and
    more equal for the random pixels, 99.7 % for the photograph; never more
    than 1 apart.
    """
    noise = np.random.default_rng(1).integers(0, 256, (26, 22, 3), dtype=np.uint8)
    for image, quality, share in ((noise, 90, 0.98), (chelsea[:282, :437], 75, 0.995)):
        ours = jpeg.encode(image, quality, subsampling=mode)
        theirs = pillow_save(image, quality=quality, subsampling=PILLOW_SUBSAMPLING[mode])
        for a, b in zip(
            jpeg._read_levels(ours).levels, jpeg._read_levels(theirs).levels, strict=True
        ):
            assert a.shape == b.shape
            assert np.mean(a == b) >= share and np.abs(a - b).max() <= 1


def test_round_trip_at_quality_100(astronaut):
    data = jpeg.encode(astronaut, 100, subsampling="4:4:4")
    back = jpeg.decode(data)
    assert back.shape == astronaut.shape and back.dtype == np.uint8
    assert metrics.psnr(astronaut, back) > 45
    grey = images.to_grey(astronaut)
    assert metrics.psnr(grey, jpeg.decode(jpeg.encode(grey, 100))) > 50


def test_bad_arguments_are_named(astronaut):
    small = astronaut[:8, :8]
    type_errors = [
        ({"image": small.tolist()}, "image must be a numpy array"),
        ({"image": small.astype(np.float64)}, "image must have dtype uint8"),
        ({"image": small.astype(np.int16)}, "image must have dtype uint8"),
        ({"quality": 75.0}, "quality must be an integer"),
        ({"quality": True}, "quality must be an integer"),
        ({"optimize": "yes"}, "optimize must be True or False"),
    ]
    value_errors = [
        ({"image": np.zeros((8, 8, 4), np.uint8)}, r"image must be H x W \(grey\) or H x W x 3"),
        ({"image": np.zeros((0, 8), np.uint8)}, "image must not be empty"),
        ({"image": np.zeros((8,), np.uint8)}, "image must have 2 or 3 dimensions"),
        ({"image": np.zeros((1, 70000), np.uint8)}, "image must be at most 65535"),
        ({"quality": 0}, r"quality must be 1..100, got 0"),
        ({"quality": 101}, r"quality must be 1..100, got 101"),
        ({"subsampling": "4:1:1"}, "subsampling must be one of '4:4:4', '4:2:2', '4:2:0'"),
        ({"subsampling": None}, "subsampling must be one of"),
    ]
    for errors, kind in ((type_errors, TypeError), (value_errors, ValueError)):
        for change, message in errors:
            arguments = {"image": small, "quality": 75, "subsampling": "4:2:0", "optimize": False}
            arguments.update(change)
            image = arguments.pop("image")
            quality = arguments.pop("quality")
            with pytest.raises(kind, match=message):
                jpeg.encode(image, quality, **arguments)
            for function in (jpeg.analyse, jpeg.bit_budget, jpeg.block_bits):
                with pytest.raises(kind, match=message):
                    function(image, quality, **arguments)
    for not_bytes in ("\xff\xd8", None, np.zeros(4, np.uint8), [255, 216]):
        with pytest.raises(TypeError, match="data must be bytes"):
            jpeg.decode(not_bytes)
        with pytest.raises(TypeError, match="data must be bytes"):
            jpeg.segments(not_bytes)


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
