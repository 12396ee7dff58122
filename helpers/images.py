"""The course's photographs, read from the project's ``pictures/`` folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from ._bt601 import LUMA as _LUMA
from ._checks import boolean, picture

__all__ = ["NAMES", "PICTURES", "load", "to_grey"]


def _pictures() -> Path:
    """The copy ``pip install .`` puts in the package, else the repository's ``pictures/``."""
    package = Path(__file__).resolve().parent
    installed = package / "pictures"
    return installed if installed.is_dir() else package.parent / "pictures"


#: Folder with the photographs (and their provenance in README.md): the ``pictures/``
#: folder at the top of the repository, or, after ``pip install .``, its copy in the package.
PICTURES = _pictures()

#: The photographs ``load`` knows, with what each one is good for.
NAMES = {
    "astronaut": "portrait of astronaut Eileen Collins, 512 x 512 RGB",
    "camera": "the cameraman, 512 x 512 grey",
    "coffee": "coffee cup on wood, 600 x 400 RGB",
    "chelsea": "Chelsea the cat, 451 x 300 RGB (sides not multiples of 8)",
}

#: ITU-R BT.601 luma weights: the ones JPEG (JFIF) uses for its Y channel.
LUMA = np.array(_LUMA)


def to_grey(image: np.ndarray) -> np.ndarray:
    """Convert an RGB picture to grey with the BT.601 weights JPEG uses.

    ``Y = 0.299 R + 0.587 G + 0.114 B``, rounded to the nearest integer.

    Parameters
    ----------
    image : numpy.ndarray
        ``uint8`` picture, H x W x 3 (a grey H x W picture is returned as a copy).

    Returns
    -------
    numpy.ndarray
        ``uint8`` array of shape H x W.

    Examples
    --------
    >>> to_grey(np.array([[[255, 0, 0], [255, 255, 255]]], np.uint8)).tolist()
    [[76, 255]]
    """
    image = picture(image, "image", dtype="uint8")
    if image.ndim == 2:
        return image.copy()
    return np.rint(image @ LUMA).astype(np.uint8)


def load(name: str = "astronaut", *, grey: bool = False) -> np.ndarray:
    """Read one of the course's photographs.

    Parameters
    ----------
    name : str
        One of ``NAMES``: "astronaut", "camera", "coffee" or "chelsea".
    grey : bool
        Convert a colour photograph to grey (BT.601 luma, as JPEG does).
        "camera" is grey already.

    Returns
    -------
    numpy.ndarray
        ``uint8`` array, H x W (grey) or H x W x 3 (RGB).

    Examples
    --------
    >>> load("astronaut").shape, load("camera").shape
    ((512, 512, 3), (512, 512))
    >>> load("astronaut", grey=True).dtype
    dtype('uint8')
    """
    if not isinstance(name, str) or name not in NAMES:
        listed = ", ".join(repr(n) for n in NAMES)
        raise ValueError(f"name must be one of {listed}, got {name!r}")
    grey = boolean(grey, "grey")
    path = PICTURES / f"{name}.png"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: the photographs live in the project's pictures/ "
            "folder; install the project with `pip install .` or `pip install -e .` "
            "from its clone"
        )
    with Image.open(path) as file:
        mode = "L" if file.mode in ("L", "I", "I;16") else "RGB"
        pixels = np.asarray(file.convert(mode))
    return to_grey(pixels) if grey else pixels
