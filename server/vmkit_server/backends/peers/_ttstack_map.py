"""What TTstack's answers mean to vmkit: capabilities per engine, states, names, options.

A TTstack "stop" differs by engine (its agent's `stop_vm`): `qemu` and `firecracker` freeze
the VM's vCPUs and keep its process (state `paused`, "start" resumes it); `docker` and `jail`
stop it and can start it again; `bhyve` kills it for good (its "start" always fails). So the
capabilities vmkit declares depend on the engine the backend is configured with.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vmkit.peers.ttstack.models import Env, Vm

from ..base import (
    BackendOperationFailedError,
    BackendVMNotFoundError,
    Capabilities,
    Observation,
    PowerState,
)

__all__ = [
    "ENGINE_CAPABILITIES",
    "MAX_LIFETIME",
    "OPTIONS",
    "STOP_REASON",
    "TTstackSettings",
    "observation",
    "only_vm",
    "parse_settings",
    "sanitize_name",
]

#: TTstack caps every environment's lifetime at 6 h (and uses that when none is given).
MAX_LIFETIME = 21600
_BASE = {"create": True, "delete": True}
ENGINE_CAPABILITIES: Mapping[str, Capabilities] = {
    "qemu": Capabilities(**_BASE, pause=True, resume=True),
    "firecracker": Capabilities(**_BASE, pause=True, resume=True),
    "docker": Capabilities(**_BASE, start=True, stop=True, force_stop=True, restart=True),
    "jail": Capabilities(**_BASE, start=True, stop=True, force_stop=True, restart=True),
    "bhyve": Capabilities(**_BASE, stop=True, force_stop=True),
}
"""What vmkit can honestly do with TTstack's environment start/stop/destroy, per engine."""
#: The state reason of a stop, per engine that stops: `docker stop -t 10` and `jail -r` ask the
#: guest to end and then kill it; bhyve's guest is destroyed half a second after a SIGTERM.
STOP_REASON = {"docker": "shutdown", "jail": "shutdown", "bhyve": "destroyed"}
#: Adapter options besides the common ones.
OPTIONS = (
    "action_timeout",
    "deny_outgoing",
    "engine",
    "lifetime",
    "owner",
    "ports",
    "ssh_keys_file",
)
_POWER = {
    "running": PowerState.RUNNING,
    "paused": PowerState.PAUSED,
    "stopped": PowerState.STOPPED,
    "failed": PowerState.ERROR,
}
_ADDRESSED = frozenset({"running", "paused"})
_NOT_NAME = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class TTstackSettings:
    """The adapter-specific options, parsed.

    Attributes:
        engine: The engine of every VM vmkit creates (and adopts).
        lifetime: Seconds each environment lives (at most `MAX_LIFETIME`).
        owner: The `owner` label of environments vmkit creates.
        ssh_keys: Public keys TTstack injects into every VM (cloud-init).
        ports: Guest ports to expose besides 22.
        deny_outgoing: Block the VMs' outbound traffic.
        action_timeout: Seconds a create, start, stop or destroy may take.
    """

    engine: str = "qemu"
    lifetime: int = MAX_LIFETIME
    owner: str = "vmkit"
    ssh_keys: tuple[str, ...] = ()
    ports: tuple[int, ...] = ()
    deny_outgoing: bool = False
    action_timeout: float = 600.0


def parse_settings(extra: Mapping[str, str]) -> TTstackSettings:
    """Read the adapter's own options (`PeerOptions.extra`).

    Raises:
        ValueError: A value that does not parse, naming the option.
    """
    engine = extra.get("engine", "qemu")
    if engine not in ENGINE_CAPABILITIES:
        raise ValueError(
            f"ttstack option engine must be one of {', '.join(ENGINE_CAPABILITIES)}, got {engine!r}"
        )
    lifetime = _int("lifetime", extra.get("lifetime", str(MAX_LIFETIME)))
    if not 1 <= lifetime <= MAX_LIFETIME:
        raise ValueError(
            f"ttstack option lifetime must be 1..{MAX_LIFETIME} seconds (TTstack caps "
            f"environments at 6 h), got {lifetime}"
        )
    ports = tuple(_int("ports", p) for p in extra.get("ports", "").split(",") if p.strip())
    if any(not 1 <= p <= 65535 for p in ports):
        raise ValueError(f"ttstack option ports must be ports 1..65535, got {extra['ports']!r}")
    deny = extra.get("deny_outgoing", "false").lower()
    if deny not in {"true", "false"}:
        raise ValueError(f"ttstack option deny_outgoing must be true or false, got {deny!r}")
    timeout = _int("action_timeout", extra.get("action_timeout", "600"))
    if timeout < 1:
        raise ValueError(f"ttstack option action_timeout must be above 0, got {timeout}")
    return TTstackSettings(
        engine=engine,
        lifetime=lifetime,
        owner=extra.get("owner", "vmkit"),
        ssh_keys=_ssh_keys(extra.get("ssh_keys_file")),
        ports=ports,
        deny_outgoing=deny == "true",
        action_timeout=float(timeout),
    )


def _int(key: str, raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValueError(f"ttstack option {key} must be a whole number, got {raw!r}") from None


def _ssh_keys(path: str | None) -> tuple[str, ...]:
    if not path:
        return ()
    try:
        text = Path(path).expanduser().read_text()
    except OSError as exc:
        raise ValueError(f"ttstack option ssh_keys_file: cannot read {path!r}: {exc}") from None
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def sanitize_name(env_id: str) -> str:
    """A valid vmkit name for an environment (lowercase, `[a-z0-9-]`, at most 63 characters)."""
    name = _NOT_NAME.sub("-", env_id.lower()).strip("-")[:63].rstrip("-")
    return name or "ttstack-env"


def observation(env: Env, vm: Vm, *, host_addr: str | None = None) -> Observation:
    """What vmkit sees of the one VM of an environment.

    TTstack keeps no reasons: the reason is `failed` or `creating` for those states, else None.

    Args:
        env: The environment.
        vm: Its VM.
        host_addr: The address of the host whose ports `port_map` names, if known.
    """
    power = _POWER.get(vm.state, PowerState.UNKNOWN)
    reason = vm.state if vm.state in {"failed", "creating"} else None
    extra: dict[str, Any] = {
        "ttstack_env": env.id,
        "ttstack_vm": vm.id,
        "ttstack_state": vm.state,
        "ttstack_env_state": env.state,
        "engine": str(vm.engine),
        "host_id": vm.host_id,
        "host_addr": host_addr,
        "ip": vm.ip,
        "port_map": dict(vm.port_map.additional_properties),
        "owner": env.owner,
        "expires_at": _when(env.expires_at),
    }
    return Observation(
        state=power,
        reason=reason,
        ip_addresses=(vm.ip,) if vm.state in _ADDRESSED and vm.ip else (),
        ready=False,
        extra=extra,
    )


def _when(unix: int) -> str | None:
    """An ISO 8601 UTC time, or None for TTstack's 0 (never, or still being created)."""
    return datetime.fromtimestamp(unix, UTC).isoformat() if unix > 0 else None


def only_vm(env: Env, vms: list[Vm]) -> Vm | None:
    """The environment's one VM; None while TTstack is still creating it.

    Raises:
        BackendOperationFailedError: It holds several (vmkit maps one VM per environment).
        BackendVMNotFoundError: It holds none and is not being created.
    """
    if len(vms) == 1:
        return vms[0]
    if len(vms) > 1:
        raise BackendOperationFailedError(
            f"TTstack environment {env.id!r} holds {len(vms)} VMs; vmkit maps one VM to each",
            metadata={"ttstack_env": env.id},
        )
    if env.expires_at == 0:
        return None  # the placeholder TTstack keeps while its agents create the VMs
    raise BackendVMNotFoundError(f"TTstack environment {env.id!r} holds no VM")
