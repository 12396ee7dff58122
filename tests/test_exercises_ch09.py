"""Chapter 09's exercises: every reference solution is "right", typical wrong answers get a hint, not a traceback."""

import numpy as np
import pytest

from exercise_tools import check, not_tried_and_one_line, wrong
from helpers import dct, huffman, images, jpeg, metrics
from helpers.exercises import ch09

# The chapter's names the solutions use (cell 8 of the notebook).
ac_lengths = huffman.code_table(huffman.AC_LUMINANCE)[1].astype(int)
GREY = images.load("astronaut", grey=True)
weights = dct.block_dct(GREY.astype(float) - 128)
table = jpeg.quantization_table(75)
block = weights[39, 39]


def size_of(level):
    return int(abs(level)).bit_length()


def jump_bits(run, level):
    return (run // 16) * ac_lengths[0xF0] + ac_lengths[(run % 16) * 16 + size_of(level)] + size_of(level)


# The reference solutions, as the chapter's <details> blocks give them.

def rd_cost(coefficients, levels, table, lam):
    error = np.sum((coefficients - levels * table) ** 2)  # all 64 coefficients, the DC too
    z = jpeg.to_zigzag(levels)
    bits, run = 0, 0
    for k in range(1, 64):  # the AC levels, along the zigzag
        if z[k] == 0:
            run += 1
        else:
            bits += jump_bits(run, z[k])
            run = 0
    if z[63] == 0:
        bits += ac_lengths[0x00]  # EOB
    return error + lam * bits


def best_level(coefficients, levels, table, lam, k):
    a = int(jpeg.to_zigzag(jpeg.quantize(coefficients, table))[k])
    sign = 1 if a > 0 else -1
    costs = {}
    for level in [sign * m for m in range(abs(a) + 1)]:  # 0, then 1, 2, ... up to rounding's level
        z = jpeg.to_zigzag(levels).copy()
        z[k] = level
        costs[level] = rd_cost(coefficients, jpeg.from_zigzag(z), table, lam)
    return min(costs, key=costs.get)


def greedy_quantize(coefficients, table, lam):
    levels = jpeg.quantize(coefficients, table)  # start from rounding
    changed = True
    while changed:  # sweep again until a sweep changes nothing
        changed = False
        for k in range(63, 0, -1):
            z = jpeg.to_zigzag(levels).copy()
            level = best_level(coefficients, levels, table, lam, k)
            if level != z[k]:
                z[k] = level
                levels = jpeg.from_zigzag(z)
                changed = True
    return levels


def ac_bits(coefficients, levels, table):
    bits = jpeg.rd_cost(coefficients, levels, table, 1.0) - jpeg.rd_cost(coefficients, levels, table, 0.0)
    return int(np.rint(np.sum(bits)))


def lambda_for_budget(coefficients, table, budget):
    def bits(lam):
        return ac_bits(coefficients, jpeg.trellis_quantize(coefficients, table, lam), table)

    if bits(0) <= budget:
        return 0.0
    low, high = 0.0, 1.0
    while bits(high) > budget:  # double until the budget is kept
        low, high = high, 2 * high
    while high - low > 0.01 * high:  # bisect: low is over the budget, high within
        middle = (low + high) / 2
        if bits(middle) > budget:
            low = middle
        else:
            high = middle
    return high


@pytest.mark.parametrize("name, answer", [
    ("09.rd-cost", rd_cost),
    ("09.rd-cost", lambda c, lv, t, lam: float(jpeg.rd_cost(c, lv, t, lam))),
    ("09.best-level", best_level),
    ("09.best-level", ch09.best_level),
    ("09.greedy", greedy_quantize),
    ("09.greedy", lambda c, t, lam: jpeg.trellis_quantize(c, t, lam)),  # the trellis is never beaten by one change
    ("09.budget", lambda_for_budget),
    ("09.budget", ch09.lambda_for_budget),
])
def test_the_reference_solutions_are_right(name, answer):
    assert check(name, answer).status == "right", check(name, answer)


@pytest.mark.parametrize("name", ["09.rd-cost", "09.best-level", "09.greedy", "09.budget"])
def test_a_stub_is_not_tried_yet_and_an_error_is_one_line(name):
    not_tried_and_one_line(name)


# --- 09.rd-cost ---------------------------------------------------------------------------------

def slipped(slip):
    return lambda c, lv, t, lam: ch09.rd_cost(c, lv, t, lam, slip)


@pytest.mark.parametrize("function, words", [
    (slipped("no eob"), ["EOB", "ac_lengths[0x00]"]),
    (slipped("eob always"), ["position 63", "needs no EOB"]),
    (slipped("dc bits"), ["DC", "positions 1 to 63"]),
    (slipped("level units"), ["measured in steps"]),
    (slipped("absolute error"), ["squared"]),
    (slipped("no dc error"), ["not its error"]),
    (slipped("lam on error"), ["lam multiplies the bits"]),
    (slipped("error only"), ["error alone"]),
    (slipped("bits only"), ["lam x bits alone"]),
    (slipped("natural order"), ["row by row", "zigzag"]),
    (slipped("no amplitude"), ["amplitude bits"]),
    (slipped("run not reset"), ["starts again at 0"]),
    (lambda c, lv, t, lam: rd_cost(c, lv, t, lam) + 2 * lam, ["2 x lam more", "2 bits too many"]),
    (lambda c, lv, t, lam: rd_cost(c, lv, t, lam) * 1.1, ["more than", "lam = 0"]),
    (lambda c, lv, t, lam: (np.sum((c - lv * t) ** 2), 42), ["one number", "not (error, bits)"]),
    (lambda c, lv, t, lam: np.full(3, 1.0), ["one number"]),
    (lambda c, lv, t, lam: "cheap", ["should give a number"]),
    (lambda c, lv, t, lam: float("nan"), ["finite"]),
])
def test_rd_cost_wrong(function, words):
    wrong("09.rd-cost", function, *words)


def test_rd_cost_must_leave_its_arguments_alone():
    def in_place(c, lv, t, lam):
        cost = rd_cost(c, lv, t, lam)
        lv[...] = 0
        return cost

    wrong("09.rd-cost", in_place, "changed the coefficients, levels or table")


# --- 09.best-level ------------------------------------------------------------------------------

def rounding_or_zero(coefficients, levels, table, lam, k):
    a = int(jpeg.to_zigzag(jpeg.quantize(coefficients, table))[k])
    choices = {}
    for level in (a, 0):
        z = jpeg.to_zigzag(levels).copy()
        z[k] = level
        choices[level] = rd_cost(coefficients, jpeg.from_zigzag(z), table, lam)
    return min(choices, key=choices.get)


def natural_position(coefficients, levels, table, lam, k):
    a = int(jpeg.quantize(coefficients, table).ravel()[k])
    sign = 1 if a > 0 else -1
    costs = {}
    for level in [sign * m for m in range(abs(a) + 1)]:
        flat = levels.ravel().copy()
        flat[k] = level
        costs[level] = rd_cost(coefficients, flat.reshape(8, 8), table, lam)
    return min(costs, key=costs.get)


def further_than_rounding(coefficients, levels, table, lam, k):
    a = int(jpeg.to_zigzag(jpeg.quantize(coefficients, table))[k])
    return a + (1 if a > 0 else -1) if a else 0


def in_place_level(coefficients, levels, table, lam, k):
    level = best_level(coefficients, levels, table, lam, k)
    levels[0, 1] += 1
    return level


@pytest.mark.parametrize("function, words", [
    (lambda c, lv, t, lam, k: int(jpeg.to_zigzag(jpeg.quantize(c, t))[k]), ["keep rounding's level", "lam = 29.4"]),
    (rounding_or_zero, ["rounding's level and 0 only", "3.74"]),
    (natural_position, ["zigzag position, not a position row by row"]),
    (lambda c, lv, t, lam, k: abs(best_level(c, lv, t, lam, k)), ["wrong sign"]),
    (further_than_rounding, ["further from 0"]),
    (lambda c, lv, t, lam, k: 0, ["costs less than yours"]),
    (lambda c, lv, t, lam, k: 1 if jpeg.to_zigzag(jpeg.quantize(c, t))[k] == 0 else best_level(c, lv, t, lam, k),
     ["rounding gives 0"]),
    (lambda c, lv, t, lam, k: _with_level(lv, k, best_level(c, lv, t, lam, k)), ["one level", "shape (8, 8)"]),
    (lambda c, lv, t, lam, k: best_level(c, lv, t, lam, k) + 0.5, ["whole number"]),
    (in_place_level, ["changed the coefficients, levels or table", "copy"]),
])
def test_best_level_wrong(function, words):
    wrong("09.best-level", function, *words)


def _with_level(levels, k, level):
    z = jpeg.to_zigzag(levels).copy()
    z[k] = level
    return jpeg.from_zigzag(z)


def test_best_level_accepts_a_float_that_is_whole():
    assert check("09.best-level", lambda *args: float(best_level(*args))).status == "right"


# --- 09.greedy ----------------------------------------------------------------------------------

def one_sweep(coefficients, table, lam):
    levels = jpeg.quantize(coefficients, table)
    for k in range(63, 0, -1):
        levels = _with_level(levels, k, best_level(coefficients, levels, table, lam, k))
    return levels


def greedy_changing_dc(coefficients, table, lam):
    levels = greedy_quantize(coefficients, table, lam).copy()
    levels[0, 0] = 0
    return levels


@pytest.mark.parametrize("function, words", [
    (lambda c, t, lam: jpeg.quantize(c, t), ["plain rounding's", "best_level"]),
    (one_sweep, ["one sweep is not always enough", "repeat"]),
    (lambda c, t, lam: jpeg.to_zigzag(greedy_quantize(c, t, lam)), ["64 numbers in a row", "from_zigzag"]),
    (lambda c, t, lam: greedy_quantize(c, t, lam).T, ["transposed"]),
    (greedy_changing_dc, ["DC"]),
    (lambda c, t, lam: greedy_quantize(c, t, lam) + 0.5, ["whole numbers"]),
    (lambda c, t, lam: np.where(np.arange(64).reshape(8, 8) == 0, jpeg.quantize(c, t), 0),
     ["cost more than plain rounding's"]),
    (lambda c, t, lam: np.where(np.arange(64).reshape(8, 8) == 0, 1, 2) * jpeg.quantize(c, t),
     ["not between rounding's and 0"]),
    (lambda c, t, lam: np.zeros((4, 4)), ["shape (4, 4)"]),
    (lambda c, t, lam: "levels", ["8 x 8 block of levels"]),
])
def test_greedy_wrong(function, words):
    wrong("09.greedy", function, *words)


def test_greedy_sweeping_forward_is_right_too():
    def forward(coefficients, table, lam):
        levels, changed = jpeg.quantize(coefficients, table), True
        while changed:
            changed = False
            for k in range(1, 64):
                new = _with_level(levels, k, best_level(coefficients, levels, table, lam, k))
                changed |= not np.array_equal(new, levels)
                levels = new
        return levels

    assert check("09.greedy", forward).status == "right"


def test_what_the_greedy_solution_says():
    """The solution's numbers: on the 64 blocks around ours, greedy against the trellis."""
    lam = jpeg.rdo_lambda(75)
    crop = weights[36:44, 36:44].reshape(-1, 8, 8)
    rounded = jpeg.rd_cost(crop, jpeg.quantize(crop, table), table, lam)
    greedy = jpeg.rd_cost(crop, np.stack([ch09.greedy_quantize(c, table, lam) for c in crop]), table, lam)
    trellis = jpeg.rd_cost(crop, jpeg.trellis_quantize(crop, table, lam), table, lam)
    assert np.all(trellis <= greedy + 1e-6) and np.all(greedy <= rounded + 1e-6)
    same = int(np.isclose(greedy, trellis).sum())
    share = (rounded - greedy).sum() / (rounded - trellis).sum()
    assert same == SAME_AS_TRELLIS and round(100 * share) == GREEDY_SHARE, (same, share)
    assert np.array_equal(greedy_quantize(block, table, lam), jpeg.trellis_quantize(block, table, lam))


SAME_AS_TRELLIS, GREEDY_SHARE = 57, 98  # of the 64 blocks; per cent of the trellis' saving


# --- 09.budget ----------------------------------------------------------------------------------

@pytest.mark.parametrize("function, words", [
    (lambda c, t, budget: 0.0, ["over the budget", "larger lam"]),
    (lambda c, t, budget: 10_000.0, ["a smaller one does too", "bisect"]),
    (lambda c, t, budget: 2 * lambda_for_budget(c, t, budget) + 1, ["a smaller one does too"]),
    (lambda c, t, budget: 0.9 * lambda_for_budget(c, t, budget), ["over the budget"]),
    (lambda c, t, budget: -1.0, ["0 or more"]),
    (lambda c, t, budget: jpeg.trellis_quantize(c, t, lambda_for_budget(c, t, budget)), ["one number", "lam"]),
    (lambda c, t, budget: (1.0, 2.0), ["one number"]),
    (lambda c, t, budget: float("inf"), ["finite"]),
])
def test_budget_wrong(function, words):
    wrong("09.budget", function, *words)


def test_budget_solution_on_the_chapter_block():
    """The solution says: 25 bits, the trellis' own at lam = 29.4, are already reached at a lam of about 6."""
    lam = lambda_for_budget(block, table, 25)
    assert 5.5 < lam < 6.5
    assert ac_bits(block, jpeg.trellis_quantize(block, table, lam), table) <= 25
    assert ac_bits(block, jpeg.trellis_quantize(block, table, jpeg.rdo_lambda(75)), table) == 25


# --- What the old "Try it" cell checked ---------------------------------------------------------

def test_the_trellis_on_the_cameraman_at_quality_50():
    camera = images.load("camera")
    plain = jpeg.encode(camera, 50, optimize=True)
    trellis = jpeg.encode(camera, 50, optimize=True, rdo=True)
    smaller = 1 - len(trellis) / len(plain)
    loss = metrics.psnr(camera, jpeg.decode(plain)) - metrics.psnr(camera, jpeg.decode(trellis))
    assert 0.17 < smaller < 0.23 and 0.2 < loss < 0.7


def test_lambda_0_gives_the_file_without_the_trellis():
    colour = images.load("astronaut")
    zero = jpeg.encode(colour, 75, optimize=True, rdo=True, lam=0)
    assert abs(len(zero) / len(jpeg.encode(colour, 75, optimize=True)) - 1) < 0.001


def test_what_the_other_solutions_say():
    lam = jpeg.rdo_lambda(75)
    rounded, chosen = jpeg.quantize(block, table), jpeg.trellis_quantize(block, table, lam)
    assert [round(rd_cost(block, levels, table, 0), 1) for levels in (rounded, chosen)] == [232.4, 248.8]
    bits = [(rd_cost(block, levels, table, lam) - rd_cost(block, levels, table, 0)) / lam
            for levels in (rounded, chosen)]
    assert [round(b) for b in bits] == [42, 25]
    assert round(rd_cost(block, rounded, table, lam), 1) == 1465.7
    assert round(rd_cost(block, chosen, table, lam), 1) == 982.9
    assert best_level(block, rounded, table, lam, 5) == 3 and best_level(block, rounded, table, lam, 16) == 0
    low = lambda_for_budget(block, table, 25)
    assert all(ac_bits(block, jpeg.trellis_quantize(block, table, x), table) == 25 for x in np.linspace(low, lam, 50))
