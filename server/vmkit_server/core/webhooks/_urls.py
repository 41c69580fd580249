"""Where webhooks may be sent: http(s) only, and never to addresses the settings forbid.

A URL is checked when a webhook is created or changed, and again before every attempt,
against every address its host resolves to; the attempt then connects to the address that
was checked (not to a second lookup), so a name that changes its answer in between cannot
redirect a delivery to a refused address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass

import httpx

from ._settings import WebhookSettings

__all__ = [
    "Target",
    "UrlRefusedError",
    "UrlUnresolvedError",
    "address_refusal",
    "check_scheme",
    "resolve_target",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean...
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure's wire server
    )
)
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_RESOLVE_TIMEOUT = 5.0


class UrlRefusedError(Exception):
    """The URL may not be called: a scheme other than http(s), or a forbidden address.

    Args:
        reason: Why, in words.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UrlUnresolvedError(Exception):
    """The URL's host name did not resolve (now: it may later)."""


@dataclass(frozen=True)
class Target:
    """Where to send one attempt.

    Attributes:
        urls: The URL once per checked address, its host replaced by the address: try
            them in order until one connects (`localhost` may be `::1` and `127.0.0.1`).
        host: The `Host` header (the URL's own host and port).
        server_name: The name to send in TLS SNI and to check the certificate against
            (None for plain http or an address literal).
    """

    urls: tuple[httpx.URL, ...]
    host: str
    server_name: str | None


def _embedded_ipv4(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one stands for (mapped, NAT64, 6to4), else itself."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def address_refusal(ip: IPAddress, settings: WebhookSettings) -> str | None:
    """What the settings forbid about an address, or None if they allow it.

    Args:
        ip: The address.
        settings: The server's webhook settings.

    Returns:
        What the address is (`"link-local or a cloud metadata address (...)"`), or None.
    """
    real = _embedded_ipv4(ip)
    if real in _METADATA or real.is_link_local:
        if settings.allow_link_local:
            return None
        return "link-local or a cloud metadata address (see --webhook-allow-link-local)"
    if (
        real.is_unspecified
        or real.is_multicast
        or (real.is_reserved and not real.is_loopback)  # ::1 lies in the reserved ::/8
        or (isinstance(real, ipaddress.IPv4Address) and real in _THIS_NETWORK)
    ):
        return "not a unicast address"
    if real.is_loopback or real.is_private or real in _SHARED:
        if settings.allow_private:
            return None
        return "a loopback or private address (see --webhook-allow-private)"
    if not settings.allow_public:
        return "a public address (this server delivers only to loopback and private ones)"
    return None


def check_scheme(url: str) -> httpx.URL:
    """Parse a webhook URL and insist on http or https with a host.

    Args:
        url: The URL.

    Returns:
        The parsed URL.

    Raises:
        UrlRefusedError: Another scheme, no host, or not a URL.
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:  # IDNA errors are ValueErrors
        raise UrlRefusedError(f"not a valid URL: {exc}") from exc
    if parsed.scheme not in {"http", "https"}:
        raise UrlRefusedError(f"only http and https URLs are allowed, not {parsed.scheme!r}")
    if not url.isascii():
        # The API promises a `format: uri` back; an IDN host must be sent in its xn-- form.
        raise UrlRefusedError("the URL must be ASCII (write an international host as xn--...)")
    if not parsed.host:
        raise UrlRefusedError("the URL has no host")
    if _literal(parsed.host) is None and not _is_host_name(parsed.host):
        raise UrlRefusedError(f"{parsed.host!r} is not a valid host name")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise UrlRefusedError(f"{parsed.port} is not a valid port")
    return parsed


def _is_host_name(host: str) -> bool:
    """Dot-separated labels of letters (any script), digits, `-` and `_`; 253 at most."""
    labels = host.removesuffix(".").split(".")
    return len(host) <= 253 and all(
        0 < len(label) <= 63 and all(c.isalnum() or c in "-_" for c in label) for label in labels
    )


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def _addresses(host: str, port: int) -> list[IPAddress]:
    literal = _literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(_RESOLVE_TIMEOUT):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, TimeoutError, ValueError) as exc:  # ValueError: IDNA refused the name
        raise UrlUnresolvedError(f"cannot resolve {host}: {exc or 'timed out'}") from exc
    found: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in found:
            found.append(ip)
    if not found:
        raise UrlUnresolvedError(f"{host} has no address")
    return found


async def resolve_target(url: str, settings: WebhookSettings) -> Target:
    """Check a webhook URL and every address of its host; pick the address to call.

    Args:
        url: The webhook's URL.
        settings: The server's webhook settings.

    Returns:
        The target, pinned to the checked addresses.

    Raises:
        UrlRefusedError: The scheme, or one of the addresses, is not allowed.
        UrlUnresolvedError: The host name does not resolve.
    """
    parsed = check_scheme(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = await _addresses(parsed.host, port)
    literal = _literal(parsed.host) is not None
    for ip in addresses:
        reason = address_refusal(ip, settings)
        if reason is not None:
            shown = f"{ip} is" if literal else f"{parsed.host} resolves to {ip}, which is"
            raise UrlRefusedError(f"{shown} {reason}")
    return Target(
        urls=tuple(parsed.copy_with(host=str(ip)) for ip in addresses),
        host=parsed.netloc.decode("ascii"),
        server_name=None if literal or parsed.scheme == "http" else parsed.host,
    )
