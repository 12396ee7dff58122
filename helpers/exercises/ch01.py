"""Checks for the exercises of chapter 01 · Counting bits."""

from __future__ import annotations

import lzma
from functools import cache

import numpy as np

from .. import images, metrics, quantize
from . import _LearnerError, call, call_on_copies, close, exercise, number


@exercise("01.raw-bytes")
def _(function):
    """raw_bytes(picture): W x H x C x 8 bits, in bytes; C = 1 for a grey picture (2-D array)."""
    shapes = [(512, 512, 3), (300, 451, 3), (128, 96), (64, 48, 4)]  # the astronaut, the cat, grey, with alpha
    for shape in shapes:
        picture = np.zeros(shape, dtype=np.uint8)
        what = f"raw_bytes(a {' x '.join(map(str, shape))} picture)"
        try:
            got = call(function, picture, what=what)
        except _LearnerError as error:
            if len(shape) == 2 and ("unpack" in str(error) or "IndexError" in str(error)):
                return (f"{error}: a grey picture is a 2-D array, its shape has only H and W; "
                        f"it has one channel, C = 1")
            raise
        value = number(got, what)
        if isinstance(value, str):
            return value
        h, w = shape[:2]
        c = shape[2] if len(shape) == 3 else 1
        expected = h * w * c
        if value == expected:
            if not isinstance(got, (int, np.integer)):
                return (f"the right size, but as a {type(got).__name__}: a number of bytes is a whole number "
                        f"(// divides and keeps it whole)")
            continue
        if value == 8 * expected:
            return f"{what}: that is the number of bits; a byte is 8 bits"
        if c > 1 and value == h * w:
            return f"{what}: that counts the pixels; each pixel has C numbers (channels), one byte each"
        if c > 1 and value == 8 * h * w:
            return f"{what}: that is the bits of one channel only: each pixel has C numbers, one byte each"
        if c == 4 and value in (h * w * 3, 8 * h * w * 3):
            return f"{what}: this picture has 4 channels (red, green, blue and transparency): take C from its shape"
        if c == 1 and value in (h * w * 3, 8 * h * w * 3):
            return f"{what}: a grey picture (a 2-D array) has one channel, C = 1: take C from its shape"
        if value == expected / 8:
            return f"{what}: that is 8 times too small: each number takes one byte (8 bits)"
        return f"{what}: your function gives {value:,.0f}; multiply the numbers of the shape, each number one byte"
    return None


# Pictures to try the learner's entropy on; no two have the same entropy.
def _entropy_pictures() -> list[tuple[str, np.ndarray]]:
    two_values = np.zeros((16, 16), dtype=np.uint8)
    two_values[:, 8:] = 255  # half black, half white: 254 values never occur
    three_values = np.array([[0, 0, 7, 9]] * 6, dtype=np.uint8)  # p = 1/2, 1/4, 1/4
    return [("a half black, half white picture", two_values),
            ("a picture of values 0, 0, 7, 9 in every row", three_values),
            ("the thumbnail", _thumbnail())]


@cache
def _thumbnail() -> np.ndarray:
    """The chapter's `thumb`: the grey astronaut, 4 x 4 squares averaged, 128 x 128."""
    return quantize.downsample(images.load("astronaut", grey=True), 4)


@exercise("01.entropy")
def _(function):
    """histogram_entropy(picture): the entropy of the picture's histogram, in bits per pixel."""
    for name, picture in _entropy_pictures():
        given = picture.copy()
        try:
            with np.errstate(all="ignore"):
                got = call(function, given, what=f"histogram_entropy({name})")
        except _LearnerError as error:
            if "too deep" in str(error) or "1 dimension" in str(error):
                return f"{error}: np.bincount counts a flat list of values; picture.ravel() is one"
            if "math domain" in str(error):
                return (f"{error}: log(0) does not exist; a value that never occurs has p = 0 and adds "
                        f"nothing: skip the zero counts")
            raise
        if not np.array_equal(given, picture):
            return "your function changed the picture it was given: compute with new arrays instead"
        if np.ndim(got) == 1:
            return (f"histogram_entropy({name}) gives {np.size(got)} numbers, one per value: "
                    f"the entropy is their sum (or their average weighted by p?)")
        value = number(got, f"histogram_entropy({name})")
        if isinstance(value, str):
            return value
        counts = np.bincount(picture.ravel(), minlength=256)
        seen = counts[counts > 0]
        p = seen / seen.sum()
        expected = float((p * np.log2(1 / p)).sum())
        pixels = picture.size
        if close(value, expected):
            continue
        if np.isnan(value):
            return (f"histogram_entropy({name}) is nan: a value that never occurs has p = 0, and "
                    f"0 * log2(1 / 0) is nan in numpy; it adds nothing, so keep only the counts > 0")
        if close(value, expected * np.log(2)):
            return f"histogram_entropy({name}) is in nats: np.log is the natural log; bits need np.log2"
        if close(value, expected * np.log10(2)):
            return f"histogram_entropy({name}): np.log10 counts in decimal digits; bits need np.log2"
        if close(value, -expected):
            return f"histogram_entropy({name}) has the wrong sign: the surprise is log2(1 / p), not log2(p)"
        if close(value, expected * pixels):
            return (f"histogram_entropy({name}) is the entropy of the whole picture (pixels x entropy): "
                    f"the exercise asks for bits per pixel")
        if close(value, expected * pixels / 8):
            return f"histogram_entropy({name}) is in bytes for the whole picture: bits per pixel asked"
        if close(value, expected / 8):
            return f"histogram_entropy({name}) is in bytes per pixel: bits asked"
        if close(value, np.log2(len(seen))) and not close(expected, np.log2(len(seen))):
            return (f"histogram_entropy({name}) counts the values that occur, as if all were equally common: "
                    f"weight each surprise by how often its value occurs")
        if close(value, float((seen * np.log2(1 / seen)).sum())):
            return (f"histogram_entropy({name}): you used the counts as probabilities: "
                    f"p is a count divided by the number of pixels")
        if close(value, float((seen / 256 * np.log2(256 / seen)).sum())):
            return f"histogram_entropy({name}): divide the counts by the number of pixels, not by 256"
        if abs(value - expected) < 0.006:
            return f"histogram_entropy({name}) is close, but rounded: return the value your code computes, unrounded"
        return (f"histogram_entropy({name}) gives {value:.4g} bits per pixel, which is not right: "
                f"p = counts / counts.sum(), then the sum of p * log2(1 / p)")
    return None


def _lzma_bytes(data: np.ndarray, **settings) -> int:
    return len(lzma.compress(np.ascontiguousarray(data).tobytes(), **settings))


def _copy_pictures() -> list[tuple[str, np.ndarray]]:
    rng = np.random.default_rng(1)
    return [("the thumbnail", _thumbnail()),
            ("a 64 x 64 noise picture", rng.integers(0, 256, (64, 64), dtype=np.uint8)),
            ("the eye (12 x 12)", images.load("astronaut", grey=True)[94:106, 198:210])]


@exercise("01.second-copy")
def _(function):
    """second_copy_cost(picture): lzma bytes (fastest setting) of 2 copies minus those of 1 copy."""
    values = []
    for name, picture in _copy_pictures():
        got = call_on_copies(function, picture, what=f"second_copy_cost({name})", given="picture",
                             hint="compute a new array instead")
        value = number(got, f"second_copy_cost({name})")
        if isinstance(value, str):
            return value
        values.append(value)
    if len(set(values)) == 1:
        return "your function gives the same number for every picture: does it use the picture it is given?"
    for (name, picture), value in zip(_copy_pictures(), values):
        one, two = _lzma_bytes(picture, preset=0), _lzma_bytes(np.stack([picture] * 2), preset=0)
        if value == two - one:
            continue
        what = f"second_copy_cost({name})"
        if value == picture.size:
            return f"{what} is the raw size of one copy: measure with lzma.compress what the copies cost compressed"
        if value == two:
            return f"{what} is what the 2 copies cost together: subtract what 1 copy costs"
        if value == one - two:
            return f"{what} is negative: the wrong way round, 2 copies minus 1"
        if close(value, two / one):
            return f"{what} is a ratio: the exercise asks for the extra bytes, a difference"
        default = _lzma_bytes(np.stack([picture] * 2)) - _lzma_bytes(picture)
        if value == default:
            return f"{what}: you used lzma's default setting; the chapter uses its fastest, preset=0"
        side_by_side = np.concatenate([picture, picture], axis=1)
        if value == _lzma_bytes(side_by_side, preset=0) - one:
            return (f"{what}: you laid the copies side by side, so their rows interleave; put the second "
                    f"copy after the first, as measure does with np.stack")
        return (f"{what} gives {value:,.0f} bytes, which is not right: compress the bytes of the 2 copies "
                f"(np.stack), then those of 1 copy, both with preset=0")
    return None


#: What the challenge asks of the learner's picture.
LEAST_ENTROPY = 7.5  # bits per pixel, more than the thumbnail's 7.46
MOST_LZMA_SHARE = 0.1  # lzma bytes / raw bytes; the thumbnail keeps 76 %
MOST_PIXELS = 1_000_000


@exercise("01.repeats")
def _(picture):
    """Challenge: a grey picture with histogram entropy >= 7.5 bits per pixel that lzma packs to under a tenth."""
    if not isinstance(picture, np.ndarray):
        return f"picture should be a numpy array, got {type(picture).__name__}"
    if picture.dtype != np.uint8:
        return (f"picture is an array of {picture.dtype}: make it 8-bit grey, values 0 to 255, "
                f"with .astype(np.uint8) (the raw size counts one byte per pixel)")
    if picture.ndim != 2:
        return f"picture has {picture.ndim} dimensions: a grey picture is a 2-D array, H x W"
    if picture.size > MOST_PIXELS:
        return f"picture has {picture.size:,} pixels: keep it under {MOST_PIXELS:,}, so lzma stays quick"
    bits = metrics.entropy(picture) + 0.0  # + 0.0: no -0.00 for a flat picture
    share = _lzma_bytes(picture, preset=0) / picture.size
    if bits < LEAST_ENTROPY and share > MOST_LZMA_SHARE:
        return (f"your picture's histogram has {bits:.2f} bits per pixel and lzma keeps {share:.0%} of its bytes: "
                f"neither is there yet")
    if bits < LEAST_ENTROPY:
        return (f"lzma packs it well ({share:.1%} of its bytes), but its histogram has only {bits:.2f} bits per "
                f"pixel (at least {LEAST_ENTROPY} asked): use many different values, each about equally often")
    if share > MOST_LZMA_SHARE:
        return (f"its histogram has {bits:.2f} bits per pixel, but lzma still keeps {share:.0%} of its bytes "
                f"(under {MOST_LZMA_SHARE:.0%} asked): lzma needs something to repeat")
    return None
