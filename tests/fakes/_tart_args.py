"""The fake Tart's command line, parsed and refused the way swift-argument-parser does.

A usage error prints `Error: <why>`, the command's usage and a hint to `--help` on standard
error and exits 64; `--opt value` and `--opt=value` both work; `tart exec` passes everything
after the VM's name to the guest untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from _tart_home import UsageError


@dataclass(frozen=True)
class Spec:
    """One subcommand's arguments.

    Attributes:
        usage: What follows `tart` in its usage line.
        positionals: Argument names in order; a trailing `...` takes the rest (at least one).
        options: Long option → value type (`int`, `str`, or `list` for a repeatable string).
        flags: Long flags.
        short: Short name → long name.
    """

    usage: str
    positionals: tuple[str, ...] = ()
    options: Mapping[str, type] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    short: Mapping[str, str] = field(default_factory=dict)


_RUN_FLAGS = frozenset(
    {
        "no-graphics", "graphics", "serial", "no-audio", "no-clipboard", "recovery", "vnc",
        "vnc-experimental", "nested", "net-softnet", "net-host", "suspendable",
        "capture-system-keys", "no-trackpad", "no-pointer", "no-keyboard",
    }
)  # fmt: skip

SPECS: dict[str, Spec] = {
    "create": Spec(
        "create <name> [--from-ipsw <path>] [--linux] [--disk-size <disk-size>]",
        ("name",),
        {"from-ipsw": str, "disk-size": int, "disk-format": str},
        frozenset({"linux"}),
    ),
    "clone": Spec(
        "clone <source-name> <new-name> [--insecure] [--concurrency <concurrency>]",
        ("source-name", "new-name"),
        {"concurrency": int, "prune-limit": int},
        frozenset({"insecure", "deduplicate"}),
    ),
    "run": Spec(
        "run <name> [--no-graphics] [--suspendable] ...",
        ("name",),
        {
            "serial-path": str,
            "disk": list,
            "rosetta": str,
            "dir": list,
            "net-bridged": list,
            "net-softnet-allow": str,
            "net-softnet-block": str,
            "net-softnet-expose": str,
            "root-disk-opts": str,
        },
        _RUN_FLAGS,
    ),
    "set": Spec(
        "set <name> [--cpu <cpu>] [--memory <memory>] [--disk-size <disk-size>] ...",
        ("name",),
        {"cpu": int, "memory": int, "display": str, "disk": str, "disk-size": int},
        frozenset({"random-mac", "random-serial", "display-refit", "no-display-refit"}),
    ),
    "get": Spec("get <name> [--format <format>]", ("name",), {"format": str}),
    "list": Spec(
        "list [--source <source>] [--format <format>] [--quiet]",
        (),
        {"source": str, "format": str},
        frozenset({"quiet"}),
        {"q": "quiet"},
    ),
    "ip": Spec(
        "ip <name> [--wait <wait>] [--resolver <resolver>]",
        ("name",),
        {"wait": int, "resolver": str},
    ),
    "pull": Spec(
        "pull <remote-name> [--insecure] [--concurrency <concurrency>]",
        ("remote-name",),
        {"concurrency": int},
        frozenset({"insecure", "deduplicate"}),
    ),
    "rename": Spec("rename <name> <new-name>", ("name", "new-name")),
    "stop": Spec(
        "stop <name> [--timeout <timeout>]", ("name",), {"timeout": int}, short={"t": "timeout"}
    ),
    "suspend": Spec("suspend <name>", ("name",)),
    "delete": Spec("delete <name> ...", ("name...",)),
}
EXEC_USAGE = "exec [-i] [-t] <name> <command> ..."
#: Real subcommands the fake does not implement.
NOT_FAKED = ("login", "logout", "push", "import", "export", "prune", "fqn")


def parse(command: str, args: list[str]) -> dict[str, Any]:
    """The arguments of `tart <command> <args>`.

    Raises:
        UsageError: Unknown option, missing or extra argument, a value of the wrong type.
    """
    if command == "exec":
        return _parse_exec(args)
    spec = SPECS[command]
    parsed: dict[str, Any] = {}
    positionals: list[str] = []
    it = iter(args)
    for arg in it:
        if arg == "--":
            positionals.extend(it)
            break
        if arg.startswith("--") or (arg.startswith("-") and len(arg) > 1 and not arg[1].isdigit()):
            key, eq, value = arg.lstrip("-").partition("=")
            key = spec.short.get(key, key) if not arg.startswith("--") else key
            if key in spec.flags and not eq:
                parsed[key] = True
            elif key in spec.options:
                if not eq:
                    value = next(it, None)  # type: ignore[arg-type]
                    if value is None:
                        raise UsageError(f"Missing value for '--{key} <{key}>'")
                parsed[key] = _convert(spec.options[key], key, value, parsed.get(key))
            else:
                raise UsageError(f"Unknown option '{arg.partition('=')[0]}'")
        else:
            positionals.append(arg)
    _bind(spec, positionals, parsed)
    return parsed


def _convert(kind: type, key: str, value: str, previous: Any) -> Any:
    if kind is list:
        return [*(previous or []), value]
    if kind is int:
        if not value.isdigit():
            raise UsageError(f"The value '{value}' is invalid for '--{key} <{key}>'")
        return int(value)
    return value


def _bind(spec: Spec, positionals: list[str], parsed: dict[str, Any]) -> None:
    for i, name in enumerate(spec.positionals):
        if name.endswith("..."):
            if i >= len(positionals):
                raise UsageError(f"Missing expected argument '<{name[:-3]}> ...'")
            parsed[name[:-3]] = positionals[i:]
            return
        if i >= len(positionals):
            raise UsageError(f"Missing expected argument '<{name}>'")
        parsed[name] = positionals[i]
    if len(positionals) > len(spec.positionals):
        raise UsageError(f"Unexpected argument '{positionals[len(spec.positionals)]}'")


def _parse_exec(args: list[str]) -> dict[str, Any]:
    parsed: dict[str, Any] = {"interactive": False, "tty": False}
    rest = list(args)
    while rest and rest[0].startswith("-"):
        flag = rest.pop(0)
        for letter in flag[1:]:
            if letter == "i":
                parsed["interactive"] = True
            elif letter == "t":
                parsed["tty"] = True
            else:
                raise UsageError(f"Unknown option '{flag}'")
    if not rest:
        raise UsageError("Missing expected argument '<name>'")
    parsed["name"] = rest.pop(0)
    if not rest:
        raise UsageError("Missing expected argument '<command> ...'")
    parsed["command"] = rest
    return parsed


def usage(command: str | None) -> str:
    """The usage line and help hint swift-argument-parser prints after an error."""
    if command is None or (command not in SPECS and command != "exec"):
        return "Usage: tart <subcommand>\n  See 'tart --help' for more information."
    line = EXEC_USAGE if command == "exec" else SPECS[command].usage
    return f"Usage: tart {line}\n  See 'tart {command} --help' for more information."
