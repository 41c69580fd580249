"""Running commands in the guest through the agent's `guest-exec`, with a real timeout.

The agent can start a command and report how it ended, but cannot stop one. So every
command runs as the leader of a new session (`busybox setsid`), and when the timeout
passes the backend starts a second command, `kill -s KILL -<pid>`, which ends the whole
process group. As a backstop for a server that dies mid-command, the command also runs
under `busybox timeout`, which kills it a second after its timeout. The test guest has
busybox at `/bin/busybox`; other images need it there too.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import math
import time
from typing import Any

from ..guest import ExecRequest, ExecResult, ExecTimeoutError
from ._agent import AgentError, GuestAgent

__all__ = ["AGENT_TIMEOUT", "BASE_ENV", "MAX_OUTPUT", "guest_argv", "run_command"]

#: Output kept per stream; more is cut and flagged (`stdout_truncated`).
MAX_OUTPUT = 1 << 20
#: The environment every command starts with (the request's `env` adds to it): the agent
#: gives a command only the variables it is sent.
BASE_ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root"}
#: Seconds the agent may take to answer one request before the guest counts as not ready.
AGENT_TIMEOUT = 10.0
_BUSYBOX = "/bin/busybox"


def guest_argv(argv: list[str], timeout: float) -> list[str]:
    """`argv` in its own session, under a guest-side kill one second after `timeout`.

    Args:
        argv: The command.
        timeout: Its timeout in seconds.

    Returns:
        The argv the agent runs (`busybox setsid busybox timeout -s KILL N ...`).
    """
    backstop = str(math.ceil(timeout) + 1)
    return [_BUSYBOX, "setsid", _BUSYBOX, "timeout", "-s", "KILL", backstop, *argv]


def _decode(status: dict[str, Any], stream: str) -> tuple[bytes, bool]:
    data = base64.b64decode(status.get(f"{stream}-data", ""))
    cut = bool(status.get(f"{stream}-truncated")) or len(data) > MAX_OUTPUT
    return data[:MAX_OUTPUT], cut


def _exit_code(status: dict[str, Any]) -> int:
    """The exit status, or 128 + the signal number for a command a signal ended (as sh)."""
    code = status.get("exitcode")
    return int(code) if code is not None else 128 + int(status.get("signal", 0))


async def spawn(agent: GuestAgent, argv: list[str], env: dict[str, str], stdin: bytes) -> int:
    """Start `argv` in the guest with captured output; return its pid there.

    Raises:
        AgentError: The agent did not start it.
    """
    arguments = {
        "path": argv[0],
        "arg": argv[1:],
        "env": [f"{k}={v}" for k, v in env.items()],
        # always some input: a command must not read the agent's own stdin
        "input-data": base64.b64encode(stdin).decode(),
        "capture-output": True,
    }
    reply = await agent.call("guest-exec", arguments, timeout=AGENT_TIMEOUT)
    return int(reply["pid"])


async def _status(agent: GuestAgent, pid: int) -> dict[str, Any]:
    status = await agent.call("guest-exec-status", {"pid": pid}, timeout=AGENT_TIMEOUT)
    return dict(status or {})


async def run_command(agent: GuestAgent, request: ExecRequest) -> ExecResult:
    """Run `request` to its end in the guest.

    Args:
        agent: The guest's agent.
        request: The command, environment, input and timeout.

    Returns:
        How it ended; output beyond `MAX_OUTPUT` per stream is cut and flagged.

    Raises:
        ExecTimeoutError: It outlived `request.timeout_seconds`; it was killed (with every
            process of its session).
        AgentError: The agent failed or stopped answering.
    """
    env = {**BASE_ENV, **request.env}
    started = time.monotonic()
    pid = await spawn(agent, guest_argv(request.argv, request.timeout_seconds), env, request.stdin)
    deadline = started + request.timeout_seconds
    delay = 0.005
    while True:
        status = await _status(agent, pid)
        if status.get("exited"):
            stdout, stdout_cut = _decode(status, "out")
            stderr, stderr_cut = _decode(status, "err")
            return ExecResult(
                exit_code=_exit_code(status),
                stdout=stdout,
                stderr=stderr,
                stdout_truncated=stdout_cut,
                stderr_truncated=stderr_cut,
                duration_seconds=time.monotonic() - started,
            )
        if time.monotonic() >= deadline:
            await _kill(agent, pid)
            raise ExecTimeoutError(
                f"{request.argv[0]} did not finish within {request.timeout_seconds:g} s "
                "and was killed",
                metadata={"timeout_seconds": request.timeout_seconds, "argv": request.argv},
            )
        await asyncio.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 2, 0.1)


async def _kill(agent: GuestAgent, pid: int, timeout: float = 5.0) -> None:
    """Kill the session `pid` leads, then collect both exit records the agent keeps."""
    with contextlib.suppress(AgentError):
        killer = await spawn(agent, [_BUSYBOX, "kill", "-s", "KILL", f"-{pid}"], BASE_ENV, b"")
        deadline = time.monotonic() + timeout
        pending = {pid, killer}
        while True:
            for each in list(pending):
                if (await _status(agent, each)).get("exited"):
                    pending.discard(each)
            if not pending or time.monotonic() >= deadline:
                return
            await asyncio.sleep(0.01)
