"""`vmkit-server`: run the reference server."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import math
import os
import socket
import ssl
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import uvicorn

from . import __version__
from ._datadir import DataDirInUseError
from ._ratelimit import RateLimit, parse_rate
from ._serving import StreamClosingServer, protocol_options
from ._webhook_options import add_webhook_options, webhook_settings
from .app import ServerConfig, create_app

__all__ = ["default_data_dir", "exposure_warning", "main"]

log = logging.getLogger("vmkit_server")


def default_data_dir() -> Path:
    """`$VMKIT_DATA_DIR`, else `$XDG_DATA_HOME/vmkit`, else `~/.local/share/vmkit`."""
    if os.environ.get("VMKIT_DATA_DIR"):
        return Path(os.environ["VMKIT_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "vmkit"


def _option(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


# The default limit when the API is reachable from other machines: far above what the SDK and
# its waiters need, low enough that a runaway loop cannot keep the server from the others.
_REMOTE_RATE = 50.0


def _rate_limit(host: str, rate: str | None, burst: int | None) -> RateLimit | None:
    """The rate limit `--rate-limit`/`--rate-burst` ask for on `host` (None: none).

    Raises:
        ValueError: A rate or burst that does not parse or is not positive.
    """
    if rate is None:
        if _is_loopback(host):
            return None
        per_second = _REMOTE_RATE
    elif rate.strip().lower() in {"off", "none", "0"}:
        return None
    else:
        per_second = parse_rate(rate)
    if burst is not None and burst < 1:
        raise ValueError(f"--rate-burst must be at least 1, got {burst}")
    return RateLimit(per_second, burst if burst is not None else max(1, math.ceil(2 * per_second)))


def _backend_options(args: argparse.Namespace) -> dict[str, str]:
    """`--backend-opt` pairs, plus `url` and `token` from their own flags or the environment."""
    options = dict(args.backend_opt)
    if args.backend_url is not None:
        options["url"] = args.backend_url
    token = os.environ.get("VMKIT_BACKEND_TOKEN")
    if args.backend_token_file is not None:
        token = args.backend_token_file.read_text().strip()
        if not token:
            raise ValueError(f"--backend-token-file {args.backend_token_file} is empty")
    if token and "token" not in options:
        options["token"] = token
    return options


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="vmkit-server", description="The vmkit reference server: the vmkit API over a backend."
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1: this machine only; see --tls-cert)",
    )
    p.add_argument("--port", type=int, default=8470, help="port (default 8470; 0 picks a free one)")
    p.add_argument("--data-dir", type=Path, default=None, help="database, token file, VM state")
    p.add_argument(
        "--backend",
        default="simulated",
        help="hypervisor backend: simulated (default), qemu, tart, lume, taartenfabriek, "
        "nemeton, ciderstack, ttstack",
    )
    p.add_argument(
        "--backend-url",
        default=None,
        metavar="URL",
        help="where a peer backend's API answers (lume, taartenfabriek, nemeton, ciderstack, "
        "ttstack); the same as --backend-opt url=URL",
    )
    p.add_argument(
        "--backend-token-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="file holding a peer backend's API token (or set VMKIT_BACKEND_TOKEN); kept "
        "off the command line so it never shows in process listings",
    )
    p.add_argument(
        "--backend-opt",
        type=_option,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="backend option, repeatable (simulated: delay=, fail=, hang=, unavailable=)",
    )
    p.add_argument(
        "--database-url", default=None, help="SQLAlchemy URL (default SQLite in data dir)"
    )
    p.add_argument("--reconcile-interval", type=float, default=2.0, help="seconds between passes")
    p.add_argument(
        "--max-upload-mib",
        type=int,
        default=64,
        help="largest file upload accepted, in MiB (default 64)",
    )
    p.add_argument("--tls-cert", type=Path, default=None, help="PEM certificate chain: serve HTTPS")
    p.add_argument("--tls-key", type=Path, default=None, help="PEM private key of --tls-cert")
    p.add_argument(
        "--rate-limit",
        default=None,
        metavar="RATE",
        help="requests per token, e.g. 20/s or 600/m, or 'off' (default: off on a loopback "
        f"address, {_REMOTE_RATE:g}/s elsewhere); a wrong token counts against its address",
    )
    p.add_argument(
        "--rate-burst",
        type=int,
        default=None,
        metavar="N",
        help="requests a client may send at once (default: two seconds' worth, at least 1)",
    )
    add_webhook_options(p)
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.add_argument("--version", action="version", version=f"vmkit-server {__version__}")
    return p


class _Server(StreamClosingServer):
    """uvicorn, except that a graceful stop on SIGTERM/SIGINT ends with exit status 0.

    uvicorn re-raises the signal after shutting down, which makes the process end as
    "killed by SIGTERM" (143) although everything was closed cleanly.
    """

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        captured = getattr(self, "_captured_signals", None)
        if isinstance(captured, list) and sig in captured:
            captured.remove(sig)


def _listen(host: str, port: int) -> socket.socket:
    """Bind the listening socket ourselves, so a taken port is one clear line, not a trace."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be IPPROTO_TCP: asyncio only sets TCP_NODELAY on accepted sockets whose
    # proto says TCP, and without it every response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def exposure_warning(host: str, *, tls: bool) -> str | None:
    """The warning to log for a bind address, or None when it is safe enough.

    Args:
        host: The `--host` address.
        tls: Whether the server serves HTTPS.

    Returns:
        A warning when the server would be reachable from other machines over plain HTTP,
        where bearer tokens travel readable by anyone on the path.
    """
    if _is_loopback(host) or tls:
        return None
    return (
        f"binding {host}: the API is reachable from other machines without TLS, and bearer "
        "tokens cross the network in clear text; pass --tls-cert/--tls-key, or bind 127.0.0.1 "
        "behind a TLS proxy"
    )


async def _serve(
    server: uvicorn.Server,
    sock: socket.socket,
    config: ServerConfig,
    token_file: Path,
    scheme: str,
) -> None:
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            await task
            return
        await asyncio.sleep(0.02)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"vmkit-server {__version__} ready at {scheme}://{shown}:{port}", flush=True)
    print(f"  backend: {config.backend}   data dir: {config.data_dir}", flush=True)
    print(f"  admin token file: {token_file}", flush=True)
    await task


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server until SIGINT/SIGTERM; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.tls_cert is None) != (args.tls_key is None):
        parser.error("--tls-cert and --tls-key go together")
    if args.tls_cert is not None:
        try:  # uvicorn would fail later, with a traceback, after taking the data dir
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(
                args.tls_cert, args.tls_key
            )
        except (OSError, ssl.SSLError) as exc:
            print(f"vmkit-server: cannot use --tls-cert/--tls-key: {exc}", file=sys.stderr)
            return 2
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # SQLAlchemy's INFO and DEBUG lines echo every statement with its parameters (token
    # hashes, remembered answers): never worth having in the server's log.
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    tls = args.tls_cert is not None
    try:
        rate_limit = _rate_limit(args.host, args.rate_limit, args.rate_burst)
    except ValueError as exc:
        parser.error(str(exc))
    log.info("rate limit: %s", f"{rate_limit.describe()} per token" if rate_limit else "off")
    warning = exposure_warning(args.host, tls=tls)
    if warning:
        log.warning("%s", warning)
    try:
        webhooks = webhook_settings(args)
    except ValueError as exc:
        parser.error(str(exc))
    try:
        backend_options = _backend_options(args)
    except (ValueError, OSError) as exc:
        parser.error(str(exc))
    config = ServerConfig(
        data_dir=(args.data_dir or default_data_dir()).resolve(),
        backend=args.backend,
        backend_options=backend_options,
        database_url=args.database_url,
        reconcile_interval=args.reconcile_interval,
        max_upload_bytes=args.max_upload_mib << 20,
        webhooks=webhooks,
        rate_limit=rate_limit,
    )
    try:
        app = create_app(config)
    except (ValueError, OSError, DataDirInUseError) as exc:
        print(f"vmkit-server: {exc}", file=sys.stderr)
        return 2
    try:
        sock = _listen(args.host, args.port)
    except OSError as exc:
        print(f"vmkit-server: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    server = _Server(
        uvicorn.Config(
            app,
            lifespan="on",
            access_log=False,
            log_level=args.log_level,
            **protocol_options(),
            ssl_certfile=args.tls_cert,
            ssl_keyfile=args.tls_key,
        )
    )
    try:
        scheme = "https" if tls else "http"
        asyncio.run(_serve(server, sock, config, config.data_dir / "admin-token", scheme))
    except SystemExit:  # uvicorn exits this way when startup fails; it logged why
        return 1
    finally:
        sock.close()
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main())
