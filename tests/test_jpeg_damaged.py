"""Damaged files, read as libjpeg reads them: a warning for each defect, or ``strict=True`` to refuse.

The reference is libjpeg itself: ``jpegtran`` reads a damaged file's levels
with libjpeg's own decoder (zero bits where the data ran out, its
resynchronisation at bad restart markers, skipped junk) and writes them
into a clean file, which our strict decoder then reads. Every damaged file
here must give exactly those levels, block for block, or be refused where
libjpeg refuses it. (Levels, not pixels: libjpeg smooths the blocks of a
progressive file whose last scans are missing, and its integer inverse DCT
wraps around on the wild levels that garbage data makes.)
"""

from __future__ import annotations

import re
import subprocess
import warnings

import numpy as np
import pytest

from helpers import images, jpeg
from helpers.jpeg import _markers
from helpers.jpeg._decoder import _read_levels
from jpegfiles import (
    DJPEG,
    Unwritable,
    cjpeg,
    libjpeg_levels,
    needs_cjpeg,
    needs_djpeg,
    needs_jpegtran,
    pillow_save,
    spoil,
)

pytestmark = [needs_djpeg, needs_jpegtran, needs_cjpeg]


@pytest.fixture(scope="module")
def sources(astronaut):
    """Small files of every kind a damaged file may be: restarts or none, baseline or progressive, grey or colour."""
    return {
        "baseline, restart every MCU": cjpeg(astronaut[100:116, 200:224], "-quality", "75", "-restart", "1B"),
        "grey, no restarts": jpeg.encode(images.to_grey(astronaut[100:140, 200:240]), 75),
        "progressive": pillow_save(astronaut[100:116, 200:224], quality=75, progressive=True),
        "progressive, restart every MCU": cjpeg(astronaut[100:132, 200:248], "-quality", "75", "-progressive",
                                                "-restart", "1B"),
    }  # fmt: skip


def _lenient(data: bytes):
    """Our levels of ``data`` read leniently, and the defects found; or the ValueError."""
    damage = _markers.Damage(strict=False)
    try:
        return _read_levels(data, damage), damage.found
    except ValueError as error:
        return error, []


def _as_libjpeg(data: bytes, what: str) -> str:
    """Check that we read ``data`` as libjpeg does; return what happened ("refused", "read", "clean")."""
    try:
        reference = libjpeg_levels(data)
    except Unwritable:
        return "no reference"
    ours, found = _lenient(data)
    if reference is None:
        assert isinstance(ours, ValueError), f"{what}: libjpeg refuses it, we read it ({found})"
        return "refused"
    assert not isinstance(ours, ValueError), f"{what}: libjpeg reads it, we refuse it: {ours}"
    if any(np.abs(a[..., 1:].astype(np.int64)).max(initial=0) > 1023
           or np.abs(a[..., 0].astype(np.int64)).max(initial=0) > 2047 for a in ours.levels):
        return "no reference"  # garbage made levels no baseline file holds: jpegtran cannot write them back
    expected = _read_levels(reference, _markers.Damage(strict=False))  # its tables may have steps of 0
    for k, (a, b) in enumerate(zip(ours.levels, expected.levels, strict=True)):
        different = np.argwhere((a != b).any(axis=-1))
        assert not different.size, f"{what}: component {k}, blocks {different[:4].tolist()} differ from libjpeg's"
    return "read" if found else "clean"


def test_every_cut_is_read_as_libjpeg_reads_it(sources):
    """Cut anywhere: in a segment (libjpeg reads on into fake EOI markers), in a scan (zero bits), between scans."""
    for name, data in sources.items():
        outcomes = {n: _as_libjpeg(data[:n], f"{name}, cut at {n}") for n in range(2, len(data) - 1)}
        assert "clean" not in outcomes.values()  # a cut file always gets a warning
        data_begins = next(s.offset for s in jpeg.segments(data) if s.name == "ECS")
        after = {outcomes[n] for n in range(data_begins, len(data) - 1)}
        # once the data has begun, a picture; in a progressive file, unless a later DHT is cut (libjpeg: "bogus")
        assert after == {"read"} if "progressive" not in name else "read" in after
        assert list(outcomes.values()).count("refused") > 50  # cut in the first headers, most are refused
        for n in ((data_begins + len(data)) // 2, len(data) - 2):
            with pytest.warns(jpeg.CorruptJPEGWarning, match="premature end of JPEG file"):
                jpeg.decode(data[:n])
            with pytest.raises(ValueError, match=r"truncated|premature end of JPEG file|the scan ends here"):
                jpeg.decode(data[:n], strict=True)


def _restart_damage(data: bytes):
    """Every way to spoil each RST marker: renumbered, left out, doubled, junk before it."""
    for match in re.finditer(rb"\xff[\xd0-\xd7]", data):
        at = match.start()
        for number in range(8):
            if 0xD0 + number != data[at + 1]:
                yield f"RST at {at} renumbered {number}", data[: at + 1] + bytes((0xD0 + number,)) + data[at + 2 :]
        yield f"RST at {at} left out", data[:at] + data[at + 2 :]
        yield f"RST at {at} doubled", data[: at + 2] + data[at:]
        yield f"junk before the RST at {at}", data[:at] + b"\x12\x34" + data[at:]
        yield f"a marker 0x2B instead of the RST at {at}", data[: at + 1] + b"\x2b" + data[at + 2 :]


def test_bad_restart_markers_are_resynchronised_as_libjpeg_does(sources):
    for name in ("baseline, restart every MCU", "progressive, restart every MCU"):
        outcomes = [_as_libjpeg(v, f"{name}: {what}") for what, v in _restart_damage(sources[name])]
        assert outcomes.count("read") > 0.9 * len(outcomes)
    data = sources["baseline, restart every MCU"]
    at = data.index(b"\xff\xd0")
    renumbered = data[: at + 1] + b"\xd3" + data[at + 2 :]
    with pytest.warns(jpeg.CorruptJPEGWarning, match=r"found RST3 instead of RST0 in the scan at byte \d+"):
        jpeg.decode(renumbered)
    with pytest.raises(ValueError, match="RST3"):
        jpeg.decode(renumbered, strict=True)


def test_extraneous_bytes_are_skipped_as_libjpeg_skips_them(sources):
    for name, data in sources.items():
        for segment in jpeg.segments(data)[1:]:
            if segment.name != "ECS":
                for junk in (b"abc", b"\xff\x00", b"\x00"):
                    damaged = data[: segment.offset] + junk + data[segment.offset :]
                    assert _as_libjpeg(damaged, f"{name}: {junk!r} before {segment.name}") == "read"
    data = sources["grey, no restarts"]
    dht = next(s for s in jpeg.segments(data) if s.name == "DHT").offset
    damaged = data[:dht] + b"abc" + data[dht:]
    with pytest.warns(jpeg.CorruptJPEGWarning, match=f"3 extraneous bytes at byte {dht}, before the marker DHT"):
        picture = jpeg.decode(damaged)
    np.testing.assert_array_equal(picture, jpeg.decode(data))
    with pytest.raises(ValueError, match=f"expected a marker \\(0xFF\\) at byte {dht}"):
        jpeg.decode(damaged, strict=True)


def test_fuzzed_files_are_read_as_libjpeg_reads_them(sources, astronaut):
    """Seeded random damage anywhere: the same levels as libjpeg, or refused where libjpeg refuses."""
    rng = np.random.default_rng(7)
    files = [*sources.values(), jpeg.encode(astronaut[100:133, 200:219], 60, subsampling="4:2:2", optimize=True,
                                            progressive=True)]  # fmt: skip
    outcomes, bad_codes = [], 0
    for trial in range(400):
        data = spoil(files[trial % len(files)], rng)
        try:
            outcomes.append(_as_libjpeg(data, f"trial {trial}"))
        except AssertionError:
            # libjpeg's jpegtran only copies levels; its decoder refuses what it cannot upsample, as we do
            refused = subprocess.run([DJPEG], input=data, capture_output=True, timeout=60).returncode == 1
            if not refused:
                raise
            outcomes.append("refused")
        bad_codes += any("bad Huffman code" in m for m in _lenient(data)[1])
    assert outcomes.count("no reference") < 0.05 * len(outcomes)
    assert outcomes.count("read") > 0.3 * len(outcomes) and outcomes.count("refused") > 0.3 * len(outcomes)
    assert bad_codes > 5  # the damage reaches the bad-code path too


def test_a_clean_file_gives_no_warning(sources):
    for data in sources.values():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            np.testing.assert_array_equal(jpeg.decode(data), jpeg.decode(data, strict=True))


def test_strict_must_be_a_boolean(sources):
    with pytest.raises(TypeError, match="strict must be True or False"):
        jpeg.decode(sources["progressive"], strict="yes")


def test_large_files_damaged_are_read_as_libjpeg_reads_them(chelsea):
    """Files large enough that the decoder's fast paths read most of them (see _entropy._ac_blocks_fast)."""
    rng = np.random.default_rng(11)
    files = [pillow_save(chelsea, quality=90, progressive=True), pillow_save(chelsea, quality=90),
             cjpeg(chelsea, "-quality", "80", "-progressive", "-restart", "2")]  # fmt: skip
    outcomes = []
    for data in files:
        for n in np.linspace(len(data) // 10, len(data) - 2, 12).astype(int):
            outcomes.append(_as_libjpeg(data[:n], f"cut at {n}"))
        for trial in range(25):
            outcomes.append(_as_libjpeg(spoil(data, rng), f"trial {trial}"))
    assert outcomes.count("read") > 0.5 * len(outcomes)  # most damage makes a picture, as in libjpeg
