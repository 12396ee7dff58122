"""helpers.lab: JupyterLab started with the course's one setting."""

import asyncio
import json
import os
import sys
import urllib.request
from urllib.parse import urlsplit

import pytest
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from tornado.websocket import websocket_connect

from helpers import lab
from labdriver import nodelay_of_connections, serve


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


def _nodelay_of_a_kernel_websocket(root, module):
    """Start JupyterLab with `module`, open one kernel's websocket, read TCP_NODELAY on the server's connections."""
    with serve(root, module) as server:
        request = urllib.request.Request(f"{server.url}/api/kernels?token={server.token}", data=b"{}", method="POST")
        kernel = json.load(urllib.request.urlopen(request, timeout=60))["id"]

        async def connected():
            url = f"ws://{urlsplit(server.url).netloc}/api/kernels/{kernel}/channels?token={server.token}"
            websocket = await websocket_connect(url)
            try:
                for _ in range(50):  # connect() runs once the server has the kernel's channels open
                    nodelay = nodelay_of_connections(server.pid, urlsplit(server.url).port)
                    if True in nodelay:
                        break
                    await asyncio.sleep(0.1)
                return nodelay
            finally:
                websocket.close()

        return asyncio.run(connected())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the server's sockets through /proc")
def test_the_kernel_websocket_has_tcp_nodelay_and_plain_jupyterlab_not(tmp_path):
    """The socket option itself, on a real kernel websocket: on with helpers.lab, off with plain `jupyter lab`."""
    try:
        ours = _nodelay_of_a_kernel_websocket(tmp_path / "ours", "helpers.lab")
    except OSError as error:
        pytest.skip(f"cannot read the server's sockets here: {error}")
    plain = _nodelay_of_a_kernel_websocket(tmp_path / "plain", "jupyterlab")
    assert True in ours, ours
    assert plain and True not in plain, plain
