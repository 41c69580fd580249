"""The ``vmkit`` command: a thin shell over :class:`vmkit.Client` that prints JSON.

Examples::

    vmkit vms list --state running --label team=qa
    vmkit vms create web-1 --cpus 2 --start --wait
    vmkit vms stop web-1 --wait
    vmkit ops wait op_01jd... --timeout 60
    vmkit hosts
    vmkit mcp              # the API as MCP tools on stdin/stdout, for AI agents
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from vmkit._mcp import _command as mcp_command

if TYPE_CHECKING:
    from vmkit import Client

__all__ = ["build_parser", "main"]

#: What a sub-command runs: it gets the client and the parsed arguments.
Command = Callable[["Client", argparse.Namespace], Any]


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the ``vmkit`` command.

    Args:
        argv: The arguments (default ``sys.argv[1:]``).
        out: Where the JSON goes (default standard output).

    Returns:
        The exit status: 0 on success, 1 when the server or the SDK reported an error,
        2 for bad usage.
    """
    from vmkit import Client
    from vmkit.errors import VmkitError

    args = build_parser().parse_args(argv)
    if args.group == "mcp":
        return mcp_command.run(args)
    stream = out if out is not None else sys.stdout
    try:
        with Client(args.url, args.token, timeout=args.request_timeout) as client:
            result = args.command(client, args)
    except VmkitError as exc:
        print(f"vmkit: {exc}", file=sys.stderr)
        return 1
    try:
        json.dump(_jsonable(result), stream, indent=2, sort_keys=True, default=str)
        stream.write("\n")
        stream.flush()
    except BrokenPipeError:  # `vmkit vms list | head`: the reader left, which is fine
        sys.stderr.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser.

    Returns:
        A parser whose namespaces carry ``command``, a function ``(client, args)``.
    """
    parser = argparse.ArgumentParser(prog="vmkit", description="Drive a vmkit server.")
    parser.add_argument("--url", help="the server's URL (default $VMKIT_URL or local)")
    parser.add_argument("--token", help="the bearer token (default $VMKIT_TOKEN or token file)")
    parser.add_argument(
        "--request-timeout", type=float, default=30.0, help="seconds per request (default 30)"
    )
    groups = parser.add_subparsers(dest="group", required=True)
    _add_vms(groups.add_parser("vms", help="VMs").add_subparsers(dest="action", required=True))
    _add_ops(
        groups.add_parser("ops", help="operations").add_subparsers(dest="action", required=True)
    )
    groups.add_parser("hosts", help="list hosts").set_defaults(command=_hosts)
    mcp_command.add_parser(groups)
    return parser


def _add_vms(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = actions.add_parser("list", help="list VMs")
    listing.add_argument("--state", action="append", help="only this state (repeatable)")
    listing.add_argument("--label", action="append", help="only key=value (repeatable)")
    listing.set_defaults(command=_vms_list)
    actions.add_parser("get", help="show a VM").add_argument("vm")
    actions.choices["get"].set_defaults(command=lambda c, a: c.vms.get(a.vm))
    create = actions.add_parser("create", help="create a VM")
    create.add_argument("name")
    create.add_argument("--image")
    create.add_argument("--cpus", type=int)
    create.add_argument("--memory-mib", type=int)
    create.add_argument("--disk-gib", type=int)
    create.add_argument(
        "--label", type=_label, action="append", default=[], help="key=value (repeatable)"
    )
    create.add_argument("--ttl-seconds", type=int)
    create.add_argument("--start", action="store_true", help="boot it once created")
    _add_wait(create)
    create.set_defaults(command=_vms_create)
    for name, command in (("start", _vms_start), ("stop", _vms_stop), ("delete", _vms_delete)):
        sub = actions.add_parser(name, help=f"{name} a VM")
        sub.add_argument("vm")
        _add_wait(sub)
        sub.set_defaults(command=command)
    actions.choices["stop"].add_argument("--timeout-seconds", type=float)
    actions.choices["delete"].add_argument("--force", action="store_true")


def _add_ops(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    get = actions.add_parser("get", help="show an operation")
    get.add_argument("operation")
    get.set_defaults(command=lambda c, a: c.operations.get(a.operation))
    wait = actions.add_parser("wait", help="wait for an operation to finish")
    wait.add_argument("operation")
    wait.add_argument("--timeout", type=float, help="seconds to wait at most")
    wait.set_defaults(command=lambda c, a: c.operations.wait(a.operation, timeout=a.timeout))


def _add_wait(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wait", action="store_true", help="wait for the operation")
    parser.add_argument("--wait-timeout", type=float, help="seconds --wait waits at most")


def _vms_list(client: Client, args: argparse.Namespace) -> Any:
    return list(client.vms.list(state=args.state, label=args.label))


def _vms_create(client: Client, args: argparse.Namespace) -> Any:
    labels = dict(args.label) or None
    return client.vms.create(
        args.name,
        image=args.image,
        cpus=args.cpus,
        memory_mib=args.memory_mib,
        disk_gib=args.disk_gib,
        labels=labels,
        ttl_seconds=args.ttl_seconds,
        start=args.start,
        wait=args.wait,
        wait_timeout=args.wait_timeout,
    )


def _vms_start(client: Client, args: argparse.Namespace) -> Any:
    return client.vms.start(args.vm, wait=args.wait, wait_timeout=args.wait_timeout)


def _vms_stop(client: Client, args: argparse.Namespace) -> Any:
    return client.vms.stop(
        args.vm,
        timeout_seconds=args.timeout_seconds,
        wait=args.wait,
        wait_timeout=args.wait_timeout,
    )


def _vms_delete(client: Client, args: argparse.Namespace) -> Any:
    return client.vms.delete(
        args.vm, force=args.force, wait=args.wait, wait_timeout=args.wait_timeout
    )


def _hosts(client: Client, args: argparse.Namespace) -> Any:
    return client.hosts.list()


def _label(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    return key, value


def _jsonable(value: Any) -> Any:
    """Handles and models become their JSON objects; lists are converted item by item."""
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if callable(to_dict) else value


if __name__ == "__main__":
    sys.exit(main())
