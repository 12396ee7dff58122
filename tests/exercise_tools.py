"""What every chapter's exercise tests share: a stub as committed, a one-line check, a wrong answer, an error."""

from helpers import exercises


def stub(*args):
    """A function as the learner finds it: its body is `...`."""
    ...


def check(name, answer):
    """The feedback of exercise ``name`` on ``answer``; it always prints as one line naming the exercise."""
    feedback = exercises.check(name, answer)
    assert str(feedback).startswith(name)  # one line that names the exercise, whatever happened
    return feedback


def wrong(name, answer, *words):
    """The hint for a wrong ``answer``: its status is "wrong" and it names each of ``words``."""
    feedback = check(name, answer)
    assert feedback.status == "wrong", feedback
    for word in words:
        assert word in feedback.message, feedback.message
    return feedback.message


def raises(*args):
    """A function as a slip leaves it: it raises (an index out of range)."""
    raise IndexError("index 8 is out of bounds for axis 0 with size 8")


def not_tried_and_one_line(name, function=True):
    """Exercise ``name`` as the chapter commits it is "not tried yet"; what goes wrong in a function is one line.

    The stub ``...`` is not tried; for an exercise that asks for a function (``function``), so is a function
    whose body is ``...``, and one that raises, or something that is no function, gets a one-line "wrong"
    that says what happened instead of a traceback.
    """
    assert check(name, ...).status == "not tried"
    if not function:
        return
    feedback = check(name, stub)
    assert feedback.status == "not tried" and "returns nothing yet" in feedback.message, feedback
    message = wrong(name, raises, "raised IndexError: index 8 is out of bounds")
    assert "\n" not in message and "Traceback" not in message, message
    wrong(name, 3, "should be a function, got int")


def in_place(solution):
    """``solution``, but then it overwrites its first argument with zeros: a function that changes what it is given."""

    def changing(given, *args):
        result = solution(given, *args)
        given[...] = 0
        return result

    return changing
