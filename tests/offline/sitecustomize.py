"""No network but loopback, in every Python process the test suite starts.

`tests/conftest.py` puts this folder on PYTHONPATH, so Python imports this
module at start-up in pytest itself and in everything it launches: nbval's
kernels, the notebook runner, JupyterLab and its kernels. Any attempt to
connect to an address that is not loopback, or to look up a host name other
than localhost, raises `NetworkAttempt` and is written to the file named by
`COURSE_OFFLINE_LOG`; the test session fails if that file is not empty, even
when some library caught the exception. The course promises to work offline:
this is how the suite keeps that promise honest.
"""

import ipaddress
import os
import socket

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


class NetworkAttempt(RuntimeError):
    """Raised instead of opening a connection outside this machine."""


def is_local(host) -> bool:
    """True for loopback addresses and the name localhost."""
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    host = str(host).split("%")[0].strip("[]")
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse(what: str) -> None:
    log = os.environ.get("COURSE_OFFLINE_LOG")
    if log:
        with open(log, "a") as file:
            file.write(f"pid {os.getpid()}: {what}\n")
    raise NetworkAttempt(f"the test suite is offline: refused {what}")


_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def _check(sock, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
        _refuse(f"connection to {address!r}")


def connect(self, address):
    _check(self, address)
    return _connect(self, address)


def connect_ex(self, address):
    _check(self, address)
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host is not None and not is_local(host):
        _refuse(f"name lookup of {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


if os.environ.get("COURSE_OFFLINE_LOG"):
    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo
