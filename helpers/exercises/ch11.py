"""Checks for the exercises of chapter 11 · The table is the real dial.

The learner extends the chapter's table search in two directions: one
table shared by two components (the chroma table serves Cb and Cr, their
errors weighted by how much each shows in RGB), and (challenge) the lowest
quality whose searched tables reach a PSNR, the question behind "bytes at
equal PSNR". The first is checked against ``jpeg._search.search_tables``,
which ``encode(..., tables="psnr")`` runs; the second against a scan of
every quality on small crops of the course's photographs.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import dct, images, jpeg, metrics
from ..jpeg import _search
from . import call, call_on_copies, compare, exercise, number

LADDER = _search.LADDER
#: How much a unit of squared error in Cb and in Cr, subsampled 4:2:0, shows in the RGB picture
#: against one in Y (chapter 11's exercise gives these numbers).
CB_WEIGHT, CR_WEIGHT = 4 * (0.344136**2 + 1.772**2) / 3, 4 * (1.402**2 + 0.714136**2) / 3


@cache
def _chroma(name: str, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Cb and Cr of a photograph's top-left ``size`` x ``size`` pixels, 4:2:0, as DCT weights (rows, cols, 8, 8)."""
    ycbcr = jpeg.rgb_to_ycbcr(images.load(name)[:size, :size])
    planes = [dct.block_dct(np.asarray(jpeg.subsample(ycbcr[..., k], "4:2:0"), float) - 128) for k in (1, 2)]
    for plane in planes:
        plane.flags.writeable = False
    return planes[0], planes[1]


@cache
def _grey_weights(name: str) -> np.ndarray:
    """A grey photograph's DCT weights (block rows, block columns, 8, 8)."""
    weights = dct.block_dct(images.load(name, grey=True).astype(float) - 128)
    weights.flags.writeable = False
    return weights


def shared_table(first, second, first_weight, second_weight, lam) -> np.ndarray:
    """The reference: the chroma table ``encode(..., tables="psnr")`` searches for these two components."""
    zigzag = [np.zeros(first.shape[:2] + (64,)), jpeg.to_zigzag(first), jpeg.to_zigzag(second)]
    return _search.search_tables(zigzag, [1.0, first_weight, second_weight], lam)[1]


def _slips(first, second, wa, wb, lam) -> dict[str, np.ndarray]:
    """Typical wrong tables, with what to tell the learner who gives one."""
    def one(component, weight):
        z = [jpeg.to_zigzag(component)]
        return _search.search_tables(z + z, [1.0, weight, weight], lam)[1]

    no_dc_difference = shared_table(first, second, wa, wb, lam).copy()
    x = [first[..., 0, 0].ravel(), second[..., 0, 0].ravel()]
    costs = [sum(w * ((v - s * np.rint(v / s)) ** 2).sum() + lam * v.size * metrics.entropy(np.rint(v / s))
                 for v, w in zip(x, (wa, wb))) for s in LADDER]
    no_dc_difference[0, 0] = LADDER[int(np.argmin(costs))]
    return {
        "the DC's bits are those of its differences from block to block, as the file codes them "
        "(np.diff(levels, prepend=0))": no_dc_difference,
        "the errors are weighted, each component's by its own weight, before they are added": shared_table(
            first, second, 1.0, 1.0, lam),
        "your table is the first component's alone: one table serves both, so add the two costs": one(first, wa),
        "your table is the second component's alone: one table serves both, so add the two costs": one(second, wb),
        "your table is the right one, transposed: table[v, u] is v cycles down, u across": shared_table(
            first, second, wa, wb, lam).T,
    }


@exercise("11.shared-table")
def _(function):
    """shared_table(first, second, first_weight, second_weight, lam) -> one 8 x 8 table for two components."""
    coffee = _grey_weights("coffee")
    cases = [("chelsea's Cb and Cr at quality 75", *_chroma("chelsea", 256), CB_WEIGHT, CR_WEIGHT, 75),
             ("coffee's Cb and Cr at quality 40", *_chroma("coffee", 192), CB_WEIGHT, CR_WEIGHT, 40),
             ("the grey coffee's top and bottom as two components, weights 1 and 2, quality 50",
              coffee[:32, :32], coffee[32:, :32], 1.0, 2.0, 50)]
    for where, first, second, wa, wb, quality in cases:
        lam = 0.7 * jpeg.rdo_lambda(quality)
        got = call_on_copies(function, first, second, wa, wb, lam, what="shared_table",
                             given="weights", hint="work on the values it reads from them")
        expected = shared_table(first, second, wa, wb, lam)
        message = compare(got, expected, what=f"on {where}, your table")
        if message is None:
            continue
        got = np.asarray(got)
        if got.shape == (8, 8) and np.isin(got, np.arange(len(LADDER))).all() \
                and np.array_equal(LADDER[got.astype(int)], expected):
            return f"on {where}, your table holds places on the ladder: give the steps, LADDER[place]"
        if got.shape == (8, 8) and not np.isin(got, LADDER).all():
            return f"on {where}, some of your steps are not on the ladder: choose each one from LADDER"
        for hint, slip in _slips(first, second, wa, wb, lam).items():
            if got.shape == (8, 8) and np.array_equal(got, slip):
                return f"on {where}: {hint}"
        return message
    return None


# --- Challenge: the quality that reaches a PSNR --------------------------------------------------

def _searched_psnr(picture: np.ndarray, quality: int) -> float:
    file = jpeg.encode(picture, quality, optimize=True, rdo=True, tables="psnr")
    return metrics.psnr(picture, jpeg.decode(file))


@cache
def _crop(name: str) -> np.ndarray:
    where = {"astronaut": np.s_[64:160, 168:264], "camera": np.s_[64:160, 192:288]}[name]  # a face, a man
    picture = images.load(name, grey=True)[where]
    picture.flags.writeable = False
    return picture


@cache
def _psnr_at(name: str, quality: int) -> float:
    return _searched_psnr(_crop(name), quality)


@exercise("11.equal-psnr")
def _(function):
    """quality_for_psnr(picture, target) -> the smallest quality whose searched tables reach ``target`` dB."""
    for name, target in (("astronaut", 36.0), ("astronaut", 42.5), ("camera", 31.0)):
        picture = _crop(name)
        where = f"a 96 x 96 crop of the grey {name}, target {target} dB"
        got = call(function, picture.copy(), target, what="quality_for_psnr")
        got = number(got, "quality_for_psnr", function=True, finite=True)
        if isinstance(got, str):
            return got
        if got != int(got) or not 1 <= got <= 100:
            if 20 < got < 60 and not got.is_integer():
                return f"on {where}, you give {got:.2f}: that looks like a PSNR; give the quality, 1 to 100"
            return f"on {where}, you give {got:g}: a quality is a whole number from 1 to 100"
        quality = int(got)
        reached = _psnr_at(name, quality)
        if reached < target:
            return (f"on {where}, quality {quality} reaches only {reached:.2f} dB: it must reach the target "
                    "(is your test the right way round, and do you return the end of the bisection that reaches it?)")
        if quality > 1 and _psnr_at(name, quality - 1) >= target:
            return (f"on {where}, quality {quality} reaches it, but so does quality {quality - 1}: "
                    "the smallest is wanted")
    return None
