"""Helpers shared by the JPEG tests: test pictures, files written by Pillow, the reference decoders."""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from helpers import huffman, images, jpeg, metrics
from helpers.jpeg import _markers

DJPEG = shutil.which("djpeg")
needs_djpeg = pytest.mark.skipif(
    DJPEG is None, reason="djpeg (libjpeg-turbo-progs) is not installed: libjpeg's own decoder"
)
JPEGTRAN = shutil.which("jpegtran")
needs_jpegtran = pytest.mark.skipif(
    JPEGTRAN is None, reason="jpegtran (libjpeg-turbo-progs) is not installed: libjpeg's levels of a damaged file"
)
CJPEG = shutil.which("cjpeg")
needs_cjpeg = pytest.mark.skipif(
    CJPEG is None, reason="cjpeg (libjpeg-turbo-progs) is not installed: no files with its options"
)
MODES = ["grey", "4:4:4", "4:2:2", "4:2:0"]
PILLOW_SUBSAMPLING = {"4:4:4": 0, "4:2:2": 1, "4:2:0": 2}


def picture(photo: np.ndarray, mode: str, shape: tuple[int, int] | None = None) -> np.ndarray:
    """A crop of ``photo`` (from its detailed middle), in grey for mode "grey"."""
    if shape is not None:
        photo = photo[180 : 180 + shape[0], 200 : 200 + shape[1]]
    return images.to_grey(photo) if mode == "grey" else np.ascontiguousarray(photo)


def subsampling_for(mode: str) -> str:
    """The subsampling argument for a mode of MODES (ignored for grey pictures)."""
    return "4:2:0" if mode == "grey" else mode


def pillow_open(data: bytes) -> np.ndarray:
    """Decode with Pillow (libjpeg-turbo)."""
    with Image.open(io.BytesIO(data)) as file:
        file.load()
        return np.asarray(file)


def djpeg(data: bytes) -> np.ndarray:
    """Decode with libjpeg-turbo's djpeg; fail on any warning ("Corrupt JPEG data: ...")."""
    done = subprocess.run([DJPEG], input=data, capture_output=True, timeout=60)
    assert done.returncode == 0 and done.stderr == b"", done.stderr.decode(errors="replace")
    magic, width, height = done.stdout.split(maxsplit=3)[:3]
    channels = 3 if magic == b"P6" else 1
    pixels = np.frombuffer(done.stdout[-int(width) * int(height) * channels :], np.uint8)
    pixels = pixels.reshape(int(height), int(width), channels)
    return pixels if channels == 3 else pixels[..., 0]


def agree(ours: np.ndarray, reference: np.ndarray, psnr: float = 45) -> float:
    """Check that two decodes of one file are the same picture up to rounding; return the PSNR."""
    assert ours.dtype == np.uint8 and ours.shape == reference.shape
    difference = np.abs(ours.astype(np.int64) - reference)
    assert difference.max() <= 4, f"max difference {difference.max()}"
    if ours.ndim == 3 and ours.shape[2] == 4:  # C, M, Y, K: metrics.psnr takes grey or RGB; the same formula
        error = float(np.mean(difference.astype(np.float64) ** 2))
        value = float("inf") if error == 0 else 10 * np.log10(255**2 / error)
    else:
        value = metrics.psnr(reference, ours)
    assert value >= psnr, f"PSNR {value:.2f} dB against libjpeg's decode"
    return value


def pillow_subsampling(mode: str) -> dict:
    """Pillow's option for ``mode``. For grey none: Pillow would write 2 x 2 sampling for its one
    component, which changes nothing but the SOF byte; libjpeg's default for grey is 1 x 1."""
    return {} if mode == "grey" else {"subsampling": PILLOW_SUBSAMPLING[mode]}


def pillow_save(image: np.ndarray, **options) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "JPEG", **options)
    return buffer.getvalue()


def pnm(image: np.ndarray) -> bytes:
    """A binary PGM (grey) or PPM (colour) file, the input cjpeg reads."""
    magic = b"P5" if image.ndim == 2 else b"P6"
    return magic + f" {image.shape[1]} {image.shape[0]} 255\n".encode() + image.tobytes()


def cjpeg(image: np.ndarray, *options: str) -> bytes:
    """libjpeg-turbo's own encoder, ``cjpeg``, with these options (``-restart 1B``, ``-progressive``, ...).

    It writes restart markers on every Pillow version (Pillow before 10.2 ignores its restart options).
    """
    done = subprocess.run([CJPEG, *options], input=pnm(image), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


def without(data: bytes, name: str) -> bytes:
    """The file with every segment called ``name`` left out."""
    return b"".join(
        data[s.offset : s.offset + s.size] for s in jpeg.segments(data) if s.name != name
    )


def segment_named(data: bytes, name: str) -> jpeg.Segment:
    return next(s for s in jpeg.segments(data) if s.name == name)


def libjpeg_levels(data: bytes) -> bytes | None:
    """What libjpeg reads from a (damaged) file, as a clean file of the same levels; None if it refuses it.

    ``jpegtran`` reads the levels of every block as libjpeg's decoder does,
    warnings and all, and writes them to a new file without touching them.
    None also when that file is itself damaged (``djpeg`` warns on it): a
    level out of the range a baseline file can hold (a DC difference beyond
    2047, from garbage data) cannot be written back, so there is nothing to
    compare with.
    """
    done = subprocess.run([JPEGTRAN, "-copy", "none"], input=data, capture_output=True, timeout=60)
    if done.returncode == 1:
        return None
    check = subprocess.run([DJPEG], input=done.stdout, capture_output=True, timeout=60)
    if check.returncode != 0 or check.stderr:
        raise Unwritable(check.stderr.decode(errors="replace"))
    return done.stdout


class Unwritable(Exception):
    """jpegtran read the file, but cannot write its levels back (see :func:`libjpeg_levels`)."""


def spoil(data: bytes, rng: np.random.Generator, headers: int | None = None) -> bytes:
    """``data`` with 1 to 3 random bytes changed, flipped, left out or put in (0x00, 0xFF or any).

    With ``headers``, half of the damage lands in the first ``headers`` bytes,
    which steer everything else.
    """
    data = bytearray(data)
    for _ in range(rng.integers(1, 4)):
        high = headers if headers is not None and rng.random() < 0.5 else len(data)
        where = int(rng.integers(0, high) % len(data))
        action = rng.integers(0, 4)
        if action == 0:
            data[where] = rng.integers(0, 256)
        elif action == 1:
            data[where] ^= 1 << int(rng.integers(0, 8))
        elif action == 2:
            del data[where]
        else:
            data.insert(where, int(rng.choice([0x00, 0xFF, rng.integers(0, 256)])))
    return bytes(data)


def lossless_jpeg(image: np.ndarray, predictor: int = 1, point_transform: int = 0, restart_lines: int = 0) -> bytes:
    """A lossless JPEG (SOF3, T.81 Annex H) of a ``uint8`` picture, written here: no tool on this machine writes one.

    Grey, or three components stored as they are (R, G, B, with an Adobe
    APP14 segment saying so), one interleaved scan, one optimized Huffman
    table, an RST marker every ``restart_lines`` lines. Each sample (shifted
    right by ``point_transform``) is predicted as T.81 Table H.1 says, and the
    difference modulo 2 ** 16 is coded as a DC difference is: its size, then
    its bits (size 16: 32768, no bits). Pillow's libjpeg-turbo 3 reads these.
    """
    planes = (image[..., None] if image.ndim == 2 else image).astype(np.int64) >> point_transform
    height, width, count = planes.shape
    differences = np.zeros_like(planes)
    for r in range(height):
        first_line = r % (restart_lines or height) == 0
        for c in range(width):
            for k in range(count):
                a, b = (planes[r, c - 1, k] if c else 0), (planes[r - 1, c, k] if r else 0)
                cc = planes[r - 1, c - 1, k] if r and c else 0
                if first_line:
                    p = a if c else 1 << (8 - point_transform - 1)
                elif c == 0:
                    p = b
                else:
                    p = (a, b, cc, a + b - cc, a + ((b - cc) >> 1), b + ((a - cc) >> 1), (a + b) >> 1)[predictor - 1]
                d = (int(planes[r, c, k]) - int(p)) % 65536
                differences[r, c, k] = d - 65536 if d > 32768 else d
    sizes = np.where(differences == 32768, 16, np.frexp(np.abs(differences).astype(float))[1]).astype(np.int64)
    spec = huffman.optimal_spec(np.bincount(sizes.ravel(), minlength=256))
    codes, lengths = huffman.code_table(spec)
    pieces = []
    for number, top in enumerate(range(0, height, restart_lines or height)):
        d = differences[top : top + (restart_lines or height)].ravel()
        size = sizes[top : top + (restart_lines or height)].ravel()
        extra = np.where(size == 16, 0, size)
        bits = np.where(d >= 0, d, d + (1 << extra) - 1) & ((1 << extra) - 1)
        if number:
            pieces.append(bytes((0xFF, 0xD0 + (number - 1) % 8)))
        pieces.append(huffman._pack_bits(codes[size].astype(np.int64) << extra | bits, lengths[size] + extra))
    ids = (1,) if count == 1 else (82, 71, 66)
    frame = bytes((8,)) + height.to_bytes(2, "big") + width.to_bytes(2, "big") + bytes((count,))
    headers = [b"\xff\xd8"]
    if count == 3:
        headers.append(_markers.segment(_markers.APP14, b"Adobe\x00\x64\x00\x00\x00\x00\x00"))  # transform 0: RGB
    headers.append(_markers.segment(_markers.SOF3, frame + b"".join(bytes((i, 0x11, 0)) for i in ids)))
    headers.append(_markers.dht(0, 0, spec))
    if restart_lines:
        headers.append(_markers.segment(_markers.DRI, (restart_lines * width).to_bytes(2, "big")))
    scan = bytes((count,)) + b"".join(bytes((i, 0x00)) for i in ids) + bytes((predictor, 0, point_transform))
    headers.append(_markers.segment(_markers.SOS, scan))
    return b"".join(headers) + b"".join(pieces) + b"\xff\xd9"
