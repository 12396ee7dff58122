"""Tests for helpers/jpeg/_decoder.py: decode and segments, on our files and libjpeg's.

Our decoder must agree with Pillow (libjpeg-turbo) on libjpeg's files of every
layout (restarts, one scan per component, tables anywhere), and every broken
or unsupported file must give a ``ValueError`` that names what is wrong.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import signal
import subprocess
import warnings

import numpy as np
import PIL
import pytest
from PIL import Image

from helpers import images, jpeg, metrics
from helpers.jpeg import _markers
from helpers.jpeg._decoder import _read_levels
from jpegfiles import (
    CJPEG,
    agree,
    needs_cjpeg,
    pillow_open,
    pillow_save,
    pnm,
    segment_named,
    spoil,
    without,
)

# Pillow < 10.2 silently ignores restart_marker_blocks / restart_marker_rows.
PILLOW_RESTARTS = tuple(int(part) for part in PIL.__version__.split(".")[:2]) >= (10, 2)


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


def bands(data: bytes) -> list[tuple[int, int, int, int, int]]:
    """(components, start, end, high, low) of each scan of a file."""
    out = []
    for segment in jpeg.segments(data):
        if segment.name == "SOS":
            payload = data[segment.offset + 4 : segment.offset + segment.size]
            out.append((payload[0], payload[-3], payload[-2], payload[-1] >> 4, payload[-1] & 15))
    return out


PROGRESSIVE_PILLOW = {
    "q75 4:2:0": ("RGB", dict(quality=75)),
    "q95 4:4:4 optimized": ("RGB", dict(quality=95, subsampling=0, optimize=True)),
    "q20 4:2:2": ("RGB", dict(quality=20, subsampling=1)),
    "grey q60": ("L", dict(quality=60)),
    "q50 restart every 3 MCUs": ("RGB", dict(quality=50, restart_marker_blocks=3)),
}


@pytest.mark.parametrize(("mode", "options"), PROGRESSIVE_PILLOW.values(), ids=PROGRESSIVE_PILLOW.keys())
def test_decode_progressive_pillow_files(chelsea, mode, options):
    """libjpeg's progressive script: DC then AC bands, each first sent short of its low bits, then refined."""
    image = images.to_grey(chelsea) if mode == "L" else chelsea[:201, :299]
    if "restart_marker_blocks" in options and not PILLOW_RESTARTS:
        pytest.skip(f"Pillow {PIL.__version__} cannot write restart markers (10.2 can)")
    data = pillow_save(image, progressive=True, **options)
    assert "SOF2" in [s.name for s in jpeg.segments(data)]
    kinds = {(start == 0, high > 0) for _, start, _, high, _ in bands(data)}
    assert kinds == {(True, False), (True, True), (False, False), (False, True)}  # all four kinds of scan
    agree(jpeg.decode(data), pillow_open(data), psnr=50)


PROGRESSIVE_SCRIPTS = {
    # spectral selection only: each band sent whole, components one by one
    "bands, no refinement": "0: 0 0 0 0;\n1: 0 0 0 0;\n2: 0 0 0 0;\n0: 1 5 0 0;\n0: 6 63 0 0;\n1: 1 63 0 0;\n"
                            "2: 1 63 0 0;\n",
    # successive approximation down to bit 0, two bits at a time first, then one refinement after another
    "deep refinement": "0,1,2: 0 0 0 2;\n0,1,2: 0 0 2 1;\n0,1,2: 0 0 1 0;\n0: 1 63 0 3;\n1: 1 63 0 1;\n"
                       "2: 1 63 0 1;\n0: 1 63 3 2;\n0: 1 63 2 1;\n0: 1 63 1 0;\n1: 1 63 1 0;\n2: 1 63 1 0;\n",
}
CJPEG_PROGRESSIVE = {
    "libjpeg's script, restart every row": ["-progressive", "-restart", "1"],
    "4:4:0, restart every 2 MCUs": ["-progressive", "-sample", "1x2", "-restart", "2B"],
    "grey": ["-progressive", "-grayscale", "-quality", "35"],
    **{name: ["-scans", name] for name in PROGRESSIVE_SCRIPTS},
}


@needs_cjpeg
@pytest.mark.parametrize("options", CJPEG_PROGRESSIVE.values(), ids=CJPEG_PROGRESSIVE.keys())
def test_decode_progressive_cjpeg_files(chelsea, tmp_path, options):
    image = chelsea[:123, :157]
    script = PROGRESSIVE_SCRIPTS.get(options[-1], "")
    if script:
        (tmp_path / "scans.txt").write_text(script)
        options = ["-scans", str(tmp_path / "scans.txt"), "-sample", "2x2"]
    source = tmp_path / "picture.pnm"
    source.write_bytes(pnm(image))
    done = subprocess.run([CJPEG, *options, str(source)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    data = done.stdout
    assert "SOF2" in [s.name for s in jpeg.segments(data)]
    if script:
        assert len(bands(data)) == script.count(";")  # the scans as the script lists them
    agree(jpeg.decode(data), pillow_open(data), psnr=50)


def test_progressive_scan_headers_are_checked(chelsea):
    data = pillow_save(chelsea[:64, :64], quality=75, progressive=True)
    first_ac = next(s for s in jpeg.segments(data) if s.name == "SOS" and data[s.offset + 4] == 1
                    and data[s.offset + s.size - 3] > 0)
    end = first_ac.offset + first_ac.size  # the header's last three bytes: start, end, approximation
    cases = {
        b"\x00\x05\x00": "sends band 0..5 of 1 components",  # a DC band that runs into the AC levels
        b"\x06\x03\x00": "sends band 6..3",  # a band that ends before it starts
        b"\x01\x3f\x31": "has successive approximation 0x31",  # a refinement of more than one bit
        b"\x01\x3f\x0e": "has successive approximation 0x0E",  # bits beyond 13
    }
    for header, message in cases.items():
        with pytest.raises(ValueError, match=r"corrupt JPEG: SOS " + re.escape(message)):
            jpeg.decode(data[: end - 3] + header + data[end:])
    sequential = jpeg.encode(chelsea[:16, :16])
    sos = segment_named(sequential, "SOS")
    end = sos.offset + sos.size
    odd_band = sequential[: end - 3] + b"\x01\x3f\x00" + sequential[end:]
    with pytest.raises(ValueError, match=r"spectral selection 1\.\.63 .* sequential JPEG \(SOF0\) is not supported"):
        jpeg.decode(odd_band, strict=True)
    with pytest.warns(jpeg.CorruptJPEGWarning, match="invalid SOS parameters for sequential JPEG: band 1..63"):
        np.testing.assert_array_equal(jpeg.decode(odd_band), jpeg.decode(sequential))  # libjpeg reads 0..63


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
    data = pillow_save(image, **options)
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
    # sampling factors 3 and 4: libjpeg repeats each colour sample 3 or 4 times (ImageMagick's 4:1:1 is 4x1)
    "4x1 (4:1:1)": ["-sample", "4x1"],
    "1x4": ["-sample", "1x4", "-restart", "1"],
    "3x2": ["-sample", "3x2"],
    "2x4": ["-sample", "2x4", "-optimize"],
    "4x1 chroma 2x1 (doubled smoothly)": ["-sample", "4x1,2x1,2x1"],
    "3x1 progressive": ["-sample", "3x1", "-progressive"],
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
    source.write_bytes(pnm(image))
    done = subprocess.run([CJPEG, *options, str(source)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    data = done.stdout
    names = [s.name for s in jpeg.segments(data)]
    assert ("SOF2" if "-progressive" in options else "SOF0") in names
    if "-scans" in options:
        assert names.count("SOS") == 3
    agree(jpeg.decode(data), pillow_open(data), psnr=50)


def test_rgb_component_ids_without_jfif_mean_no_colour_transform(astronaut):
    """libjpeg's rule: no JFIF header and component ids 'R', 'G', 'B' mean RGB is stored."""
    data = without(jpeg.encode(astronaut[:40, :40], 90, subsampling="4:4:4"), "APP0")
    patched = bytearray(data)
    for name, first, stride in (("SOF0", 10, 3), ("SOS", 5, 2)):
        segment = segment_named(data, name)
        for k, ident in enumerate(b"RGB"):
            patched[segment.offset + first + k * stride] = ident
    agree(jpeg.decode(bytes(patched)), pillow_open(bytes(patched)), psnr=50)
    assert metrics.psnr(jpeg.decode(bytes(patched)), jpeg.decode(data)) < 20  # really different


def test_what_decoders_tolerate(astronaut):
    data = jpeg.encode(astronaut[:24, :40], 80)
    expected = jpeg.decode(data)
    sof = segment_named(data, "SOF0").offset
    variants = {
        "bytes after EOI": data + b"trailing",
        "an RST marker between segments": data[:sof] + b"\xff\xd0" + data[sof:],
        "fill bytes before a marker": data[:sof] + b"\xff\xff\xff" + data[sof:],
        "a comment": data[:sof] + b"\xff\xfe\x00\x07hello" + data[sof:],
        "SOF1, 8-bit": data[: sof + 1] + b"\xc1" + data[sof + 2 :],
        "an APP15 segment": data[:sof] + b"\xff\xef\x00\x02" + data[sof:],
    }
    for name, variant in variants.items():
        np.testing.assert_array_equal(jpeg.decode(variant, strict=True), expected, err_msg=name)
    for cut in (data[:-2], data[:-1]):  # no EOI, half an EOI: libjpeg warns and reads it
        with pytest.warns(jpeg.CorruptJPEGWarning, match="premature end of JPEG file"):
            np.testing.assert_array_equal(jpeg.decode(cut), expected)
        with pytest.raises(ValueError, match="premature end of JPEG file"):
            jpeg.decode(cut, strict=True)


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
    sof = segment_named(data, "SOF0").offset
    patched = bytearray(data)
    patched[sof + 1], patched[sof + 4] = marker, precision
    return bytes(patched)


def _cmyk(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).convert("CMYK").save(buffer, "JPEG")
    return buffer.getvalue()


def test_fractional_sampling_is_refused_as_libjpeg_refuses_it(astronaut):
    data = jpeg.encode(astronaut[:32, :32], subsampling="4:2:2")  # Y 2x1, Cb and Cr 1x1
    sof = segment_named(data, "SOF0").offset
    patched = bytearray(data)
    patched[sof + 11] = 0x31  # Y 3x1: a colour sample would cover 3 / 1 pixels, fine ...
    patched[sof + 14] = 0x21  # ... but Cb 2x1 against 3: one and a half
    with pytest.raises(ValueError, match=r"sampling factors 2x1 of component 2 against 3x1 are not supported"):
        jpeg.decode(bytes(patched))
    patched[sof + 14] = 0x51  # 5x1: beyond what the standard allows
    with pytest.raises(ValueError, match=r"corrupt JPEG: SOF0 gives component 2 sampling factors 5x1"):
        jpeg.decode(bytes(patched))


def test_unsupported_features_are_named(astronaut):
    image = astronaut[:32, :32]
    data = jpeg.encode(image)
    cases = {
        0xC3: "lossless JPEG",
        0xC5: "hierarchical JPEG",
        0xCB: "arithmetic-coded lossless JPEG",
    }
    for marker, feature in cases.items():
        with pytest.raises(ValueError, match=feature):
            jpeg.decode(_patched_sof(data, marker))
    with pytest.raises(ValueError, match="12-bit JPEG"):
        jpeg.decode(_patched_sof(data, 0xC1, precision=12))


CJPEG_ARITHMETIC = {
    "4:2:0": [],
    "progressive": ["-progressive"],
    "restart every row": ["-restart", "1"],
    "progressive, restart every 2 MCUs": ["-progressive", "-restart", "2B"],
    "grey": ["-grayscale"],
    "4:4:4 q95": ["-sample", "1x1", "-quality", "95"],
    "q10": ["-quality", "10"],
    "4:1:1": ["-sample", "4x1"],
}


@needs_cjpeg
@pytest.mark.parametrize("options", CJPEG_ARITHMETIC.values(), ids=CJPEG_ARITHMETIC.keys())
def test_decode_arithmetic_coded_cjpeg_files(chelsea, tmp_path, options):
    """Arithmetic coding (SOF9, SOF10): no Huffman tables, a DAC segment, statistics bins that learn."""
    source = tmp_path / "picture.pnm"
    source.write_bytes(pnm(chelsea[:123, :157]))
    done = subprocess.run([CJPEG, "-arithmetic", *options, str(source)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    data = done.stdout
    names = [s.name for s in jpeg.segments(data)]
    assert ("SOF10" if "-progressive" in options else "SOF9") in names and "DAC" in names and "DHT" not in names
    agree(jpeg.decode(data), pillow_open(data), psnr=50)


@needs_cjpeg
def test_arithmetic_coded_files_cut_short_or_with_bad_tables_are_refused(chelsea, tmp_path):
    source = tmp_path / "picture.pnm"
    source.write_bytes(pnm(chelsea[:64, :80]))
    data = subprocess.run([CJPEG, "-arithmetic", str(source)], capture_output=True, timeout=60).stdout
    scan = segment_named(data, "ECS")
    cut = data[: scan.offset + scan.size // 2] + b"\xff\xd9"  # half the scan, then the end
    with pytest.raises(ValueError, match="truncated data: restart interval 0 of an arithmetic-coded scan needs"):
        jpeg.decode(cut)
    dac = segment_named(data, "DAC")
    for table, message in ((b"\x00\x12", "gives DC table 0 L = 2 above U = 1"),
                           (b"\x10\x00", "gives AC table 0 Kx = 0, not 1..63"),
                           (b"\x20\x05", "names table class 2")):
        patched = data[: dac.offset + 4] + table + data[dac.offset + 6 :]
        with pytest.raises(ValueError, match="corrupt JPEG: DAC " + message):
            jpeg.decode(patched)


def payload_of(data: bytes, name: str) -> bytes:
    """The payload of the first segment called ``name`` (after its marker and length)."""
    segment = segment_named(data, name)
    return data[segment.offset + 4 : segment.offset + segment.size]


def test_cmyk_files_decode_like_pillow(astronaut, tmp_path):
    """Four components as Pillow writes them (C, M, Y, K: Adobe APP14 transform 0) and ImageMagick (YCCK: 2)."""
    image = astronaut[100:148, 200:264]
    buffer = io.BytesIO()
    Image.fromarray(image).convert("CMYK").save(buffer, "JPEG", progressive=True)
    files = {"Pillow": _cmyk(image), "Pillow progressive": buffer.getvalue()}
    transforms = {"Pillow": 0, "Pillow progressive": 0, "ImageMagick": 2}
    if shutil.which("convert"):
        Image.fromarray(image).save(tmp_path / "picture.png")
        target = tmp_path / "cmyk.jpg"
        done = subprocess.run(["convert", str(tmp_path / "picture.png"), "-colorspace", "CMYK", "-quality", "85",
                               str(target)], capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        files["ImageMagick"] = target.read_bytes()
    for name, data in files.items():
        assert _markers.adobe_transform(payload_of(data, "APP14")) == transforms[name], name
        ours = jpeg.decode(data)
        assert ours.shape == (48, 64, 4), name  # C, M, Y, K: ink amounts, 0 none
        agree(ours, pillow_open(data), psnr=50)


def test_ycck_files_decode_like_pillow(astronaut, monkeypatch):
    """Adobe transform 2, YCCK: the YCbCr of 255 - C, 255 - M, 255 - Y, then K (libjpeg's rule).

    Adobe stores ink inverted (255: none), so for ink C, M, Y, K the file holds
    the YCbCr of C, M, Y (255 - the stored values) and 255 - K. Our encoder
    writes one: its planes swapped for those four, its JFIF header for an Adobe
    APP14 segment. (ImageMagick writes YCCK too: the test above.)
    """
    from helpers.jpeg import _encoder
    from helpers.jpeg._layout import Layout

    image = astronaut[100:148, 200:264]
    ink = np.asarray(Image.fromarray(image).convert("CMYK")).copy()
    ink[..., 3] = np.linspace(0, 200, 64, dtype=np.uint8)  # some black too, rising to the right
    real_coefficients = _encoder._coefficients
    three, one = Layout(48, 64, ((1, 1),) * 3), Layout(48, 64, ((1, 1),))

    def four_planes(picture, layout):
        return real_coefficients(ink[..., :3], three) + real_coefficients(255 - ink[..., 3], one)

    monkeypatch.setattr(_encoder, "_layout", lambda picture, subsampling: Layout(48, 64, ((1, 1),) * 4))
    monkeypatch.setattr(_encoder, "_coefficients", four_planes)
    data = jpeg.encode(image, 92, subsampling="4:4:4")
    adobe = _markers.segment(_markers.APP14, b"Adobe\x00\x64\x00\x00\x00\x00\x02")  # transform 2: YCCK
    data = data[:2] + adobe + without(data, "APP0")[2:]
    assert [c.ident for c in _markers.read_sof(0xC0, payload_of(data, "SOF0")).components] == [1, 2, 3, 4]
    ours = jpeg.decode(data)
    agree(ours, pillow_open(data), psnr=50)
    error = np.mean((ours.astype(np.float64) - ink) ** 2)
    assert 10 * np.log10(255**2 / error) > 35  # and it is the ink we put in, up to JPEG's loss


def test_a_motion_jpeg_frame_without_huffman_tables_uses_the_standard_ones(astronaut):
    """An MJPEG frame (an AVI's) leaves out its DHT: libjpeg then uses T.81 K.3's tables, as our encoder writes them."""
    data = jpeg.encode(astronaut[:40, :56], 80)  # standard tables (not optimized)
    frame = without(data, "DHT")
    assert "DHT" not in [s.name for s in jpeg.segments(frame)]
    np.testing.assert_array_equal(jpeg.decode(frame), jpeg.decode(data))
    agree(jpeg.decode(frame), pillow_open(frame), psnr=50)


def test_broken_structure_gives_clear_errors(astronaut):
    data = jpeg.encode(astronaut[:16, :16])
    sof = segment_named(data, "SOF0").offset
    huge = data[: sof + 5] + b"\xff\xff\xff\xff" + data[sof + 9 :]  # 65535 x 65535 pixels
    cases = {
        "not a JPEG file": b"GIF89a...",
        "expected a marker": data[:sof] + b"\x00" + data[sof:],
        "length 0, below 2": data[:sof] + b"\xff\xe0\x00\x00" + data[sof:],
        "only .* bytes are left": data[:sof] + b"\xff\xe0\x40\x00",
        "needs DC Huffman table 2": without(data, "DHT").replace(b"\xff\xda\x00\x0c\x03\x01\x00",
                                                             b"\xff\xda\x00\x0c\x03\x01\x22"),
        "needs quantization table": without(data, "DQT"),
        "before the frame header": without(data, "SOF0"),
        "no frame header": data[:sof],
        "no scan holds": data[: segment_named(data, "SOS").offset],
        "unexpected marker JPG0": data[:sof] + b"\xff\xf0\x00\x02" + data[sof:],
        "a second frame header": data[: sof + 19] + data[sof:],
        "too few for 100663296 blocks": huge,  # and fails at once, allocating nothing
    }
    for message, broken in cases.items():
        with pytest.raises(ValueError, match=message):
            jpeg.decode(broken, strict=True)
        if message != "expected a marker":  # libjpeg refuses all these too
            with pytest.raises(ValueError):
                jpeg.decode(broken)
    with pytest.warns(jpeg.CorruptJPEGWarning, match=f"1 extraneous bytes at byte {sof}, before the marker SOF0"):
        jpeg.decode(cases["expected a marker"])  # libjpeg skips the stray byte
    for empty in (b"", b"\xff", b"\xff\xd8"):
        with pytest.raises(ValueError):
            jpeg.decode(empty)


@contextlib.contextmanager
def no_hang(seconds: int = 300):
    """Fail instead of waiting for ever if the block inside does not end (a decode loop that never stops).

    Not a speed check: a decode takes a few milliseconds, and the limit is far
    beyond what any load on the machine makes of it (benchmarks measure speed).
    """
    def stop(signum, frame):
        raise AssertionError(f"still running after {seconds} s: a decode that never ends?")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_every_truncation_is_a_value_error_when_strict(astronaut):
    """strict=True refuses a cut file; by default it is read as libjpeg reads it (test_jpeg_damaged.py)."""
    data = pillow_save(astronaut[100:116, 200:224], quality=75, restart_marker_blocks=1)
    full = jpeg.decode(data)
    with no_hang():
        for length in range(len(data)):
            with pytest.raises(ValueError):
                jpeg.decode(data[:length], strict=True)
    np.testing.assert_array_equal(jpeg.decode(data, strict=True), full)


def test_every_truncation_of_a_progressive_file_is_a_value_error_when_strict(astronaut):
    """Cut between two scans, a progressive file would still make a picture, without its last refinements."""
    data = pillow_save(astronaut[100:116, 200:224], quality=75, progressive=True)
    full = jpeg.decode(data)
    with no_hang():
        for length in range(len(data)):
            with pytest.raises(ValueError, match="truncated|corrupt|invalid|not a JPEG|premature end"):
                jpeg.decode(data[:length], strict=True)
    np.testing.assert_array_equal(jpeg.decode(data), full)


def test_fuzzed_files_give_value_errors_or_pictures(astronaut):
    """Seeded random damage: decode either works or raises ValueError, and never hangs."""
    rng = np.random.default_rng(2024)
    sources = [
        pillow_save(astronaut[100:124, 200:232], quality=50, restart_marker_blocks=2),
        jpeg.encode(astronaut[100:117, 200:219], 60, subsampling="4:2:2", optimize=True),
        jpeg.encode(images.to_grey(astronaut[100:120, 200:209]), 90),
        pillow_save(astronaut[100:124, 200:232], quality=60, progressive=True),
    ]
    outcomes = {"picture": 0, "ValueError": 0}
    for trial in range(600):
        data = spoil(sources[trial % len(sources)], rng, headers=620)
        try:
            with no_hang(), warnings.catch_warnings():
                warnings.simplefilter("ignore", jpeg.CorruptJPEGWarning)  # read as libjpeg: test_jpeg_damaged.py
                picture = jpeg.decode(bytes(data))
        except ValueError:
            outcomes["ValueError"] += 1
        else:
            assert picture.dtype == np.uint8 and picture.ndim in (2, 3)
            outcomes["picture"] += 1
    assert outcomes["picture"] > 0 and outcomes["ValueError"] > 0, outcomes


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
    data = pillow_save(astronaut[:64, :64], quality=75, progressive=True)
    names = [s.name for s in jpeg.segments(data)]
    assert "SOF2" in names and names.count("SOS") == names.count("ECS") > 1
    assert sum(s.size for s in jpeg.segments(data)) == len(data)


def test_colour_conversion_is_libjpegs_to_the_last_bit():
    """Flat blocks at quality 100 in 4:4:4 come out of the inverse DCT exact: what is left is the colour conversion.

    4096 random colours, each a flat 8 x 8 block: every pixel as libjpeg
    (Pillow) gives it; the float formula (ycbcr_to_rgb) gets one of these 4096 colours wrong.
    """
    rng = np.random.default_rng(1)
    colours = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    data = jpeg.encode(np.repeat(np.repeat(colours, 8, axis=0), 8, axis=1), 100, subsampling="4:4:4")
    np.testing.assert_array_equal(jpeg.decode(data), pillow_open(data))


def test_samples_made_in_bands_are_the_same_as_all_at_once(astronaut, monkeypatch):
    """decode makes each component's samples a band of block rows at a time (_decoder._BAND_BLOCKS)."""
    from helpers.jpeg import _decoder

    for data in (jpeg.encode(astronaut[:75, :90], 75), pillow_save(astronaut[:75, :90], quality=90, subsampling=2)):
        whole = jpeg.decode(data)
        for blocks in (1, 11, 25):  # a block row of 12 blocks is cut into bands of 1 row, 1 row, 2 rows
            monkeypatch.setattr(_decoder, "_BAND_BLOCKS", blocks)
            assert np.array_equal(jpeg.decode(data), whole), blocks


def test_levels_beyond_16_bits_wrap_around_as_libjpegs(astronaut):
    """Levels are kept in 16 bits, as libjpeg's JCOEF; a DC that leaves them wraps around as libjpeg's does.

    No real 8-bit file has such levels (a DC is at most 2047 away from 0), but
    data can say so: here every block's DC difference is +2047 (category 11,
    eleven 1-bits), so block k's DC is 2047 (k + 1), past 32767 from block
    16 on. libjpeg adds the differences in an int and stores each DC as a
    JCOEF (16 bits): 2047 (k + 1) modulo 2^16, from -32768 to 32767.
    """
    grey = np.full((8, 8 * 40), 128, np.uint8)
    data = jpeg.encode(grey, 75)
    start = data.index(b"\xff\xda") + 2 + int.from_bytes(data[data.index(b"\xff\xda") + 2 :][:2], "big")
    # each block: DC code 111111110 (category 11), 11 bits 1, AC code 1010 (EOB): 0xFF 0x7F 0xFA
    scan = b"\xff\x00\x7f\xfa" * 40  # 0xFF is stuffed with 0x00
    wild = data[:start] + scan + b"\xff\xd9"
    dc = _read_levels(wild).levels[0][..., 0].ravel()
    expected = (2047 * np.arange(1, 41) + 32768) % 65536 - 32768
    assert dc.dtype == np.int16 and np.array_equal(dc, expected)
    assert dc.min() == expected.min() < 0  # wrapped: 2047 x 17 = 34799 is -30737
    assert jpeg.decode(wild, strict=True).shape == grey.shape  # read whole, like libjpeg: no damage is reported
