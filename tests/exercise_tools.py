"""What every chapter's exercise tests share: a stub as committed, and a check that must answer in one line."""

from helpers import exercises


def stub(*args):
    """A function as the learner finds it: its body is `...`."""
    ...


def check(name, answer):
    """The feedback of exercise ``name`` on ``answer``; it always prints as one line naming the exercise."""
    feedback = exercises.check(name, answer)
    assert str(feedback).startswith(name)  # one line that names the exercise, whatever happened
    return feedback
