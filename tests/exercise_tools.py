"""What every chapter's exercise tests share: a stub as committed, a one-line check, a wrong answer."""

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
