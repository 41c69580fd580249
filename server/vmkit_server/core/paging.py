"""Opaque page tokens: the (created_at, id) position after which the next page starts."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from ..problems import ProblemError
from .clock import isoformat

__all__ = ["decode_page_token", "encode_page_token", "page_of"]


class _Positioned(Protocol):
    @property
    def created_at(self) -> datetime: ...

    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_Positioned)


def encode_page_token(created_at: datetime, item_id: str) -> str:
    """The token for the page after the item at (created_at, id)."""
    raw = json.dumps([isoformat(created_at), item_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_page_token(token: str | None) -> tuple[datetime, str] | None:
    """The position a token names.

    Raises:
        ProblemError: 422 `VALIDATION_FAILED` pointing at `page_token` if it is not ours.
    """
    if token is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        when, item_id = json.loads(raw)
        if not isinstance(when, str) or not isinstance(item_id, str):
            raise ValueError(token)
        return datetime.fromisoformat(when), item_id
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError, UnicodeDecodeError):
        raise ProblemError(
            422,
            "VALIDATION_FAILED",
            "page_token is not a token this server issued",
            errors=[
                {
                    "location": "query",
                    "pointer": "/page_token",
                    "detail": "not a valid page token",
                    "keyword": "format",
                }
            ],
        ) from None


def page_of(rows: Sequence[T], page_size: int) -> tuple[Sequence[T], str | None]:
    """Split the `page_size + 1` rows a store query returned into a page and the next token."""
    if len(rows) <= page_size:
        return rows, None
    page = rows[:page_size]
    last = page[-1]
    return page, encode_page_token(last.created_at, last.id)
