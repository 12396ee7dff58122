"""helpers.lab: JupyterLab started with the course's one setting."""

import os

import pytest
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from helpers import lab


@pytest.fixture
def launched(monkeypatch):
    seen = []
    monkeypatch.setattr("jupyterlab.labapp.LabApp.launch_instance", lambda argv: seen.append(argv))
    return seen


def test_main_passes_the_arguments_and_the_setting(launched, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    lab.main(["notebooks/", "--port=9999"])
    assert launched == [["notebooks/", "--port=9999",
                         "--ServerApp.kernel_websocket_connection_class=helpers.lab.NoDelayConnection"]]


def test_main_allows_root_as_root(launched, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    lab.main(["notebooks/"])
    lab.main(["notebooks/", "--allow-root"])
    assert [argv.count("--allow-root") for argv in launched] == [1, 1]


def test_the_setting_names_a_kernel_connection_class():
    path = lab.SETTING.split("=", 1)[1]
    module, name = path.rsplit(".", 1)
    assert module == "helpers.lab"
    assert issubclass(getattr(lab, name), ZMQChannelsWebsocketConnection)
