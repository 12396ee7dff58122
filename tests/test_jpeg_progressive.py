"""Tests for helpers/jpeg/_progressive.py: encode(..., progressive=True) against libjpeg.

A progressive file holds the same levels as a baseline one, sent in another
order; so the strongest check is that Pillow, djpeg and our decoder read
exactly the levels of our baseline file from it. Then: the scan script is
libjpeg's, the files are about as small as libjpeg's progressive files, and
the rare branches of the writer (the longest EOB run, too many correction
bits waiting) make files libjpeg reads without a warning.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from helpers import jpeg
from helpers.jpeg import _markers, _progressive
from helpers.jpeg._decoder import _read_levels
from jpegfiles import MODES, djpeg, needs_djpeg, picture, pillow_open, pillow_subsampling, subsampling_for


def _scans(data: bytes) -> list[tuple[tuple[int, ...], int, int, int, int]]:
    """Each scan header of a file: (component ids, Ss, Se, Ah, Al)."""
    scans = []
    for _, code, payload in _markers.walk(data):
        if code == _markers.SOS:
            ids = tuple(payload[1 + 2 * i] for i in range(payload[0]))
            scans.append((ids, payload[-3], payload[-2], payload[-1] >> 4, payload[-1] & 15))
    return scans


def _same_levels(progressive: bytes, baseline: bytes) -> None:
    ours, theirs = _read_levels(progressive), _read_levels(baseline)
    assert len(ours.levels) == len(theirs.levels)
    for a, b in zip(ours.levels, theirs.levels, strict=True):
        np.testing.assert_array_equal(a, b)


SETTINGS = [
    {"optimize": True}, {"optimize": False}, {"optimize": True, "rdo": True}, {"optimize": False, "rdo": True},
]  # fmt: skip


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: "-".join(k for k, v in s.items() if v) or "standard")
@pytest.mark.parametrize("mode", MODES)
def test_the_levels_are_the_baseline_files_levels(chelsea, mode, settings):
    for shape in [(1, 1), (7, 3), (17, 33), None]:
        image = picture(chelsea, mode, shape)
        for quality in (5, 50, 90, 100):
            options = {"subsampling": subsampling_for(mode), **settings}
            progressive = jpeg.encode(image, quality, progressive=True, **options)
            baseline = jpeg.encode(image, quality, **options)
            assert progressive != baseline
            _same_levels(progressive, baseline)
            # Pillow (libjpeg) reads the same picture from both: the same levels, the same tables.
            np.testing.assert_array_equal(pillow_open(progressive), pillow_open(baseline))
            np.testing.assert_array_equal(jpeg.decode(progressive), jpeg.decode(baseline))


@needs_djpeg
@pytest.mark.parametrize("mode", MODES)
def test_djpeg_reads_them_without_a_warning(astronaut, mode):
    image = picture(astronaut, mode)
    for optimize in (False, True):
        for quality in (10, 75, 100):
            data = jpeg.encode(image, quality, subsampling=subsampling_for(mode), optimize=optimize, progressive=True)
            np.testing.assert_array_equal(djpeg(data), pillow_open(data))


def test_the_scan_script_is_libjpegs(astronaut):
    for mode in ("grey", "4:2:0"):
        image = picture(astronaut, mode)
        buffer = io.BytesIO()
        Image.fromarray(image).save(buffer, "JPEG", quality=75, progressive=True, **pillow_subsampling(mode))
        ours = jpeg.encode(image, 75, subsampling=subsampling_for(mode), optimize=True, progressive=True)
        assert _scans(ours) == _scans(buffer.getvalue())
        assert len(_scans(ours)) == (6 if mode == "grey" else 10)
        assert [scan[1:] for scan in _scans(ours)] == [s[1:] for s in _progressive.script(image.ndim * 2 - 3)]
        assert ours[:2] == b"\xff\xd8" and any(code == _markers.SOF2 for _, code, _ in _markers.walk(ours))


@pytest.mark.parametrize("quality", [30, 75, 90])
@pytest.mark.parametrize("mode", ["grey", "4:2:0"])
def test_as_small_as_libjpegs_progressive_files(astronaut, chelsea, mode, quality):
    """libjpeg always optimizes progressive tables; so do we with optimize=True."""
    for photo in (astronaut, chelsea):
        image = picture(photo, mode)
        buffer = io.BytesIO()
        Image.fromarray(image).save(buffer, "JPEG", quality=quality, progressive=True, **pillow_subsampling(mode))
        ours = jpeg.encode(image, quality, subsampling=subsampling_for(mode), optimize=True, progressive=True)
        assert len(ours) <= 1.005 * len(buffer.getvalue())


def test_the_standard_tables_send_one_eob_a_block(astronaut):
    """They have no symbol for an EOB run, so each block ends with its own EOB: a bigger file."""
    image = picture(astronaut, "grey")
    standard = jpeg.encode(image, 75, progressive=True)
    optimized = jpeg.encode(image, 75, progressive=True, optimize=True)
    assert len(standard) > 1.1 * len(optimized)
    frame = np.zeros((3, 64), np.int32)
    frame[0, 1] = 3  # a block with one level, then two empty blocks
    band = frame[:, 1:64].astype(np.int64)
    assert [e[1] for e in _progressive._ac_first(band, 0, 1, longest_run=1)] == [0x02, 0x00, 0x00, 0x00]
    # With optimized tables the three EOBs are one run: the block's own EOB and the two empty ones.
    assert [e[1:] for e in _progressive._ac_first(band, 0, 1, longest_run=0x7FFF)] == [(0x02, 2, 3), (0x10, 1, 1)]


@needs_djpeg
def test_the_longest_eob_run_and_many_waiting_correction_bits():
    """More than 32767 empty blocks in a band, and more than 937 correction bits waiting for an EOB run.

    A flat picture of 182 x 182 blocks has 33124 blocks with nothing in the
    AC bands: libjpeg ends an EOB run at 32767 blocks. A picture whose every
    block holds the same single large AC level sends one correction bit a
    block in the refinement scans, all waiting for the end of one EOB run:
    libjpeg sends the run early when more than 937 bits wait.
    """
    flat = np.full((8 * 182, 8 * 182), 90, np.uint8)
    x = np.arange(8 * 64)
    stripes = np.tile(np.uint8(128 + 60 * np.cos(np.pi * (x + 0.5) / 8)), (8 * 64, 1))
    for image in (flat, stripes):
        for optimize in (True, False):
            data = jpeg.encode(image, 90, optimize=optimize, progressive=True)
            np.testing.assert_array_equal(djpeg(data), pillow_open(data))
            _same_levels(data, jpeg.encode(image, 90, optimize=optimize))
    # The writer did what the docstring says: find the runs in the scans' entries.
    frame = np.zeros((182 * 182, 64), np.int32)
    entries = _progressive._ac_first(frame[:, 6:64].astype(np.int64), 2, 1, longest_run=0x7FFF)
    assert [(e[1], e[3]) for e in entries] == [(0xE0, 32767 - (1 << 14)), (0x80, 357 - (1 << 8))]
    one_level = np.zeros((4096, 63), np.int64)
    one_level[:, 0] = 5  # already sent as 2 (5 >> 1): its bit 0 is a correction bit
    entries = _progressive._ac_refine(one_level, 0, 1, longest_run=0x7FFF)
    runs = [e for e in entries if e[0] == 1]
    assert [e[1] for e in runs] == [0x90] * 4 + [0x80]  # 938 + 938 + 938 + 938 + 344 blocks
    assert len(entries) == len(runs) + 4096  # and every block's correction bit, raw


def test_a_bad_progressive_argument_is_named(astronaut):
    with pytest.raises(TypeError, match="progressive must be True or False"):
        jpeg.encode(astronaut[:8, :8], 75, progressive="yes")
    for function in (jpeg.analyse, jpeg.bit_budget, jpeg.block_bits):
        with pytest.raises(ValueError, match=r"progressive must be False here, got True"):
            function(astronaut[:8, :8], 75, progressive=True)
