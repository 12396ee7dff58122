"""Quantization tables chosen per picture (``tables="psnr"``, ``"perceptual"``) against libjpeg-turbo, jpegli, mozjpeg.

Run with ``.venv/bin/python benchmarks/bench_tables.py`` (a few minutes on two
cores; ``--quick``: three pictures, qualities 30, 50, 70, 90). jpegli comes
from PyPI's ``pyjpegli``, mozjpeg from npm's ``@jsquash/jpeg`` run by node
(``benchmarks/mozjpeg_encode.mjs``); ``make benchmark`` installs both (the
second with ``npm install --prefix benchmarks/node``). Without one of them its
columns say "n/a" (and stderr says why).

For each picture every codec encodes it at qualities 30, 35, ..., 95, and
Pillow decodes each file. Each codec's curve of (bytes, quality of the
picture) is compared with libjpeg-turbo's (Pillow, baseline, standard
Huffman tables, 4:2:0) by the Bjøntegaard delta rate
(:func:`helpers.rd.bd_rate`): the average difference in bytes at equal
quality, negative when smaller. Three measures of quality, a table each:
PSNR (over RGB for colour, over grey for grey); SSIM
(:func:`helpers.metrics.ssim`, the mean of R, G and B for colour) as
``-10 log10(1 - SSIM)`` dB, the usual way to make its curve comparable; and
SSIMULACRA 2 (:func:`helpers.metrics.ssimulacra2`, libjxl's perceptual
metric, 100 = identical), its score as it is. Codecs:

* ``ours, libjpeg's tables``: ``optimize=True, rdo=True`` (the trellis);
* ``ours, tables="psnr"``: the same, with tables chosen for the picture;
* ``ours, tables="perceptual"``: the same, tables and levels chosen for
  SSIM instead of squared error (:func:`helpers.jpeg._search.perceptual_weights`):
  it should win on the SSIM columns and lose on the PSNR ones;
* ``ours, flat table``: no search, every step the same, set by the trellis'
  price ``lam`` (:func:`helpers.jpeg.rdo_lambda`): luma ``sqrt(lam / (ln 2 / 6))``,
  chroma the same with ``lam`` divided by the chroma's mean RGB weight
  (:func:`helpers.jpeg._search.flat_tables`), then the trellis at ``lam``,
  without ``tables="psnr"``'s clipping targets. ``tables="psnr"`` tries this
  table beside the searched one and keeps the cheaper in the real file; this
  column shows the flat table alone;
* jpegli (``pyjpegli.encode``, RGB in: a grey picture goes in as three equal
  channels and its decoded grey is compared);
* ``mozjpeg -tune-psnr``: mozjpeg 3.3.1 compiled to WebAssembly (npm's
  ``@jsquash/jpeg`` 1.6.0, from Squoosh), baseline (one sequential scan,
  8-bit tables, optimized Huffman tables), 4:2:0, flat quantization table
  (``quant_table: 1``), trellis as mozjpeg's defaults: the nearest its options
  come to ``cjpeg -quality Q -sample 2x2 -baseline -tune-psnr``. Not the same:
  -tune-psnr also sets the trellis's lambda scales (9 and 0) and turns off its
  lambda weight table, which the package does not expose (see MOZJPEG_TUNE_PSNR);
* ``mozjpeg -tune-psnr progressive``: the same in mozjpeg's progressive scans.

  A grey picture goes to mozjpeg as RGBA with three equal channels and
  ``color_space: 1``: a one-component grey file, as cjpeg makes from a grey
  PGM and Pillow from an "L" picture (libjpeg's RGB-to-grey conversion gives
  back the grey exactly). Every mozjpeg file is decoded by Pillow and checked:
  size, grey or 4:2:0, progressive or not.

mozjpeg's figures measured with its C build (5.0.0) on the same photographs
in the same way are in ``shared/reference/encoders.md`` (``-tune-psnr``:
-32.6 % camera, -27.7 % astronaut, -26.6 % chelsea, -31.1 % coffee, -29.3 %
astronaut grey; mozjpeg's defaults, where the lambdas are not in question:
-9.8 %, -3.3 %, -5.8 %, -12.7 %, -0.8 %, which this WebAssembly build gave
to the 0.1 % with ``quant_table: 3``, baseline, on 2026-12-02). Also the
time to encode each picture once at quality 75 (best of three; for mozjpeg
the encode call inside node, without node's start-up; for ``tables="psnr"``
after its first call on the picture, which also tries both kinds of table).
Nothing here asserts anything: the tests check correctness.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from bench_rdo import _percent, bd_or_nan, pictures, pillow, pillow_decode, seconds
from PIL import Image, JpegImagePlugin

from helpers import images, jpeg, metrics
from helpers.jpeg import _search
from helpers.jpeg._trellis import _weights

try:
    import pyjpegli
except ImportError:  # optional: `make benchmark` installs it
    pyjpegli = None

QUALITIES = tuple(range(30, 96, 5))
QUICK_QUALITIES = (30, 50, 70, 90)


def jpegli(image: np.ndarray, quality: int) -> bytes:
    rgb = np.repeat(image[..., None], 3, axis=2) if image.ndim == 2 else image
    return pyjpegli.encode(np.ascontiguousarray(rgb).tobytes(), rgb.shape[1], rgb.shape[0], quality)


# --- mozjpeg through node (npm's @jsquash/jpeg, a WebAssembly build of mozjpeg 3.3.1) ------

MOZJPEG_SCRIPT = Path(__file__).with_name("mozjpeg_encode.mjs")
MOZJPEG_PACKAGE = Path(__file__).with_name("node") / "node_modules" / "@jsquash" / "jpeg"
# `cjpeg -quality Q -sample 2x2 -baseline -tune-psnr` as far as @jsquash/jpeg's options reach:
# -tune-psnr is quant_table 1 (flat) plus lambda_log_scale1 = 9, lambda_log_scale2 = 0 and no
# lambda weight table in the trellis; those three are not options here, so the trellis keeps
# mozjpeg's default (PSNR-HVS tuned) weighting. The other options are cjpeg's defaults
# (optimized Huffman, trellis on AC and DC, one trellis loop), given explicitly.
MOZJPEG_TUNE_PSNR = {
    "quant_table": 1, "auto_subsample": False, "chroma_subsample": 2, "optimize_coding": True,
    "arithmetic": False, "smoothing": 0, "trellis_multipass": False, "trellis_opt_zero": False,
    "trellis_opt_table": False, "trellis_loops": 1, "separate_chroma_quality": False,
}
MOZJPEG = {
    # baseline: true forces 8-bit tables and one sequential scan, like cjpeg's -baseline
    "mozjpeg -tune-psnr": {**MOZJPEG_TUNE_PSNR, "baseline": True, "progressive": False},
    "mozjpeg -tune-psnr progressive": {**MOZJPEG_TUNE_PSNR, "baseline": False, "progressive": True},
}
MOZJPEG_TIMEOUT = 300  # seconds for one node run (all the files of one picture take ~2 s)


def _mozjpeg_options(name: str, image: np.ndarray, quality: int) -> dict:
    """@jsquash/jpeg's options for codec ``name``; a grey picture is written as a grey JPEG."""
    return {**MOZJPEG[name], "quality": quality, "color_space": 1 if image.ndim == 2 else 3}


def _check_mozjpeg_file(data: bytes, image: np.ndarray, options: dict) -> None:
    """Pillow decodes the file, and it is the picture's size, grey or 4:2:0, progressive or not."""
    with Image.open(io.BytesIO(data)) as file:
        file.load()
        grey, progressive = image.ndim == 2, bool(file.info.get("progressive"))
        wrong = [
            f"{what}: {found}, expected {expected}"
            for what, found, expected in [
                ("size", file.size, (image.shape[1], image.shape[0])),
                ("mode", file.mode, "L" if grey else "RGB"),
                ("progressive", progressive, options["progressive"] and not options["baseline"]),
                ("sampling", None if grey else JpegImagePlugin.get_sampling(file), None if grey else 2),
            ]
            if found != expected
        ]
    if wrong:
        raise RuntimeError(f"mozjpeg file with {options}: " + "; ".join(wrong))


def mozjpeg_batch(image: np.ndarray, jobs: list[tuple[str, int]]) -> list[tuple[bytes, float]]:
    """Encode ``image`` for each (codec name, quality) in ``jobs`` in one node run.

    Returns each file and the seconds its encode call took inside node (no
    start-up, no file I/O). The pixels go to node as raw RGBA (a grey picture
    as three equal channels); each file is checked with :func:`_check_mozjpeg_file`.
    """
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not on PATH")
    rgb = np.repeat(image[..., None], 3, axis=2) if image.ndim == 2 else image
    rgba = np.concatenate([rgb, np.full(rgb.shape[:2] + (1,), 255, np.uint8)], axis=2)
    with tempfile.TemporaryDirectory() as folder:
        pixels = Path(folder) / "picture.rgba"
        pixels.write_bytes(np.ascontiguousarray(rgba).tobytes())
        options = [_mozjpeg_options(name, image, quality) for name, quality in jobs]
        request = [
            {"input": str(pixels), "width": rgba.shape[1], "height": rgba.shape[0],
             "output": str(Path(folder) / f"{index}.jpg"), "options": option}
            for index, option in enumerate(options)
        ]  # fmt: skip
        run = subprocess.run(
            [node, str(MOZJPEG_SCRIPT)], input=json.dumps({"jobs": request}), capture_output=True,
            text=True, timeout=MOZJPEG_TIMEOUT,
        )  # fmt: skip
        if run.returncode != 0:
            raise RuntimeError(f"{MOZJPEG_SCRIPT.name} failed: {run.stderr.strip()}")
        results = json.loads(run.stdout)["results"]
        files = [(Path(job["output"]).read_bytes(), result["seconds"]) for job, result in zip(request, results)]
    for (data, _), option in zip(files, options):
        _check_mozjpeg_file(data, image, option)
    return files


def mozjpeg_missing() -> str | None:
    """Why mozjpeg cannot run here (node or the package missing, or a trial encode fails), or None."""
    if shutil.which("node") is None:
        return "node is not on PATH"
    if not (MOZJPEG_PACKAGE / "package.json").exists():
        return f"@jsquash/jpeg is not in {MOZJPEG_PACKAGE.parent.parent} (npm install --prefix benchmarks/node)"
    try:
        mozjpeg_batch(np.zeros((8, 8, 3), np.uint8), [(next(iter(MOZJPEG)), 75)])
    except (RuntimeError, OSError, ValueError, subprocess.TimeoutExpired) as error:
        return str(error)
    return None


_MOZJPEG_FILES: dict[tuple[str, str, int], bytes] = {}  # (picture's digest, codec, quality) -> file
MOZJPEG_SECONDS: dict[tuple[str, str], float] = {}  # (picture's digest, codec) -> best time at 75


def _digest(image: np.ndarray) -> str:
    return hashlib.sha1(image.tobytes() + repr(image.shape).encode()).hexdigest()


def mozjpeg_prepare(image: np.ndarray, qualities, rounds: int = 3) -> None:
    """Encode ``image`` with every mozjpeg codec at every quality (and ``rounds`` times at 75) in one node run."""
    jobs = [(name, q) for name in MOZJPEG for q in qualities] + [(name, 75) for name in MOZJPEG] * rounds
    digest = _digest(image)
    for (name, quality), (data, time) in zip(jobs, mozjpeg_batch(image, jobs)):
        _MOZJPEG_FILES[digest, name, quality] = data
        if quality == 75:
            MOZJPEG_SECONDS[digest, name] = min(time, MOZJPEG_SECONDS.get((digest, name), math.inf))


def mozjpeg(name: str, image: np.ndarray, quality: int) -> bytes:
    """mozjpeg codec ``name``'s file: prepared by :func:`mozjpeg_prepare`, else one node run."""
    key = (_digest(image), name, quality)
    if key not in _MOZJPEG_FILES:
        _MOZJPEG_FILES[key] = mozjpeg_batch(image, [(name, quality)])[0][0]
    return _MOZJPEG_FILES[key]


CODECS = {
    "libjpeg": lambda image, q: pillow(image, q),
    "ours, libjpeg's tables": lambda image, q: jpeg.encode(image, q, optimize=True, rdo=True),
    'ours, tables="psnr"': lambda image, q: jpeg.encode(image, q, optimize=True, rdo=True, tables="psnr"),
    'ours, tables="perceptual"': lambda image, q: jpeg.encode(image, q, optimize=True, rdo=True,
                                                             tables="perceptual"),
}
def flat_tables(image: np.ndarray, quality: int) -> tuple[np.ndarray, np.ndarray]:
    """The flat (luma, chroma) tables ``tables="psnr"`` tries, at the trellis' price for ``quality``."""
    return _search.flat_tables(jpeg.rdo_lambda(quality), _weights(3 if image.ndim == 3 else 1, "4:2:0"))


CODECS["ours, flat table"] = lambda image, q: jpeg.encode(image, q, optimize=True, rdo=True,
                                                          tables=flat_tables(image, q))
if pyjpegli is not None:
    CODECS["jpegli"] = jpegli


def ssim_db(image: np.ndarray, decoded: np.ndarray) -> float:
    return -10 * math.log10(max(1 - metrics.ssim(image, decoded), 1e-12))


MEASURES = ("PSNR", "SSIM", "SSIMULACRA 2")


def curves(image: np.ndarray, codec, qualities) -> tuple[np.ndarray, ...]:
    """(bytes, PSNR, SSIM in dB, SSIMULACRA 2) of ``codec`` at each quality."""
    points = []
    for quality in qualities:
        data = codec(image, quality)
        decoded = pillow_decode(data, image.ndim == 2)
        points.append((len(data), metrics.psnr(image, decoded), ssim_db(image, decoded),
                       metrics.ssimulacra2(image, decoded)))
    return tuple(np.array(column) for column in zip(*points))


def add_mozjpeg() -> bool:
    """Add the mozjpeg codecs to CODECS if node and @jsquash/jpeg run here; else say why on stderr."""
    missing = mozjpeg_missing()
    if missing is not None:
        print(f"mozjpeg columns n/a: {missing}", file=sys.stderr)
        return False
    CODECS.update({name: lambda image, q, name=name: mozjpeg(name, image, q) for name in MOZJPEG})
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="three pictures, four qualities")
    quick = parser.parse_args().quick
    qualities = QUICK_QUALITIES if quick else QUALITIES
    chosen = pictures(quick)
    if not quick:
        chosen["astronaut (grey)"] = images.to_grey(images.load("astronaut"))
    with_mozjpeg = add_mozjpeg()
    others = [name for name in CODECS if name != "libjpeg"]
    others += ([] if pyjpegli else ["jpegli"]) + ([] if with_mozjpeg else list(MOZJPEG))
    rows = {}
    for name, image in chosen.items():
        if with_mozjpeg:
            mozjpeg_prepare(image, qualities)  # one node run for all of this picture's files
        reference = curves(image, CODECS["libjpeg"], qualities)
        found = {codec: curves(image, CODECS[codec], qualities) for codec in others if codec in CODECS}
        rows[name] = [[_percent(bd_or_nan((reference[0], reference[axis]), (found[codec][0], found[codec][axis])))
                       if codec in found else "n/a" for codec in others] for axis in (1, 2, 3)]
        print(f"measured {name}", file=sys.stderr, flush=True)
    for axis, measure in enumerate(MEASURES):
        print(f"BD-rate at equal {measure} against libjpeg-turbo (standard Huffman, 4:2:0), "
              f"qualities {qualities[0]}..{qualities[-1]}\n")
        print("| picture | " + " | ".join(others) + " |")
        print("|---|" + "---:|" * len(others))
        for name, cells in rows.items():
            print(f"| {name} | " + " | ".join(cells[axis]) + " |")
        print()

    print("\n| encode once at quality 75 (s) | " + " | ".join(CODECS) + " |")
    print("|---|" + "---:|" * len(CODECS))
    for name, image in chosen.items():
        times = [
            MOZJPEG_SECONDS[_digest(image), codec] if codec in MOZJPEG
            else seconds(lambda codec=codec, image=image: CODECS[codec](image, 75))
            for codec in CODECS
        ]  # fmt: skip
        print(f"| {name} | " + " | ".join(f"{t:.3f}" for t in times) + " |")


if __name__ == "__main__":
    main()
