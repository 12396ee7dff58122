"""Tests for helpers/jpeg/_layout.py: the one MCU layout the encoder and the decoder share."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import jpeg
from helpers.jpeg import _markers
from helpers.jpeg._layout import Layout, fill_mcus

# 17 x 17 pixels in 4:2:0: 2 x 2 MCUs of 16 x 16 pixels, each 2 x 2 Y blocks, one Cb, one Cr.
SMALL = Layout(17, 17, ((2, 2), (1, 1), (1, 1)))


def test_sizes_of_a_small_picture_in_4_2_0():
    assert (SMALL.vmax, SMALL.hmax, SMALL.mcus) == (2, 2, (2, 2))
    assert [SMALL.samples(k) for k in range(3)] == [(17, 17), (9, 9), (9, 9)]
    assert [SMALL.blocks(k) for k in range(3)] == [(3, 3), (2, 2), (2, 2)]
    assert [SMALL.grid(k) for k in range(3)] == [(4, 4), (2, 2), (2, 2)]
    assert [SMALL.ratio(k) for k in range(3)] == [(1, 1), (2, 2), (2, 2)]
    assert SMALL.starts == (0, 16, 20, 24) and SMALL.total == 24


def test_an_interleaved_scan_sends_every_block_once_mcu_by_mcu():
    index, component = SMALL.scan_order((0, 1, 2))
    assert SMALL.scan_shape((0, 1, 2)) == (2, 2, 6)
    assert sorted(index.tolist()) == list(range(SMALL.total))
    assert index[:6].tolist() == [0, 1, 4, 5, 16, 20]  # the first MCU: Y's 2 x 2, Cb, Cr
    assert index[6:12].tolist() == [2, 3, 6, 7, 17, 21]  # the MCU on its right
    assert component.tolist() == [0, 0, 0, 0, 1, 2] * 4


def test_a_scan_of_one_component_sends_only_its_real_blocks():
    index, component = SMALL.scan_order((0,))
    assert SMALL.scan_shape((0,)) == (3, 3, 1)
    assert index.tolist() == [0, 1, 2, 4, 5, 6, 8, 9, 10] and set(component.tolist()) == {0}
    assert SMALL.scan_order((2,))[0].tolist() == [20, 21, 22, 23]


def test_split_gives_each_component_its_grid():
    grids = SMALL.split(np.arange(SMALL.total))
    assert [g.shape for g in grids] == [(4, 4), (2, 2), (2, 2)]
    assert grids[1].tolist() == [[16, 17], [18, 19]]


@pytest.mark.parametrize(
    ("mode", "factors"), [("4:2:0", (2, 2)), ("4:2:2", (1, 2)), ("4:4:4", (1, 1))]
)
def test_the_decoder_reads_the_layout_the_encoder_wrote(mode, factors):
    data = jpeg.encode(np.zeros((17, 23, 3), np.uint8), subsampling=mode)
    sof = next(s for s in jpeg.segments(data) if s.name == "SOF0")
    frame = _markers.read_sof(_markers.SOF0, data[sof.offset + 4 : sof.offset + sof.size])
    assert Layout.of(frame) == Layout(17, 23, (factors, (1, 1), (1, 1)))
    assert jpeg.SUBSAMPLING[mode] == factors  # (vertical, horizontal), as the frame's (v, h)


def test_dummy_blocks_repeat_the_dc_before_them():
    levels = np.zeros((3, 3, 64), np.int32)
    levels[..., 0] = np.arange(9).reshape(3, 3)
    levels[..., 5] = 7
    filled = fill_mcus(levels, (4, 4), 2)
    assert (filled[:3, :3] == levels).all() and (filled[3, :, 1:] == 0).all()
    assert filled[:3, 3, 0].tolist() == [2, 5, 8]  # right edge: the row's last real DC
    assert filled[3, :, 0].tolist() == [7, 7, 8, 8]  # bottom: the DC above, on the MCU's right
