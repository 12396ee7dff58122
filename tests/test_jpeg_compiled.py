"""The compiled loops (helpers.jpeg._compiled, with numba) read every file exactly as the Python loops do.

Only scans of :data:`_compiled.THRESHOLD` blocks or more go to the compiled
loops; here the threshold is set to 0 so that every scan does, and each
file, clean or damaged, must give the Python loops' levels and warnings
(or their error), which the other tests hold to libjpeg's. The files are
big enough that most of each scan is more than ``MARGIN`` bytes from its end,
where the compiled loops stop.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

from helpers import images, jpeg
from helpers.jpeg import _compiled, _markers
from helpers.jpeg._decoder import _read_levels
from jpegfiles import MODES, cjpeg, needs_cjpeg, picture, pillow_save, pillow_subsampling, spoil

pytestmark = pytest.mark.skipif(not _compiled.available, reason="numba is not installed: no compiled loops")

LOOPS = ("baseline", "dc_first", "ac_first", "ac_refine")


@contextlib.contextmanager
def compiled(on: bool):
    """Every scan read by the compiled loops (``on``), or none."""
    kept = _compiled.THRESHOLD
    _compiled.THRESHOLD = 0 if on else 1 << 62
    try:
        yield
    finally:
        _compiled.THRESHOLD = kept


@pytest.fixture
def counted(monkeypatch):
    """How many blocks each compiled loop read."""
    read = dict.fromkeys(LOOPS, 0)
    loops = _compiled.loops()
    for name in LOOPS:
        loop = getattr(loops, name)

        def counting(data, bit, blocks, *rest, loop=loop, name=name):
            first = rest[3] if name == "baseline" else rest[2] if name == "dc_first" else rest[1]
            result = loop(data, bit, blocks, *rest)
            read[name] += result[0] - first
            return result

        monkeypatch.setattr(loops, name, counting)
    return read


def _outcome(data: bytes, strict: bool = False):
    """The levels of every component and the defects reported; or the error."""
    damage = _markers.Damage(strict=strict)
    try:
        coded = _read_levels(data, damage)
    except ValueError as error:
        return f"{type(error).__name__}: {error}"
    return [np.asarray(levels).copy() for levels in coded.levels], list(damage.found)


def _same(data: bytes, strict: bool = False) -> object:
    with compiled(False):
        python = _outcome(data, strict)
    with compiled(True):
        machine = _outcome(data, strict)
    if isinstance(python, str):
        assert machine == python
    else:
        assert machine[1] == python[1]
        assert len(machine[0]) == len(python[0])
        for ours, theirs in zip(machine[0], python[0]):
            np.testing.assert_array_equal(ours, theirs)
    return python


@pytest.fixture(scope="module")
def files(chelsea, astronaut):
    """Clean files of every scan kind: baseline and progressive, each sampling, restarts, cjpeg's and ours."""
    made = {}
    for mode in MODES:
        image = picture(chelsea, mode)
        for quality in (30, 95):
            made[f"Pillow {mode} q{quality}"] = pillow_save(image, quality=quality, **pillow_subsampling(mode))
            made[f"Pillow {mode} q{quality} progressive"] = pillow_save(
                image, quality=quality, progressive=True, optimize=True, **pillow_subsampling(mode))
    made["ours, rdo, progressive"] = jpeg.encode(astronaut, 80, optimize=True, rdo=True, progressive=True)
    made["ours, 4:2:2"] = jpeg.encode(astronaut, 100, subsampling="4:2:2")
    flat = np.full((8 * 182, 8 * 182), 90, np.uint8)  # EOB runs of 32767 blocks
    made["ours, flat, progressive"] = jpeg.encode(flat, 90, progressive=True)
    return made


def test_the_compiled_loops_are_there():
    """numba is installed with the course (the fast extra), and compiles each loop."""
    import numba

    for name in LOOPS:
        assert isinstance(getattr(_compiled.loops(), name), numba.core.registry.CPUDispatcher), name


def test_clean_files_give_the_same_levels(files, counted):
    for name, data in files.items():
        assert _same(data)[1] == [], name
    assert all(counted[name] > 10_000 for name in LOOPS), counted  # the compiled loops read the bulk


@needs_cjpeg
def test_cjpeg_files_give_the_same_levels(chelsea, counted):
    for options in (["-restart", "2"], ["-progressive", "-restart", "1"], ["-sample", "4x1"], ["-sample", "1x4"],
                    ["-sample", "3x2", "-progressive"], ["-optimize", "-quality", "100"]):
        _same(cjpeg(chelsea, *options))
    assert counted["baseline"] > 10_000 and counted["ac_refine"] > 1000


def test_damaged_files_give_the_same_levels_and_warnings(files, chelsea, counted):
    """Seeded random damage, and cuts: the same levels and the same warnings, or the same error, strict or not."""
    rng = np.random.default_rng(16)
    small = [pillow_save(chelsea[:160, :200], quality=90, progressive=True),
             pillow_save(chelsea[:160, :200], quality=90),
             pillow_save(images.to_grey(chelsea[:160, :200]), quality=95, progressive=True)]  # fmt: skip
    warned = 0
    for trial in range(150):
        data = spoil(small[trial % len(small)], rng)
        outcome = _same(data)
        warned += not isinstance(outcome, str) and bool(outcome[1])
        if trial % 10 == 0:
            _same(data, strict=True)
    for data in small:
        for n in np.linspace(len(data) // 4, len(data) - 2, 6).astype(int):
            _same(data[:n])
    assert warned > 30  # much of the damage is read, with a warning
    assert all(counted[name] > 1000 for name in LOOPS), counted


def test_levels_beyond_16_bits_are_left_to_python(counted):
    """A DC past 32767 (only damaged data says so) stops the compiled loop; Python reads the file with 64 bits."""
    grey = np.full((8, 8 * 400), 128, np.uint8)
    data = jpeg.encode(grey, 75)
    start = data.index(b"\xff\xda") + 2 + int.from_bytes(data[data.index(b"\xff\xda") + 2 :][:2], "big")
    wild = data[:start] + b"\xff\x00\x7f\xfa" * 400 + b"\xff\xd9"  # every DC difference +2047
    levels, _ = _same(wild)
    dc = levels[0][..., 0].ravel()
    assert np.array_equal(dc, (2047 * np.arange(1, 401) + 32768) % 65536 - 32768)
    assert 0 < counted["baseline"] < 400


def test_a_big_photograph_is_read_by_the_compiled_loops(astronaut, counted):
    big = np.tile(astronaut, (3, 3, 1))  # 1536 x 1536: past THRESHOLD, as the course leaves it
    for progressive in (False, True):
        data = pillow_save(big, quality=90, progressive=progressive)
        np.testing.assert_array_equal(jpeg.decode(data), jpeg.decode(data, strict=True))
    assert all(counted[name] > 30_000 for name in LOOPS), counted
