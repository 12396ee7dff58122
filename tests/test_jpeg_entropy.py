"""The readable one-block coding (the reference path) against the encoder's vectorised one."""

import numpy as np
import pytest

from helpers import dct, huffman, images, jpeg
from helpers.jpeg._entropy import _AC, _DC, _EOB, _ZRL, _run_length
from published import WIKIPEDIA_BLOCK

KINDS = {0xF0: _ZRL, 0x00: _EOB}


def _zigzags(picture, quality):
    """The zigzag levels of a grey picture's blocks in raster order, as the encoder quantizes them."""
    levels = jpeg.quantize(dct.block_dct(picture.astype(float) - 128), jpeg.quantization_table(quality))
    return jpeg.to_zigzag(levels).reshape(-1, 64)


def _random_blocks(rng, n):
    """Sparse blocks like quantized ones, with long runs of zeros (ZRL), full blocks (no EOB), empty ones."""
    blocks = np.zeros((n, 64), np.int64)
    for i in range(n):
        kind = i % 4
        if kind == 0:  # a few levels anywhere: long runs
            where = rng.choice(np.arange(1, 64), size=rng.integers(0, 5), replace=False)
        elif kind == 1:  # the last level nonzero: no EOB
            where = np.append(rng.choice(np.arange(1, 63), size=rng.integers(0, 8), replace=False), 63)
        elif kind == 2:  # dense at the start
            where = np.arange(1, rng.integers(1, 64))
        else:  # only a DC
            where = np.array([], int)
        blocks[i, where] = rng.choice([-1, 1], size=where.size) * rng.integers(1, 1024, size=where.size)
        blocks[i, 0] = rng.integers(-1000, 1000)
    return blocks


def _reference(blocks, component):
    """block_symbols of each block, the DC predicted from the previous block of its component."""
    previous, out = {}, []
    for z, c in zip(blocks, component):
        out.append(jpeg.block_symbols(z, previous.get(c, 0)))
        previous[c] = int(z[0])
    return out


def _assert_same_symbols(blocks, component):
    fast = _run_length(blocks, component)
    assert np.array_equal(fast.block, np.sort(fast.block))  # the scan keeps block order
    reference = _reference(blocks, component)
    assert len(fast.symbol) == sum(len(r) for r in reference)
    at = 0
    for j, symbols in enumerate(reference):
        n = len(symbols)
        got = list(zip(fast.symbol[at : at + n].tolist(), fast.size[at : at + n].tolist(),
                       fast.bits[at : at + n].tolist()))  # fmt: skip
        assert got == symbols, f"block {j}"
        assert (fast.block[at : at + n] == j).all()
        kinds = [_DC] + [KINDS.get(s, _AC) for s, _, _ in symbols[1:]]
        assert fast.kind[at : at + n].tolist() == kinds
        chroma = 2 * (component[j] > 0)
        assert fast.table[at : at + n].tolist() == [chroma] + [chroma + 1] * (n - 1)
        at += n


def test_wikipedia_block_costs_the_93_bits_of_chapter_08():
    z = _zigzags(WIKIPEDIA_BLOCK, 50)[0]
    symbols = jpeg.block_symbols(z)
    assert symbols[0] == (5, 5, 5)  # DC -26: size 5, bits -26 + 2**5 - 1 = 5
    assert symbols[-1] == (0x00, 0, 0)  # EOB
    assert len(jpeg.block_bit_string(z)) == 93


def test_run_length_equals_the_reference_on_random_blocks():
    rng = np.random.default_rng(1)
    blocks = _random_blocks(rng, 2000)
    assert any(_ZRL in [KINDS.get(s) for s, _, _ in jpeg.block_symbols(z)] for z in blocks)  # ZRL is tried
    interleaved = np.resize([0, 0, 0, 0, 1, 2], len(blocks))  # 4:2:0 MCUs: four Y blocks, Cb, Cr
    for component in (np.zeros(len(blocks), np.int64), interleaved):
        _assert_same_symbols(blocks, component)


@pytest.mark.parametrize("name", ["astronaut", "camera", "coffee"])
@pytest.mark.parametrize("quality", [10, 50, 95])
def test_run_length_equals_the_reference_on_real_blocks(name, quality):
    blocks = _zigzags(images.load(name, grey=True)[:128, :128], quality)
    _assert_same_symbols(blocks, np.zeros(len(blocks), np.int64))


@pytest.mark.parametrize("quality", [25, 75, 100])
def test_the_encoders_scan_is_the_reference_bits_one_block_after_another(quality):
    grey = images.load("camera", grey=True)[64:192, 96:256]  # 16 x 20 blocks
    data = jpeg.encode(grey, quality=quality)
    scan = next(s for s in jpeg.segments(data) if s.name == "ECS")
    blocks = _zigzags(grey, quality)
    bits = "".join(jpeg.block_bit_string(z, int(p)) for z, p in zip(blocks, np.r_[0, blocks[:-1, 0]]))
    bits += "1" * (-len(bits) % 8)  # the last byte padded with 1-bits
    packed = int(bits, 2).to_bytes(len(bits) // 8, "big")
    assert data[scan.offset : scan.offset + scan.size] == huffman.stuff_bytes(packed)


def test_block_bit_string_uses_the_tables_it_is_given():
    z = _zigzags(WIKIPEDIA_BLOCK, 50)[0]
    chroma = jpeg.block_bit_string(z, 0, huffman.DC_CHROMINANCE, huffman.AC_CHROMINANCE)
    assert chroma != jpeg.block_bit_string(z)
    reader = huffman.BitReader(huffman.pack_bits(np.array([int(b) for b in chroma]), np.ones(len(chroma), int)))
    dc, ac = huffman.decoder_table(huffman.DC_CHROMINANCE), huffman.decoder_table(huffman.AC_CHROMINANCE)
    read = [reader.receive_extend(reader.decode_huffman(dc))]
    while (symbol := reader.decode_huffman(ac)) != 0x00:
        read += [0] * (symbol >> 4) + [reader.receive_extend(symbol & 15)]
    assert read + [0] * (64 - len(read)) == z.tolist()


def test_block_symbols_checks_its_input():
    with pytest.raises(TypeError, match="zigzag must be a numpy array"):
        jpeg.block_symbols([0] * 64)
    with pytest.raises(TypeError, match="zigzag must hold integer levels, got dtype float64"):
        jpeg.block_symbols(np.zeros(64))
    with pytest.raises(ValueError, match=r"64 levels, got shape \(63,\)"):
        jpeg.block_symbols(np.zeros(63, int))
    big = np.zeros(64, int)
    big[5] = 1024
    with pytest.raises(ValueError, match=r"within -1023..1023, got 0..1024"):
        jpeg.block_symbols(big)
    with pytest.raises(ValueError, match="DC difference .* got 2048"):
        jpeg.block_symbols(np.zeros(64, int), previous_dc=-2048)
    with pytest.raises(TypeError, match="previous_dc"):
        jpeg.block_symbols(np.zeros(64, int), previous_dc=0.5)
    with pytest.raises(TypeError, match="ac_table must be a HuffmanSpec"):
        jpeg.block_bit_string(np.zeros(64, int), 0, huffman.DC_LUMINANCE, "AC")
    only_eob = huffman.HuffmanSpec((1,) + (0,) * 15, (0x00,))
    one = np.zeros(64, int)
    one[1] = 1
    with pytest.raises(ValueError, match="ac_table has no code for symbol 0x01"):
        jpeg.block_bit_string(one, 0, huffman.DC_LUMINANCE, only_eob)
