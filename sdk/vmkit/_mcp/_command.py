"""The ``vmkit mcp`` sub-command: its arguments, and running the stdio server.

This module does not import the optional ``mcp`` package, so ``vmkit --help`` works (and
stays fast) without it; running the command without it says how to install it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

__all__ = ["INSTALL_HINT", "SCOPES", "add_parser", "run"]

SCOPES = ("read", "write", "connect", "admin")
INSTALL_HINT = "vmkit: `vmkit mcp` needs the MCP package: pip install 'vmkit[mcp]'"


def add_parser(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``vmkit mcp`` to the command line.

    Args:
        groups: The sub-command group of the ``vmkit`` parser.
    """
    parser = groups.add_parser(
        "mcp",
        help="serve the API's operations as MCP tools over stdio (for AI agents)",
        description=(
            "Run a Model Context Protocol server on stdin/stdout whose tools are the "
            "operations of the vmkit server at --url, called with --token. Configure it as "
            "a stdio MCP server in a desktop agent (Claude Desktop, ...); see docs/mcp.md."
        ),
    )
    parser.add_argument(
        "--scopes",
        type=_scopes,
        help=(
            "offer only the tools these comma-separated scopes allow, e.g. 'read' for a "
            "look-but-don't-touch agent (default: all; the server refuses what the token "
            "may not do either way)"
        ),
    )
    parser.set_defaults(command=None)


def run(args: argparse.Namespace) -> int:
    """Serve MCP over stdio until stdin closes.

    Args:
        args: The parsed command line (``url``, ``token``, ``request_timeout``, ``scopes``).

    Returns:
        The exit status: 0 when the agent hung up, 1 when ``mcp`` is missing or the
        server's API document could not be read.
    """
    try:
        from vmkit._mcp._stdio import serve_stdio
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] != "mcp":
            raise
        print(INSTALL_HINT, file=sys.stderr)
        return 1
    from vmkit.errors import VmkitError

    try:
        asyncio.run(
            serve_stdio(args.url, args.token, timeout=args.request_timeout, scopes=args.scopes)
        )
    except VmkitError as exc:
        print(f"vmkit mcp: cannot read the server's API: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def _scopes(text: str) -> frozenset[str]:
    scopes = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(scopes - set(SCOPES))
    if unknown or not scopes:
        raise argparse.ArgumentTypeError(
            f"expected a comma-separated list of {', '.join(SCOPES)}; got {text!r}"
        )
    return scopes
