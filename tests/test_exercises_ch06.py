"""Chapter 06's exercises: every reference solution is "right", typical wrong answers get a hint, not a traceback."""

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view
from scipy import signal

from exercise_tools import check, not_tried_and_one_line, stub, wrong
from helpers import dct, images, jpeg

GREY = images.load("astronaut", grey=True)
PIXELS = GREY.astype(float) - 128  # the chapter's `pixels`
BLOCK_COEFFICIENTS = dct.block_dct(PIXELS)
DCT_FILTERS = np.array([dct.basis(u, v) for v in range(8) for u in range(8)])  # the chapter's `dct_filters`


# The reference solutions, as the chapter's <details> blocks give them.

def response_at(picture, kernel, row, column):
    size = kernel.shape[0]
    window = picture[row:row + size, column:column + size]  # the window whose top-left pixel is (row, column)
    return (window * kernel).sum()  # the products, number by number, added up


def slide(picture, kernel, stride=1):
    size = kernel.shape[0]
    rows = (picture.shape[0] - size) // stride + 1  # where the window fits, every stride-th place
    columns = (picture.shape[1] - size) // stride + 1
    out = np.zeros((rows, columns))
    for i in range(rows):
        for j in range(columns):
            out[i, j] = response_at(picture, kernel, i * stride, j * stride)
    return out


def block_dct_by_sliding(picture):
    out = np.zeros((picture.shape[0] // 8, picture.shape[1] // 8, 8, 8))
    for v in range(8):
        for u in range(8):
            out[:, :, v, u] = slide(picture, dct.basis(u, v), 8)
    return out


def edge_and_inside(picture):  # the chapter's
    jumps = np.abs(np.diff(picture, axis=1))
    across = jumps[:, 7::8]
    inside = np.delete(jumps, np.s_[7::8], axis=1)
    return across.mean(), inside.mean()


def blocking_10():
    finer = dct.block_idct(jpeg.keep_first(BLOCK_COEFFICIENTS, 10), GREY.shape) + 128
    finer_across, finer_inside = edge_and_inside(finer)
    return finer_across / finer_inside


def unslide(responses, filters):
    count, rows, columns = responses.shape
    size = filters.shape[-1]
    picture = np.zeros((rows * size, columns * size))
    for number in range(count):
        for i in range(rows):
            for j in range(columns):
                picture[i * size:(i + 1) * size, j * size:(j + 1) * size] += responses[number, i, j] * filters[number]
    return picture


def conv_layer(picture, filters, stride):  # the chapter's
    size = filters.shape[-1]
    windows = sliding_window_view(picture, (size, size))[::stride, ::stride]
    output = np.zeros((len(filters), windows.shape[0], windows.shape[1]))
    for number, kernel in enumerate(filters):
        output[number] = (windows * kernel).sum(axis=(2, 3))
    return output


@pytest.mark.parametrize("name, answer", [
    ("06.response-at", response_at),
    ("06.response-at", lambda p, k, r, c: np.sum(p[r:r + len(k), c:c + len(k)] * k)),
    ("06.slide", slide),
    ("06.slide", lambda p, k, s: signal.correlate2d(p, k, mode="valid")[::s, ::s]),
    ("06.block-dct-by-sliding", block_dct_by_sliding),
    ("06.block-dct-by-sliding", dct.block_dct),
    ("06.block-dct-by-sliding", lambda p: conv_layer(p, DCT_FILTERS, 8).reshape(8, 8, p.shape[0] // 8, -1)
     .transpose(2, 3, 0, 1)),
    ("06.blocking-10", blocking_10()),
    ("06.blocking-10", float(blocking_10())),
    ("06.unslide", unslide),
])
def test_the_reference_solutions_are_right(name, answer):
    feedback = check(name, answer)
    assert feedback.right, feedback


def test_clipping_first_is_right_too():
    finer = np.clip(dct.block_idct(jpeg.keep_first(BLOCK_COEFFICIENTS, 10), GREY.shape) + 128, 0, 255)
    across, inside = edge_and_inside(finer)
    assert check("06.blocking-10", across / inside).right
    assert check("06.blocking-10", np.float32(blocking_10())).right  # 6 digits are enough


@pytest.mark.parametrize("name", ["06.response-at", "06.slide", "06.block-dct-by-sliding", "06.unslide",
                                  "06.blocking-10"])
def test_a_stub_is_not_tried_yet_and_an_error_is_one_line(name):
    not_tried_and_one_line(name, function=name != "06.blocking-10")


def response_centred(picture, kernel, row, column):  # the window around (row, column), not from it
    half = kernel.shape[0] // 2
    return (picture[row - half:row - half + kernel.shape[0], column - half:column - half + kernel.shape[0]]
            * kernel).sum() if row >= half and column >= half else response_at(picture, kernel, row, column)


@pytest.mark.parametrize("function, words", [
    (lambda p, k, r, c: p[r:r + 8, c:c + 8] * k, ["gives an array of shape (8, 8)", ".sum()"]),
    (lambda p, k, r, c: response_at(p, k, c, r), ["row and column are swapped"]),
    (lambda p, k, r, c: response_at(p, k, r + 1, c), ["starts 1 rows and 0 columns away", "top-left pixel"]),
    (lambda p, k, r, c: response_at(p, k, r, c - 1 if c else c), ["starts 0 rows and -1 columns away"]),
    (response_centred, ["starts -4 rows and -4 columns away"]),
    (lambda p, k, r, c: response_at(p, k[::-1, ::-1], r, c), ["flips the filter", "kernel[0, 0]"]),
    (lambda p, k, r, c: (p[r:r + len(k), c:c + len(k)] @ k).sum(), ["@ is a matrix product", "*"]),
    (lambda p, k, r, c: (p[r:r + len(k), c:c + len(k)] * k).mean(), ["64 times too small", "do not average"]),
    (lambda p, k, r, c: (p[r:r + 8, c:c + 8] * k).sum(), ["raised ValueError", "Right for an 8 x 8 filter",
                                                          "kernel.shape"]),
    (lambda p, k, r, c: (p[r:r + 8, c:c + 8][:len(k), :len(k)] * k).sum() if len(k) == 8 else
     (p[r:r + 8, c:c + 8][:len(k), :len(k)] * k).sum() + 1, ["not for a 3 x 3 one"]),
    (lambda p, k, r, c: str(response_at(p, k, r, c)), ["should be a number, got str"]),
    (lambda p, k, r, c: response_at(p, k, r, c) + 1, ["is off", "add the products up"]),
])
def test_response_at_wrong(function, words):
    wrong("06.response-at", function, *words)


def test_response_at_must_leave_the_picture_alone():
    def in_place(picture, kernel, row, column):
        window = picture[row:row + len(kernel), column:column + len(kernel)]
        window *= kernel  # a view: this writes into the picture
        return window.sum()

    wrong("06.response-at", in_place, "changed the picture")


def slide_too_few(picture, kernel, stride=1):
    return slide(picture, kernel, stride)[:-1, :-1]


def slide_no_plus_one(picture, kernel, stride=1):  # range(H - k): the last position left out
    size = kernel.shape[0]
    rows, columns = (picture.shape[0] - size) // stride, (picture.shape[1] - size) // stride
    return np.array([[response_at(picture, kernel, i * stride, j * stride) for j in range(columns)]
                     for i in range(rows)])


def slide_whole_picture(picture, kernel, stride=1):  # a map as large as the picture, windows cut off at the edge
    size = kernel.shape[0]
    padded = np.pad(picture, ((0, size - 1), (0, size - 1)))
    return slide(padded, kernel, stride)


def slide_int(picture, kernel, stride=1):
    out = np.zeros_like(np.asarray(slide(picture, kernel, stride)), dtype=int)
    out[...] = slide(picture, kernel, stride)  # truncated to whole numbers
    return out


@pytest.mark.parametrize("function, words", [
    (lambda p, k, s: slide(p, k, 1), ["gives the map of stride 1", "move the window 2 pixels at a time"]),
    (lambda p, k, s: signal.convolve2d(p, k, mode="valid")[::s, ::s], ["flipped filter", "as it is"]),
    (slide_too_few, ["has shape (13, 22), (14, 23) expected (one place too few along each side)", "H - 8 + 1"]),
    (slide_no_plus_one, ["has shape (13, 22), (14, 23) expected", "H - 8 + 1 places"]),
    (slide_whole_picture, ["has shape (21, 30), (14, 23) expected"]),
    (lambda p, k, s: slide(p, k, s).T, ["rows and columns are swapped"]),
    (slide_int, ["only whole numbers (an integer array)", "floats"]),
    (lambda p, k, s: np.rint(slide(p, k, s)), ["only whole numbers (rounded)"]),
    (lambda p, k, s: slide(p, k, s) / k.size, ["differ"]),
    (lambda p, k, s: slide(p, k, s).tolist() if s == 1 else "no", ["should hold numbers, got str"]),
])
def test_slide_wrong(function, words):
    wrong("06.slide", function, *words)


def test_a_stub_called_inside_is_named():
    def slide_on_a_stub(picture, kernel, stride=1):  # the learner's slide is right, their response_at still `...`
        out = np.zeros(((picture.shape[0] - len(kernel)) // stride + 1, (picture.shape[1] - len(kernel)) // stride + 1))
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                out[i, j] = stub(picture, kernel, i * stride, j * stride)
        return out

    wrong("06.slide", slide_on_a_stub, "contains NaN", "your response_at or slide", "None")

    def block_dct_on_a_stub(picture):
        out = np.zeros((picture.shape[0] // 8, picture.shape[1] // 8, 8, 8))
        out[:, :, 0, 0] = stub(picture, dct.basis(0, 0), 8)
        return out

    wrong("06.block-dct-by-sliding", block_dct_on_a_stub, "contains NaN", "still return nothing?")

    def unslide_on_a_stub(responses, filters):
        return stub(responses[0], filters[0]) * filters[0]  # None * array

    wrong("06.unslide", unslide_on_a_stub, "raised TypeError", "still return nothing?")


def test_slide_must_leave_the_picture_alone():
    def in_place(picture, kernel, stride=1):
        picture -= 0
        picture *= 1.5
        return slide(picture / 1.5, kernel, stride)

    wrong("06.slide", in_place, "changed the picture")


def maps_in_front(picture):
    return block_dct_by_sliding(picture).transpose(2, 3, 0, 1)


def uv_swapped(picture):  # out[:, :, u, v] = slide(picture, dct.basis(u, v), 8)
    return block_dct_by_sliding(picture).swapaxes(2, 3)


def every_position(picture):  # slide(picture, dct.basis(u, v), 1): stride 1
    return conv_layer(picture, DCT_FILTERS, 1).reshape(8, 8, picture.shape[0] - 7, -1).transpose(2, 3, 0, 1)


def dc_from_ones(picture):  # filter (0, 0) taken as np.ones: 8 times too large
    out = block_dct_by_sliding(picture)
    out[..., 0, 0] = slide(picture, np.ones((8, 8)), 8)
    return out


@pytest.mark.parametrize("function, words", [
    (maps_in_front, ["has shape (8, 8, 3, 5)", "(block row, block column, v, u)", ".transpose(2, 3, 0, 1)"]),
    (lambda p: conv_layer(p, DCT_FILTERS, 8), ["has shape (64, 3, 5), (3, 5, 8, 8) expected", "8 x 8 grid [v, u]"]),
    (uv_swapped, ["transposed", "[..., v, u]"]),
    (every_position, ["every position (stride 1)", "stride 8"]),
    (lambda p: block_dct_by_sliding(p - 128), ["shifted by -128 again", "already centred"]),
    (dc_from_ones, ["all right but the (0, 0) coefficient", "filter (0, 0)"]),
    (lambda p: block_dct_by_sliding(p) * 2, ["differ"]),
    (lambda p: np.rint(block_dct_by_sliding(p)), ["only whole numbers (rounded)"]),
])
def test_block_dct_by_sliding_wrong(function, words):
    wrong("06.block-dct-by-sliding", function, *words)


def test_blocking_10_wrong():
    right = blocking_10()
    assert round(right, 2) == 1.87

    def ratio(k, axis=1):
        rebuilt = dct.block_idct(jpeg.keep_first(BLOCK_COEFFICIENTS, k), GREY.shape) + 128
        across, inside = edge_and_inside(rebuilt if axis == 1 else rebuilt.T)
        return across / inside

    for answer, words in [
        (1 / right, "upside down"),
        (ratio(3), "with 3 coefficients per block"),
        (ratio(9), "one coefficient too few or too many"),
        (ratio(11), "one coefficient too few or too many"),
        (ratio(10, axis=0), "vertical neighbours"),
        (np.divide(*edge_and_inside(PIXELS)), "original picture's ratio"),
        (round(right, 2), "close, but rounded"),
        (edge_and_inside(dct.block_idct(jpeg.keep_first(BLOCK_COEFFICIENTS, 10), GREY.shape)), "the two means"),
        (edge_and_inside(PIXELS)[0] - edge_and_inside(PIXELS)[1], "not the ratio"),
        (3.0, "not the ratio"),
        (-right, "positive number"),
        (np.nan, "positive number"),
        ("1.87", "one number, got str"),
        (np.array([right]), "one number, got ndarray"),
    ]:
        message = wrong("06.blocking-10", answer, words)
        assert "1.87" not in message and "1.86" not in message


def test_unslide_wrong():
    def dct_only(responses, filters):
        return unslide(responses, DCT_FILTERS)

    def overwrite(responses, filters):
        count, rows, columns = responses.shape
        picture = np.zeros((rows * 8, columns * 8))
        for number in range(count):
            for i in range(rows):
                for j in range(columns):
                    picture[i * 8:(i + 1) * 8, j * 8:(j + 1) * 8] = responses[number, i, j] * filters[number]
        return picture

    def flat(responses, filters):
        return np.kron(responses.sum(axis=0), np.ones((8, 8)))

    def transposed_filters(responses, filters):
        return unslide(responses, filters.transpose(0, 2, 1))

    def blocks_only(responses, filters):
        return np.einsum("fij,fyx->ijyx", responses, filters)

    for function, words in [
        (dct_only, ["right with the DCT filters, but not with another orthonormal bank", "not dct.basis"]),
        (overwrite, ["only the last filter", "+="]),
        (flat, ["every block is flat"]),
        (transposed_filters, ["pasted transposed"]),
        (blocks_only, ["has shape (3, 5, 8, 8)", "put back in place"]),
        (lambda r, f: unslide(r, f).T, ["rows and columns are swapped"]),
        (lambda r, f: unslide(r, f) + 128, ["differ"]),
    ]:
        wrong("06.unslide", function, *words)

    def in_place(responses, filters):
        responses *= 1
        filters *= 2
        return unslide(responses, filters / 2)

    wrong("06.unslide", in_place, "changed the arrays")


def test_the_old_try_it_answers_still_hold():
    """What the chapter's old "checks the answers above" cell checked (its questions gave way to the exercises)."""
    assert signal.correlate2d(PIXELS, np.ones((3, 3)), mode="valid").shape == (510, 510)
    assert conv_layer(PIXELS, DCT_FILTERS[:1], stride=8).shape == (1, 64, 64)
    rough = dct.block_idct(jpeg.keep_first(BLOCK_COEFFICIENTS, 3), GREY.shape) + 128
    finer = dct.block_idct(jpeg.keep_first(BLOCK_COEFFICIENTS, 10), GREY.shape) + 128
    rough_across, rough_inside = edge_and_inside(rough)
    finer_across, finer_inside = edge_and_inside(finer)
    assert finer_across < rough_across and finer_across / finer_inside < rough_across / rough_inside
    assert finer_across > finer_inside
    # the PCA of the cameraman: its first six patterns are again the six slowest DCT waves, closer still
    camera_blocks = (images.load("camera", grey=True) - 128.0).reshape(64, 8, 64, 8).transpose(0, 2, 1, 3)
    camera_centred = camera_blocks.reshape(4096, 64) - camera_blocks.reshape(4096, 64).mean(axis=0)
    camera_vectors = np.linalg.eigh(camera_centred.T @ camera_centred / 4096)[1]
    camera_similar = np.abs(camera_vectors[:, ::-1].T @ DCT_FILTERS.reshape(64, 64).T)  # [learned, dct]
    slowest = [(0, 0), (1, 0), (0, 1), (2, 0), (1, 1), (0, 2)]
    assert [(b % 8, b // 8) for b in camera_similar.argmax(axis=1)[:6]] == slowest
    assert camera_similar.max(axis=1)[:6].min() >= 0.93


def test_the_facts_in_the_solutions():
    # the learner's slide, on the whole picture, is the chapter's first response map
    edge_filter = dct.basis(1, 0)
    assert np.allclose(slide(PIXELS[:40, :40], edge_filter), signal.correlate2d(PIXELS, edge_filter, "valid")[:33, :33])
    assert np.isclose(response_at(PIXELS, edge_filter, 408, 488),
                      signal.correlate2d(PIXELS, edge_filter, "valid")[408, 488])
    # block_dct_by_sliding on the whole picture is the chapter's block_coefficients (a crop keeps the test quick)
    assert np.allclose(block_dct_by_sliding(PIXELS[:64, :128]), BLOCK_COEFFICIENTS[:8, :16])
    # unslide undoes the chapter's conv_layer with the DCT filters: the picture comes back
    layer_output = conv_layer(PIXELS[:64, :64], DCT_FILTERS, stride=8)
    assert np.allclose(unslide(layer_output, DCT_FILTERS), PIXELS[:64, :64])
    # and with the PCA's learned filters just as well (any orthonormal bank)
    blocks = PIXELS.reshape(64, 8, 64, 8).transpose(0, 2, 1, 3).reshape(4096, 64)
    centred = blocks - blocks.mean(axis=0)
    learned = np.linalg.eigh(centred.T @ centred / 4096)[1][:, ::-1].T.reshape(64, 8, 8)
    assert np.allclose(unslide(conv_layer(PIXELS[:64, :64], learned, 8), learned), PIXELS[:64, :64])
    # blocking with 10 coefficients: weaker than with 3 (4.7), still above 1 (the original's 1.0)
    assert 1.8 < blocking_10() < 1.9
