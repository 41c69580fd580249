"""Identifiers: a type prefix and 26 lowercase base32 characters, sortable by creation time."""

from __future__ import annotations

import os
import time

__all__ = ["new_id"]

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lowercase


def new_id(prefix: str) -> str:
    """A new id such as `vm_01jd2q3r4s5t6v7w8x9y0zabcd` (48-bit ms time + 80 random bits).

    Args:
        prefix: The type prefix without the underscore (`vm`, `op`, `snap`, `tok`).

    Returns:
        The id; ids made later sort after earlier ones (to the millisecond).
    """
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return f"{prefix}_{''.join(reversed(chars))}"
