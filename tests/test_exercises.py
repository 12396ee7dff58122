import numpy as np
import pytest

from helpers import exercises


@pytest.fixture
def levels():
    """An exercise the way a teacher writes one: how many levels do 5 bits give?"""

    @exercises.exercise("test.levels")
    def _(answer):
        if not isinstance(answer, int):
            return f"a number of levels is a whole number, got {type(answer).__name__}"
        if answer != 32:
            return "count the levels again: each bit doubles them"

    yield "test.levels"
    del exercises.EXERCISES["test.levels"]


@pytest.fixture
def squares():
    """A coding exercise: a function that squares an array."""

    @exercises.exercise("test.squares")
    def _(function):
        values = np.arange(-3, 4)
        return exercises.compare(exercises.call(function, values), values**2, "squares(np.arange(-3, 4))")

    yield "test.squares"
    del exercises.EXERCISES["test.squares"]


def test_a_stub_is_not_tried_yet(levels, squares):
    assert exercises.check(levels, ...).status == "not tried"

    def stub(x):
        ...

    feedback = exercises.check(squares, stub)
    assert feedback.status == "not tried" and "returns nothing yet" in feedback.message
    assert str(feedback).startswith("test.squares: not tried yet")


def test_a_right_answer_is_right(levels, squares):
    assert exercises.check(levels, 32).right
    assert exercises.check(squares, lambda x: x * x).right
    assert str(exercises.check(levels, 32)) == "test.levels: right"


def test_a_wrong_answer_gets_a_hint_not_the_answer(levels):
    feedback = exercises.check(levels, 31)
    assert feedback.status == "wrong" and "doubles" in feedback.message and "32" not in str(feedback)
    assert "whole number, got float" in exercises.check(levels, 32.0).message


def test_an_error_in_the_learners_code_is_one_line_not_a_traceback(squares):
    def broken(x):
        return x ** undefined_name  # noqa: F821

    feedback = exercises.check(squares, broken)
    assert feedback.status == "wrong"
    assert feedback.message == "your function raised NameError: name 'undefined_name' is not defined"
    assert "should be a function, got int" in exercises.check(squares, 3).message


@pytest.mark.parametrize("answer, words", [
    (np.arange(-3, 4) ** 2 + 1, "each by exactly 1: an off-by-one"),
    (np.arange(-3, 4) ** 2 * 1.0000001 + 0.2, "right but for its type"),
    ((np.arange(-3, 4) ** 2)[:-1], "has shape (6,), (7,) expected"),
    (np.arange(-3, 4) * 2, "differ"),
    (["a"] * 7, "should hold numbers"),
])
def test_compare_says_how_an_array_differs(answer, words):
    message = exercises.compare(answer, np.arange(-3, 4) ** 2, "your squares")
    assert message is not None and words in message
    assert "[9 4 1 0 1 4 9]" not in message  # never the expected values themselves


def test_compare_floats_rounded_and_swapped_axes():
    exact = np.array([[0.4, 1.6, 2.5]])
    assert "rounded to whole numbers" in exercises.compare(np.rint(exact), exact)
    assert "rows and columns are swapped" in exercises.compare(exact.T, exact)
    assert "NaN" in exercises.compare(np.array([[np.nan, 1, 2]]), exact)
    assert exercises.compare(exact + 1e-9, exact) is None


def test_check_and_exercise_refuse_bad_names(levels):
    with pytest.raises(ValueError, match=r"name must be the name of an exercise \(.*test.levels.*\), got 'nope'"):
        exercises.check("nope", 1)
    with pytest.raises(TypeError, match="name must be a non-empty string"):
        exercises.exercise("")
    with pytest.raises(TypeError, match="must decorate a function, got int"):
        exercises.exercise("x")(3)


@pytest.fixture
def total():
    """A coding exercise whose function must leave its array alone: the sum of an array."""
    numbers = np.arange(4)

    @exercises.exercise("test.total")
    def _(function):
        got = exercises.call_on_copies(function, numbers, 1, what="total", given="numbers", hint="add them up")
        return None if got == 7 else "the numbers and the 1 add up to 7"

    yield "test.total", numbers
    del exercises.EXERCISES["test.total"]


def test_call_on_copies_protects_the_arrays_and_names_them(total):
    name, numbers = total
    assert exercises.check(name, lambda a, n: int(a.sum()) + n).right

    def in_place(a, n):
        a[0] += n  # right total, but the array it was given is changed
        return int(a.sum())

    feedback = exercises.check(name, in_place)
    assert feedback.status == "wrong"
    assert feedback.message == "your function changed the numbers it was given: add them up"
    assert numbers.tolist() == [0, 1, 2, 3]  # the check's own array is as it was
    assert exercises.check(name, lambda a, n: 1 / 0).message == "total raised ZeroDivisionError: division by zero"


@pytest.mark.parametrize("value, options, expected", [
    (np.float32(2.5), {}, 2.5),
    (np.array(3), {}, 3.0),  # an array without axes is one number
    ((1.0, 2.0), {}, "x should be one number, got tuple of 2"),
    (np.zeros(3), {"function": True}, "x should give one number, got ndarray of shape (3,)"),
    ("3.5", {}, "x should be a number, got str"),
    (True, {}, "x should be one number, got bool"),
    (float("inf"), {"finite": True}, "x is inf: a finite number expected"),
    (float("nan"), {"function": True, "finite": "use the chapter's blocks"}, "x gives nan: use the chapter's blocks"),
])
def test_number_says_why_a_value_is_not_one_number(value, options, expected):
    assert exercises.number(value, "x", **options) == expected


def test_number_lets_infinity_through_unless_asked():
    assert exercises.number(float("inf"), "x") == float("inf")


def test_floats_reads_numbers_or_says_what_it_got():
    assert exercises.floats([[1, 2]], "f should give levels").tolist() == [[1.0, 2.0]]
    assert exercises.floats("abc", "f should give levels") == "f should give levels, got str"
    assert exercises.floats([1, [2, 3]], "f should give levels") == "f should give levels, got list"
