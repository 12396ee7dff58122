"""Tests for helpers/jpeg/_trellis.py (rate-distortion optimized quantization) and helpers.rd.

``encode(..., rdo=True)`` chooses each block's levels with a trellis (dynamic
programming) instead of plain rounding. What must hold:

* the files are ordinary baseline JPEGs: Pillow and libjpeg's ``djpeg`` read
  them without a warning, and our decoder agrees with Pillow's;
* they are smaller than plain rounding's at the same quality, for a small
  PSNR loss, and smaller than libjpeg's at the same PSNR (BD-rate);
* the trellis finds the least ``distortion + lam * bits``: the same as a
  plain-Python dynamic program over one block and as trying every
  combination of levels, and never more than plain rounding's;
* ``bd_rate`` gives the worked examples; bad arguments raise errors that
  name them. (``block_bits`` is tested with the analysis, test_jpeg_analysis.py.)
"""

from __future__ import annotations

import io
import itertools
import math

import numpy as np
import pytest
from PIL import Image

from helpers import dct, huffman, images, jpeg, metrics
from helpers.rd import bd_rate
from jpegfiles import MODES, agree, djpeg, needs_djpeg, picture, pillow_open, subsampling_for


def _pillow_save(image: np.ndarray, quality: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


# --- The files are ordinary baseline JPEGs ----------------------------------------------


SHAPES = [(1, 1), (7, 3), (17, 17), (33, 47)]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("mode", MODES)
def test_small_rdo_files_open_in_pillow_and_we_read_them_alike(astronaut, mode, shape):
    image = picture(astronaut, mode, shape)
    for quality, optimize in itertools.product((1, 10, 50, 90, 100), (False, True)):
        data = jpeg.encode(image, quality, subsampling=subsampling_for(mode), optimize=optimize,
                           rdo=True)  # fmt: skip
        with Image.open(io.BytesIO(data)) as file:
            assert file.format == "JPEG" and file.size == (shape[1], shape[0])
            assert file.mode == ("L" if mode == "grey" else "RGB")
        agree(jpeg.decode(data), pillow_open(data))


@needs_djpeg
@pytest.mark.parametrize("mode", MODES)
def test_djpeg_reads_rdo_files_without_a_warning(chelsea, mode):
    image = picture(chelsea, mode)
    for quality, optimize in ((30, True), (75, False), (75, True), (95, True)):
        data = jpeg.encode(image, quality, subsampling=subsampling_for(mode), optimize=optimize,
                           rdo=True)  # fmt: skip
        pillow = pillow_open(data)
        np.testing.assert_array_equal(djpeg(data), pillow)
        agree(jpeg.decode(data), pillow)


def test_rdo_only_zeroes_or_lowers_levels(chelsea):
    """Every level of the rdo file is plain rounding's, or closer to zero with the same sign."""
    for quality in (25, 75):
        plain = jpeg._read_levels(jpeg.encode(chelsea, quality, optimize=True)).levels
        rdo = jpeg._read_levels(jpeg.encode(chelsea, quality, optimize=True, rdo=True)).levels
        for a, b in zip(plain, rdo, strict=True):
            np.testing.assert_array_equal(a[..., 0], b[..., 0])  # DC: plain rounding
            assert (np.abs(b) <= np.abs(a)).all() and (a * b >= 0).all()
        luma_changed = (rdo[0] != plain[0]).sum() / (plain[0] != 0).sum()
        assert 0.1 < luma_changed < 0.6  # it changes some of the nonzero luma levels


# --- Smaller files ---------------------------------------------------------------------------


@pytest.mark.parametrize("optimize", [False, True])
def test_rdo_is_smaller_at_the_same_quality_for_a_small_loss(astronaut, optimize):
    for quality in (30, 60, 90):
        plain = jpeg.encode(astronaut, quality, optimize=optimize)
        rdo = jpeg.encode(astronaut, quality, optimize=optimize, rdo=True)
        loss = metrics.psnr(astronaut, pillow_open(plain)) - metrics.psnr(
            astronaut, pillow_open(rdo)
        )
        assert len(rdo) < 0.93 * len(plain), (quality, len(rdo) / len(plain))
        assert 0 < loss < 0.8, (quality, loss)


def test_rdo_beats_libjpeg_at_the_same_psnr():
    """The camera man at 4 qualities: at least 5 % fewer bytes than libjpeg for the same PSNR."""
    image = images.load("camera")
    curves = []
    for encoder in (_pillow_save, lambda i, q: jpeg.encode(i, q, optimize=True, rdo=True)):
        files = [encoder(image, q) for q in (40, 60, 75, 90)]
        curves += [[len(f) for f in files], [metrics.psnr(image, pillow_open(f)) for f in files]]
    assert bd_rate(*curves) < -5


def test_a_larger_lam_gives_a_smaller_file(astronaut):
    sizes = [len(jpeg.encode(astronaut, 75, rdo=True, lam=lam)) for lam in (0, 10, 30, 100, 300)]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == 5
    # lam 0: plain rounding, but for the odd coefficient exactly halfway between two levels.
    assert sizes[0] == pytest.approx(len(jpeg.encode(astronaut, 75)), rel=1e-3)
    assert jpeg.encode(astronaut, 75, rdo=True) == jpeg.encode(
        astronaut, 75, rdo=True, lam=jpeg.rdo_lambda(75)
    )


def test_rdo_lambda():
    assert jpeg.rdo_lambda(50) == pytest.approx(3672 / 63)  # the mean AC step of Table K.1
    assert jpeg.rdo_lambda(100) == 1.0
    lams = [jpeg.rdo_lambda(q) for q in range(1, 101)]
    assert all(a >= b for a, b in itertools.pairwise(lams))


# --- The trellis finds the least cost -----------------------------------------------------


def _reference_cost(zz: np.ndarray, steps: np.ndarray, lengths: np.ndarray, lam: float) -> float:
    """The least AC cost of one block, by a plain-Python dynamic program over every level.

    ``zz``: 64 coefficients in zigzag order. For every AC position it tries
    every level from 1 to plain rounding's (not only the trellis' shortlist);
    a path's state is the position of its latest nonzero level.
    """
    zeros = np.concatenate([[0.0], np.cumsum(zz[1:] ** 2)])  # zeros[i]: error of AC 1..i zero
    best = {0: 0.0}
    for i in range(1, 64):
        a = math.floor(abs(zz[i]) / steps[i] + 0.5)
        options = []
        for level in range(1, a + 1):
            size = level.bit_length()
            error = (abs(zz[i]) - level * steps[i]) ** 2
            for j, cost in best.items():
                run = i - j - 1
                bits = (run // 16) * lengths[0xF0] + lengths[(run % 16) << 4 | size] + size
                options.append(cost + zeros[i - 1] - zeros[j] + lam * bits + error)
        if options:
            best[i] = min(options)
    eob = lam * lengths[0x00]
    return min(cost + zeros[63] - zeros[j] + eob * (j < 63) for j, cost in best.items())


def _random_blocks(rng: np.random.Generator, count: int, scale: float) -> np.ndarray:
    """Coefficient blocks like a photograph's: Laplacian, shrinking along the zigzag,
    with some lone large coefficients far down (long runs, ZRLs)."""
    zz = rng.laplace(size=(count, 64)) * scale / (1 + np.arange(64) / 3)
    lone = rng.random(count) < 0.3
    zz[lone, 2:] *= 0.05
    zz[lone, rng.integers(20, 64, lone.sum())] = scale * rng.choice([-1, 1], lone.sum())
    return jpeg.from_zigzag(zz)


def _ac_cost(coeffs, levels, table, lam, ac_table=huffman.AC_LUMINANCE):
    """rd_cost without the DC's squared error (which the trellis does not change)."""
    dc = (coeffs[..., 0, 0] - levels[..., 0, 0] * table[0, 0]) ** 2
    return jpeg.rd_cost(coeffs, levels, table, lam, ac_table=ac_table) - dc


@pytest.mark.parametrize("quality", [50, 85])
def test_trellis_equals_a_plain_dynamic_program(quality):
    rng = np.random.default_rng(quality)
    table = jpeg.quantization_table(quality).astype(np.float64)
    blocks = _random_blocks(rng, 24, 150.0)
    lengths = jpeg._ac_lengths(huffman.AC_LUMINANCE)
    for lam in (3.0, jpeg.rdo_lambda(quality), 5 * jpeg.rdo_lambda(quality)):
        levels = jpeg.trellis_quantize(blocks, table, lam)
        ours = _ac_cost(blocks, levels, table, lam)
        zz, steps = jpeg.to_zigzag(blocks), jpeg.to_zigzag(table)
        expected = [_reference_cost(z, steps, lengths, lam) for z in zz]
        np.testing.assert_allclose(ours, expected, rtol=1e-9)


def test_trellis_equals_trying_every_combination():
    """Blocks with 5 coefficients that round to 1..3, the rest below half a step:
    every combination of levels (7**5 of them) is priced, the least one is the trellis'."""
    rng = np.random.default_rng(7)
    table = jpeg.quantization_table(50).astype(np.float64)
    steps = jpeg.to_zigzag(table)
    for _ in range(8):
        where = np.sort(rng.choice(np.arange(1, 64), 5, replace=False))
        zz = rng.uniform(-0.45, 0.45, 64) * steps
        zz[0] = 0
        zz[where] = rng.uniform(0.55, 3.45, 5) * steps[where] * rng.choice([-1, 1], 5)
        block = jpeg.from_zigzag(zz)
        choices = [range(-3, 4)] * 5
        every = np.zeros((7**5, 64), np.int64)
        every[:, where] = np.array(list(itertools.product(*choices)))
        lam = float(rng.choice([5.0, 30.0, 100.0, 400.0]))
        costs = jpeg.rd_cost(np.broadcast_to(block, (7**5, 8, 8)), jpeg.from_zigzag(every),
                             table, lam)  # fmt: skip
        levels = jpeg.trellis_quantize(block, table, lam)
        assert jpeg.rd_cost(block, levels, table, lam) == pytest.approx(costs.min(), rel=1e-12)


@pytest.mark.parametrize("ac_table", [huffman.AC_LUMINANCE, huffman.AC_CHROMINANCE])
def test_trellis_never_costs_more_than_rounding(astronaut, ac_table):
    blocks = dct.block_dct(images.to_grey(astronaut)[128:384, 128:384] - 128.0)  # 1,024 blocks of the face and suit
    for quality in (20, 75, 95):
        table = jpeg.quantization_table(quality)
        rounded = jpeg.quantize(blocks, table)
        for lam in (1.0, jpeg.rdo_lambda(quality), 10 * jpeg.rdo_lambda(quality)):
            levels = jpeg.trellis_quantize(blocks, table, lam, ac_table=ac_table)
            ours = jpeg.rd_cost(blocks, levels, table, lam, ac_table=ac_table)
            plain = jpeg.rd_cost(blocks, rounded, table, lam, ac_table=ac_table)
            assert (ours <= plain + 1e-6 * plain).all()
            assert ours.sum() < plain.sum()


def test_trellis_with_lam_zero_is_rounding(astronaut):
    blocks = dct.block_dct(images.to_grey(astronaut)[:128, :128] - 128.0)
    table = jpeg.quantization_table(60)
    levels = jpeg.trellis_quantize(blocks, table, 0)
    assert levels.dtype == np.int32 and levels.shape == blocks.shape
    np.testing.assert_array_equal(levels, jpeg.quantize(blocks, table))


def test_rd_cost_by_hand():
    """One block: DC 1, then a 2 at zigzag position 1 and a -1 at position 20 (a run of 18)."""
    table = np.full((8, 8), 10.0)
    zz = np.zeros(64)
    zz[[0, 1, 20]] = [12.0, 17.0, -11.0]
    levels = np.zeros(64, np.int64)
    levels[[0, 1, 20]] = [1, 2, -1]
    _, lengths = huffman.code_table(huffman.AC_LUMINANCE)
    bits = (lengths[0x02] + 2) + lengths[0xF0] + (lengths[0x21] + 1) + lengths[0x00]
    distortion = 2**2 + 3**2 + 1**2
    cost = jpeg.rd_cost(jpeg.from_zigzag(zz), jpeg.from_zigzag(levels), table, 7.0)
    assert cost == pytest.approx(distortion + 7.0 * bits)


# --- BD-rate ---------------------------------------------------------------------------


RATES = np.array([12_000, 20_000, 31_000, 47_000, 80_000])
PSNRS = np.array([30.1, 32.4, 34.2, 36.0, 38.9])


def test_bd_rate_worked_examples():
    assert bd_rate(RATES, PSNRS, RATES, PSNRS) == 0
    assert bd_rate(RATES, PSNRS, 0.9 * RATES, PSNRS) == pytest.approx(-10, abs=1e-9)
    assert bd_rate(RATES, PSNRS, 1.25 * RATES, PSNRS) == pytest.approx(25, abs=1e-9)
    # A curve with 1 dB more at every rate, on a line of 3 dB per doubling: 2**(-1/3) - 1.
    rates = 1000 * 2.0 ** np.arange(5)
    psnrs = 30 + 3.0 * np.arange(5)
    assert bd_rate(rates, psnrs, rates, psnrs + 1) == pytest.approx(100 * (2 ** (-1 / 3) - 1))
    # The gap is measured over the PSNR range both curves cover, in any order of points.
    order = [3, 0, 4, 1, 2]
    assert bd_rate(RATES[order], PSNRS[order], list(0.9 * RATES), list(PSNRS)) == pytest.approx(-10)
    a_to_b = bd_rate(RATES, PSNRS, 0.8 * RATES, PSNRS - 0.3)
    b_to_a = bd_rate(0.8 * RATES, PSNRS - 0.3, RATES, PSNRS)
    assert (1 + a_to_b / 100) * (1 + b_to_a / 100) == pytest.approx(1)


def test_bd_rate_bad_arguments():
    with pytest.raises(ValueError, match="rate_b.*> 0"):
        bd_rate(RATES, PSNRS, -RATES, PSNRS)
    with pytest.raises(ValueError, match="psnr_a must hold at least 4"):
        bd_rate(RATES[:3], PSNRS[:3], RATES, PSNRS)
    with pytest.raises(ValueError, match="same length"):
        bd_rate(RATES, PSNRS[:4], RATES, PSNRS)
    with pytest.raises(ValueError, match="overlap"):
        bd_rate(RATES, PSNRS, RATES, PSNRS + 20)
    with pytest.raises(ValueError, match="psnr_b must not contain NaN or infinity"):
        bd_rate(RATES, PSNRS, RATES, np.r_[PSNRS[:4], np.inf])
    with pytest.raises(TypeError, match="rate_a"):
        bd_rate("12000", PSNRS, RATES, PSNRS)


# --- Bad arguments -------------------------------------------------------------------------


def test_bad_rdo_arguments(astronaut):
    image = astronaut[:16, :16]
    with pytest.raises(TypeError, match="rdo must be True or False, got 'yes'"):
        jpeg.encode(image, rdo="yes")
    with pytest.raises(TypeError, match="rdo must be True or False"):
        jpeg.bit_budget(image, rdo=1)
    with pytest.raises(ValueError, match="pass rdo=True"):
        jpeg.analyse(image, lam=10)
    with pytest.raises(ValueError, match="lam must be >= 0.0, got -1.0"):
        jpeg.encode(image, rdo=True, lam=-1)
    with pytest.raises(ValueError, match="lam must be finite"):
        jpeg.encode(image, rdo=True, lam=float("nan"))
    with pytest.raises(TypeError, match="lam must be a number"):
        jpeg.encode(image, rdo=True, lam="10")
    with pytest.raises(ValueError, match="pass rdo=True"):
        jpeg.encode(image, lam=10)
    with pytest.raises(ValueError, match="component must be one of 'Y', got 'Cb'"):
        jpeg.block_bits(images.to_grey(image), component="Cb")
    with pytest.raises(ValueError, match="component must be one of 'Y', 'Cb', 'Cr'"):
        jpeg.block_bits(image, component="R")
    blocks = np.zeros((2, 8, 8))
    with pytest.raises(ValueError, match="coeffs must be 8 x 8 blocks"):
        jpeg.trellis_quantize(np.zeros((4, 4)), np.ones((4, 4)), 1.0)
    with pytest.raises(ValueError, match="lam must be >= 0.0"):
        jpeg.trellis_quantize(blocks, jpeg.LUMINANCE, -2)
    with pytest.raises(TypeError, match="ac_table must be a HuffmanSpec"):
        jpeg.trellis_quantize(blocks, jpeg.LUMINANCE, 1.0, ac_table=np.ones(256))
    with pytest.raises(ValueError, match="table must hold steps > 0"):
        jpeg.trellis_quantize(blocks, np.zeros((8, 8)), 1.0)
    with pytest.raises(ValueError, match="levels must have the shape of coeffs"):
        jpeg.rd_cost(blocks, np.zeros((3, 8, 8), int), jpeg.LUMINANCE, 1.0)
    with pytest.raises(ValueError, match="levels must be whole numbers"):
        jpeg.rd_cost(blocks, np.full((2, 8, 8), 0.5), jpeg.LUMINANCE, 1.0)


# --- The trellis in machine code (numba) gives the vectorised loop's levels, to the bit ------------


def _both_ways(monkeypatch, coeffs, steps, lengths, lam, weight=None):
    """The levels of the vectorised loop and of the block-by-block program (:func:`_trellis._paths`)."""
    from helpers.jpeg import _trellis

    monkeypatch.setattr(_trellis._compiled, "available", False)
    vectorised = _trellis._trellis(coeffs, steps, lengths, lam, weight)
    monkeypatch.setattr(_trellis._compiled, "available", True)
    monkeypatch.setattr(_trellis, "COMPILED_BLOCKS", 1)
    return vectorised, _trellis._trellis(coeffs, steps, lengths, lam, weight)


@pytest.mark.parametrize("quality", [30, 75, 95])
def test_compiled_trellis_gives_the_same_levels(monkeypatch, astronaut, quality):
    """Every block of the astronaut's Y, and its Cb with each block's error weighted, at three prices."""
    pytest.importorskip("numba")  # without it the next test checks the same program, uncompiled
    from helpers.jpeg import _encoder

    layout = _encoder._layout(astronaut, "4:2:0")
    luma, cb, _ = (c.reshape(-1, 64) for c in _encoder._coefficients(astronaut, layout))
    lengths = jpeg._ac_lengths(huffman.AC_LUMINANCE)
    weight = np.random.default_rng(quality).uniform(0.3, 3.0, len(cb))
    for coeffs, chroma, w in ((luma, False, None), (cb, True, weight)):
        steps = jpeg.to_zigzag(jpeg.quantization_table(quality, chroma=chroma)).astype(np.int64)
        vectorised, compiled = _both_ways(monkeypatch, coeffs, steps, lengths, jpeg.rdo_lambda(quality), w)
        assert np.array_equal(vectorised, compiled)
        assert (vectorised[:, 1:] != 0).any() and (vectorised[:, 1:] != np.sign(coeffs[:, 1:]) * np.floor(
            np.abs(coeffs[:, 1:]) / steps[1:] + 0.5)).any()  # levels to choose, and the trellis chose some


def test_plain_python_paths_give_the_same_levels(monkeypatch):
    """The block-by-block program uncompiled (what numba compiles) on random blocks with ties and big levels."""
    from helpers.jpeg import _trellis

    rng = np.random.default_rng(3)
    table = jpeg.quantization_table(60).astype(np.int64)
    blocks = np.rint(_random_blocks(rng, 40, 400.0))  # whole numbers make equal costs likelier: the first must win
    blocks[0, 0, 1] = 2000.0  # a level of size 8
    coeffs, steps = jpeg.to_zigzag(blocks).reshape(-1, 64), jpeg.to_zigzag(table)
    lengths = jpeg._ac_lengths(huffman.AC_LUMINANCE)
    monkeypatch.setattr(_trellis._compiled, "available", True)
    monkeypatch.setattr(_trellis, "COMPILED_BLOCKS", 1)
    monkeypatch.setattr(_trellis, "_compiled_paths", lambda: _trellis._paths)
    for lam in (0.0, 20.0, 300.0):
        python = _trellis._trellis(coeffs, steps, lengths, lam)
        monkeypatch.setattr(_trellis._compiled, "available", False)
        vectorised = _trellis._trellis(coeffs, steps, lengths, lam)
        monkeypatch.setattr(_trellis._compiled, "available", True)
        assert np.array_equal(python, vectorised)
