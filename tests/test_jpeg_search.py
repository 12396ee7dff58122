"""encode(..., tables="psnr"): quantization tables chosen for the picture (helpers.jpeg._search)."""

from __future__ import annotations

import io
import subprocess

import numpy as np
import pytest
from PIL import Image

from helpers import images, jpeg, metrics
from helpers.jpeg import _encoder, _markers, _search, _trellis
from helpers.rd import bd_rate
from jpegfiles import DJPEG, needs_djpeg, pillow_save

QUALITIES = (30, 40, 50, 60, 70, 80, 90)


def _pillow_read(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as file:
        return np.asarray(file)


def test_entropy_bits_are_the_first_order_entropy():
    rows = np.array([[0, 0, 1, 1], [0, 0, 0, 0], [1, 2, 3, 4], [5, 5, 5, -7]])
    # 4 values: 1 bit each; one value: nothing to say; four: 2 bits each; 3/4 and 1/4: 3.245 bits in all
    expected = [4.0, 0.0, 8.0, -3 * np.log2(0.75) - np.log2(0.25)]
    np.testing.assert_allclose(_search._entropy_bits(rows), expected)


def test_each_step_is_the_cheapest_on_the_ladder(chelsea):
    """search_tables keeps, for every frequency, the step of least estimated cost (checked the slow way)."""
    image = chelsea[:96, :128]
    layout = _encoder._layout(image, "4:2:0")
    coefficients = _encoder._coefficients(image, layout)
    weights = _trellis._weights(3, "4:2:0")
    lam = 20.0
    luma, chroma = (jpeg.to_zigzag(t) for t in _search.search_tables(coefficients, weights, lam))
    for i in (0, 1, 5, 20, 63):
        for table, members in ((luma, [0]), (chroma, [1, 2])):
            costs = {}
            for step in _search.LADDER.tolist():
                cost = 0.0
                for k in members:
                    x = coefficients[k][..., i].ravel()
                    levels = np.rint(x / step)
                    coded = np.diff(levels, prepend=0) if i == 0 else levels
                    _, counts = np.unique(coded, return_counts=True)
                    bits = -(counts * np.log2(counts / counts.sum())).sum()
                    cost += weights[k] * ((x - step * levels) ** 2).sum() + lam * bits
                costs[step] = cost
            assert costs[int(table[i])] == pytest.approx(min(costs.values()), rel=1e-9), (i, members)


def test_a_higher_price_never_chooses_a_finer_step(astronaut):
    image = astronaut[:128, :128]
    coefficients = _encoder._coefficients(image, _encoder._layout(image, "4:2:0"))
    weights = _trellis._weights(3, "4:2:0")
    previous = None
    for lam in (1.0, 5.0, 20.0, 80.0, 300.0):
        tables = np.stack(_search.search_tables(coefficients, weights, lam))
        if previous is not None:
            assert np.all(tables >= previous) and np.any(tables > previous), lam
        previous = tables


@needs_djpeg
def test_psnr_tables_make_baseline_files_every_decoder_reads(chelsea, astronaut):
    grey = images.to_grey(astronaut[:120, :136])
    for image in (chelsea[:100, :150], grey):
        data = jpeg.encode(image, 75, optimize=True, rdo=True, tables="psnr")
        codes = [code for _, code, _ in _markers.walk(data)]
        assert _markers.SOF0 in codes
        done = subprocess.run([DJPEG], input=data, capture_output=True, timeout=60)
        assert done.returncode == 0 and not done.stderr
        theirs = _pillow_read(data)
        assert metrics.psnr(theirs, jpeg.decode(data, strict=True)) > 50
        assert metrics.psnr(image, theirs) > 30
        # the tables in the file are the searched ones or the flat ones, luma and chroma each
        layout = _encoder._layout(image, "4:2:0")
        weights = _trellis._weights(len(layout.factors), "4:2:0")
        lam = _trellis.rdo_lambda(75)
        searched = _search.search_tables(_encoder._coefficients(image, layout), weights, _search.SEARCH_SHARE * lam)
        flat = _search.flat_tables(lam, weights)
        written = [z for _, code, p in _markers.walk(data) if code == _markers.DQT for _, z in _markers.read_dqt(p)]
        for k, table in enumerate(written):
            assert table in (jpeg.to_zigzag(searched[k]).tolist(), jpeg.to_zigzag(flat[k]).tolist())


def test_flat_tables_buy_the_step_whose_error_a_bit_is_worth():
    """lam = ln(2) / 6 x step**2: at quality 75 (lam 29.4) every luma step is 16; chroma's lam is lam / weight."""
    assert np.isclose(_search.FLAT_SHARE, 2 * np.log(2) / 12)
    weights = _trellis._weights(3, "4:2:0")
    luma, chroma = _search.flat_tables(_trellis.rdo_lambda(75), weights)
    assert (luma == 16).all() and luma.shape == (8, 8)
    assert (chroma == round(np.sqrt(_trellis.rdo_lambda(75) / (_search.FLAT_SHARE * np.mean(weights[1:]))))).all()
    assert chroma[0, 0] == 8  # Cb and Cr weigh about 3.8 in RGB: half the step
    grey_luma, grey_chroma = _search.flat_tables(100.0, [1.0])
    assert (grey_luma == grey_chroma).all() and grey_luma[0, 0] == 29  # sqrt(100 / 0.1155) = 29.4
    assert (_search.flat_tables(1e9, [1.0])[0] == 255).all() and (_search.flat_tables(0.0, [1.0])[0] == 1).all()


def test_psnr_keeps_the_kind_of_table_that_really_costs_less(chelsea, camera):
    """Luma and chroma each keep the kind (searched or flat) that really costs less at quality 75's price."""
    for image in (chelsea[:96, :144], camera[200:296, 200:296]):
        layout = _encoder._layout(image, "4:2:0")
        order = layout.scan_order(tuple(range(len(layout.factors))))
        coeffs = _encoder._coefficients(image, layout)
        weights = _trellis._weights(len(coeffs), "4:2:0")
        luma = _encoder._samples(image, layout)[0]
        lam = _encoder._REFERENCE
        kinds = [lambda p, c=coeffs, w=weights: _search.search_tables(c, w, _search.SEARCH_SHARE * p),
                 lambda p, w=weights: _search.flat_tables(p, w)]  # fmt: skip
        tried = [_encoder._tried(luma, layout, order, coeffs, weights, kind(lam), True, True, lam) for kind in kinds]
        luma_kind = min((0, 1), key=lambda k: tried[k].luma)
        chroma_kind = min((0, 1), key=lambda k: tried[k].chroma)
        _encoder._CHOSEN.clear()
        at_75 = _encoder._quantized(image, 75, "4:2:0", True, True, None, "psnr")
        assert np.array_equal(at_75.levels[0], tried[luma_kind].levels[0])
        if len(coeffs) == 3:
            assert all(np.array_equal(at_75.levels[k], tried[chroma_kind].levels[k]) for k in (1, 2))
        for quality in (40, 90):  # another quality: the same kinds, at its own price
            chosen = _encoder._quantized(image, quality, "4:2:0", True, True, None, "psnr")
            price = _trellis.rdo_lambda(quality)
            assert np.array_equal(chosen.steps[0], jpeg.to_zigzag(kinds[luma_kind](price)[0]))
            if len(coeffs) == 3:
                assert np.array_equal(chosen.steps[1], jpeg.to_zigzag(kinds[chroma_kind](price)[1]))
        # the luma's cost counts what the viewer gets: the file's own bits and its decoded pixels' error
        if image.ndim == 2:
            data = _encoder._encode(at_75)
            error = ((jpeg.decode(data.data).astype(float) - image) ** 2).sum()
            assert abs(tried[luma_kind].luma - (error + lam * 8 * len(data.scan))) < 0.01 * tried[luma_kind].luma
    assert luma_kind == 1  # the cameraman's crop: the flat luma table


@pytest.mark.slow
def test_psnr_tables_are_a_monotone_dial_and_need_far_fewer_bytes(camera, chelsea):
    """Higher quality: bigger file, higher PSNR; and the same PSNR for about 30 % fewer bytes than libjpeg.

    Measured on these two pictures (qualities 30..90): BD-rate against
    libjpeg-turbo about -32 % (camera) and -28 % (chelsea); libjpeg's
    tables with the same trellis about -14 %.
    """
    for image, at_most in ((camera, -0.28), (chelsea, -0.24)):
        theirs, ours, plain = [], [], []
        for quality in QUALITIES:
            data = pillow_save(image, quality=quality)
            theirs.append((len(data), metrics.psnr(image, _pillow_read(data))))
            for kind, found in (("psnr", ours), (None, plain)):
                data = jpeg.encode(image, quality, optimize=True, rdo=True, tables=kind)
                found.append((len(data), metrics.psnr(image, _pillow_read(data))))
        theirs, ours, plain = np.array(theirs), np.array(ours), np.array(plain)
        assert np.all(np.diff(ours[:, 0]) > 0) and np.all(np.diff(ours[:, 1]) > 0)
        chosen = bd_rate(theirs[:, 0], theirs[:, 1], ours[:, 0], ours[:, 1]) / 100
        annex_k = bd_rate(theirs[:, 0], theirs[:, 1], plain[:, 0], plain[:, 1]) / 100
        assert chosen < at_most and chosen < annex_k - 0.1, (chosen, annex_k)


# --- tables="perceptual": the same search and trellis, errors weighted for SSIM -------------


def test_window_shares_are_what_ssims_window_sees_of_each_frequency():
    """Checked against a direct measurement: random errors of one frequency in every block, seen in SSIM's window."""
    from scipy import ndimage

    luma = _search._window_shares((1.5, 1.5))
    assert luma[0] == pytest.approx(0.372, abs=0.005) and luma[1] == pytest.approx(0.645, abs=0.005)
    assert np.all(luma > 0) and np.all(luma <= 1) and np.all(luma[-20:] > 0.99)
    chroma = _search._window_shares((0.75, 0.75))  # 4:2:0 chroma: half the window in its samples
    assert np.all(chroma <= luma + 1e-12) and chroma[0] < 0.2
    rng = np.random.default_rng(0)
    n = 24
    for i in (0, 1, 2, 4, 12):
        coefficients = np.zeros((n, n, 64))
        coefficients[..., i] = rng.normal(size=(n, n))
        error = jpeg.from_zigzag(coefficients)  # (n, n, 8, 8): each block's coefficients
        samples = np.einsum("vy,abvu,ux->aybx", _dct_matrix(), error, _dct_matrix()).reshape(8 * n, 8 * n)
        window = lambda v: ndimage.gaussian_filter(v, 1.5, truncate=5 / 1.5, mode="wrap")  # noqa: E731
        variance = window(samples**2) - window(samples) ** 2
        assert variance.mean() / (samples**2).mean() == pytest.approx(luma[i], abs=0.04), i


def _dct_matrix() -> np.ndarray:
    from helpers import dct

    return dct.dct_matrix(8)


def test_perceptual_weights_are_heavier_where_the_picture_is_flat(astronaut):
    image = astronaut[:160, :200]
    layout = _encoder._layout(image, "4:2:0")
    blocks, frequencies = _search.perceptual_weights(image, layout)
    assert [b.shape for b in blocks] == [layout.blocks(k) for k in range(3)]
    for b in blocks:
        assert b.mean() == pytest.approx(1.0) and np.all(b > 0)
    coefficients = _encoder._coefficients(image, layout)[0]
    busy = (coefficients[..., 1:] ** 2).sum(axis=-1)
    flattest, busiest = np.unravel_index(busy.argmin(), busy.shape), np.unravel_index(busy.argmax(), busy.shape)
    assert blocks[0][flattest] > 3 * blocks[0][busiest]
    assert frequencies[0][0] < frequencies[0][5] < frequencies[0][63]


def test_perceptual_tables_make_baseline_files_pillow_reads(chelsea, astronaut):
    grey = images.to_grey(astronaut[:120, :136])
    for image in (chelsea[:100, :150], grey):
        data = jpeg.encode(image, 75, optimize=True, rdo=True, tables="perceptual")
        codes = [code for _, code, _ in _markers.walk(data)]
        assert _markers.SOF0 in codes and _markers.SOF2 not in codes
        theirs = _pillow_read(data)
        assert theirs.shape == image.shape
        assert metrics.psnr(theirs, jpeg.decode(data, strict=True)) > 50
        assert metrics.ssim(image, theirs) > 0.85


def test_perceptual_quality_is_a_monotone_dial(chelsea, camera):
    for image in (chelsea[:128, :160], camera[128:256, 128:288]):
        sizes = [len(jpeg.encode(image, q, optimize=True, rdo=True, tables="perceptual")) for q in (20, 40, 60, 80, 95)]
        assert np.all(np.diff(sizes) > 0), sizes


def _at_bytes(image: np.ndarray, kind: str, qualities, n_bytes: int) -> tuple[float, float]:
    """(SSIM, PSNR) of ``kind``'s tables at ``n_bytes``, interpolated in log bytes between its qualities."""
    points = []
    for quality in qualities:
        data = jpeg.encode(image, quality, optimize=True, rdo=True, tables=kind)
        decoded = _pillow_read(data)
        points.append((np.log(len(data)), metrics.ssim(image, decoded), metrics.psnr(image, decoded)))
    x, ssim, psnr = np.array(points).T
    assert x[0] <= np.log(n_bytes) <= x[-1], (np.exp(x), n_bytes)
    return float(np.interp(np.log(n_bytes), x, ssim)), float(np.interp(np.log(n_bytes), x, psnr))


def test_perceptual_tables_win_on_ssim_and_lose_on_psnr(camera, chelsea):
    """At the bytes of tables="psnr" at quality 60: higher SSIM, lower PSNR (the eye's measure against squared error).

    Measured: the cameraman's middle 256 x 256, SSIM 0.913 against 0.902 and
    PSNR 33.0 against 34.0 dB; chelsea 0.908 against 0.903 and 34.0 against 34.3 dB.
    """
    for image, ssim_gain, psnr_loss in ((camera[128:384, 128:384], 0.006, 0.5), (chelsea, 0.002, 0.1)):
        data = jpeg.encode(image, 60, optimize=True, rdo=True, tables="psnr")
        decoded = _pillow_read(data)
        ssim, psnr = _at_bytes(image, "perceptual", (70, 80, 90), len(data))
        assert ssim > metrics.ssim(image, decoded) + ssim_gain, (ssim, metrics.ssim(image, decoded))
        assert psnr < metrics.psnr(image, decoded) - psnr_loss, (psnr, metrics.psnr(image, decoded))


def test_bad_tables_strings_name_the_argument_and_perceptual(astronaut):
    small = astronaut[:8, :8]
    with pytest.raises(ValueError, match=r"tables must be None, 'psnr', 'perceptual' or a pair.*got 'ssim'"):
        jpeg.encode(small, tables="ssim")
    with pytest.raises(TypeError, match=r"tables must be.*'perceptual'"):
        jpeg.encode(small, tables=3)
