"""The API document the server routes by: spec/vmkit.yaml, shipped inside the package."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["load_spec", "spec_json"]


@cache
def load_spec() -> dict[str, Any]:
    """The parsed OpenAPI document (read once per process)."""
    text = resources.files(__package__).joinpath("_spec/vmkit.yaml").read_text("utf-8")
    loaded: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return loaded


@cache
def spec_json() -> bytes:
    """The document as compact JSON, for `GET /openapi.json`."""
    return json.dumps(load_spec(), separators=(",", ":")).encode()
