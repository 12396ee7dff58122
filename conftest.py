"""Loaded by pytest before anything below the repository: the tests, the doctests in helpers/, the notebooks.

Figures are drawn off screen (matplotlib's Agg backend), so no test and no doctest needs a display, and each
test's and each doctest's figures are closed after it.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
