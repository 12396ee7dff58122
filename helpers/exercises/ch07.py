"""Checks for the exercises of chapter 07 · Compression.

The learner writes libjpeg's quality scaling of a table, the encoder's and the
decoder's side of one block (shift, DCT, divide and round; multiply, inverse
DCT, shift back, round and clip), measures a flat table of their own with the
chapter's size estimate and PSNR, and (challenge) finds the quality at which
the coffee picture's blocking ratio passes 1.5. Each check tries the learner's
function on inputs of its own, or measures the learner's table itself, and
compares with the plain reference code below.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import dct, images, jpeg, metrics
from . import WIKIPEDIA_BLOCK, NotTried, call_on_copies, compare, exercise

# --- 07.scaled-table ------------------------------------------------------------------------------

def _scaled(table: np.ndarray, quality: int, *, true_division: bool = False, clip: bool = True,
            rounding: str = "libjpeg", swapped: bool = False) -> np.ndarray:
    """libjpeg's scaling of ``table`` at ``quality``, or one of the usual mistakes (the keywords)."""
    table = np.asarray(table, dtype=np.int64)
    low = quality < 50 if not swapped else quality >= 50
    if true_division:
        scale = 5000 / quality if low else 200 - 2 * quality
    else:
        scale = 5000 // quality if low else 200 - 2 * quality
    if rounding == "libjpeg":
        out = (table * scale + 50) // 100
    elif rounding == "np.round":
        out = np.round(table * scale / 100)
    else:  # "floor": no + 50
        out = table * scale // 100
    return np.clip(out, 1, 255) if clip else out


def _not_an_array(message: str | None) -> bool:
    """Whether a message of :func:`compare` says the answer is no array of the right shape at all."""
    return message is not None and any(words in message for words in (
        "has shape", "should hold numbers", "should be an array", "NaN"))


def _as_table(got: object, what: str) -> np.ndarray | str:
    """The learner's table as an array, or the message saying why it is not an 8 x 8 table of numbers."""
    message = compare(got, np.ones((8, 8)), what)
    if _not_an_array(message):
        return message
    return np.asarray(got)


@exercise("07.scaled-table")
def _(function):
    """scaled_table(table, quality): libjpeg's table at quality, from the quality-50 table."""
    cases = [(q, False) for q in (50, 100, 1)] + [(q, chroma) for chroma in (False, True) for q in range(1, 101)]
    for quality, chroma in cases:
        base = jpeg.CHROMINANCE if chroma else jpeg.LUMINANCE
        got = call_on_copies(function, base, quality, what=f"scaled_table(table, {quality})", given="table",
                             hint="compute a new array")
        which = "the chrominance table" if chroma else "the luminance table"
        got = _as_table(got, f"scaled_table(table, {quality})")
        if isinstance(got, str):
            return got
        expected = jpeg.quantization_table(quality, chroma=chroma)
        if np.array_equal(got, expected):
            continue
        if not np.allclose(got, np.rint(got)):
            return (f"at quality {quality} your steps are not whole numbers: libjpeg rounds with "
                    f"(table * scale + 50) // 100, an integer division")
        got = got.astype(np.int64)
        if quality == 50:
            return "quality 50 should give the table itself: at 50 the scale is 100 %"
        if got.min() < 1:
            return (f"at quality {quality} some steps are {got.min()}: a step of 0 divides by 0, "
                    f"libjpeg keeps every step at least 1 (np.clip)")
        if got.max() > 255:
            return (f"at quality {quality} some steps are over 255: baseline JPEG stores each step in one byte, "
                    f"libjpeg keeps them at most 255 (np.clip)")
        scale = 5000 // quality if quality < 50 else 200 - 2 * quality
        overflows = base.astype(np.int64) * scale > 65535
        if overflows.any() and np.array_equal(got[~overflows], expected[~overflows]):
            return (f"at quality {quality} some steps overflowed: the table is uint16 (at most 65,535) and "
                    f"table * scale is larger; turn it into int first (np.asarray(table, dtype=int))")
        for keywords, hint in [
            (dict(true_division=True), "5000 / q is a fraction for most qualities: libjpeg divides with //, "
                                       "an integer division, before it scales the table"),
            (dict(swapped=True), "the two rules are swapped: 5000 / q is for qualities below 50, 200 - 2q from 50 up"),
            (dict(rounding="np.round"), "the halves: (table * scale + 50) // 100 sends a half up, "
                                        "np.round sends it to the even neighbour"),
            (dict(rounding="floor"), "the rounding: (table * scale) // 100 rounds down; add 50 first, "
                                     "so that it rounds to the nearest"),
            (dict(true_division=True, rounding="np.round"), "5000 / q is a fraction for most qualities, and "
                                                            "np.round is not libjpeg's rounding: use //, twice"),
        ]:
            if np.array_equal(got, _scaled(base, quality, **keywords)):
                return f"at quality {quality}: " + hint
        return (compare(got, expected, f"scaled_table({which}, {quality})")
                + ": compare with jpeg.quantization_table")
    return None


# --- 07.encode-block and 07.decode-block ------------------------------------------------------------

def _test_blocks() -> list[tuple[np.ndarray, np.ndarray, str]]:
    """(pixels, table, name): the chapter's Wikipedia block, a piece of the photograph, a sharp edge."""
    grey = images.load("astronaut", grey=True)
    edge = np.zeros((8, 8), dtype=int)
    edge[:, 4:] = 255  # black | white: decoded at low quality it overshoots both ends
    rng = np.random.default_rng(7)
    noisy = rng.integers(0, 256, (8, 8))
    return [(WIKIPEDIA_BLOCK, jpeg.quantization_table(50), "the Wikipedia block, quality 50"),
            (grey[96:104, 200:208], jpeg.quantization_table(80), "the astronaut's eye (uint8, as in grey), quality 80"),
            (edge, jpeg.quantization_table(10), "a black | white edge, quality 10"),
            (noisy, jpeg.quantization_table(30), "a block of noise, quality 30")]


def _encode(block: np.ndarray, table: np.ndarray, *, shift: float = 128, rounding: str = "nearest") -> np.ndarray:
    weights = dct.dct2(np.asarray(block, dtype=float) - shift)
    ratio = weights / np.asarray(table, dtype=float)
    if rounding == "floor":
        return np.floor(ratio)
    if rounding == "trunc":
        return np.trunc(ratio)
    if rounding == "none":
        return ratio
    return jpeg.quantize(weights, table)


@exercise("07.encode-block")
def _(function):
    """encode_block(block, table): an 8 x 8 block of pixels to its levels (shift, DCT, divide, round)."""
    results = []
    for block, table, name in _test_blocks():
        got = call_on_copies(function, block, table, what="encode_block(block, table)", given="block or table",
                             hint="compute a new array (block - 128 does)")
        expected = _encode(block, table)
        message = compare(got, expected.astype(int), f"encode_block on {name}")
        results.append(got)
        if message is None:
            continue
        if _not_an_array(message):
            return message
        got = np.asarray(got, dtype=float)
        if np.allclose(got, _encode(block, table, rounding="none")):
            return f"on {name}: divided, but not rounded yet: the levels are whole numbers (np.round)"
        if block.dtype == np.uint8 and np.array_equal(got, _encode((block - 128).astype(float) + 128, table)):
            return (f"on {name}: the pixels are uint8 (0..255), so block - 128 wraps around below 0 "
                    f"(60 - 128 gives 188): turn them into float first, as the chapter does")
        if np.array_equal(got, _encode(block, table, shift=0)):
            return (f"on {name}: only the first number (the DC) is off: shift the pixels by -128 "
                    f"before the DCT, as the chapter does")
        if np.array_equal(got, _encode(block, table, rounding="floor")):
            return f"on {name}: np.floor rounds down (-0.3 becomes -1): round to the nearest whole number"
        if np.array_equal(got, _encode(block, table, rounding="trunc")):
            return f"on {name}: astype(int) cuts towards 0 (2.9 becomes 2): round to the nearest first (np.round)"
        if np.allclose(got, dct.dct2(np.asarray(block, dtype=float) - 128)):
            return f"on {name}: those are the DCT weights: divide each by its step in the table, then round"
        if np.array_equal(got, jpeg.quantize(dct.dct2(block - 128.0), np.asarray(table).T)):
            return f"on {name}: the table is transposed: weight [v, u] is divided by table[v, u]"
        return message + ": shift by -128, dct.dct2, divide by the table, round"
    if len(results) > 1 and np.array_equal(np.asarray(results[0]), np.asarray(results[1])):
        return "your function gives the same levels for every block: does it use the block it is given?"
    return None


def _decode(levels: np.ndarray, table: np.ndarray, *, shift: float = 128, clip: bool = True,
            rounding: str = "nearest", multiply: bool = True) -> np.ndarray:
    weights = np.asarray(levels, dtype=float) * (np.asarray(table, dtype=float) if multiply else 1)
    pixels = dct.idct2(weights) + shift
    if rounding == "nearest":
        pixels = np.rint(pixels)
    elif rounding == "floor":
        pixels = np.floor(pixels)
    elif rounding == "trunc":
        pixels = np.trunc(pixels)
    return np.clip(pixels, 0, 255) if clip else pixels


@exercise("07.decode-block")
def _(function):
    """decode_block(levels, table): levels back to 8 x 8 pixels (multiply, inverse DCT, + 128, round, clip)."""
    for block, table, name in _test_blocks():
        levels = _encode(block, table).astype(int)
        got = call_on_copies(function, levels, table, what="decode_block(levels, table)", given="levels or table",
                             hint="compute a new array")
        expected = _decode(levels, table).astype(int)
        message = compare(got, expected, f"decode_block on {name}")
        if message is None:
            continue
        if _not_an_array(message):
            return message
        got = np.asarray(got, dtype=float)
        if np.allclose(got, _decode(levels, table, rounding="none")) or np.allclose(
                got, _decode(levels, table, rounding="none", clip=False)):
            return f"on {name}: pixels are whole numbers: round the inverse DCT + 128 (np.rint)"
        if np.array_equal(got, _decode(levels, table, clip=False)):
            return (f"on {name}: some pixels fall outside 0..255 (the fast waves overshoot a sharp edge): "
                    f"a pixel is kept within 0..255 (np.clip)")
        if np.array_equal(got, _decode(levels, table, shift=0)) or np.array_equal(
                got, _decode(levels, table, shift=0, clip=False)):
            return f"on {name}: the pixels are 128 too dark: the encoder shifted them by -128, add it back"
        if np.array_equal(got, _decode(levels, table, multiply=False)):
            return f"on {name}: multiply the levels back by their steps (the table) before the inverse DCT"
        if np.array_equal(got, _decode(levels, table, rounding="floor")) or np.array_equal(
                got, _decode(levels, table, rounding="trunc")):
            return f"on {name}: some pixels are 1 too dark: round to the nearest (np.rint), not down"
        if np.array_equal(got, np.clip(np.rint(dct.dct2(levels * np.asarray(table, dtype=float)) + 128), 0, 255)):
            return f"on {name}: that is the DCT again; the decoder takes the inverse, dct.idct2"
        return message + ": multiply by the table, dct.idct2, + 128, round, clip to 0..255"
    return None


# --- 07.flat-table ---------------------------------------------------------------------------------

@cache
def _weights(name: str) -> np.ndarray:
    """The block DCT of a grey picture, shifted by -128 (the chapter's `weights` for the astronaut)."""
    return dct.block_dct(images.load(name, grey=True).astype(float) - 128)


def estimated_bytes(levels: np.ndarray) -> float:
    """The chapter's estimate: entropy position by position, the DC as differences."""
    series = jpeg.to_zigzag(levels).reshape(-1, 64)
    bits = metrics.entropy(np.diff(series[:, 0], prepend=0)) * len(series)
    bits += sum(metrics.entropy(series[:, k]) * len(series) for k in range(1, 64))
    return bits / 8


def compress_with(table: np.ndarray, name: str = "astronaut") -> tuple[np.ndarray, np.ndarray]:
    """The chapter's `compress`, for any table and grey picture: the levels and the decoded picture."""
    shape = images.load(name, grey=True).shape
    levels = jpeg.quantize(_weights(name), table)
    decoded = dct.block_idct(jpeg.dequantize(levels, table), shape) + 128
    return levels, np.clip(np.rint(decoded), 0, 255).astype(np.uint8)


@cache
def _quality_50_bytes() -> float:
    return estimated_bytes(compress_with(jpeg.quantization_table(50))[0])


def _number(answer: object, what: str) -> float | str:
    if isinstance(answer, (bool, np.bool_, str, bytes)) or np.ndim(answer) != 0:
        return f"{what} should be one number, got {type(answer).__name__}"
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return f"{what} should be a number, got {type(answer).__name__}"
    return value if np.isfinite(value) else f"{what} is {value}: measure it again"


@exercise("07.flat-table")
def _(answer):
    """(flat_table, flat_bytes, flat_psnr): a flat table about as small as quality 50, measured."""
    if not isinstance(answer, tuple) or len(answer) != 3:
        return "give three things: (flat_table, flat_bytes, flat_psnr)"
    if any(part is Ellipsis for part in answer):
        raise NotTried("replace each ... with your table and your two measurements, then run this cell again")
    table, reported_bytes, reported_psnr = answer
    table = _as_table(table, "flat_table")
    if isinstance(table, str):
        return table
    if not np.allclose(table, np.rint(table)) or table.min() < 1 or table.max() > 255:
        return "the steps of a JPEG table are whole numbers from 1 to 255"
    table = np.rint(table).astype(int)
    if not (table == table.flat[0]).all():
        return "your table is not flat: every one of the 64 steps should be the same (np.full((8, 8), step))"
    levels, decoded = compress_with(table)
    size, psnr = estimated_bytes(levels), metrics.psnr(images.load("astronaut", grey=True), decoded)
    target = _quality_50_bytes()
    if abs(size / target - 1) > 0.05:
        direction = "a bigger step: fewer levels" if size > target else "a smaller step: more levels"
        return (f"with step {table.flat[0]} the estimate is {size:,.0f} bytes, {100 * (size / target - 1):+.0f} % "
                f"from quality 50's {target:,.0f}: more than 5 % off, try {direction}")
    for value, what in [(reported_bytes, "flat_bytes"), (reported_psnr, "flat_psnr")]:
        value = _number(value, what)
        if isinstance(value, str):
            return value
    reported_bytes, reported_psnr = float(reported_bytes), float(reported_psnr)
    if not np.isclose(reported_bytes, size, rtol=1e-3):
        if np.isclose(reported_bytes, 8 * size, rtol=1e-3):
            return "flat_bytes is in bits: a byte is 8 bits"
        if np.isclose(reported_bytes, target, rtol=1e-3):
            return "flat_bytes is quality 50's size: measure the levels of your own table"
        return ("flat_bytes is not what your table gives: estimated_bytes of the levels of your table "
                "(jpeg.quantize(weights, flat_table))")
    if not np.isclose(reported_psnr, psnr, atol=0.01):
        if np.isclose(reported_psnr, metrics.psnr(images.load("astronaut", grey=True),
                                                  compress_with(jpeg.quantization_table(50))[1]), atol=0.01):
            return "flat_psnr is quality 50's: measure the picture decoded with your own table"
        return ("flat_psnr is not what your table gives: decode as `compress` does (dequantize, dct.block_idct, "
                "+ 128, round, clip), then metrics.psnr(grey, decoded)")
    return None


# --- 07.blocking-quality (challenge) ----------------------------------------------------------------

def border_ratio(picture: np.ndarray) -> float:
    """The chapter's blocking measure, for a picture of any shape: jumps across block borders / inside blocks."""
    p = np.asarray(picture).astype(int)
    right, down = np.abs(np.diff(p, axis=1)), np.abs(np.diff(p, axis=0))
    columns = np.arange(p.shape[1] - 1) % 8 == 7
    rows = np.arange(p.shape[0] - 1) % 8 == 7
    across = np.concatenate([right[:, columns].ravel(), down[rows].ravel()]).mean()
    inside = np.concatenate([right[:, ~columns].ravel(), down[~rows].ravel()]).mean()
    return across / inside


@cache
def blocking_ratio(name: str, quality: int) -> float:
    """The blocking ratio of the grey picture `name` compressed at `quality` (1 to 100)."""
    return border_ratio(compress_with(jpeg.quantization_table(quality), name)[1])


def passes_last(name: str, quality: int, limit: float = 1.5) -> bool:
    """Whether `quality` is where the ratio passes `limit`: above it at `quality`, not at `quality + 1`."""
    return blocking_ratio(name, quality) > limit and (quality == 100 or blocking_ratio(name, quality + 1) <= limit)


@exercise("07.blocking-quality")
def _(answer):
    """Challenge: the highest quality at which the grey coffee picture's blocking ratio is above 1.5."""
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, np.integer)):
        if isinstance(answer, (float, np.floating)) and float(answer).is_integer():
            answer = int(answer)
        elif isinstance(answer, (float, np.floating)) and 0.5 < float(answer) < 10:
            return "that looks like a ratio: the answer is the quality, a whole number from 1 to 100"
        else:
            return f"a quality is a whole number from 1 to 100, got {type(answer).__name__}"
    quality = int(answer)
    if not 1 <= quality <= 100:
        return f"a quality is a whole number from 1 to 100, got {quality}"
    if passes_last("coffee", quality):
        return None  # the ratio grows steadily as the quality falls (tests check it around 1.5)
    if passes_last("astronaut", quality):
        return "that is the astronaut's quality: the challenge asks for the coffee picture's"
    ratio = blocking_ratio("coffee", quality)
    if ratio <= 1.5:
        return (f"at quality {quality} the coffee's jumps across borders are {ratio:.3f} x those inside, "
                f"not above 1.5: go lower")
    return (f"at quality {quality} the coffee's ratio is {ratio:.3f}, above 1.5, but so it is at {quality + 1}: "
            f"the highest such quality is asked")
