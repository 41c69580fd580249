"""The fake `tart` command: every subcommand vmkit drives, with the real CLI's output and errors.

Errors go to standard error as the real Tart prints them: its own `RuntimeError`s plainly
(`the specified VM "x" does not exist`, exit 2 for a missing VM or a VM that is not running,
1 otherwise), everything else as `Error: ...` (exit 1), usage errors with the usage (exit 64).
JSON is pretty-printed the way Swift's `JSONEncoder` does it (`"key" : value`, `\\/`).

Faithful quirks kept on purpose: `create` and `clone` silently replace a VM of the same name;
`ip` answers from the DHCP lease of a VM that no longer runs; `suspend` of a VM that does not
run doubles its message; `set` saves CPU and memory before it fails to shrink a disk.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import _tart_guest as guest
import _tart_home as th
import _tart_oci as oci
import _tart_run as runner
from _tart_args import NOT_FAKED, SPECS, parse, usage
from _tart_home import GB, MIB, GenericError, TartError, UsageError

VERSION = "2.30.0"
_MANIFEST_UNKNOWN = (
    'UnexpectedHTTPStatusCode(when: "pulling manifest", code: 404, details: '
    '"{\\"errors\\":[{\\"code\\":\\"MANIFEST_UNKNOWN\\",\\"message\\":\\"manifest unknown\\"}]}")'
)


def _seconds(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _json(value: Any) -> str:
    if value == []:
        return "[\n\n]"
    return json.dumps(value, indent=2, separators=(",", " : ")).replace("/", "\\/")


def _format(opts: dict[str, Any]) -> str:
    fmt = str(opts.get("format", "text"))
    if fmt not in ("text", "json"):
        raise UsageError(f"The value '{fmt}' is invalid for '--format <format>'")
    return fmt


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    keys = [k for k in rows[0] if k != "Running"]
    cells = [keys, *([str(r[k]) for k in keys] for r in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(keys))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    )


def _human(size: int) -> str:
    return f"{size / GB:.1f} GB"


# -- making VMs -----------------------------------------------------------------------------


def create(opts: dict[str, Any]) -> int:
    """`tart create NAME --linux|--from-ipsw SOURCE [--disk-size GB]`."""
    ipsw = opts.get("from-ipsw")
    if not opts.get("linux") and ipsw is None:
        raise UsageError("Please specify either a --from-ipsw or --linux option!")
    fmt = opts.get("disk-format", "raw")
    if fmt != "raw":
        raise UsageError(f"Disk format '{fmt}' is not supported on this system.")
    tmp = th.temporary()
    try:
        if ipsw is not None:
            config, contents = _install_macos(str(ipsw))
        if opts.get("linux"):
            config, contents = th.new_config("linux", 4, 4096 * MIB), {}
        th.make_vm(tmp.base, config, int(opts.get("disk-size", 50)), contents)
        th.move_into_place(opts["name"], tmp)
    finally:
        shutil.rmtree(tmp.base, ignore_errors=True)
    return 0


def _install_macos(source: str) -> tuple[dict[str, Any], dict[str, Any]]:
    if source == "latest":
        print("Looking up the latest supported IPSW...", flush=True)
    elif not source.startswith(("http://", "https://")):
        path = Path(source).expanduser()
        if not path.is_file():
            raise GenericError(
                f"The file “{path.name}” couldn’t be opened because there is no such file."  # noqa: RUF001 (macOS wording)
            )
    print("Installing OS...", flush=True)
    for percent in (0, 50, 100):
        print(f"{percent}%", flush=True)
        time.sleep(_seconds("TART_FAKE_INSTALL_SECONDS", 0.05) / 3)
    contents = {"os": "darwin", "hostname": "admins-Virtual-Machine", "agent": False}
    return th.new_config("darwin", 4, 8192 * MIB), contents


def pull(opts: dict[str, Any]) -> int:
    """`tart pull REMOTE`: fetch an image of the fake registry into the OCI cache."""
    name = opts["remote-name"]
    if th.local(name).initialized:
        print(f'"{name}" is a local image, nothing to pull here!', flush=True)
        return 0
    remote = oci.RemoteName.parse(name)
    print(f"pulling {remote}...", flush=True)
    _pull(remote)
    return 0


def _pull(remote: oci.RemoteName) -> None:
    print("pulling manifest...", flush=True)
    image = oci.REGISTRY.get(remote.repository)
    digest = oci.digest_of(remote)
    if image is None or remote.digest not in (None, digest):
        raise GenericError(_MANIFEST_UNKNOWN)
    repo_dir = oci.oci_dir() / remote.host / remote.namespace
    target = th.VMDir(repo_dir / digest)
    if target.initialized:
        print(f"{remote.repository}@{digest} image is already cached and linked!", flush=True)
    else:
        print(f"pulling disk ({image.compressed_gb:.1f} GB compressed)...", flush=True)
        for percent in range(0, 101, 25):
            print(f"{percent}%", flush=True)
            time.sleep(_seconds("TART_FAKE_PULL_SECONDS", 0.05) / 5)
        print("pulling NVRAM...", flush=True)
        tmp = th.temporary()
        config = th.new_config(image.os, image.cpu, image.memory_mib * MIB)
        contents = {"os": image.os, "hostname": image.hostname, "agent": image.agent}
        th.make_vm(tmp.base, config, image.disk_gb, contents)
        repo_dir.mkdir(parents=True, exist_ok=True)
        os.replace(tmp.base, target.base)
    if remote.tag:
        link = repo_dir / remote.tag
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(digest)


def clone(opts: dict[str, Any]) -> int:
    """`tart clone SOURCE NEW`: a local VM from a local VM or an image (pulled if needed)."""
    source, new = opts["source-name"], opts["new-name"]
    if "/" in new:
        raise UsageError("<new-name> should be a local name")
    if oci.is_remote(source):
        remote = oci.RemoteName.parse(source)
        if not oci.cached(remote).initialized:
            _pull(remote)
        src = oci.cached(remote)
        src.validate(source)
    else:
        src = th.open_local(source)
    mac = src.load_config()["macAddress"]
    taken = any(v.load_config()["macAddress"] == mac for v in th.list_local())
    tmp = th.temporary()
    try:
        src.copy_to(tmp)
        if taken and src.state() != "suspended":
            config = tmp.load_config()
            config["macAddress"] = th.random_mac()
            tmp.saved_state.unlink(missing_ok=True)
            tmp.save_config(config)
        th.move_into_place(new, tmp)
    finally:
        shutil.rmtree(tmp.base, ignore_errors=True)
    return 0


# -- reading and changing VMs ---------------------------------------------------------------


def get(opts: dict[str, Any]) -> int:
    """`tart get NAME [--format json]`."""
    fmt = _format(opts)
    vm = th.open_local(opts["name"])
    config = vm.load_config()
    display = config.get("display", {})
    info = {
        "OS": config["os"],
        "CPU": config["cpuCount"],
        "Memory": config["memorySize"] // MIB,
        "Disk": vm.size_bytes() // GB,
        "DiskFormat": config.get("diskFormat", "raw"),
        "Size": f"{vm.allocated_bytes() / GB:.3f}",
        "Display": f"{display.get('width', 1024)}x{display.get('height', 768)}",
        "Running": vm.running(),
        "State": vm.state(),
    }
    print(_json(info) if fmt == "json" else _table([info]), flush=True)
    return 0


def list_vms(opts: dict[str, Any]) -> int:
    """`tart list [--source local|oci] [--format json] [-q]`."""
    source = opts.get("source")
    if source is not None and source not in ("local", "oci"):
        raise UsageError(f"'{source}' is not a valid <source>")
    fmt = _format(opts)
    found: list[tuple[str, str, th.VMDir]] = []
    if source in (None, "local"):
        found += [("local", vm.name, vm) for vm in th.list_local()]
    if source in (None, "oci"):
        found += [("OCI", name, vm) for name, vm in oci.list_oci()]
    if opts.get("quiet"):
        for _, name, _vm in found:
            print(name)
        return 0
    rows = [
        {
            "Source": kind,
            "Name": name,
            "Disk": vm.size_bytes() // GB,
            "Size": vm.allocated_bytes() // GB,
            "Accessed": vm.accessed(),
            "Running": vm.running(),
            "State": vm.state(),
        }
        for kind, name, vm in found
    ]
    print(_json(rows) if fmt == "json" else _table(rows), flush=True)
    return 0


def set_vm(opts: dict[str, Any]) -> int:
    """`tart set NAME [--cpu N] [--memory MiB] [--disk-size GB] [--random-mac] ...`."""
    vm = th.open_local(opts["name"])
    config = vm.load_config()
    darwin = config["os"] == "darwin"
    if "cpu" in opts:
        least = max(1, config["cpuCountMin"] if darwin else 1)
        if opts["cpu"] < least:
            raise GenericError(
                f"LessThanMinimalResourcesError: VM should have {least} CPU cores"
                f" at minimum (requested {opts['cpu']})"
            )
        config["cpuCount"] = opts["cpu"]
    if "memory" in opts:
        wanted = opts["memory"] * MIB
        least = max(th.MIN_MEMORY, config["memorySizeMin"] if darwin else 0)
        if wanted < least:
            raise GenericError(
                f"LessThanMinimalResourcesError: VM should have {least} bytes"
                f" of memory at minimum (requested {wanted})"
            )
        config["memorySize"] = wanted
    if "display" in opts:
        width, _, height = str(opts["display"]).rstrip("ptx").partition("x")
        config["display"] = {"width": int(width or 0), "height": int(height or 0)}
    if opts.get("random-mac"):
        config["macAddress"] = th.random_mac()
    vm.save_config(config)
    if "disk" in opts:
        raise GenericError("the fake tart does not replace disks (--disk)")
    if "disk-size" in opts:
        current, wanted = vm.disk.stat().st_size, opts["disk-size"] * GB
        if wanted < current:
            raise TartError(
                f"new disk size of {_human(wanted)} should be larger than the current "
                f"disk size of {_human(current)}"
            )
        os.truncate(vm.disk, wanted)
    return 0


def rename(opts: dict[str, Any]) -> int:
    """`tart rename NAME NEW`: moves the directory, even under a running VM, as Tart does."""
    name, new = opts["name"], opts["new-name"]
    if "/" in new:
        raise UsageError("<new-name> should be a local name")
    if not th.local(name).initialized:
        raise UsageError(f"failed to rename a non-existent local VM: {name}")
    if th.local(new).initialized:
        raise UsageError(
            f"failed to rename VM {name}, target VM {new} already exists, delete it first!"
        )
    os.replace(th.local(name).base, th.local(new).base)
    return 0


def delete(opts: dict[str, Any]) -> int:
    """`tart delete NAME...`: local VMs, or images of the OCI cache."""
    for name in opts["name"]:
        if oci.is_remote(name):
            path = oci.cached(oci.RemoteName.parse(name)).base
            if not (path.is_symlink() or path.exists()):
                raise th.does_not_exist(name)
            if path.is_symlink():
                path.unlink()
            else:
                shutil.rmtree(path)
            continue
        vm = th.local(name)
        if not vm.config.exists():
            raise th.does_not_exist(name)
        if vm.running():
            raise TartError(f'VM "{name}" is running')
        shutil.rmtree(vm.base)
    return 0


# -- reaching the guest ---------------------------------------------------------------------


def ip(opts: dict[str, Any]) -> int:
    """`tart ip NAME [--wait S] [--resolver dhcp|arp|agent]`."""
    name = opts["name"]
    resolver = opts.get("resolver", "dhcp")
    if resolver not in ("dhcp", "arp", "agent"):
        raise UsageError(f"The value '{resolver}' is invalid for '--resolver <resolver>'")
    vm = th.open_local(name)
    config = vm.load_config()
    deadline = time.monotonic() + int(opts.get("wait", 0))
    while True:
        address = _resolve(vm, config["macAddress"], resolver)
        if address:
            print(address, flush=True)
            return 0
        if time.monotonic() >= deadline:
            break
        time.sleep(0.05)  # the real one waits a second between tries
    message = "no IP address found"
    if not vm.running():
        message += ", is your VM running?"
    if resolver == "agent":
        message += " (also make sure that Guest agent for Tart is running inside of a VM)"
    elif config["os"] == "linux" and resolver == "arp":
        message += " (not all Linux distributions are compatible with the ARP resolver)"
    raise TartError(message)


def _resolve(vm: th.VMDir, mac: str, resolver: str) -> str | None:
    if resolver == "dhcp":
        return th.leases().get(mac)
    if not runner.guest_booted(vm):
        return None
    if resolver == "agent" and not guest.read_guest(vm.disk).get("agent"):
        return None
    return th.leases().get(mac)


def exec_command(opts: dict[str, Any]) -> int:
    """`tart exec [-i] NAME CMD...`: run a command through the Tart Guest Agent."""
    name = opts["name"]
    vm = th.open_local(name)
    if not vm.running():
        raise th.not_running(name)
    if not guest.read_guest(vm.disk).get("agent") or not runner.guest_booted(vm):
        raise TartError(
            "Failed to connect to the VM using its control socket: The operation couldn’t be "  # noqa: RUF001
            "completed. (GRPC.GRPCConnectionPoolError error 1.), is the Tart Guest Agent running?"
        )
    stdin = sys.stdin.buffer.read() if opts["interactive"] else b""
    with guest.editing(vm.disk) as contents:
        shell = guest.Shell(contents)
        out, err, code = shell.run(opts["command"], stdin, {})
    sys.stdout.buffer.write(out)
    sys.stdout.flush()
    sys.stderr.buffer.write(err)
    sys.stderr.flush()
    if shell.poweroff:
        runner.request_poweroff(vm)
    return code


COMMANDS = {
    "create": create, "clone": clone, "pull": pull, "run": runner.run, "set": set_vm,
    "get": get, "list": list_vms, "ip": ip, "exec": exec_command, "rename": rename,
    "stop": runner.stop, "suspend": runner.suspend, "delete": delete,
}  # fmt: skip
assert set(COMMANDS) == {*SPECS, "exec"}


def main(argv: list[str]) -> int:
    """Run `tart <argv>`; returns the exit code."""
    command = argv[0] if argv else None
    try:
        if argv in (["--version"], ["version"]):
            print(VERSION)
            return 0
        if command in NOT_FAKED:
            raise GenericError(f"the fake tart does not implement '{command}'")
        if command not in COMMANDS:
            raise UsageError(f"Unexpected argument '{command}'" if command else "Missing command")
        return COMMANDS[command](parse(command, argv[1:]))
    except UsageError as exc:
        print(f"Error: {exc.message}\n{usage(command)}", file=sys.stderr)
        return 64
    except GenericError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except TartError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
