"""Bounds on a request's head: the URL (414) and the header block (431), as problems.

uvicorn's HTTP parser (h11) only bounds a request head that arrives in pieces: one that comes
in a single read is parsed whatever its size. These checks make the limits hold for every
request, and say so in problem+json rather than in a plain-text 400.
"""

from __future__ import annotations

from starlette.types import Scope

from . import problems
from .problems import ProblemError

__all__ = ["DEFAULT_MAX_HEADER_BYTES", "DEFAULT_MAX_URL_BYTES", "check_request_head"]

#: Largest header block accepted (names, values and 4 bytes per line for `: ` and CRLF).
DEFAULT_MAX_HEADER_BYTES = 16 << 10
#: Largest request target (path and query). The longest URL the spec allows is a 4096-char
#: guest path of 4-byte characters, percent-encoded: 48 KiB.
DEFAULT_MAX_URL_BYTES = 64 << 10


def check_request_head(scope: Scope, *, max_url_bytes: int, max_header_bytes: int) -> None:
    """Refuse a request whose URL or header block is larger than allowed.

    Args:
        scope: The ASGI HTTP scope.
        max_url_bytes: Largest path plus query string, in bytes as sent.
        max_header_bytes: Largest header block, in bytes as sent.

    Raises:
        ProblemError: 414 `URI_TOO_LONG` or 431 `REQUEST_HEADERS_TOO_LARGE`, with the limit in
            ``metadata.max_bytes``.
    """
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
    url_bytes = len(raw_path) + len(scope.get("query_string", b""))
    if url_bytes > max_url_bytes:
        raise ProblemError(
            414,
            problems.URI_TOO_LONG,
            f"the request URL is {url_bytes} bytes long; the most accepted is {max_url_bytes}",
            metadata={"max_bytes": max_url_bytes},
        )
    header_bytes = sum(len(name) + len(value) + 4 for name, value in scope["headers"])
    if header_bytes > max_header_bytes:
        raise ProblemError(
            431,
            problems.REQUEST_HEADERS_TOO_LARGE,
            f"the request headers take {header_bytes} bytes; the most accepted is "
            f"{max_header_bytes}",
            metadata={"max_bytes": max_header_bytes},
        )
