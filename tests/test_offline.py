"""The suite runs offline: only loopback connections are allowed (see tests/offline)."""

import os
import socket
import subprocess
import sys

import pytest
import sitecustomize as offline


@pytest.mark.parametrize("host", ["127.0.0.1", "127.5.0.1", "::1", "localhost", b"localhost", "[::1]"])
def test_loopback_is_allowed(host):
    assert offline.is_local(host)


@pytest.mark.parametrize("host", ["192.0.2.1", "10.0.0.1", "2001:db8::1", "pypi.org", "example.com"])
def test_everything_else_is_refused(host):
    assert not offline.is_local(host)


def test_this_process_is_guarded():
    assert socket.socket.connect is offline.connect
    assert socket.getaddrinfo is offline.getaddrinfo


def test_name_lookups_are_refused_and_logged(tmp_path, monkeypatch):
    log = tmp_path / "attempts.log"
    monkeypatch.setenv("COURSE_OFFLINE_LOG", str(log))
    with pytest.raises(offline.NetworkAttempt, match="name lookup of 'example.com'"):
        socket.getaddrinfo("example.com", 80)
    assert "example.com" in log.read_text()


def test_loopback_connections_still_work():
    with socket.socket() as server, socket.socket() as client:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        client.connect(server.getsockname())


def test_processes_started_by_the_suite_are_guarded():
    code = "import socket, sitecustomize; print(socket.getaddrinfo is sitecustomize.getaddrinfo)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True)
    assert out.stdout.strip() == "True"
