"""vmkit-server's app with a simulated backend that keeps its VMs in memory only.

`bench/load.py --memory-backend` runs this instead of ``vmkit-server``, to tell the server's
own cost from the simulated backend's persistence (which rewrites its whole state file after
every change). Same app, same uvicorn settings as the CLI; prints the CLI's ready line.

Usage: ``python bench/_load_server.py DATA_DIR``
"""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import uvicorn

from vmkit_server._h11 import http_protocol
from vmkit_server.app import ServerConfig, create_app
from vmkit_server.backends.simulated import SimulatedBackend


async def _serve(data_dir: Path) -> None:
    app = create_app(ServerConfig(data_dir=data_dir), backend=SimulatedBackend(state_dir=None))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    config = uvicorn.Config(
        app,
        lifespan="on",
        access_log=False,
        log_level="warning",
        server_header=False,
        http=http_protocol(),
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            await task
            return
        await asyncio.sleep(0.02)
    print(f"vmkit-server (memory backend) ready at http://127.0.0.1:{sock.getsockname()[1]}")
    sys.stdout.flush()
    await task


if __name__ == "__main__":
    asyncio.run(_serve(Path(sys.argv[1])))
