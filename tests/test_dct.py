"""Tests for helpers.dct: the matrix, the 2-D transform, basis images, blocks."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.fft

from helpers.dct import (
    basis,
    block_dct,
    block_idct,
    blocks_to_image,
    dct2,
    dct_matrix,
    idct2,
    image_to_blocks,
)
from published import WIKIPEDIA_BLOCK, WIKIPEDIA_COLUMN, WIKIPEDIA_ROW

SIZES = [1, 2, 3, 8, 16]



def scipy_block_dct(padded: np.ndarray, n: int) -> np.ndarray:
    """Reference: scipy's dctn on each block, one block at a time."""
    rows, cols = padded.shape[0] // n, padded.shape[1] // n
    out = np.empty((rows, cols, n, n))
    for r in range(rows):
        for c in range(cols):
            block = padded[r * n : (r + 1) * n, c * n : (c + 1) * n]
            out[r, c] = scipy.fft.dctn(block.astype(np.float64), norm="ortho")
    return out


# --- dct_matrix -----------------------------------------------------------------


@pytest.mark.parametrize("n", SIZES)
def test_matrix_is_orthonormal(n):
    c = dct_matrix(n)
    assert c.shape == (n, n) and c.dtype == np.float64
    np.testing.assert_allclose(c @ c.T, np.eye(n), atol=1e-12)
    np.testing.assert_allclose(c.T @ c, np.eye(n), atol=1e-12)


@pytest.mark.parametrize("n", SIZES)
def test_matrix_first_row_is_constant(n):
    np.testing.assert_allclose(dct_matrix(n)[0], np.full(n, 1 / np.sqrt(n)), rtol=1e-14)


@pytest.mark.parametrize("n", SIZES)
def test_matrix_equals_scipy(n):
    np.testing.assert_allclose(
        dct_matrix(n), scipy.fft.dct(np.eye(n), norm="ortho", axis=0), atol=1e-12
    )


def test_matrix_formula_entry():
    n, k, i = 8, 3, 5
    expected = np.sqrt(2 / n) * np.cos((2 * i + 1) * k * np.pi / (2 * n))
    assert dct_matrix(n)[k, i] == pytest.approx(expected, abs=1e-15)


def test_matrix_is_cached_and_read_only():
    c = dct_matrix(8)
    assert dct_matrix(8) is c
    assert dct_matrix(np.int64(8)) is c
    assert not c.flags.writeable
    with pytest.raises(ValueError):
        c[0, 0] = 1.0
    assert dct_matrix(8)[0, 0] == pytest.approx(1 / np.sqrt(8))


def test_matrix_default_is_8():
    assert dct_matrix().shape == (8, 8)


# --- dct2 / idct2 ---------------------------------------------------------------


@pytest.mark.parametrize("n", SIZES)
def test_dct2_round_trip_and_scipy(n):
    rng = np.random.default_rng(n)
    x = rng.uniform(-128, 128, size=(n, n))
    y = dct2(x)
    assert y.dtype == np.float64 and y.shape == (n, n)
    np.testing.assert_allclose(y, scipy.fft.dctn(x, norm="ortho"), atol=1e-10)
    np.testing.assert_allclose(idct2(y), x, atol=1e-10)
    np.testing.assert_allclose(idct2(y), scipy.fft.idctn(y, norm="ortho"), atol=1e-10)


def test_dct2_accepts_integers_and_keeps_energy():
    x = np.random.default_rng(0).integers(0, 256, size=(8, 8), dtype=np.uint8)
    y = dct2(x)
    assert y.dtype == np.float64
    np.testing.assert_allclose(y, scipy.fft.dctn(x.astype(float), norm="ortho"), atol=1e-10)
    # Orthonormal: the sum of squares is the same before and after.
    assert np.sum(y**2) == pytest.approx(np.sum(x.astype(float) ** 2))
    # The DC coefficient is n times the mean.
    assert y[0, 0] == pytest.approx(8 * x.mean())


def test_dct2_does_not_change_its_input():
    x = np.arange(64.0).reshape(8, 8)
    before = x.copy()
    dct2(x)
    idct2(x)
    np.testing.assert_array_equal(x, before)


def test_wikipedia_worked_example():
    y = dct2(WIKIPEDIA_BLOCK.astype(float) - 128)
    np.testing.assert_allclose(y[0], WIKIPEDIA_ROW, rtol=0, atol=0.01)
    np.testing.assert_allclose(y[:, 0], WIKIPEDIA_COLUMN, rtol=0, atol=0.01)
    # The DC coefficient is exact: 8 * mean of the shifted block.
    assert y[0, 0] == pytest.approx(-415.375, abs=1e-9)
    np.testing.assert_allclose(idct2(y) + 128, WIKIPEDIA_BLOCK, atol=1e-9)


# --- basis ----------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 4, 8])
def test_basis_is_idct_of_one_hot(n):
    for u in range(n):
        for v in range(n):
            one_hot = np.zeros((n, n))
            one_hot[v, u] = 1.0
            np.testing.assert_allclose(basis(u, v, n), idct2(one_hot), atol=1e-12)
            np.testing.assert_allclose(dct2(basis(u, v, n)), one_hot, atol=1e-12)


def test_basis_horizontal_frequency_varies_along_columns():
    b = basis(1, 0)
    # Every row is the same: the pattern changes only across (along x).
    np.testing.assert_allclose(b, np.tile(b[0], (8, 1)), atol=1e-15)
    assert np.ptp(b[0]) > 0.1
    # One half-wave across: high on the left, low on the right.
    assert b[0, 0] > 0 > b[0, -1]


def test_basis_vertical_frequency_varies_along_rows():
    b = basis(0, 1)
    # Every column is the same: the pattern changes only down (along y).
    np.testing.assert_allclose(b, np.tile(b[:, :1], (1, 8)), atol=1e-15)
    assert np.ptp(b[:, 0]) > 0.1
    np.testing.assert_allclose(basis(0, 1), basis(1, 0).T, atol=1e-15)


def test_basis_horizontal_frequency_counts_sign_changes():
    for u in range(8):
        row = basis(u, 0)[0]
        assert np.count_nonzero(np.diff(np.sign(row))) == u


@pytest.mark.parametrize("n", [1, 3, 8])
def test_basis_dc_is_constant(n):
    np.testing.assert_allclose(basis(0, 0, n), np.full((n, n), 1 / n), rtol=1e-14)


def test_basis_images_are_orthonormal():
    vectors = np.array([basis(u, v).ravel() for v in range(8) for u in range(8)])
    np.testing.assert_allclose(vectors @ vectors.T, np.eye(64), atol=1e-12)


def test_basis_sum_rebuilds_block():
    x = np.random.default_rng(1).uniform(-1, 1, size=(8, 8))
    y = dct2(x)
    rebuilt = sum(y[v, u] * basis(u, v) for v in range(8) for u in range(8))
    np.testing.assert_allclose(rebuilt, x, atol=1e-12)


# --- blocks ---------------------------------------------------------------------

PICTURE_SHAPES = [(37, 50), (1, 1), (8, 8), (300, 451), (16, 24), (7, 9)]


@pytest.mark.parametrize("shape", PICTURE_SHAPES)
def test_block_round_trip(shape):
    rng = np.random.default_rng(sum(shape))
    image = rng.integers(0, 256, size=shape, dtype=np.uint8)
    coeffs = block_dct(image)
    assert coeffs.dtype == np.float64
    assert coeffs.shape == (-(-shape[0] // 8), -(-shape[1] // 8), 8, 8)
    back = block_idct(coeffs, shape)
    assert back.shape == shape and back.dtype == np.float64
    np.testing.assert_allclose(back, image, atol=1e-9)


@pytest.mark.parametrize("shape", PICTURE_SHAPES)
@pytest.mark.parametrize("n", [8, 4, 16])
def test_block_dct_equals_scipy_per_block(shape, n):
    rng = np.random.default_rng(n)
    image = rng.uniform(-128, 128, size=shape)
    rows, cols = -(-shape[0] // n), -(-shape[1] // n)
    padded = np.pad(image, [(0, rows * n - shape[0]), (0, cols * n - shape[1])], mode="edge")
    coeffs = block_dct(image, n)
    np.testing.assert_allclose(coeffs, scipy_block_dct(padded, n), atol=1e-9)
    np.testing.assert_allclose(block_idct(coeffs, shape), image, atol=1e-9)


def test_block_dct_matches_dct2_on_each_block():
    image = np.random.default_rng(2).integers(0, 256, size=(24, 16)).astype(float) - 128
    coeffs = block_dct(image)
    for r in range(3):
        for c in range(2):
            block = image[8 * r : 8 * r + 8, 8 * c : 8 * c + 8]
            np.testing.assert_allclose(coeffs[r, c], dct2(block), atol=1e-10)


def test_image_to_blocks_pads_by_repeating_the_edge():
    image = np.arange(5 * 11, dtype=np.int16).reshape(5, 11)
    blocks = image_to_blocks(image, 4)
    assert blocks.shape == (2, 3, 4, 4)
    assert blocks.dtype == image.dtype
    expected = np.pad(image, [(0, 3), (0, 1)], mode="edge")
    np.testing.assert_array_equal(blocks_to_image(blocks), expected)
    # The block at (1, 2) is the bottom-right corner, padded.
    np.testing.assert_array_equal(blocks[1, 2], expected[4:8, 8:12])


def test_image_to_blocks_layout():
    image = np.arange(16 * 24).reshape(16, 24)
    blocks = image_to_blocks(image)
    assert blocks.shape == (2, 3, 8, 8)
    np.testing.assert_array_equal(blocks[1, 2], image[8:16, 16:24])
    np.testing.assert_array_equal(blocks_to_image(blocks), image)


def test_image_to_blocks_returns_a_copy():
    image = np.zeros((8, 8))
    blocks = image_to_blocks(image)
    blocks[0, 0, 0, 0] = 5
    assert image[0, 0] == 0


def test_constant_picture_has_only_dc():
    coeffs = block_dct(np.full((20, 30), 100.0))
    np.testing.assert_allclose(coeffs[..., 0, 0], 800.0)
    rest = coeffs.copy()
    rest[..., 0, 0] = 0
    np.testing.assert_allclose(rest, 0, atol=1e-9)


# --- bad input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: dct_matrix(0), ValueError, "n must be >= 1"),
        (lambda: dct_matrix(2.0), TypeError, "n must be an integer"),
        (lambda: dct_matrix(True), TypeError, "n must be an integer"),
        (lambda: dct2([[1, 2], [3, 4]]), TypeError, "block must be a numpy array"),
        (lambda: dct2(np.zeros(8)), ValueError, "block must have 2 dimensions"),
        (lambda: dct2(np.zeros((8, 4))), ValueError, "block must be a square"),
        (lambda: dct2(np.zeros((0, 0))), ValueError, "block must not be empty"),
        (lambda: dct2(np.full((2, 2), np.nan)), ValueError, "block must not contain NaN"),
        (lambda: dct2(np.zeros((2, 2), dtype=bool)), TypeError, "block must hold"),
        (lambda: idct2(np.zeros((3, 4))), ValueError, "coeffs must be a square"),
        (lambda: idct2("coeffs"), TypeError, "coeffs must be a numpy array"),
        (lambda: basis(8, 0), ValueError, r"u must be 0\.\.7, got 8"),
        (lambda: basis(0, -1), ValueError, r"v must be 0\.\.7, got -1"),
        (lambda: basis(3, 0, 3), ValueError, r"u must be 0\.\.2"),
        (lambda: basis(1.0, 0), TypeError, "u must be an integer"),
        (lambda: basis(0, 0, 0), ValueError, "n must be >= 1"),
        (lambda: image_to_blocks(np.zeros((8, 8, 3))), ValueError, "image must have 2"),
        (lambda: image_to_blocks(np.zeros((8, 8)), 0), ValueError, "n must be >= 1"),
        (lambda: image_to_blocks(np.zeros((8, 8)), "8"), TypeError, "n must be an integer"),
        (lambda: block_dct([[1.0]]), TypeError, "image must be a numpy array"),
        (lambda: block_dct(np.zeros((0, 8))), ValueError, "image must not be empty"),
        (lambda: block_dct(np.zeros(64)), ValueError, "image must have 2 dimensions"),
        (lambda: block_dct(np.array([[1.0, np.inf]])), ValueError, "image must not contain"),
        (lambda: block_dct(np.zeros((8, 8)), n=2.5), TypeError, "n must be an integer"),
        (lambda: blocks_to_image(np.zeros((8, 8))), ValueError, "blocks must have 4"),
        (lambda: blocks_to_image(np.zeros((2, 2, 8, 4))), ValueError, "blocks must be"),
        (lambda: block_idct(np.zeros((2, 2, 8)), (16, 16)), ValueError, "coeffs must have 4"),
        (lambda: block_idct(np.zeros((2, 2, 8, 4)), (16, 16)), ValueError, "coeffs must be"),
        (lambda: block_idct(np.zeros((2, 2, 8, 8)), [16, 16]), TypeError, "shape must be"),
        (lambda: block_idct(np.zeros((2, 2, 8, 8)), (16,)), TypeError, "shape must be"),
        (lambda: block_idct(np.zeros((2, 2, 8, 8)), (16.0, 16)), TypeError, r"shape\[0\]"),
        (lambda: block_idct(np.zeros((2, 2, 8, 8)), (16, 0)), ValueError, r"shape\[1\]"),
        (lambda: block_idct(np.zeros((2, 2, 8, 8)), (17, 16)), ValueError, "shape .* not fit"),
        (lambda: block_idct(np.zeros((2, 2, 8, 8)), (8, 16)), ValueError, "shape .* not fit"),
        (lambda: block_idct(np.full((1, 1, 8, 8), np.nan), (8, 8)), ValueError, "coeffs"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
