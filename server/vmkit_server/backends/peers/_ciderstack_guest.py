"""The CiderStack adapter's guest access (exec over SSH) and image catalog (OCI images, IPSWs).

`ExecCommand` logs in to the guest over SSH with a user and password, so exec is offered
only when the adapter is given `ssh_user` and `ssh_password`. CiderStack has no console,
file transfer or screenshot method: those answer 501.
"""

from __future__ import annotations

import math
import shlex
import time

from vmkit.peers.ciderstack.api.guest import exec_command
from vmkit.peers.ciderstack.api.images import list_remote_ipsws, list_remote_oci_images
from vmkit.peers.ciderstack.models import (
    ExecCommandRequest,
    ExecCommandResult,
    ListRemoteIpswsRequest,
    ListRemoteIpswsResult,
    ListRemoteOciImagesRequest,
    ListRemoteOciImagesResult,
)
from vmkit.peers.ciderstack.types import Unset

from ..base import BackendOperationFailedError, Capabilities, CapabilityNotSupportedError
from ..guest import (
    ExecRequest,
    ExecResult,
    ExecTimeoutError,
    GuestNotReadyError,
    GuestNotSupported,
    ImageInfo,
)
from ._ciderstack_rpc import NAME, CiderStackRPC, refusal
from ._common import HandleMap

__all__ = ["CiderStackGuest", "is_ipsw"]

#: Seconds an exec's HTTP call may outlast the command (the vendor SDK's margin).
_EXEC_MARGIN = 60.0


def is_ipsw(image: str) -> bool:
    """Whether `image` names an IPSW file on the node (a path, or `*.ipsw`), not an OCI image."""
    return image.startswith("/") or image.lower().endswith(".ipsw")


class CiderStackGuest(GuestNotSupported):
    """Exec and the image catalog, mixed into `CiderStackBackend` (which sets the attributes).

    Attributes:
        requires_known_image: False: any OCI reference can be pulled, so create takes any.
    """

    name: str
    capabilities: Capabilities
    rpc: CiderStackRPC
    handles: HandleMap
    ssh: tuple[str, str] | None
    default_image: str | None
    requires_known_image = False

    async def list_images(self) -> list[ImageInfo]:
        """The OCI images cached on the node, then its IPSW files; the default one flagged.

        The default is the `default_image` option, else the first cached OCI image, else the
        first IPSW: what `create` installs when no image is given.
        """
        oci = await self.rpc.call(
            "ListRemoteOCIImages",
            list_remote_oci_images,
            ListRemoteOciImagesRequest(),
            ListRemoteOciImagesResult,
        )
        ipsws = await self.rpc.call(
            "ListRemoteIPSWs", list_remote_ipsws, ListRemoteIpswsRequest(), ListRemoteIpswsResult
        )
        found: list[tuple[str, str, int | None]] = []
        for image in [] if isinstance(oci.images, Unset) else oci.images:
            size = image.size_bytes if isinstance(image.size_bytes, int) else None
            found.append((image.reference, "OCI image cached on the CiderStack node", size))
        for ipsw in [] if isinstance(ipsws.ipsws, Unset) else ipsws.ipsws:
            size = ipsw.size_bytes if isinstance(ipsw.size_bytes, int) else None
            version = ipsw.version if isinstance(ipsw.version, str) else "unknown"
            found.append((ipsw.path, f"macOS {version} IPSW on the CiderStack node", size))
        default = self.default_image or (found[0][0] if found else None)
        return [
            ImageInfo(
                name=name,
                description=description + " (the disk size is chosen at create)",
                os="macos",
                arch="arm64",
                disk_gib=0,
                size_bytes=size,
                default=name == default,
            )
            for name, description, size in found
        ]

    async def exec(self, vm_id: str, request: ExecRequest) -> ExecResult:
        """Run a command over SSH with `ExecCommand` (argv joined with shell quoting).

        Raises:
            CapabilityNotSupportedError: No SSH credentials were configured, or stdin given.
            BackendVMNotFoundError: Unknown VM.
            GuestNotReadyError: The VM is not running, or its SSH does not answer.
            ExecTimeoutError: The command outlived `request.timeout_seconds`.
            BackendOperationFailedError: SSH refused the credentials, or another refusal.
        """
        if self.ssh is None:
            raise CapabilityNotSupportedError("exec", self.name)
        if request.stdin:
            raise CapabilityNotSupportedError("exec with stdin", self.name)
        handle = self.handles.require(vm_id)
        seconds = max(1, math.ceil(request.timeout_seconds))
        started = time.monotonic()
        answer = await self.rpc.call(
            "ExecCommand",
            exec_command,
            ExecCommandRequest(
                vm_id=handle,
                command=_command_line(request),
                ssh_user=self.ssh[0],
                ssh_password=self.ssh[1],
                timeout=seconds,
            ),
            ExecCommandResult,
            timeout=seconds + _EXEC_MARGIN,
            allow_failure=True,
        )
        code = answer.exit_code if isinstance(answer.exit_code, int) else -1
        if answer.success is False and code < 0:
            raise self._exec_failure(vm_id, seconds, answer.error)
        took = answer.duration if isinstance(answer.duration, int | float) else None
        return ExecResult(
            exit_code=code,
            stdout=(answer.stdout if isinstance(answer.stdout, str) else "").encode(),
            stderr=(answer.stderr if isinstance(answer.stderr, str) else "").encode(),
            duration_seconds=float(took if took is not None else time.monotonic() - started),
        )

    def _exec_failure(self, vm_id: str, seconds: int, error: str | Unset) -> Exception:
        message = error if isinstance(error, str) and error else "the command did not run"
        lowered = message.lower()
        metadata = {"backend": NAME, "vm_id": vm_id, "peer_error": message}
        if "timed out" in lowered or "timeout" in lowered:
            return ExecTimeoutError(
                f"the command did not finish within {seconds}s (CiderStack: {message})",
                metadata={**metadata, "timeout_seconds": seconds},
            )
        if "authentication" in lowered:
            return BackendOperationFailedError(
                f"CiderStack could not log in to the guest over SSH: {message}; check the "
                "ssh_user and ssh_password options",
                metadata=metadata,
            )
        if "not running" in lowered or "connect" in lowered or "unreachable" in lowered:
            return GuestNotReadyError(
                f"the guest of VM {vm_id} cannot be reached over SSH: {message}",
                metadata=metadata,
            )
        return refusal("ExecCommand", message)


def _command_line(request: ExecRequest) -> str:
    """The shell line SSH runs: argv quoted, a string as given; `env` sets the variables."""
    if isinstance(request.command, str):
        line = request.command
        if request.env:
            line = "/bin/sh -c " + shlex.quote(line)
    else:
        line = shlex.join(request.command)
    if request.env:
        assignments = " ".join(shlex.quote(f"{k}={v}") for k, v in sorted(request.env.items()))
        line = f"env {assignments} {line}"
    return line
