"""Tests for helpers/jpeg/_lossless.py: lossless JPEG (SOF3), read as Pillow's libjpeg-turbo 3 reads it.

No program here writes lossless files (Debian's cjpeg is libjpeg-turbo 2.1),
so jpegfiles.lossless_jpeg writes them, and Pillow is the reference where
its libjpeg-turbo reads them (version 3, in Pillow 10.2 and later): every
sample must come out equal. Being lossless, every sample must also be the
picture's own (shifted by the point transform), which needs no reference.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers import images, jpeg
from jpegfiles import lossless_jpeg, pillow_open


def _pillow_reads_lossless() -> bool:
    try:
        pillow_open(lossless_jpeg(np.zeros((2, 2), np.uint8)))
    except OSError:  # libjpeg-turbo 2: "broken data stream"
        return False
    return True


PILLOW_READS_LOSSLESS = _pillow_reads_lossless()

@pytest.mark.parametrize("predictor", range(1, 8))
def test_every_predictor_gives_libjpegs_samples(astronaut, predictor):
    for picture in (astronaut[100:140, 200:250], images.to_grey(astronaut[100:140, 200:250]), astronaut[:1, :3]):
        for point_transform in (0, 2):
            for restart_lines in (0, 7):
                data = lossless_jpeg(picture, predictor, point_transform, restart_lines)
                ours = jpeg.decode(data, strict=True)
                np.testing.assert_array_equal(ours, (picture >> point_transform) << point_transform)  # lossless
                if PILLOW_READS_LOSSLESS:
                    np.testing.assert_array_equal(ours, pillow_open(data))


def test_pillow_reads_our_lossless_files_where_its_libjpeg_can():
    if not PILLOW_READS_LOSSLESS:
        pytest.skip("this Pillow's libjpeg-turbo (before 3) does not read lossless JPEG")
    picture = np.arange(48, dtype=np.uint8).reshape(4, 4, 3)
    np.testing.assert_array_equal(pillow_open(lossless_jpeg(picture, 4)), picture)


def test_a_photograph_comes_back_bit_for_bit(chelsea):
    data = lossless_jpeg(chelsea[:96, :128], predictor=7)
    np.testing.assert_array_equal(jpeg.decode(data), chelsea[:96, :128])
    assert len(data) < chelsea[:96, :128].nbytes * 0.75  # and it is smaller than the samples


def test_bad_lossless_files_give_clear_errors(astronaut):
    data = lossless_jpeg(astronaut[:16, :16], predictor=1)
    sos = data.index(b"\xff\xda")
    end = sos + 2 + int.from_bytes(data[sos + 2 : sos + 4], "big")
    with pytest.raises(ValueError, match="predictor 0"):
        jpeg.decode(data[: end - 3] + b"\x00\x00\x00" + data[end:])
    with pytest.raises(ValueError, match="predictor 1..7, Se 0"):
        jpeg.decode(data[: end - 3] + b"\x01\x05\x00" + data[end:])
    sof = data.index(b"\xff\xc3")
    subsampled = bytearray(data)
    subsampled[sof + 11] = 0x22  # the first component 2 x 2
    with pytest.raises(ValueError, match="lossless JPEG with sampling factors 2x2, 1x1, 1x1 is not supported"):
        jpeg.decode(bytes(subsampled))
    with pytest.raises(ValueError, match="truncated"):
        jpeg.decode(data[: len(data) - 10], strict=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cut = jpeg.decode(data[: len(data) - 10])  # read as libjpeg reads a cut file: the rest made of 0-bits
    assert cut.shape == (16, 16, 3) and any("premature end" in str(w.message) for w in caught)
