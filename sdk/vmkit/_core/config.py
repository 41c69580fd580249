"""Where the client connects and with which token: arguments, environment, token file.

Precedence: explicit arguments, then ``VMKIT_URL`` / ``VMKIT_TOKEN``, then the local
server's admin token file. The token file is only used when the URL points at this
machine (loopback), so a local admin token is never sent to a remote server.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = [
    "DEFAULT_BASE_URL",
    "TOKEN_FILE_NAME",
    "ClientConfig",
    "default_token_file_candidates",
    "mask_token",
    "resolve_config",
]

DEFAULT_BASE_URL = "http://127.0.0.1:8470"
TOKEN_FILE_NAME = "admin-token"


@dataclass(frozen=True, repr=False)
class ClientConfig:
    """The resolved connection settings; its repr never shows the token.

    Attributes:
        base_url: The server's URL without a trailing slash.
        token: The bearer token, or None.
        token_source: Where the token came from: ``"argument"``, ``"env"``, the token
            file's path, or None.
    """

    base_url: str
    token: str | None
    token_source: str | None = None

    def __repr__(self) -> str:
        return (
            f"ClientConfig(base_url={self.base_url!r}, token={mask_token(self.token)!r}, "
            f"token_source={self.token_source!r})"
        )


def mask_token(token: str | None) -> str | None:
    """Hide a token but keep its kind: ``"vmk_abc123"`` becomes ``"vmk_…"``.

    Args:
        token: The secret, or None.

    Returns:
        The prefix up to and including the first underscore followed by ``…`` (just ``…``
        without a prefix), or None.
    """
    if token is None:
        return None
    prefix, sep, _ = token.partition("_")
    return f"{prefix}{sep}…" if sep and len(prefix) <= 8 else "…"


def default_token_file_candidates(env: Mapping[str, str], home: Path) -> list[Path]:
    """The token files a local server may have written, most specific first.

    Args:
        env: The environment (``VMKIT_DATA_DIR``, ``XDG_DATA_HOME``).
        home: The user's home directory.

    Returns:
        ``$VMKIT_DATA_DIR/admin-token`` (when set), then
        ``$XDG_DATA_HOME/vmkit/admin-token`` or ``~/.local/share/vmkit/admin-token``.
    """
    candidates = []
    if env.get("VMKIT_DATA_DIR"):
        candidates.append(Path(env["VMKIT_DATA_DIR"]) / TOKEN_FILE_NAME)
    xdg = env.get("XDG_DATA_HOME")
    data_home = Path(xdg) if xdg else home / ".local" / "share"
    candidates.append(data_home / "vmkit" / TOKEN_FILE_NAME)
    return candidates


def resolve_config(
    base_url: str | None,
    token: str | None,
    *,
    env: Mapping[str, str],
    token_file_candidates: Sequence[Path],
) -> ClientConfig:
    """Resolve the URL and token from arguments, environment and the token file.

    Args:
        base_url: The URL given to the client, or None.
        token: The token given to the client, or None.
        env: The environment to read ``VMKIT_URL`` and ``VMKIT_TOKEN`` from.
        token_file_candidates: Token files to try, in order (see
            :func:`default_token_file_candidates`); only read for a loopback URL.

    Returns:
        The resolved configuration (``token`` None when none was found).
    """
    url = (base_url or env.get("VMKIT_URL") or DEFAULT_BASE_URL).rstrip("/")
    if token:
        return ClientConfig(url, token, "argument")
    if env.get("VMKIT_TOKEN"):
        return ClientConfig(url, env["VMKIT_TOKEN"], "env")
    if _is_loopback(url):
        for path in token_file_candidates:
            found = _read_token(path)
            if found:
                return ClientConfig(url, found, str(path))
    return ClientConfig(url, None, None)


def _read_token(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def _is_loopback(url: str) -> bool:
    try:
        host = httpx.URL(url).host
    except httpx.InvalidURL:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
