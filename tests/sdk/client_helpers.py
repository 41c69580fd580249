"""Shared by the client tests: answers shaped like the spec's examples, and a fake clock."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx
import yaml

SPEC_PATH = Path(__file__).resolve().parents[2] / "spec" / "vmkit.yaml"
EXAMPLES: dict[str, Any] = {
    name: example["value"]
    for name, example in yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))["components"][
        "examples"
    ].items()
}

BASE_URL = "http://vmkit.test"
TOKEN = "vmk_test_secret_token"


def example(key: str, /, **overrides: Any) -> dict[str, Any]:
    """A deep copy of the spec's example ``key`` with top-level fields replaced."""
    body: dict[str, Any] = copy.deepcopy(EXAMPLES[key])
    body.update(overrides)
    return body


def vm_body(**overrides: Any) -> dict[str, Any]:
    """A VM answer (the spec's ``VM`` example)."""
    return example("VM", **overrides)


def op_body(**overrides: Any) -> dict[str, Any]:
    """A pending operation (the spec's ``Operation`` example)."""
    return example("Operation", **overrides)


def done_body(**overrides: Any) -> dict[str, Any]:
    """A succeeded operation (the spec's ``OperationSucceeded`` example)."""
    return example("OperationSucceeded", **overrides)


def failed_body() -> dict[str, Any]:
    """A failed start whose error is a BACKEND_UNAVAILABLE problem."""
    problem = {
        "type": "urn:vmkit:problem:backend-unavailable",
        "title": "Service Unavailable",
        "status": 503,
        "code": "BACKEND_UNAVAILABLE",
        "detail": "qemu exited with status 1",
    }
    return op_body(state="failed", error=problem, finished_at="2026-11-23T21:03:22.000000Z")


def page(items: list[dict[str, Any]], next_page_token: str | None) -> dict[str, Any]:
    """A list answer."""
    return {"items": items, "next_page_token": next_page_token}


def json_response(status: int, body: Any) -> httpx.Response:
    """An answer with a JSON body (problem+json for error statuses)."""
    content_type = "application/problem+json" if status >= 400 else "application/json"
    return httpx.Response(status, json=body, headers={"Content-Type": content_type})


class FakeTime:
    """A clock that only moves when someone sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        """The monotonic clock to inject."""
        return self.now

    def sleep(self, seconds: float) -> None:
        """The sync sleep to inject."""
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        """The async sleep to inject."""
        self.sleep(seconds)
