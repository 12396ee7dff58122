"""Start JupyterLab for the course: ``python -m helpers.lab notebooks/`` (what ``make lab`` runs).

It is ``jupyter lab`` with one setting changed, so that sliders answer
sooner: the kernel's messages to the browser leave at once.

The Jupyter server writes kernel messages to the browser's websocket with
Nagle's algorithm on (Tornado's default). A slider step sends a few small
messages in a row (busy, the new picture, idle); after the first one, the
rest wait for the browser's acknowledgement, which the browser delays by up
to 40 ms. ``benchmarks/bench_browser.py`` measured that wait on every step:
about 40 of the 60 ms a slider with no work at all takes. Setting
TCP_NODELAY on the socket turns the algorithm off.

Plain ``jupyter lab`` works as well; each slider step just waits longer.
"""

from __future__ import annotations

import os
import sys

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["NoDelayConnection", "main"]

SETTING = f"--ServerApp.kernel_websocket_connection_class={__name__}.NoDelayConnection"


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """The server's usual kernel websocket connection, with TCP_NODELAY set."""

    async def connect(self):
        self.websocket_handler.set_nodelay(True)
        self.log.info("helpers.lab: kernel websocket with TCP_NODELAY")
        return await super().connect()


def main(argv: list[str] | None = None) -> None:
    """Run JupyterLab with ``argv`` (default: the command line) and the setting above.

    As root (containers, Codespaces) JupyterLab refuses to start without
    ``--allow-root``; it is added then.
    """
    from jupyterlab.labapp import LabApp

    args = list(sys.argv[1:] if argv is None else argv) + [SETTING]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in args:
        args.append("--allow-root")
    LabApp.launch_instance(argv=args)


if __name__ == "__main__":
    main()
