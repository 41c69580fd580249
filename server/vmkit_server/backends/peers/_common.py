"""What every peer adapter shares: its options, the id-to-handle map, error translation, polling.

A vmkit VM has an immutable id (`vm_...`); a peer system knows the VM by its own handle (a
Lume or Tart name, a Nemeton id, a CiderStack VM id, ...). `HandleMap` keeps that pairing
on disk, so a restarted server finds its VMs again and a rename on the peer side only
changes the handle.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendTimeoutError,
    BackendUnavailableError,
    BackendVMNotFoundError,
    OperationContext,
)

__all__ = [
    "COMMON_OPTIONS",
    "HandleMap",
    "PeerOptions",
    "parse_peer_options",
    "peer_errors",
    "poll_until",
]

T = TypeVar("T")

#: Option keys every HTTP peer adapter understands.
COMMON_OPTIONS = ("poll_interval", "timeout", "token", "url")


@dataclass(frozen=True)
class PeerOptions:
    """The parsed options of a peer adapter.

    Attributes:
        url: The peer API's base URL (no trailing slash).
        token: Its API token, if it has auth.
        timeout: Seconds one HTTP call may take.
        poll_interval: Seconds between polls of a task or state the peer does not push.
        extra: The adapter-specific options, as given.
    """

    url: str
    token: str | None = None
    timeout: float = 30.0
    poll_interval: float = 0.5
    extra: Mapping[str, str] = field(default_factory=dict)
    backend: str = "peer"

    def seconds(self, key: str, default: float) -> float:
        """The adapter-specific option `key` as a number of seconds above 0.

        Raises:
            ValueError: It does not parse or is not above 0 (the message names it).
        """
        return _positive(self.backend, key, self.extra.get(key, f"{default:g}"))


def parse_peer_options(
    backend: str,
    options: Mapping[str, str],
    *,
    extra: tuple[str, ...] = (),
    default_url: str | None = None,
    token_required: bool = False,
) -> PeerOptions:
    """Read a peer adapter's `key=value` options.

    Args:
        backend: The backend's name, for messages.
        options: The options given.
        extra: Adapter-specific keys it also accepts (kept in `PeerOptions.extra`).
        default_url: The system's documented address, used when no `url` is given.
        token_required: Refuse to build without a token (the system always asks for one).

    Raises:
        ValueError: An unknown key, a missing `url` or `token`, or a number that does not
            parse; the message names the key.
    """
    known = set(COMMON_OPTIONS) | set(extra)
    unknown = sorted(set(options) - known)
    if unknown:
        raise ValueError(
            f"unknown {backend} backend option(s) {', '.join(unknown)}; "
            f"known options: {', '.join(sorted(known))}"
        )
    url = options.get("url") or default_url
    if not url:
        raise ValueError(f"the {backend} backend needs --backend-url (or --backend-opt url=...)")
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"{backend} url must start with http:// or https://, got {url!r}")
    token = options.get("token") or None
    if token_required and token is None:
        raise ValueError(
            f"the {backend} backend needs a token: --backend-token-file or VMKIT_BACKEND_TOKEN"
        )
    return PeerOptions(
        url=url.rstrip("/"),
        token=token,
        timeout=_positive(backend, "timeout", options.get("timeout", "30")),
        poll_interval=_positive(backend, "poll_interval", options.get("poll_interval", "0.5")),
        extra={k: v for k, v in options.items() if k in extra},
        backend=backend,
    )


def _positive(backend: str, key: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{backend} option {key} must be a number, got {raw!r}") from None
    if not value > 0:
        raise ValueError(f"{backend} option {key} must be above 0, got {raw!r}")
    return value


class HandleMap:
    """vmkit VM id → the peer's handle for it, kept in a JSON file (atomic replaces).

    Args:
        path: The file (created with its directory on the first write).
        backend: The backend's name, for messages.
    """

    def __init__(self, path: Path, *, backend: str) -> None:
        self.path = path
        self.backend = backend
        self._map: dict[str, str] = {}
        if path.exists():
            loaded = json.loads(path.read_text())
            self._map = {str(k): str(v) for k, v in loaded.items()}

    def get(self, vm_id: str) -> str | None:
        """The handle of `vm_id`, or None."""
        return self._map.get(vm_id)

    def require(self, vm_id: str) -> str:
        """The handle of `vm_id`.

        Raises:
            BackendVMNotFoundError: No VM of this backend has that id.
        """
        handle = self._map.get(vm_id)
        if handle is None:
            raise BackendVMNotFoundError(f"the {self.backend} backend has no VM {vm_id!r}")
        return handle

    def vm_id(self, handle: str) -> str | None:
        """The vmkit id mapped to `handle`, or None."""
        for vm_id, known in self._map.items():
            if known == handle:
                return vm_id
        return None

    def put(self, vm_id: str, handle: str) -> None:
        """Map `vm_id` to `handle` and save."""
        self._map[vm_id] = handle
        self._save()

    def adopt(self, vm_id: str, handle: str) -> None:
        """Map `vm_id` to `handle`, a VM made outside vmkit, and save (`Adopting.adopt`).

        Raises:
            BackendOperationFailedError: Another vmkit id maps to `handle` already.
        """
        owner = self.vm_id(handle)
        if owner is not None and owner != vm_id:
            raise BackendOperationFailedError(
                f"{self.backend} VM {handle!r} is already vmkit VM {owner}",
                metadata={"handle": handle, "vm_id": owner},
            )
        self.put(vm_id, handle)

    def pop(self, vm_id: str) -> str | None:
        """Forget `vm_id` (saving) and return its handle, if it had one."""
        handle = self._map.pop(vm_id, None)
        if handle is not None:
            self._save()
        return handle

    def items(self) -> list[tuple[str, str]]:
        """Every `(vm_id, handle)` pair."""
        return list(self._map.items())

    def handles(self) -> set[str]:
        """Every mapped handle."""
        return set(self._map.values())

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._map, indent=1, sort_keys=True))
        os.replace(tmp, self.path)


@contextlib.contextmanager
def peer_errors(backend: str) -> Iterator[None]:
    """Turn transport failures of a peer call into backend errors.

    A refused or reset connection becomes `BackendUnavailableError` (503); a timeout
    becomes `BackendTimeoutError` (504); any other `httpx.HTTPError` (and a body that is
    not what the peer's spec says) becomes `BackendOperationFailedError`. Backend errors
    raised inside pass through unchanged.
    """
    try:
        yield
    except BackendError:
        raise
    except httpx.TimeoutException as exc:
        raise BackendTimeoutError(f"{backend} did not answer in time: {exc}") from exc
    except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
        raise BackendUnavailableError(f"{backend} is unreachable: {exc}") from exc
    except httpx.HTTPError as exc:
        raise BackendOperationFailedError(f"{backend} call failed: {exc}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise BackendOperationFailedError(
            f"{backend} answered with something its API document does not describe: {exc!r}"
        ) from exc


async def poll_until(
    check: Callable[[], Awaitable[T | None]],
    *,
    interval: float,
    timeout: float,
    what: str,
    ctx: OperationContext | None = None,
) -> T:
    """Call `check` every `interval` seconds until it returns something other than None.

    Args:
        check: One poll; returns the result when done, None to poll again. It may raise.
        interval: Seconds between polls.
        timeout: Seconds before giving up.
        what: What is awaited, for the timeout message (`"Lume VM ci-1 to stop"`).
        ctx: Told each poll's elapsed fraction of `timeout` as progress, capped at 0.95.

    Raises:
        BackendTimeoutError: `timeout` passed first.
    """
    start = time.monotonic()
    while True:
        result = await check()
        if result is not None:
            return result
        elapsed = time.monotonic() - start
        if elapsed >= timeout:
            raise BackendTimeoutError(f"gave up waiting for {what} after {timeout:g} s")
        if ctx is not None:
            ctx.progress(min(0.95, elapsed / timeout))
        await asyncio.sleep(interval)
