"""Entity tags in conditional requests (RFC 9110 section 13): `If-Match` and `If-None-Match`.

Both headers hold `*` or a comma-separated list of entity tags (`"abc"`, `W/"abc"`). A tag's
opaque part may itself contain commas, so the list is read tag by tag, not split on commas.
Items that are not entity tags are ignored: they can match nothing.
"""

from __future__ import annotations

import re

__all__ = ["ANY", "matches_strongly", "matches_weakly", "parse_etags"]

#: What `parse_etags` returns for `*`.
ANY = None

_TAG = re.compile(r'\s*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)')


def parse_etags(header: str) -> list[tuple[bool, str]] | None:
    """The entity tags of an `If-Match` / `If-None-Match` value.

    Args:
        header: The header's value (repeated header lines already joined with commas).

    Returns:
        None (`ANY`) for `*`, else `(weak, opaque)` pairs in order, quotes removed; malformed
        items are skipped.
    """
    if header.strip() == "*":
        return ANY
    found: list[tuple[bool, str]] = []
    at = 0
    while at < len(header):
        match = _TAG.match(header, at)
        if match is None:
            # Not an entity tag: skip to the next comma and try again from there.
            comma = header.find(",", at)
            if comma < 0:
                break
            at = comma + 1
            continue
        found.append((match.group(1) is not None, match.group(2)))
        at = match.end()
    return found


def _opaque(etag: str) -> str:
    return etag.removeprefix("W/").strip('"')


def matches_strongly(header: str, etag: str) -> bool:
    """`If-Match`: whether the header names `etag` by strong comparison (or is `*`).

    Args:
        header: The `If-Match` value.
        etag: The resource's current (strong, quoted) ETag.

    Returns:
        True for `*` or an identical strong tag; a weak tag never matches.
    """
    tags = parse_etags(header)
    if tags is ANY:
        return True
    current = _opaque(etag)
    return any(not weak and opaque == current for weak, opaque in tags)


def matches_weakly(header: str, etag: str) -> bool:
    """`If-None-Match`: whether the header names `etag` by weak comparison (or is `*`).

    Args:
        header: The `If-None-Match` value.
        etag: The resource's current ETag.

    Returns:
        True for `*` or a tag with the same opaque part, weak or strong.
    """
    tags = parse_etags(header)
    if tags is ANY:
        return True
    current = _opaque(etag)
    return any(opaque == current for _, opaque in tags)
