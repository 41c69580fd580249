"""An open event stream does not keep `vmkit-server` from exiting on SIGTERM."""

from __future__ import annotations

from pathlib import Path

import httpx
from proc_helpers import ServerProcess


def test_sigterm_ends_open_streams_and_exits_0(tmp_path: Path) -> None:
    """An SSE subscriber is disconnected; the process exits with status 0, promptly."""
    data = tmp_path / "data"
    server = ServerProcess.start(data)
    token = (data / "admin-token").read_text().strip()
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    with (
        httpx.Client(base_url=server.url, timeout=10) as http,
        http.stream("GET", "/v1/events", headers=headers) as response,
    ):
        lines = response.iter_lines()
        assert "retry: 1000" == next(lines)
        assert 0 == server.terminate(timeout=15)  # raises if the stream held it up
        assert [] == [line for line in lines if line.startswith("id:")]  # the stream ended
    assert any("Application shutdown complete" in line for line in server.lines)
