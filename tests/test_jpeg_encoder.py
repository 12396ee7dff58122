"""Tests for helpers/jpeg/_encoder.py: encode against libjpeg (analyse and its parts: test_jpeg_analysis.py).

The references are libjpeg-turbo twice over: Pillow (which bundles it) and the
``djpeg`` program of the system's libjpeg-turbo. Every file we write must open
in both without a warning, and for the same picture, quality and tables our
files must be as small and as good as libjpeg's.
"""

from __future__ import annotations

import io

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


def test_explicit_tables_are_written_and_used_as_libjpeg_uses_them(chelsea):
    """encode(tables=(luma, chroma)): the file's DQT holds them, and its levels are libjpeg's with the same tables.

    Pillow's ``qtables`` hands libjpeg the same two tables: nearly every level
    agrees (99.5 % here; as at a quality, test_our_quantized_levels_are_libjpegs), and so
    does the size. libjpeg's own tables passed this way give the very file
    that ``quality`` gives.
    """
    from helpers.jpeg import _markers

    image = chelsea[:200, :280]
    rng = np.random.default_rng(3)
    luma = np.full((8, 8), 12)
    chroma = rng.integers(1, 256, (8, 8))
    ours = jpeg.encode(image, tables=(luma, chroma))
    written = [zigzag for _, code, payload in _markers.walk(ours) if code == _markers.DQT
               for _, zigzag in _markers.read_dqt(payload)]
    assert written == [jpeg.to_zigzag(luma).tolist(), jpeg.to_zigzag(chroma).tolist()]
    theirs = pillow_save(image, qtables=[luma.ravel().tolist(), chroma.ravel().tolist()], subsampling=2)
    for a, b in zip(jpeg._read_levels(ours).levels, jpeg._read_levels(theirs).levels, strict=True):
        assert a.shape == b.shape and np.mean(a == b) >= 0.99 and np.abs(a - b).max() <= 1  # steps of 1 differ most
    assert abs(len(ours) / len(theirs) - 1) < 0.01
    assert len(jpeg.encode(image, tables=(luma, chroma), optimize=True, rdo=True)) < len(ours)
    for quality in (30, 75, 95):
        libjpegs = (jpeg.quantization_table(quality), jpeg.quantization_table(quality, chroma=True))
        assert jpeg.encode(image, 50, tables=libjpegs) == jpeg.encode(image, quality)
    grey = images.to_grey(image)  # one component, one table: the luma one
    assert jpeg.encode(grey, tables=(luma, chroma)) == jpeg.encode(grey, tables=(luma, luma))


def test_bad_tables_are_named(astronaut):
    small, table = astronaut[:8, :8], np.full((8, 8), 10)
    for tables, kind, message in (
        (table, TypeError, r"tables must be None, .psnr. or a pair \(luma, chroma\) of 8 x 8 arrays of steps, got"),
        ([table], TypeError, "of length 1"),
        ((table, table.tolist()), TypeError, r"tables\[1\] \(chroma\) must be a numpy array"),
        ((table[:4], table), ValueError, r"tables\[0\] \(luma\) must be 8 x 8 steps.*got shape \(4, 8\)"),
        ((table, table * 0), ValueError, r"tables\[1\] \(chroma\) must hold whole steps from 1 to 255.*from 0 to 0"),
        ((table * 26, table), ValueError, "whole steps from 1 to 255.*from 260 to 260"),
        ((table + 0.5, table), ValueError, "whole steps"),
    ):
        with pytest.raises(kind, match=message):
            jpeg.encode(small, tables=tables)
