"""Argument checks shared by the helpers.

Every public function in :mod:`helpers` validates its input with these, so a
learner who passes the wrong thing gets a ``TypeError`` or ``ValueError`` that
names the argument, says what was given and what is accepted, instead of a
silently wrong picture or an error from deep inside numpy.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np

__all__ = ["array", "picture", "integer", "number", "boolean", "choice", "ceil_div"]


def _describe(value: object) -> str:
    """A short description of ``value`` for an error message."""
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype} and shape {value.shape}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def array(
    value: object,
    name: str,
    *,
    ndim: int | Iterable[int] | None = None,
    dtype: str | None = None,
    square: bool = False,
) -> np.ndarray:
    """Check that ``value`` is a non-empty, finite, real numpy array.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name, used in the error message.
    ndim : int or iterable of int, optional
        Accepted numbers of dimensions.
    dtype : {"uint8", None}, optional
        ``"uint8"`` to accept only 8-bit pictures; ``None`` accepts any
        integer or floating-point dtype.
    square : bool
        Require a 2-D array with as many rows as columns.

    Returns
    -------
    numpy.ndarray
        ``value`` itself (not a copy).
    """
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {_describe(value)}")
    if dtype == "uint8":
        if value.dtype != np.uint8:
            raise TypeError(
                f"{name} must have dtype uint8 (8-bit values 0..255), got dtype "
                f"{value.dtype}; convert with np.clip(x, 0, 255).round().astype(np.uint8)"
            )
    elif value.dtype == np.bool_ or value.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must hold integer or floating-point numbers, got dtype {value.dtype}"
        )
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if value.ndim not in allowed:
            wanted = " or ".join(str(n) for n in allowed)
            raise ValueError(
                f"{name} must have {wanted} dimensions, got {value.ndim} (shape {value.shape})"
            )
    if value.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {value.shape}")
    if square and (value.ndim != 2 or value.shape[0] != value.shape[1]):
        raise ValueError(f"{name} must be a square 2-D block, got shape {value.shape}")
    if value.dtype.kind == "f" and not np.isfinite(value).all():
        raise ValueError(f"{name} must not contain NaN or infinity")
    return value


def picture(value: object, name: str = "image", *, dtype: str | None = None) -> np.ndarray:
    """Check a picture: H x W (grey) or H x W x 3 (RGB), non-empty and finite."""
    value = array(value, name, ndim=(2, 3), dtype=dtype)
    if value.ndim == 3 and value.shape[2] != 3:
        raise ValueError(
            f"{name} must be H x W (grey) or H x W x 3 (RGB), got shape {value.shape}"
        )
    return value


def integer(value: object, name: str, *, low: int | None = None, high: int | None = None) -> int:
    """Check that ``value`` is a whole number in ``low..high`` (inclusive)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            accepted = f">= {low}"
        elif low is None:
            accepted = f"<= {high}"
        else:
            accepted = f"{low}..{high}"
        raise ValueError(f"{name} must be {accepted}, got {value}")
    return value


def number(value: object, name: str, *, low: float | None = None) -> float:
    """Check that ``value`` is a finite real number, at least ``low``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if low is not None and value < low:
        raise ValueError(f"{name} must be >= {low}, got {value}")
    return value


def boolean(value: object, name: str) -> bool:
    """Check that ``value`` is ``True`` or ``False`` (numpy's ``bool_`` too)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_describe(value)}")
    return bool(value)


def choice(value: object, name: str, accepted: Iterable[str]) -> str:
    """Check that ``value`` is one of the strings in ``accepted``."""
    accepted = tuple(accepted)
    if not isinstance(value, str) or value not in accepted:
        listed = ", ".join(repr(a) for a in accepted)
        raise ValueError(f"{name} must be one of {listed}, got {_describe(value)}")
    return value


def ceil_div(a: int, b: int) -> int:
    """``a / b`` rounded up, in integers: how many groups of ``b`` hold ``a`` things (``b > 0``)."""
    return -(-a // b)
