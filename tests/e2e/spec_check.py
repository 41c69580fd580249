"""Checks every HTTP response the tests see against spec/vmkit.yaml (status and body schema)."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

from vmkit_server.spec import load_spec

__all__ = ["SpecChecker"]


class SpecChecker:
    """Matches a response to its spec operation and validates it; collects what it saw."""

    def __init__(self) -> None:
        self.spec = load_spec()
        resource = referencing.Resource.from_contents(self.spec, default_specification=DRAFT202012)
        self.registry = referencing.Registry().with_resource("urn:vmkit-spec", resource)
        self.routes: list[tuple[re.Pattern[str], str, dict[str, Any]]] = []
        for template, item in self.spec["paths"].items():
            pattern = re.sub(
                r"\{[^}]+\}", "[^/:]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")
            )
            for method, op in item.items():
                if method in {"get", "post", "patch", "put", "delete"}:
                    self.routes.append((re.compile(f"^{pattern}$"), method.upper(), op))
        self.seen: set[str] = set()
        self.failures: list[str] = []
        self._validators: dict[str, Any] = {}

    def operation_for(self, method: str, path: str) -> dict[str, Any] | None:
        """The spec operation a request went to."""
        for pattern, m, op in self.routes:
            if m == method and pattern.match(path):
                return op
        return None

    def check(self, response: httpx.Response) -> None:
        """Validate one response; failures are collected (an event hook must not raise)."""
        request = response.request
        op = self.operation_for(request.method, request.url.path)
        where = f"{request.method} {request.url.path} -> {response.status_code}"
        if op is None:
            self.failures.append(f"{where}: no such operation in the spec")
            return
        self.seen.add(op["operationId"])
        responses = op["responses"]
        spec_response = responses.get(str(response.status_code)) or responses.get("default")
        if response.status_code < 400 and str(response.status_code) not in responses:
            spec_response = None  # `default` describes errors, never an undeclared success
        if spec_response is None:
            self.failures.append(f"{where}: status not in the spec")
            return
        media_type = response.headers.get("content-type", "").split(";")[0]
        if response.status_code >= 400 and media_type != "application/problem+json":
            self.failures.append(f"{where}: error without application/problem+json")
        status_key = (
            str(response.status_code) if str(response.status_code) in responses else "default"
        )
        template = _escape(template_of(op, self))
        pointer = f"/paths/{template}/{request.method.lower()}/responses/{status_key}"
        node, pointer = self._deref(spec_response, pointer)
        content = node.get("content")
        if not content:
            return
        sent_type = response.headers.get("content-type", "").split(";")[0].strip()
        if sent_type not in content:
            self.failures.append(f"{where}: Content-Type {sent_type!r} is not in {list(content)}")
            return
        media_type, media = sent_type, content[sent_type]
        if "json" not in media_type:
            return  # bytes (a file, a PNG): the media type is all the spec says
        if "schema" not in media:
            return
        pointer = f"{pointer}/content/{_escape(media_type)}/schema"
        response.read()
        try:
            body = json.loads(response.content)
        except ValueError:
            self.failures.append(f"{where}: body is not JSON")
            return
        validator = self._validators.get(pointer)
        if validator is None:
            validator = jsonschema.Draft202012Validator(
                {"$ref": f"urn:vmkit-spec#{pointer}"},
                registry=self.registry,
                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
            )
            self._validators[pointer] = validator
        for error in validator.iter_errors(body):
            self.failures.append(f"{where}: {error.json_path}: {error.message}")

    async def acheck(self, response: httpx.Response) -> None:
        """`check` as an `httpx.AsyncClient` response hook: read the body, then validate.

        An event stream is not read: it does not end, and `check` looks only at its type.
        """
        if not response.headers.get("content-type", "").startswith("text/event-stream"):
            await response.aread()
        self.check(response)

    def _deref(self, node: dict[str, Any], pointer: str) -> tuple[dict[str, Any], str]:
        while "$ref" in node:
            pointer = node["$ref"][1:]
            target: Any = self.spec
            for part in pointer.lstrip("/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node, pointer


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def template_of(op: dict[str, Any], checker: SpecChecker) -> str:
    """The path template an operation object sits under."""
    for template, item in checker.spec["paths"].items():
        if any(o is op for o in item.values()):
            return str(template)
    raise KeyError(op.get("operationId"))
