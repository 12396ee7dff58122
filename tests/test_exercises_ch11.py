"""Chapter 11's exercises: every reference solution is "right", typical wrong answers get a hint, not a traceback."""

import numpy as np
import pytest

from exercise_tools import check, not_tried_and_one_line, wrong
from helpers import jpeg, metrics
from helpers.exercises import ch11
from helpers.jpeg import _encoder, _search, _trellis

LADDER = ch11.LADDER


def frequency_bits(values, step, dc=False):  # the chapter's
    levels = np.rint(values / step).ravel()
    if dc:
        levels = np.diff(levels, prepend=0)
    return levels.size * metrics.entropy(levels)


# The reference solutions, as the chapter's <details> blocks give them.

def shared_table(first, second, first_weight, second_weight, lam):
    table = np.empty((8, 8), dtype=int)
    for v in range(8):
        for u in range(8):
            costs = np.zeros(len(LADDER))
            for values, weight in ((first[..., v, u], first_weight), (second[..., v, u], second_weight)):
                for i, s in enumerate(LADDER):
                    error = ((values - s * np.rint(values / s)) ** 2).sum()
                    costs[i] += weight * error + lam * frequency_bits(values, s, dc=(v, u) == (0, 0))
            table[v, u] = LADDER[np.argmin(costs)]
    return table


def quality_for_psnr(picture, target):
    def reaches(quality):
        file = jpeg.encode(picture, quality, optimize=True, rdo=True, tables="psnr")
        return metrics.psnr(picture, jpeg.decode(file)) >= target

    low, high = 0, 100
    while high - low > 1:
        middle = (low + high) // 2
        if reaches(middle):
            high = middle
        else:
            low = middle
    return high


@pytest.mark.parametrize("name", ["11.shared-table", "11.equal-psnr"])
def test_stubs_are_not_tried_and_errors_are_one_line(name):
    not_tried_and_one_line(name)


def test_the_shared_table_solution_is_right_and_equals_the_encoders_search():
    assert check("11.shared-table", shared_table).right
    first, second = ch11._chroma("chelsea", 256)
    lam = 0.7 * jpeg.rdo_lambda(75)
    assert np.array_equal(shared_table(first, second, ch11.CB_WEIGHT, ch11.CR_WEIGHT, lam),
                          ch11.shared_table(first, second, ch11.CB_WEIGHT, ch11.CR_WEIGHT, lam))


def test_the_weights_are_the_encoders():
    from helpers.jpeg._trellis import _weights

    assert np.allclose([ch11.CB_WEIGHT, ch11.CR_WEIGHT], _weights(3, "4:2:0")[1:], rtol=1e-5)


def test_shared_table_slips_get_their_hint():
    def no_dc_differences(first, second, wa, wb, lam):
        table = shared_table(first, second, wa, wb, lam)
        costs = np.zeros(len(LADDER))
        for values, weight in ((first[..., 0, 0], wa), (second[..., 0, 0], wb)):
            for i, s in enumerate(LADDER):
                costs[i] += weight * ((values - s * np.rint(values / s)) ** 2).sum() + lam * frequency_bits(values, s)
        table[0, 0] = LADDER[np.argmin(costs)]
        return table

    wrong("11.shared-table", no_dc_differences, "differences")
    wrong("11.shared-table", lambda a, b, wa, wb, lam: shared_table(a, b, 1.0, 1.0, lam), "weighted")
    wrong("11.shared-table", lambda a, b, wa, wb, lam: shared_table(a, a, wa, wa, lam), "first component's alone")
    wrong("11.shared-table", lambda a, b, wa, wb, lam: shared_table(a, b, wa, wb, lam).T, "transposed")
    wrong("11.shared-table", lambda a, b, wa, wb, lam: shared_table(a, b, wa, wb, lam) + 1, "ladder")
    wrong("11.shared-table", lambda a, b, wa, wb, lam: np.searchsorted(LADDER, shared_table(a, b, wa, wb, lam)),
          "places on the ladder")
    wrong("11.shared-table", lambda a, b, wa, wb, lam: shared_table(a, b, wa, wb, lam)[:4], "shape")


def test_a_function_that_changes_the_weights_is_told():
    def changing(first, second, wa, wb, lam):
        table = shared_table(first, second, wa, wb, lam)
        first[...] = 0
        return table

    wrong("11.shared-table", changing, "changed the weights")


def test_the_quality_solution_is_right():
    assert check("11.equal-psnr", quality_for_psnr).right


def test_quality_slips_get_their_hint():
    wrong("11.equal-psnr", lambda picture, target: quality_for_psnr(picture, target) - 1, "reaches only")
    wrong("11.equal-psnr", lambda picture, target: min(100, quality_for_psnr(picture, target) + 2),
          "so does quality")
    wrong("11.equal-psnr", lambda picture, target: target + 0.25, "looks like a PSNR")
    wrong("11.equal-psnr", lambda picture, target: 101, "whole number from 1 to 100")


def test_what_the_solutions_say_of_their_results():
    """The <details> blocks' numbers: chelsea's chroma table, and the quality that matches libjpeg's PSNR."""
    import io

    from PIL import Image

    from helpers import images

    first, second = ch11._chroma("chelsea", 512)
    chroma = shared_table(first, second, ch11.CB_WEIGHT, ch11.CR_WEIGHT, 0.7 * jpeg.rdo_lambda(75))
    assert chroma.min() == 4 and chroma.max() == 18  # "steps of 4 to 18"
    chelsea = images.load("chelsea")
    layout = _encoder._layout(chelsea, "4:2:0")
    luma, _ = _search.search_tables(_encoder._coefficients(chelsea, layout), _trellis._weights(3, "4:2:0"),
                                    _search.SEARCH_SHARE * jpeg.rdo_lambda(75))  # fmt: skip
    assert (luma.min(), luma.max()) == (12, 42)  # "those the same search gives chelsea's luma (12 to 42)"
    assert 0.4 < np.median(chroma) / np.median(luma) < 0.6  # "about half"

    grey = images.load("astronaut", grey=True)
    buffer = io.BytesIO()
    Image.fromarray(grey).save(buffer, "JPEG", quality=75, optimize=True)
    target = metrics.psnr(grey, np.asarray(Image.open(io.BytesIO(buffer.getvalue()))))
    quality = quality_for_psnr(grey, target)
    size = len(jpeg.encode(grey, quality, optimize=True, rdo=True, tables="psnr"))
    assert quality == 74 and round(size / 1000, 1) == 25.3 and round(len(buffer.getvalue()) / 1000, 1) == 34.8
    assert round(100 * (1 - size / len(buffer.getvalue()))) == 27
