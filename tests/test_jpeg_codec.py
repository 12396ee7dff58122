"""Tests for the JPEG codec at the end of helpers.jpeg: encode, decode, segments, bit_budget.

The references are libjpeg-turbo twice over: Pillow (which bundles it) and the
``djpeg`` / ``cjpeg`` programs of the system's libjpeg-turbo. Every file we
write must open in both without a warning; our decoder must agree with Pillow
on our files and on libjpeg's; and for the same picture, quality and tables
our files must be as small and as good as libjpeg's.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time

import numpy as np
import PIL
import pytest
from PIL import Image

from helpers import huffman, images, jpeg, metrics
from helpers.jpeg import _markers
from helpers.jpeg._colour import _downsample_like_libjpeg, _upsample_like_libjpeg
from jpegfiles import MODES, agree, djpeg, needs_djpeg, picture, pillow_open, subsampling_for

CJPEG = shutil.which("cjpeg")
needs_cjpeg = pytest.mark.skipif(
    CJPEG is None, reason="cjpeg (libjpeg-turbo-progs) is not installed: no files with its options"
)
# Pillow < 10.2 silently ignores restart_marker_blocks / restart_marker_rows.
PILLOW_RESTARTS = tuple(int(part) for part in PIL.__version__.split(".")[:2]) >= (10, 2)

PILLOW_SUBSAMPLING = {"4:4:4": 0, "4:2:2": 1, "4:2:0": 2}
QUALITIES = [1, 5, 10, 25, 50, 75, 90, 95, 100]
SHAPES = [(1, 1), (1, 17), (7, 3), (8, 8), (16, 16), (33, 47)]


def _pillow_subsampling(mode: str) -> dict:
    """Pillow's option for ``mode``. For grey none: Pillow would write 2 x 2 sampling for its one
    component, which changes nothing but the SOF byte; libjpeg's default for grey is 1 x 1."""
    return {} if mode == "grey" else {"subsampling": PILLOW_SUBSAMPLING[mode]}


def _pillow_save(image: np.ndarray, **options) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "JPEG", **options)
    return buffer.getvalue()


def _pnm(image: np.ndarray) -> bytes:
    """A binary PGM (grey) or PPM (colour) file, the input cjpeg reads."""
    magic = b"P5" if image.ndim == 2 else b"P6"
    return magic + f" {image.shape[1]} {image.shape[0]} 255\n".encode() + image.tobytes()


def _without(data: bytes, name: str) -> bytes:
    """The file with every segment called ``name`` left out."""
    return b"".join(
        data[s.offset : s.offset + s.size] for s in jpeg.segments(data) if s.name != name
    )


def _find(data: bytes, name: str) -> jpeg.Segment:
    return next(s for s in jpeg.segments(data) if s.name == name)


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
        theirs = _pillow_save(image, quality=75, **_pillow_subsampling(mode))
        scan = _find(ours, "ECS").offset  # SOI, APP0, DQT, SOF0, DHT, SOS: all the same
        assert scan == _find(theirs, "ECS").offset
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
    theirs = _pillow_save(image, quality=quality, optimize=optimize, **_pillow_subsampling(mode))
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
    theirs = _huffman_tables(_pillow_save(image, quality=75, optimize=True))
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
        theirs = _pillow_save(image, quality=quality, subsampling=PILLOW_SUBSAMPLING[mode])
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


def test_flat_blocks_decode_exactly_like_libjpeg():
    """Pictures of 16 x 16 flat squares at quality 100: every step is exact in both decoders.

    The DCT of a flat block is its DC alone, which both inverse DCTs get exactly
    right, so any difference would come from upsampling or colour conversion:
    there is none, at the edges of the squares either.
    """
    rng = np.random.default_rng(5)
    for mode in ("4:4:4", "4:2:2", "4:2:0"):
        for shape in [(40, 56), (9, 13), (3, 5), (2, 7), (7, 4), (1, 1)]:
            squares = rng.integers(0, 256, (3, 4, 3), dtype=np.uint8)
            image = squares.repeat(16, axis=0).repeat(16, axis=1)[: shape[0], : shape[1]]
            data = jpeg.encode(image, 100, subsampling=mode)
            np.testing.assert_array_equal(jpeg.decode(data), pillow_open(data), err_msg=mode)


# --- libjpeg's files decode like libjpeg decodes them -----------------------------


PILLOW_FILES = {
    "q75 4:2:0": ("RGB", dict(quality=75)),
    "q50 4:4:4": ("RGB", dict(quality=50, subsampling=0)),
    "q90 4:2:2": ("RGB", dict(quality=90, subsampling=1)),
    "q95 optimized": ("RGB", dict(quality=95, optimize=True)),
    "q30 restart every MCU": ("RGB", dict(quality=30, restart_marker_blocks=1)),
    "q80 4:2:2 restart every row": ("RGB", dict(quality=80, subsampling=1, restart_marker_rows=1)),
    "q10 4:4:4 restart every 7": ("RGB", dict(quality=10, subsampling=0, restart_marker_blocks=7)),
    "grey q60": ("L", dict(quality=60)),
    "grey q85 restart every 5": ("L", dict(quality=85, restart_marker_blocks=5)),
}


@pytest.mark.parametrize(("mode", "options"), PILLOW_FILES.values(), ids=PILLOW_FILES.keys())
def test_decode_pillow_files(chelsea, mode, options):
    image = images.to_grey(chelsea) if mode == "L" else chelsea
    restarts = "restart_marker_blocks" in options or "restart_marker_rows" in options
    if restarts and not PILLOW_RESTARTS:
        pytest.skip(f"Pillow {PIL.__version__} cannot write restart markers (10.2 can)")
    data = _pillow_save(image, **options)
    if restarts:
        assert any(s.name == "DRI" for s in jpeg.segments(data))
    agree(jpeg.decode(data), pillow_open(data), psnr=50)


CJPEG_OPTIONS = {
    "4:2:0 restart every row": ["-restart", "1", "-sample", "2x2"],
    "4:4:4 restart every MCU": ["-restart", "1B", "-sample", "1x1"],
    "4:2:2 optimized": ["-sample", "2x1", "-optimize", "-quality", "90"],
    "4:4:0": ["-sample", "1x2"],
    "one scan per component": ["-scans", "SCRIPT"],
    "grayscale q40": ["-grayscale", "-quality", "40"],
    "grey input restart every 3": ["GREY", "-restart", "3B"],
}


@needs_cjpeg
@pytest.mark.parametrize("options", CJPEG_OPTIONS.values(), ids=CJPEG_OPTIONS.keys())
def test_decode_cjpeg_files(chelsea, tmp_path, options):
    image = chelsea[:123, :157]
    if options[0] == "GREY":
        image, options = images.to_grey(image), options[1:]
    if "SCRIPT" in options:  # three sequential (not progressive) scans, Y, then Cb, then Cr
        script = tmp_path / "scans.txt"
        script.write_text("0;\n1;\n2;\n")
        options = [str(script) if o == "SCRIPT" else o for o in options]
    source = tmp_path / "picture.pnm"
    source.write_bytes(_pnm(image))
    done = subprocess.run([CJPEG, *options, str(source)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    data = done.stdout
    names = [s.name for s in jpeg.segments(data)]
    assert "SOF0" in names
    if "-scans" in options:
        assert names.count("SOS") == 3
    agree(jpeg.decode(data), pillow_open(data), psnr=50)


def test_rgb_component_ids_without_jfif_mean_no_colour_transform(astronaut):
    """libjpeg's rule: no JFIF header and component ids 'R', 'G', 'B' mean RGB is stored."""
    data = _without(jpeg.encode(astronaut[:40, :40], 90, subsampling="4:4:4"), "APP0")
    patched = bytearray(data)
    for name, first, stride in (("SOF0", 10, 3), ("SOS", 5, 2)):
        segment = _find(data, name)
        for k, ident in enumerate(b"RGB"):
            patched[segment.offset + first + k * stride] = ident
    agree(jpeg.decode(bytes(patched)), pillow_open(bytes(patched)), psnr=50)
    assert metrics.psnr(jpeg.decode(bytes(patched)), jpeg.decode(data)) < 20  # really different


def test_what_decoders_tolerate(astronaut):
    data = jpeg.encode(astronaut[:24, :40], 80)
    expected = jpeg.decode(data)
    sof = _find(data, "SOF0").offset
    variants = {
        "no EOI": data[:-2],
        "half an EOI": data[:-1],
        "bytes after EOI": data + b"trailing",
        "fill bytes before a marker": data[:sof] + b"\xff\xff\xff" + data[sof:],
        "a comment": data[:sof] + b"\xff\xfe\x00\x07hello" + data[sof:],
        "SOF1, 8-bit": data[: sof + 1] + b"\xc1" + data[sof + 2 :],
        "an APP15 segment": data[:sof] + b"\xff\xef\x00\x02" + data[sof:],
    }
    for name, variant in variants.items():
        np.testing.assert_array_equal(jpeg.decode(variant), expected, err_msg=name)


def _segment(code: int, payload: bytes) -> bytes:
    return bytes((0xFF, code)) + (len(payload) + 2).to_bytes(2, "big") + payload


def test_tables_in_any_number_of_segments_redefined_or_16_bit(astronaut):
    data = jpeg.encode(astronaut[:24, :40], 80)
    listed = jpeg.segments(data)
    dqt = [s for s in listed if s.name == "DQT"]
    dht = [s for s in listed if s.name == "DHT"]
    frame = next(data[s.offset : s.offset + s.size] for s in listed if s.name == "SOF0")
    head, tail = data[: dqt[0].offset], data[dht[-1].offset + dht[-1].size :]
    steps = [data[s.offset + 4 : s.offset + s.size] for s in dqt]  # Pq/Tq byte, 64 steps
    codes = [data[s.offset + 4 : s.offset + s.size] for s in dht]
    one_dqt, one_dht = _segment(0xDB, b"".join(steps)), _segment(0xC4, b"".join(codes))
    wide = [bytes((0x10 | t[0], *b"".join(v.to_bytes(2, "big") for v in t[1:]))) for t in steps]
    wide_dqt = b"".join(_segment(0xDB, t) for t in wide)  # the same steps in 16 bits (Pq = 1)
    wrong_dqt = _segment(0xDB, bytes((0, *range(1, 65))))
    wrong_dht = _segment(0xC4, bytes((0x00, 1, *[0] * 15, 7)))  # a DC table with one symbol
    variants = {
        "one DQT and one DHT segment": head + one_dqt + frame + one_dht + tail,
        "16-bit steps": head + wide_dqt + frame + b"".join(_segment(0xC4, c) for c in codes) + tail,
        "tables redefined before the scan": data[:2] + wrong_dqt + wrong_dht + data[2:],
        "quantization table redefined after the scan": data[:-2] + wrong_dqt + data[-2:],
    }
    expected, pillow = jpeg.decode(data), pillow_open(data)
    for name, variant in variants.items():
        np.testing.assert_array_equal(jpeg.decode(variant), expected, err_msg=name)
        np.testing.assert_array_equal(pillow_open(variant), pillow, err_msg=name)


# --- Features we do not read, and broken files -------------------------------------


def _patched_sof(data: bytes, marker: int, precision: int = 8) -> bytes:
    sof = _find(data, "SOF0").offset
    patched = bytearray(data)
    patched[sof + 1], patched[sof + 4] = marker, precision
    return bytes(patched)


def _cmyk(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).convert("CMYK").save(buffer, "JPEG")
    return buffer.getvalue()


def test_unsupported_features_are_named(astronaut):
    image = astronaut[:32, :32]
    progressive = r"progressive JPEG \(SOF2\) is not supported: only baseline"
    with pytest.raises(ValueError, match=progressive):
        jpeg.decode(_pillow_save(image, quality=75, progressive=True))
    data = jpeg.encode(image)
    cases = {
        0xC9: "arithmetic-coded JPEG",
        0xC3: "lossless JPEG",
        0xC5: "hierarchical JPEG",
        0xCA: "arithmetic-coded progressive",
    }
    for marker, feature in cases.items():
        with pytest.raises(ValueError, match=feature):
            jpeg.decode(_patched_sof(data, marker))
    with pytest.raises(ValueError, match="12-bit JPEG"):
        jpeg.decode(_patched_sof(data, 0xC1, precision=12))
    sof = _find(data, "SOF0").offset
    dac = b"\xff\xcc\x00\x04\x00\x11"
    with pytest.raises(ValueError, match="arithmetic coding"):
        jpeg.decode(data[:sof] + dac + data[sof:])
    with pytest.raises(ValueError, match="4 components"):  # CMYK
        jpeg.decode(_cmyk(image))


def test_broken_structure_gives_clear_errors(astronaut):
    data = jpeg.encode(astronaut[:16, :16])
    sof = _find(data, "SOF0").offset
    huge = data[: sof + 5] + b"\xff\xff\xff\xff" + data[sof + 9 :]  # 65535 x 65535 pixels
    cases = {
        "not a JPEG file": b"GIF89a...",
        "expected a marker": data[:sof] + b"\x00" + data[sof:],
        "length 0, below 2": data[:sof] + b"\xff\xe0\x00\x00" + data[sof:],
        "only .* bytes are left": data[:sof] + b"\xff\xe0\x40\x00",
        "needs DC Huffman table": _without(data, "DHT"),
        "needs quantization table": _without(data, "DQT"),
        "before the frame header": _without(data, "SOF0"),
        "no frame header": data[:sof],
        "no scan holds": data[: _find(data, "SOS").offset],
        "unexpected marker RST0": data[:sof] + b"\xff\xd0" + data[sof:],
        "a second frame header": data[: sof + 19] + data[sof:],
        "too few for 100663296 blocks": huge,  # and fails at once, allocating nothing
    }
    for message, broken in cases.items():
        with pytest.raises(ValueError, match=message):
            jpeg.decode(broken)
    for empty in (b"", b"\xff", b"\xff\xd8"):
        with pytest.raises(ValueError):
            jpeg.decode(empty)


def test_every_truncation_is_a_value_error(astronaut):
    data = _pillow_save(astronaut[100:116, 200:224], quality=75, restart_marker_blocks=1)
    full = jpeg.decode(data)
    started = time.perf_counter()
    for length in range(len(data) - 2):
        with pytest.raises(ValueError):
            jpeg.decode(data[:length])
    assert time.perf_counter() - started < 30  # no hang: a few ms each
    np.testing.assert_array_equal(jpeg.decode(data[:-2]), full)  # only EOI missing: fine


def test_fuzzed_files_give_value_errors_or_pictures(astronaut):
    """Seeded random damage: decode either works or raises ValueError, and never hangs."""
    rng = np.random.default_rng(2024)
    sources = [
        _pillow_save(astronaut[100:124, 200:232], quality=50, restart_marker_blocks=2),
        jpeg.encode(astronaut[100:117, 200:219], 60, subsampling="4:2:2", optimize=True),
        jpeg.encode(images.to_grey(astronaut[100:120, 200:209]), 90),
    ]
    outcomes = {"picture": 0, "ValueError": 0}
    for trial in range(450):
        data = bytearray(sources[trial % len(sources)])
        for _ in range(rng.integers(1, 4)):
            # half of the damage lands in the headers, which steer everything else
            where = int(rng.integers(0, 620 if rng.random() < 0.5 else len(data)) % len(data))
            action = rng.integers(0, 4)
            if action == 0:
                data[where] = rng.integers(0, 256)
            elif action == 1:
                data[where] ^= 1 << int(rng.integers(0, 8))
            elif action == 2:
                del data[where]
            else:
                data.insert(where, int(rng.choice([0x00, 0xFF, rng.integers(0, 256)])))
        started = time.perf_counter()
        try:
            picture = jpeg.decode(bytes(data))
        except ValueError:
            outcomes["ValueError"] += 1
        else:
            assert picture.dtype == np.uint8 and picture.ndim in (2, 3)
            outcomes["picture"] += 1
        assert time.perf_counter() - started < 10, f"trial {trial} took too long"
    assert outcomes["picture"] > 0 and outcomes["ValueError"] > 0, outcomes


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
            with pytest.raises(kind, match=message):
                jpeg.bit_budget(image, quality, **arguments)
    for not_bytes in ("\xff\xd8", None, np.zeros(4, np.uint8), [255, 216]):
        with pytest.raises(TypeError, match="data must be bytes"):
            jpeg.decode(not_bytes)
        with pytest.raises(TypeError, match="data must be bytes"):
            jpeg.segments(not_bytes)


def test_decode_accepts_bytearray_and_memoryview(astronaut):
    data = jpeg.encode(astronaut[:9, :9])
    expected = jpeg.decode(data)
    np.testing.assert_array_equal(jpeg.decode(bytearray(data)), expected)
    np.testing.assert_array_equal(jpeg.decode(memoryview(data)), expected)


# --- Looking inside --------------------------------------------------------------------


def test_segments_of_our_file(astronaut):
    data = jpeg.encode(astronaut[:64, :64], 75)
    listed = jpeg.segments(data)
    names = [s.name for s in listed]
    assert names == ["SOI", "APP0", "DQT", "DQT", "SOF0", *["DHT"] * 4, "SOS", "ECS", "EOI"]
    assert [s.size for s in listed[:5]] == [2, 18, 69, 69, 19]
    assert listed[0].offset == 0 and listed[0].marker == 0xFFD8 and listed[-1].marker == 0xFFD9
    # One after another, nothing left out:
    for before, after in zip(listed[:-1], listed[1:], strict=True):
        assert before.offset + before.size == after.offset
    assert listed[-1].offset + listed[-1].size == len(data)
    ecs = listed[names.index("ECS")]
    assert ecs.marker == 0 and data[ecs.offset - 14 : ecs.offset - 12] == b"\xff\xda"
    for s in listed:
        if s.marker:
            assert data[s.offset : s.offset + 2] == s.marker.to_bytes(2, "big")


def test_segments_of_a_progressive_file(astronaut):
    data = _pillow_save(astronaut[:64, :64], quality=75, progressive=True)
    names = [s.name for s in jpeg.segments(data)]
    assert "SOF2" in names and names.count("SOS") == names.count("ECS") > 1
    assert sum(s.size for s in jpeg.segments(data)) == len(data)


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
        assert budget["headers"] == _find(data, "ECS").offset + 2
        assert all(value >= 0 for value in budget.values())
        dc = budget["DC codes"] + budget["DC amplitudes"]
        assert budget["AC codes"] + budget["AC amplitudes"] > dc
        budgets[optimize] = budget
    # Better codes, the very same amplitudes.
    assert budgets[True]["AC codes"] < budgets[False]["AC codes"]
    assert budgets[True]["AC amplitudes"] == budgets[False]["AC amplitudes"]


# --- libjpeg's resampling, line by line -------------------------------------------------


def _libjpeg_upsample(plane: np.ndarray, ry: int, rx: int) -> np.ndarray:
    """h2v1_fancy_upsample, h1v2_fancy_upsample and h2v2_fancy_upsample of jdsample.c, as loops."""
    rows, cols = plane.shape
    p = [[int(v) for v in row] for row in plane]
    out = np.zeros((rows * ry, cols * rx), np.int64)
    if rx == 2 and cols <= 2:  # libjpeg's plain h2v1_upsample / h2v2_upsample
        return plane.astype(np.int64).repeat(ry, axis=0).repeat(rx, axis=1)
    for r in range(rows):
        for v in range(ry):
            if ry == 2:
                near, far = p[r], p[max(r - 1, 0)] if v == 0 else p[min(r + 1, rows - 1)]
                sums = [3 * near[c] + far[c] for c in range(cols)]
            else:
                sums = p[r]
            row = out[r * ry + v]
            if rx == 1:  # h1v2
                bias = 1 if v == 0 else 2
                row[:] = [(s + bias) >> 2 for s in sums]
                continue
            one, two = (8, 7) if ry == 2 else (1, 2)
            shift = 4 if ry == 2 else 2
            for c in range(cols):
                last, this, after = sums[max(c - 1, 0)], sums[c], sums[min(c + 1, cols - 1)]
                row[2 * c] = (3 * this + last + one) >> shift
                row[2 * c + 1] = (3 * this + after + two) >> shift
    return out


def test_fancy_upsampling_is_libjpegs():
    rng = np.random.default_rng(7)
    for ry, rx in ((1, 2), (2, 1), (2, 2)):
        for rows in (1, 2, 3, 6):
            for cols in (1, 2, 3, 4, 9):
                plane = rng.integers(0, 256, (rows, cols), dtype=np.uint8)
                expected = _libjpeg_upsample(plane, ry, rx)
                np.testing.assert_array_equal(_upsample_like_libjpeg(plane, ry, rx), expected)


def test_downsampling_is_libjpegs():
    """h2v1_downsample and h2v2_downsample of jcsample.c, with jcprepct.c's padding."""
    rng = np.random.default_rng(8)
    for ry, rx in ((1, 2), (2, 2)):
        for height, width in ((1, 1), (3, 5), (8, 16), (13, 21)):
            plane = rng.integers(0, 256, (height, width), dtype=np.uint8)
            rows, cols = -(-height // ry), -(-width // rx)
            shape = (8 * -(-rows // 8), 8 * -(-cols // 8))
            wide = np.pad(plane, ((0, (-height) % ry), (0, rx * shape[1] - width)), mode="edge")
            expected = np.zeros(shape, np.int64)
            for r in range(rows):
                bias = 1 if ry == 2 else 0  # 1, 2, 1, 2 ... for h2v2; 0, 1, 0, 1 ... for h2v1
                for c in range(shape[1]):
                    group = wide[r * ry : r * ry + ry, c * rx : c * rx + rx].astype(int).sum()
                    expected[r, c] = (group + bias) >> (ry * rx // 2)
                    bias ^= 3 if ry == 2 else 1
            expected[rows:] = expected[rows - 1]  # the last row repeated down to whole blocks
            np.testing.assert_array_equal(_downsample_like_libjpeg(plane, ry, rx, shape), expected)
