"""Chapter 04's exercises: every reference solution is "right", typical wrong answers get a hint, not a traceback."""

import numpy as np
import pytest

from exercise_tools import check, not_tried_and_one_line, wrong
from helpers import dct, images

C = dct.dct_matrix(8)
GREY = images.load("astronaut", grey=True)
CHEEK = GREY[150, 190:198].astype(float) - 128  # the chapter's `row`
EYE = GREY[100, 196:204].astype(float) - 128  # the chapter's `edge_row`


# The reference solutions, as the chapter's <details> blocks give them.

def dct_matrix(n):
    matrix = np.zeros((n, n))
    for k in range(n):  # row k: filter k
        for i in range(n):  # column i: pixel i
            a = np.sqrt(1 / n) if k == 0 else np.sqrt(2 / n)
            matrix[k, i] = a * np.cos((2 * i + 1) * k * np.pi / (2 * n))
    return matrix


def coefficient(pixels, k):
    row = pixels.astype(float) - 128  # before any arithmetic: uint8 has no negative numbers
    total = 0.0
    for i in range(8):
        total += row[i] * C[k, i]
    return total


def rebuild_error(row, k):
    kept = np.where(np.arange(8) < k, C @ row, 0)  # coefficients 0 to k - 1, the rest 0
    return np.sqrt(np.mean((C.T @ kept - row) ** 2))


def dft_numbers_needed(row, max_error):
    spectrum = np.fft.fft(row, norm="ortho")
    for slowest, numbers in enumerate([1, 3, 5, 7, 8]):  # the average, then waves 1, 2, 3 (complex), 4 (real)
        kept = np.zeros(8, complex)
        waves = [0, *range(1, slowest + 1), *range(8 - slowest, 8)]  # wave m with its mirror 8 - m
        kept[waves] = spectrum[waves]
        if np.sqrt(np.mean((np.fft.ifft(kept, norm="ortho").real - row) ** 2)) <= max_error:
            return numbers


def dct_numbers_needed(row, max_error):
    return next(k for k in range(9) if rebuild_error(row, k) <= max_error)


@pytest.mark.parametrize("name, answer", [
    ("04.dct-matrix", dct_matrix),
    ("04.dct-matrix", dct.dct_matrix),
    ("04.coefficient", coefficient),
    ("04.coefficient", lambda pixels, k: C[k] @ (pixels - 128.0)),
    ("04.rebuild-error", rebuild_error),
    ("04.rebuild-error", lambda row, k: np.sqrt(np.sum((C @ row)[k:] ** 2) / 8)),  # the energy left out
    ("04.dft-numbers", dft_numbers_needed),
])
def test_the_reference_solutions_are_right(name, answer):
    assert check(name, answer).status == "right"


NAMES = ["04.dct-matrix", "04.coefficient", "04.rebuild-error", "04.dft-numbers"]


@pytest.mark.parametrize("name", NAMES)
def test_a_stub_is_not_tried_yet_and_an_error_is_one_line(name):
    not_tried_and_one_line(name)


def _formula(n, offset=1, a0=None, a=None, eight=None):
    """The DCT formula with a slip: (2i + offset), other factors, or 8 where n belongs."""
    size = eight or n
    k, i = np.arange(n)[:, None], np.arange(n)[None, :]
    a0 = np.sqrt(1 / size) if a0 is None else a0
    a = np.sqrt(2 / size) if a is None else a
    return np.where(k == 0, a0, a) * np.cos((2 * i + offset) * k * np.pi / (2 * size))


@pytest.mark.parametrize("answer, words", [
    (lambda n: _formula(n, eight=8), "right for n = 8, but not for n = 2"),             # hard-coded 8
    (lambda n: dct.dct_matrix(8), "right for n = 8, but not for n = 2"),
    (lambda n: _formula(n).T, "transposed"),
    (lambda n: _formula(n, offset=0), "(2i) where (2i + 1) belongs"),                     # off by one
    (lambda n: _formula(n, offset=2), "(2i + 2) where (2i + 1) belongs"),
    (lambda n: _formula(n, a=np.sqrt(1 / n)), "too short by a factor sqrt(2)"),           # missing sqrt(2)
    (lambda n: _formula(n, a0=np.sqrt(2 / n)), "row 0 is sqrt(2) too large"),
    (lambda n: _formula(n, a0=1, a=1), "needs its factor a(k)"),
    (lambda n: -_formula(n), "wrong way round"),
    (lambda n: np.sqrt(2 / n) * np.sin((2 * np.arange(n) + 1) * np.arange(n)[:, None] * np.pi / (2 * n)),
     "not orthonormal"),
    (lambda n: np.zeros((n, n + 1)), "has shape (8, 9), (8, 8) expected"),
    (lambda n: "C", "should hold numbers"),
])
def test_dct_matrix_wrong_answers_get_a_hint(answer, words):
    message = wrong("04.dct-matrix", answer)
    assert words in message
    assert "0.35355" not in message and "0.49039" not in message  # never the matrix's values


@pytest.mark.parametrize("answer, words", [
    (lambda p, k: C[k] @ p.astype(float), "shift by -128"),
    (lambda p, k: C[k] @ (p - 128).astype(float), "wrapped around"),
    (lambda p, k: C[k] * (p - 128.0), "those are the products, add them up"),
    (lambda p, k: C[:, k] @ (p - 128.0), "column 1 of C"),
    (lambda p, k: C[min(k + 1, 7)] @ (p - 128.0), "neighbouring filter"),
    (lambda p, k: np.cos((2 * np.arange(8) + 1) * k * np.pi / 16) @ (p - 128.0), "without the factor a(k)"),
    (lambda p, k: C[k] @ (p - 128.0) / 8, "which is not it"),
    (lambda p, k: "-26.0", "should be a number, got str"),
])
def test_coefficient_wrong_answers_get_a_hint(answer, words):
    assert words in wrong("04.coefficient", answer)


def test_coefficient_must_not_change_the_pixels():
    def in_place(pixels, k):
        pixels -= 128
        return C[k] @ pixels

    assert "changed the pixels" in wrong("04.coefficient", in_place)


def _rebuilt(row, k, matrix=C):
    return matrix.T @ np.where(np.arange(8) < k, C @ row, 0)


@pytest.mark.parametrize("answer, words", [
    (lambda r, k: np.mean((_rebuilt(r, k) - r) ** 2), "square root"),                       # the MSE
    (lambda r, k: np.sqrt(np.sum((_rebuilt(r, k) - r) ** 2)), "divides by the 8 pixels"),
    (lambda r, k: np.sum((_rebuilt(r, k) - r) ** 2), "sum of the squared errors"),
    (lambda r, k: rebuild_error(r, k + 1), "off by one"),
    (lambda r, k: rebuild_error(r, max(k - 1, 0)), "off by one"),
    (lambda r, k: np.sqrt(np.mean((_rebuilt(r, k, C.T) - r) ** 2)), "multiply by C.T, not C"),
    (lambda r, k: np.sqrt(np.mean((C.T @ np.where(np.arange(8) >= 8 - k, C @ r, 0) - r) ** 2)), "the last 3"),
    (lambda r, k: _rebuilt(r, k), "the rebuilt row perhaps"),
    (lambda r, k: np.sqrt(np.mean(np.abs(_rebuilt(r, k) - r))), "which is not it"),
    (lambda r, k: None if k else 0.0, "returns nothing yet"),
])
def test_rebuild_error_wrong_answers_get_a_hint(answer, words):
    feedback = check("04.rebuild-error", answer)
    assert feedback.status in ("wrong", "not tried") and words in feedback.message


def test_rebuild_error_must_not_change_the_row():
    def in_place(row, k):
        row += 1
        return rebuild_error(row - 1, k)

    assert "changed the row" in wrong("04.rebuild-error", in_place)


def _waves(row, max_error):
    return {1: 1, 3: 2, 5: 3, 7: 4, 8: 5}[dft_numbers_needed(row, max_error)]


@pytest.mark.parametrize("answer, words", [
    (_waves, "counts waves"),                                                                # a complex = 1
    (lambda r, e: 2 * _waves(r, e) - 1, "8 numbers, not 9"),                                # wave 4 counted twice
    (dct_numbers_needed, "measure the RMS error"),                                          # the DCT's count
    (lambda r, e: 8, "measure the RMS error"),
    (lambda r, e: 12, "keeps 1 to 8 numbers"),
    (lambda r, e: [8], "one whole number"),
    (lambda r, e: "eight", "should be a number, got str"),
])
def test_dft_numbers_wrong_answers_get_a_hint(answer, words):
    assert words in wrong("04.dft-numbers", answer)


def test_what_the_old_try_it_cell_checked():
    flat = C @ (np.full(8, 200.0) - 128)
    assert np.isclose(flat[0], 72 * np.sqrt(8)) and np.allclose(flat[1:], 0)
    alternating = C @ (np.tile([0.0, 255.0], 4) - 128)
    assert np.argmax(np.abs(alternating)) == 7


def test_the_numbers_the_chapter_quotes():
    assert np.isclose(coefficient(GREY[150, 190:198], 1), -26.0, atol=0.05)
    cheek_2 = rebuild_error(CHEEK, 2)
    assert round(cheek_2, 2) == 1.49 and dft_numbers_needed(CHEEK, cheek_2) == 8  # the DFT needs all 8
    assert dft_numbers_needed(CHEEK, 6.0) == 3 and dct_numbers_needed(CHEEK, 6.0) == 2
    assert (dft_numbers_needed(EYE, 10.0), dct_numbers_needed(EYE, 10.0)) == (5, 6)  # across the eye the DFT wins


def test_the_numbers_the_solutions_quote():
    for n in range(1, 17):
        assert np.allclose(dct_matrix(n) @ dct_matrix(n).T, np.eye(n))
    assert np.allclose(dct_matrix(2), np.array([[1, 1], [1, -1]]) / np.sqrt(2))  # the chapter's C2
    assert round(rebuild_error(EYE, 3), 1) == 48.4  # the slider's title at its default
    cheek = GREY[150, 190:198]
    unshifted = C @ cheek.astype(float)
    assert np.isclose(unshifted[0] - C[0] @ CHEEK, 128 * np.sqrt(8)) and np.allclose(unshifted[1:], C[1:] @ CHEEK)
    spectrum = np.fft.fft(CHEEK, norm="ortho")
    spectrum[4] = 0  # the 7 numbers: all but wave 4
    assert round(np.sqrt(np.mean((np.fft.ifft(spectrum, norm="ortho").real - CHEEK) ** 2)), 2) == 1.75
