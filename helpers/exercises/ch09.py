"""Checks for the exercises of chapter 09 · Beating libjpeg at its own format.

The learner builds rate-distortion optimization from the bottom: the cost
error + lam x bits of one block's levels, the best level for one number with
the others kept, a greedy optimizer that sweeps the block one number at a
time until nothing changes (and how close it comes to the trellis), and
(challenge) the lam that spends a budget of bits, the Lagrange multiplier of
"least error within so many bits". Each check tries the learner's function
on blocks of its own (the chapter's block, blocks of the grey astronaut) and
compares with ``jpeg.rd_cost`` and ``jpeg.trellis_quantize``.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import dct, huffman, images, jpeg
from . import call_on_copies, exercise, floats, number

AC_LENGTHS = huffman.code_table(huffman.AC_LUMINANCE)[1].astype(int)  # the chapter's ac_lengths
TABLE_75 = jpeg.quantization_table(75)
LAM_75 = jpeg.rdo_lambda(75)  # the chapter's lam, 29.4
_ARRAYS = "coefficients, levels or table"  # what rd_cost and best_level are given, and must not change


@cache
def _weights() -> np.ndarray:
    """The DCT coefficients of the grey astronaut's blocks (the chapter's ``weights``), 64 x 64 x 8 x 8."""
    grey = images.load("astronaut", grey=True)
    weights = dct.block_dct(grey.astype(float) - 128)
    weights.flags.writeable = False
    return weights


def _block() -> np.ndarray:
    """The chapter's block: pixels [312:320, 312:320], a shaded patch of her suit."""
    return _weights()[39, 39]


def _with(levels: np.ndarray, k: int, level: int) -> np.ndarray:
    """``levels`` with zigzag position ``k`` set to ``level``."""
    z = jpeg.to_zigzag(levels).copy()
    z[k] = level
    return jpeg.from_zigzag(z)


# --- Exercise 1: the cost of one block's levels ------------------------------------------------

def rd_cost(coefficients, levels, table, lam, slip: str = "") -> float:
    """error + lam x AC bits of one block, in plain Python; ``slip`` names a typical mistake."""
    coefficients, levels = np.asarray(coefficients, float), np.asarray(levels)
    table = np.asarray(table, float)
    if slip == "level units":
        errors = (coefficients / table - levels) ** 2
    elif slip == "absolute error":
        errors = np.abs(coefficients - levels * table)
    else:
        errors = (coefficients - levels * table) ** 2
    error = float(errors.sum() - (errors[0, 0] if slip == "no dc error" else 0))
    z = levels.ravel() if slip == "natural order" else jpeg.to_zigzag(levels)
    bits, run = 0, 0
    for k in range(0 if slip == "dc bits" else 1, 64):
        if z[k] == 0:
            run += 1
            continue
        size = int(abs(int(z[k]))).bit_length()
        bits += (run // 16) * AC_LENGTHS[0xF0] + AC_LENGTHS[(run % 16) * 16 + size]
        bits += 0 if slip == "no amplitude" else size
        run = run if slip == "run not reset" else 0
    if (z[63] == 0 and slip != "no eob") or slip == "eob always":
        bits += AC_LENGTHS[0x00]
    if slip == "lam on error":
        return lam * error + bits
    if slip == "error only":
        return error
    if slip == "bits only":
        return lam * bits
    return error + lam * bits


_COST_HINTS = {
    "no eob": ("when the last level (zigzag position 63) is 0, the block ends with EOB: "
               "add lam x its code, ac_lengths[0x00]"),
    "eob always": "a block whose last level, zigzag position 63, is not 0 needs no EOB: nothing is left to announce",
    "dc bits": ("you count bits for the DC, zigzag position 0: its bits depend on the block before and are left "
                "out; walk the AC positions 1 to 63"),
    "level units": ("your error is measured in steps (coefficient / step - level): measure it in coefficients, "
                    "coefficient - level x step, as the trellis does"),
    "absolute error": "the error is squared: the sum of (coefficient - level x step)**2",
    "no dc error": "the DC's bits are left out, but not its error: the squared error sums all 64 coefficients",
    "lam on error": "lam multiplies the bits, not the error: error + lam x bits",
    "error only": "your cost is the squared error alone: add lam x the bits of the AC levels",
    "bits only": "your cost is lam x bits alone: add the squared error of the 64 coefficients",
    "natural order": ("you walk the levels row by row: runs of zeros are counted along the zigzag, "
                      "jpeg.to_zigzag(levels)"),
    "no amplitude": ("each nonzero level costs its (run, size) code and then its size amplitude bits "
                     "(the chapter's jump_bits counts both)"),
    "run not reset": "after each nonzero level the count of zeros starts again at 0",
}


def _cost_blocks() -> list[tuple[str, np.ndarray, np.ndarray, float]]:
    """(where, coefficients, levels, lam): the chapter's block, tricky levels, then blocks of the picture."""
    block = _block()
    rounded = jpeg.quantize(block, TABLE_75)
    ending = _with(rounded, 63, 1)
    long_run = jpeg.from_zigzag(np.array([-5, 3] + [0] * 20 + [-1] + [0] * 41))
    cases = [
        ("the chapter's block, rounded", block, rounded, LAM_75),
        ("the chapter's block, the trellis' levels", block, jpeg.trellis_quantize(block, TABLE_75, LAM_75), LAM_75),
        ("the chapter's block, rounded, lam = 100", block, rounded, 100.0),
        ("the chapter's block with every AC level 0", block, _with(np.zeros((8, 8), int), 0, -5), LAM_75),
        ("the chapter's block, rounded, with a level 1 at zigzag position 63", block, ending, LAM_75),
        ("a block with a run of 20 zeros before a -1", block, long_run, LAM_75),
        ("the chapter's block, rounded, lam = 0", block, rounded, 0.0),
    ]
    rng = np.random.default_rng(9)
    weights = _weights()
    for row, col in rng.integers(0, 64, size=(30, 2)):
        lam = float(rng.choice([10.0, LAM_75, 80.0]))
        levels = jpeg.quantize(weights[row, col], TABLE_75) if row % 2 else \
            jpeg.trellis_quantize(weights[row, col], TABLE_75, lam)
        cases.append((f"the astronaut's block ({row}, {col}) at quality 75, lam = {lam:.1f}",
                      weights[row, col], levels, lam))
    return cases


@exercise("09.rd-cost")
def _(function):
    """rd_cost(coefficients, levels, table, lam) -> squared error + lam x AC bits of one block."""
    for where, coefficients, levels, lam in _cost_blocks():
        got = call_on_copies(function, coefficients, levels, TABLE_75, lam, what="rd_cost", given=_ARRAYS)
        if isinstance(got, (tuple, list)) and len(got) == 2:
            return "rd_cost should give one number, the cost error + lam x bits, not (error, bits)"
        got = number(got, "rd_cost", function=True, finite=True)
        if isinstance(got, str):
            return got
        expected = float(jpeg.rd_cost(coefficients, levels, TABLE_75, lam))
        if np.isclose(got, expected, rtol=1e-9, atol=1e-6):
            continue
        for slip, hint in _COST_HINTS.items():
            if np.isclose(got, rd_cost(coefficients, levels, TABLE_75, lam, slip), rtol=1e-9, atol=1e-6):
                return f"on {where}: {hint}"
        if lam > 0 and np.isclose((got - expected) / lam, np.rint((got - expected) / lam), atol=1e-6):
            extra = int(np.rint((got - expected) / lam))
            return (f"on {where}, your cost is {abs(extra)} x lam {'more' if extra > 0 else 'less'} than it should: "
                    "the error is right, count the bits again "
                    f"({abs(extra)} bits {'too many' if extra > 0 else 'missing'})")
        return (f"on {where}, your cost is {got:.1f}, {'more' if got > expected else 'less'} than the block's "
                f"squared error + lam x bits: check the error first (rd_cost with lam = 0), then the bits")
    return None


# --- Exercise 2: the best level for one number --------------------------------------------------

def _choices(coefficients: np.ndarray, table: np.ndarray, k: int, natural: bool = False) -> list[int]:
    """Rounding's level at zigzag position k (row by row if ``natural``) and every whole number down to 0."""
    rounded = jpeg.quantize(coefficients, table)
    a = int((rounded.ravel() if natural else jpeg.to_zigzag(rounded))[k])
    sign = -1 if a < 0 else 1
    return [sign * m for m in range(abs(a), -1, -1)]


def _costs_at(coefficients, levels, table, lam, k, choices) -> np.ndarray:
    """jpeg.rd_cost of ``levels`` with zigzag position k set to each of ``choices``."""
    variants = np.stack([_with(levels, k, level) for level in choices])
    return jpeg.rd_cost(np.broadcast_to(coefficients, variants.shape), variants, table, lam)


def best_level(coefficients, levels, table, lam, k) -> int:
    """The level at zigzag position k with the least cost, the other levels kept (the nearest to 0 on a tie)."""
    choices = _choices(coefficients, table, k)
    costs = _costs_at(coefficients, levels, table, lam, k, choices)
    return choices[int(np.flatnonzero(costs <= costs.min() + 1e-9)[-1])]


def _natural_best(coefficients, levels, table, lam, k) -> int:
    """A typical wrong answer: position k read row by row instead of along the zigzag."""
    choices = _choices(coefficients, table, k, natural=True)
    variants = np.repeat(np.asarray(levels)[None], len(choices), 0).reshape(len(choices), 64)
    variants[:, k] = choices
    costs = jpeg.rd_cost(np.broadcast_to(coefficients, (len(choices), 8, 8)), variants.reshape(-1, 8, 8), table, lam)
    return choices[int(np.argmin(costs))]


@cache
def _level_cases() -> tuple[tuple[str, np.ndarray, np.ndarray, float, int], ...]:
    """(where, coefficients, levels, lam, k): the chapter's block first, then numbers of the picture."""
    block = _block()
    rounded = jpeg.quantize(block, TABLE_75)
    cases = [(f"the chapter's block, rounded, zigzag position {k}", block, rounded, LAM_75, k)
             for k in (16, 2, 5, 1, 11, 3)]
    cases.append(("the chapter's block, rounded, lam = 0, zigzag position 5", block, rounded, 0.0, 5))
    rng = np.random.default_rng(90)
    weights = _weights()
    for row, col in rng.integers(0, 64, size=(40, 2)):
        coefficients = weights[row, col]
        levels = jpeg.quantize(coefficients, TABLE_75)
        nonzero = np.flatnonzero(jpeg.to_zigzag(levels)[1:]) + 1
        if nonzero.size == 0:
            continue
        lam = float(rng.choice([10.0, LAM_75, 80.0]))
        if row % 3 == 0:
            levels = jpeg.trellis_quantize(coefficients, TABLE_75, lam)
        for k in rng.choice(nonzero, size=min(3, nonzero.size), replace=False):
            cases.append((f"the astronaut's block ({row}, {col}), lam = {lam:.1f}, zigzag position {k}",
                          coefficients, levels, lam, int(k)))
    return tuple(cases)


@exercise("09.best-level")
def _(function):
    """best_level(coefficients, levels, table, lam, k) -> the level at zigzag k with the least cost."""
    for where, coefficients, levels, lam, k in _level_cases():
        got = call_on_copies(function, coefficients, levels, TABLE_75, lam, k, what="best_level", given=_ARRAYS,
                             hint="try the choices on a copy, levels.copy() or jpeg.to_zigzag(levels).copy()")
        if np.ndim(got) != 0:
            return ("best_level should give one level, a whole number, "
                    f"got {type(got).__name__} of shape {np.shape(got)}")
        got = number(got, "best_level", function=True, finite=True)
        if isinstance(got, str):
            return got
        if got != int(got):
            return f"on {where}, best_level gives {got}: a level is a whole number"
        got = int(got)
        choices = _choices(coefficients, TABLE_75, k)
        a = choices[0]
        if got in choices:
            costs = _costs_at(coefficients, levels, TABLE_75, lam, k, choices)
            if costs[choices.index(got)] <= costs.min() + 1e-6:
                continue
        natural = int(jpeg.quantize(coefficients, TABLE_75).ravel()[k])
        if natural != 0 and got == _natural_best(coefficients, levels, TABLE_75, lam, k):
            return (f"on {where}: k is a zigzag position, not a position row by row; change "
                    f"jpeg.to_zigzag(levels)[k] and go back with jpeg.from_zigzag")
        if got != 0 and a != 0 and np.sign(got) != np.sign(a):
            return f"on {where}, your level has the wrong sign: a level keeps the sign of its coefficient"
        if a == 0 and got != 0:
            return f"on {where}, rounding gives 0 there: a level further from 0 only adds error and bits"
        if abs(got) > abs(a):
            return (f"on {where}, your level is further from 0 than rounding's: that only adds error (and bits); "
                    f"try rounding's level and every whole number between it and 0")
        if got in (a, 0) and costs[choices.index(got)] <= min(costs[0], costs[-1]) + 1e-6:
            return (f"on {where}, you chose between rounding's level and 0 only: a level in between can cost "
                    f"less (the chapter's 3.74: 3 has one amplitude bit fewer than 4, for a little more error)")
        if got == a and lam > 0:
            return (f"on {where}, you keep rounding's level, but with lam = {lam:.1f} another level costs less: "
                    f"compare the cost error + lam x bits of every choice")
        return (f"on {where}, another level between rounding's and 0 costs less than yours, the other levels "
                f"kept: compare the cost of every choice")
    return None


# --- Exercise 3: one number at a time, until nothing changes ---------------------------------

def greedy_quantize(coefficients, table, lam, sweeps: int | None = None) -> np.ndarray:
    """Rounding, then each AC level from 63 down to 1 set to its best; again until a sweep changes nothing."""
    levels = jpeg.quantize(coefficients, table)
    done = 0
    while sweeps is None or done < sweeps:
        changed = False
        for k in range(63, 0, -1):
            if jpeg.to_zigzag(levels)[k] == 0:
                continue  # rounding's 0: nothing to choose
            level = best_level(coefficients, levels, table, lam, k)
            if level != jpeg.to_zigzag(levels)[k]:
                levels, changed = _with(levels, k, level), True
        done += 1
        if not changed:
            break
    return levels


def _improvement(coefficients, levels, table, lam) -> int | None:
    """A zigzag position where another level (between rounding's and 0) lowers the cost, the others kept."""
    cost = float(jpeg.rd_cost(coefficients, levels, table, lam))
    for k in range(1, 64):
        choices = _choices(coefficients, table, k)
        if len(choices) > 1 and _costs_at(coefficients, levels, table, lam, k, choices).min() < cost - 1e-6:
            return k
    return None


@cache
def _greedy_blocks() -> tuple[tuple[str, np.ndarray, float], ...]:
    """(where, coefficients, lam): the chapter's block, then blocks of the picture (one needs a second sweep)."""
    weights = _weights()
    picks = [(39, 39, LAM_75), (32, 33, LAM_75), (41, 32, LAM_75), (36, 43, LAM_75), (10, 20, 80.0), (50, 5, 10.0)]
    return tuple((f"the chapter's block, lam = {lam:.1f}" if (row, col) == (39, 39) else
                  f"the astronaut's block ({row}, {col}) at quality 75, lam = {lam:.1f}", weights[row, col], lam)
                 for row, col, lam in picks)


def _outside_rounding(levels, rounded) -> bool:
    """Whether some level is not between rounding's level and 0 (with rounding's sign)."""
    return np.any((levels != 0) & (np.sign(levels) != np.sign(rounded))) or np.any(np.abs(levels) > np.abs(rounded))


@exercise("09.greedy")
def _(function):
    """greedy_quantize(coefficients, table, lam) -> levels where no single change lowers the cost."""
    for where, coefficients, lam in _greedy_blocks():
        got = call_on_copies(function, coefficients, TABLE_75, lam, what="greedy_quantize",
                             given="coefficients or table")
        levels = floats(got, "greedy_quantize should give an 8 x 8 block of levels")
        if isinstance(levels, str):
            return levels
        if levels.shape == (64,):
            return "greedy_quantize gives 64 numbers in a row: give the 8 x 8 block (jpeg.from_zigzag goes back)"
        if levels.shape != (8, 8):
            return f"greedy_quantize should give an 8 x 8 block of levels, got shape {levels.shape}"
        if not np.isfinite(levels).all() or not np.array_equal(levels, np.rint(levels)):
            return f"on {where}, your levels are not all whole numbers: a level is a whole number"
        levels = levels.astype(int)
        rounded = jpeg.quantize(coefficients, TABLE_75)
        if levels[0, 0] != rounded[0, 0]:
            return f"on {where}, your DC level is not rounding's: the DC stays as rounded, only AC levels are chosen"
        if _outside_rounding(levels, rounded):
            if not _outside_rounding(levels.T, rounded):
                return f"on {where}, your block is transposed: keep the levels where jpeg.quantize puts them"
            return (f"on {where}, some of your levels are not between rounding's and 0 (same sign): "
                    f"the choices for each number are rounding's level and the whole numbers down to 0")
        cost = float(jpeg.rd_cost(coefficients, levels, TABLE_75, lam))
        rounded_cost = float(jpeg.rd_cost(coefficients, rounded, TABLE_75, lam))
        if cost > rounded_cost + 1e-6:
            return (f"on {where}, your levels cost more than plain rounding's: "
                    "start from rounding and only accept a lower cost")
        k = _improvement(coefficients, levels, TABLE_75, lam)
        if k is None:
            continue
        if np.array_equal(levels, rounded):
            return (f"on {where}, your levels are plain rounding's, but changing one of them lowers the cost: "
                    f"set each AC level to best_level(...), the others as they are at that moment")
        if np.array_equal(levels, greedy_quantize(coefficients, TABLE_75, lam, sweeps=1)):
            return (f"on {where}, after your sweep, another level at zigzag position {k} still lowers the cost: "
                    f"one sweep is not always enough (a change further on changes the runs), repeat until a sweep "
                    f"changes nothing")
        return (f"on {where}, another level at zigzag position {k} still lowers the cost, the others as you left "
                f"them: sweep again until a sweep changes nothing")
    return None


# --- Challenge: the lam that spends a budget of bits -----------------------------------------

def ac_bits(coefficients, levels, table) -> int:
    """The AC bits of all the blocks given: their rd_cost with lam = 1, less the squared error."""
    return int(np.rint(np.sum(jpeg.rd_cost(coefficients, levels, table, 1.0)
                              - jpeg.rd_cost(coefficients, levels, table, 0.0))))


def _bits_at(coefficients, table, lam) -> int:
    return ac_bits(coefficients, jpeg.trellis_quantize(coefficients, table, lam), table)


def lambda_for_budget(coefficients, table, budget) -> float:
    """The smallest lam (to about 0.1 %) at which the trellis spends at most ``budget`` AC bits."""
    if _bits_at(coefficients, table, 0.0) <= budget:
        return 0.0
    low, high = 0.0, 1.0
    while _bits_at(coefficients, table, high) > budget:
        low, high = high, 2 * high
    while high - low > 0.001 * high:
        middle = (low + high) / 2
        low, high = (middle, high) if _bits_at(coefficients, table, middle) > budget else (low, middle)
    return high


@cache
def _budget_cases() -> tuple[tuple[str, np.ndarray, np.ndarray, int], ...]:
    """(where, coefficients, table, budget): the chapter's block, then 64 blocks of the picture at quality 50."""
    block = _block()
    crop = _weights()[36:44, 36:44]
    table_50 = jpeg.quantization_table(50)
    crop_bits = ac_bits(crop, jpeg.quantize(crop, table_50), table_50)
    cases = [("the chapter's block with a budget of 25 bits", block, TABLE_75, 25),
             ("the chapter's block with a budget of 42 bits", block, TABLE_75, 42),
             ("the chapter's block with a budget of 12 bits", block, TABLE_75, 12)]
    for share in (0.8, 0.5, 0.3):
        budget = int(share * crop_bits)
        cases.append((f"the 64 blocks of pixels [288:352, 288:352] at quality 50 with a budget of {budget:,} bits",
                      crop, table_50, budget))
    return tuple(cases)


@exercise("09.budget")
def _(function):
    """lambda_for_budget(coefficients, table, budget) -> the smallest lam whose trellis keeps within budget."""
    for where, coefficients, table, budget in _budget_cases():
        got = call_on_copies(function, coefficients, table, budget, what="lambda_for_budget",
                             given="coefficients or table")
        lam = number(got, "lambda_for_budget", function=True, finite=True)
        if isinstance(lam, str):
            return lam + " (lam, the price of a bit)"
        if lam < 0:
            return f"on {where}, your lam is {lam:g}: a price of a bit is 0 or more"
        bits = _bits_at(coefficients, table, lam)
        if bits > budget:
            return (f"on {where}, at your lam = {lam:.4g} the trellis spends {bits:,} bits, over the budget: "
                    f"a dearer bit (a larger lam) spends fewer")
        if lam > 0.01 and _bits_at(coefficients, table, lam / 1.02 - 0.01) <= budget:
            return (f"on {where}, your lam keeps within the budget, but a smaller one does too, with less error: "
                    f"look for the smallest (bisect until the lam over and the lam within are 1 % apart)")
    return None
