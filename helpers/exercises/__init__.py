"""Exercises with feedback that does not give the answer away.

A chapter's exercise is a stub cell that the learner fills in, runnable as it is::

    levels_5_bits = ...          # or a function whose body is `...`

and, under it, a check cell::

    exercises.check("02.levels", levels_5_bits)

which prints one line: "not tried yet", "right", or what is wrong with a hint
("your table gives 37 levels, 32 expected: look at the step"). It never
prints the solution; that stays folded in the chapter's ``<details>``.

A teacher adds an exercise in a few lines: a function that gets the
learner's answer and returns ``None`` when it is right, or the message to
show when it is not::

    @exercise("02.levels")
    def _(answer):
        if not isinstance(answer, int):
            return f"a number of levels is a whole number, got {type(answer).__name__}"
        if answer != 2**5:
            return "count the levels again: each bit doubles them"

Each chapter's checks are in a file of their own beside this one
(``ch02.py``: the exercises of chapter 02), imported at the end of this
file. ``check`` takes care of the rest: an answer still ``...`` is "not tried yet",
and an error inside the learner's own code is reported in one line, not as a
traceback. :func:`compare` says how an array differs from the expected one
(shape, type, off by one, rounded) without showing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["check", "exercise", "compare", "call", "call_on_copies", "number", "floats", "close", "Feedback",
           "NotTried", "EXERCISES"]

#: Every exercise by name ("02.levels"): the function that checks an answer.
EXERCISES: dict[str, Callable[[object], str | None]] = {}

#: The worked example of Wikipedia's "JPEG" article: one 8 x 8 block of grey levels, which chapters 07 and 08
#: (and their checks) code by hand. Plain integers, as the chapters write it, so that ``block - 128`` goes negative.
WIKIPEDIA_BLOCK = np.array([
    [52, 55, 61, 66, 70, 61, 64, 73],
    [63, 59, 55, 90, 109, 85, 69, 72],
    [62, 59, 68, 113, 144, 104, 66, 73],
    [63, 58, 71, 122, 154, 106, 70, 69],
    [67, 61, 68, 104, 126, 88, 68, 70],
    [79, 65, 60, 70, 77, 68, 58, 75],
    [85, 71, 64, 59, 55, 61, 65, 83],
    [87, 79, 69, 68, 65, 76, 78, 94],
])  # fmt: skip
WIKIPEDIA_BLOCK.flags.writeable = False


class NotTried(Exception):
    """Raised by a check when the answer is still the stub (``...``, or a function that returns nothing)."""


@dataclass(frozen=True)
class Feedback:
    """What a check says: ``status`` is "not tried", "right" or "wrong"; ``message`` is the line shown."""

    name: str
    status: str
    message: str

    @property
    def right(self) -> bool:
        return self.status == "right"

    def __str__(self) -> str:
        mark = {"right": "right", "wrong": "not yet", "not tried": "not tried yet"}[self.status]
        return f"{self.name}: {mark}" + (f". {self.message}" if self.message else "")

    def _repr_pretty_(self, printer, cycle) -> None:  # what a notebook cell shows
        printer.text(str(self))

    __repr__ = __str__


def exercise(name: str) -> Callable[[Callable[[object], str | None]], Callable[[object], str | None]]:
    """Register the function that checks the answers of exercise ``name`` (e.g. ``"02.levels"``)."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty string such as '02.levels', got {name!r}")

    def register(checker: Callable[[object], str | None]) -> Callable[[object], str | None]:
        if not callable(checker):
            raise TypeError(f"exercise({name!r}) must decorate a function, got {type(checker).__name__}")
        EXERCISES[name] = checker
        return checker

    return register


def check(name: str, answer: object) -> Feedback:
    """Check the learner's ``answer`` to exercise ``name``; the result prints as one line.

    Examples
    --------
    Chapter 01 asks for ``raw_bytes(picture)``, the bytes of a picture's pixels:

    >>> from helpers.exercises import ch01
    >>> check("01.raw-bytes", ...)
    01.raw-bytes: not tried yet. replace the ... with your answer, then run this cell again
    >>> check("01.raw-bytes", lambda picture: picture.size * 8)
    01.raw-bytes: not yet. raw_bytes(a 512 x 512 x 3 picture): that is the number of bits; a byte is 8 bits
    >>> check("01.raw-bytes", lambda picture: picture.size).right
    True
    """
    if not isinstance(name, str) or name not in EXERCISES:
        known = ", ".join(sorted(EXERCISES)) or "none yet"
        raise ValueError(f"name must be the name of an exercise ({known}), got {name!r}")
    if answer is Ellipsis:
        return Feedback(name, "not tried", "replace the ... with your answer, then run this cell again")
    try:
        message = EXERCISES[name](answer)
    except NotTried as stub:
        return Feedback(name, "not tried", str(stub) or "fill in the stub above, then run this cell again")
    except _LearnerError as error:
        return Feedback(name, "wrong", str(error))
    if message is None:
        return Feedback(name, "right", "")
    return Feedback(name, "wrong", message)


class _LearnerError(Exception):
    """The learner's own function raised: reported in one line by :func:`check`."""


def call(function: object, *args: object, what: str = "your function") -> object:
    """Call the learner's ``function``; a stub is "not tried yet", an error becomes a one-line message."""
    if not callable(function):
        raise _LearnerError(f"{what} should be a function, got {type(function).__name__}")
    try:
        result = function(*args)
    except NotImplementedError:
        raise NotTried() from None
    except Exception as error:  # the learner's code: say what happened, not a traceback
        raise _LearnerError(f"{what} raised {type(error).__name__}: {error}") from None
    if result is None or result is Ellipsis:
        raise NotTried(f"{what} returns nothing yet: fill in its body and `return` the result")
    return result


def call_on_copies(function: object, *args: object, what: str = "your function", given: str = "arrays",
                   hint: str = "leave them as they are") -> object:
    """:func:`call` with copies of the array arguments; a function that changes one of them gets the message.

    A function that writes into its arguments would change the learner's own
    arrays in the chapter: it is told "your function changed the {given} it
    was given: {hint}" (``given`` names the array arguments, ``hint`` what to
    do instead), and the check's own arrays stay as they were.
    """
    copies = [arg.copy() if isinstance(arg, np.ndarray) else arg for arg in args]
    result = call(function, *copies, what=what)
    if any(isinstance(arg, np.ndarray) and not np.array_equal(arg, copy) for arg, copy in zip(args, copies)):
        raise _LearnerError(f"your function changed the {given} it was given: {hint}")
    return result


def number(value: object, what: str, *, function: bool = False, finite: bool | str = False) -> float | str:
    """The learner's value as a float, or the message saying why it is not one number.

    ``function``: ``what`` names a function, which "should give" a number
    (not "should be" one). ``finite``: NaN and infinities are refused too
    ("rd_cost gives nan: a finite number expected"), or with the hint given
    instead of "a finite number expected".
    """
    be, is_ = ("give", "gives") if function else ("be", "is")
    if isinstance(value, (tuple, list)):
        return f"{what} should {be} one number, got {type(value).__name__} of {len(value)}"
    if isinstance(value, (bool, np.bool_)) or np.ndim(value) != 0:
        shape = f" of shape {np.shape(value)}" if isinstance(value, np.ndarray) else ""
        return f"{what} should {be} one number, got {type(value).__name__}{shape}"
    if isinstance(value, np.ndarray):  # an array of one number, without axes
        value = value[()]
    if not isinstance(value, (int, float, np.number)):
        return f"{what} should {be} a number, got {type(value).__name__}"
    value = float(value)
    if finite and not np.isfinite(value):
        return f"{what} {is_} {value}: {'a finite number expected' if finite is True else finite}"
    return value


def floats(value: object, what: str) -> np.ndarray | str:
    """The learner's value as an array of floats, or the message "{what}, got {its type}" if it holds no numbers."""
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return f"{what}, got {type(value).__name__}"


def close(a: float, b: float) -> bool:
    """Two numbers equal but for rounding in the last digits."""
    return bool(np.isclose(a, b, rtol=1e-6, atol=1e-9))


def compare(answer: object, expected: np.ndarray, what: str = "your answer") -> str | None:
    """How ``answer`` differs from the ``expected`` array, in words that do not give it away; None if equal.

    Floats are compared to about 6 digits; an integer ``expected`` asks for
    whole numbers, exactly.
    """
    expected = np.asarray(expected)
    try:
        got = np.asarray(answer)
    except Exception:  # noqa: BLE001 - anything numpy cannot read is simply not an array
        return f"{what} should be an array of numbers, got {type(answer).__name__}"
    if got.dtype == object or not (np.issubdtype(got.dtype, np.number) or got.dtype == bool):
        return f"{what} should hold numbers, got {type(answer).__name__} of {got.dtype}"
    if got.shape != expected.shape:
        if got.shape == expected.shape[::-1] and got.ndim == 2:
            return f"{what} has shape {got.shape}, {expected.shape} expected: rows and columns are swapped"
        return f"{what} has shape {got.shape}, {expected.shape} expected"
    if not np.isfinite(got.astype(float)).all():
        return f"{what} contains NaN or infinite values"
    exact = np.issubdtype(expected.dtype, np.integer)
    if exact and np.array_equal(got, expected):
        return None
    if not exact and np.allclose(got, expected, rtol=1e-6, atol=1e-6):
        return None
    difference = got.astype(float) - expected.astype(float)
    wrong = ~np.isclose(got.astype(float), expected.astype(float), rtol=1e-6, atol=1e-6)
    share = f"{wrong.sum():,} of {wrong.size:,} values differ"
    if np.allclose(np.abs(difference[wrong]), 1):
        return f"{what}: {share}, each by exactly 1: an off-by-one (rounding, or where a range starts?)"
    if not exact and np.allclose(got, np.rint(expected)):
        return f"{what}: {share}: your values are rounded to whole numbers, the exact values are expected"
    if exact and np.issubdtype(got.dtype, np.floating) and np.allclose(np.rint(got), expected):
        return f"{what} is right but for its type: round it and make it whole numbers (np.rint(...).astype(int))"
    return f"{what}: {share} (largest difference {np.abs(difference).max():.3g})"


# The chapters' exercises register themselves (one file per chapter).
from . import ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09, ch11  # noqa: E402, F401
