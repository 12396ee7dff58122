import os
import sys
import tempfile
from pathlib import Path

import pytest

# Offline: this process and every Python process it starts (kernels, JupyterLab)
# load tests/offline/sitecustomize.py, which refuses any network but loopback.
OFFLINE = Path(__file__).resolve().parent / "offline"
OFFLINE_LOG = Path(tempfile.mkdtemp(prefix="course-offline-")) / "attempts.log"
os.environ["COURSE_OFFLINE_LOG"] = str(OFFLINE_LOG)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(OFFLINE), os.environ.get("PYTHONPATH")]))
sys.path.insert(0, str(OFFLINE))
import sitecustomize as offline  # noqa: E402

if not getattr(offline, "NetworkAttempt", None):  # another sitecustomize came first
    del sys.modules["sitecustomize"]
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_offline", OFFLINE / "sitecustomize.py")
    offline = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(offline)


def pytest_sessionfinish(session, exitstatus):
    if OFFLINE_LOG.exists() and OFFLINE_LOG.read_text().strip():
        print(f"\nnetwork attempts during the tests (the course must work offline):\n{OFFLINE_LOG.read_text()}")
        session.exitstatus = 1


@pytest.fixture(scope="session")
def astronaut():
    from helpers import images

    return images.load("astronaut")


@pytest.fixture(scope="session")
def chelsea():
    from helpers import images

    return images.load("chelsea")  # 451 x 300: neither side a multiple of 8 or 16


@pytest.fixture(scope="session")
def camera():
    from helpers import images

    return images.load("camera")  # 512 x 512, grey
