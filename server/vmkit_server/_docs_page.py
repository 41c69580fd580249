"""`GET /docs`: the API reference rendered on the server from the spec (no JavaScript, no CDN)."""

from __future__ import annotations

import html
import json
from functools import cache
from typing import Any

from .spec import load_spec

__all__ = ["docs_html"]

_METHODS = ("get", "post", "put", "patch", "delete")
_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:0}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
.op{border:1px solid #ddd;border-radius:6px;margin:1em 0;padding:.6em 1em}
.m{display:inline-block;min-width:4.5em;font-weight:700;text-transform:uppercase}
.get{color:#1a7f37}.post{color:#0550ae}.patch{color:#8250df}.delete{color:#cf222e}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f6f8fa;padding:.6em;
overflow:auto}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;
text-align:left;vertical-align:top}nav a{margin-right:1em}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _ref_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else str(schema.get("type", "object"))


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _parameters(spec: dict[str, Any], params: list[dict[str, Any]]) -> str:
    if not params:
        return ""
    rows = []
    for raw in params:
        p = _resolve(spec, raw)
        schema = p.get("schema", {})
        rows.append(
            f"<tr><td><code>{_e(p['name'])}</code></td><td>{_e(p['in'])}</td>"
            f"<td>{_e(_ref_name(schema))}</td><td>{'yes' if p.get('required') else ''}</td>"
            f"<td>{_e(p.get('description', ''))}</td></tr>"
        )
    return (
        "<table><tr><th>parameter</th><th>in</th><th>type</th><th>required</th>"
        "<th>description</th></tr>" + "".join(rows) + "</table>"
    )


def _operation(
    spec: dict[str, Any], path: str, method: str, op: dict[str, Any], shared: list[dict[str, Any]]
) -> str:
    parts = [
        f'<div class="op" id="{_e(op["operationId"])}"><span class="m {method}">{method}</span>'
        f"<code>{_e(path)}</code> &mdash; <strong>{_e(op.get('summary', ''))}</strong>",
        f"<p>{_e(op.get('description', '')).strip()}</p>" if op.get("description") else "",
        f"<p>operationId <code>{_e(op['operationId'])}</code>"
        + (" &middot; no token needed" if op.get("security") == [] else "")
        + "</p>",
        _parameters(spec, shared + op.get("parameters", [])),
    ]
    body = op.get("requestBody")
    content = _resolve(spec, body)["content"] if body else {}
    if "application/json" not in content and content:
        parts.append(f"<p>Body: <code>{_e(next(iter(content)))}</code> (raw bytes)</p>")
    elif body:
        media = content["application/json"]
        parts.append(f"<p>Body: <code>{_e(_ref_name(media['schema']))}</code></p>")
        example = next(iter(media.get("examples", {}).values()), None)
        if example is not None:
            value = _resolve(spec, example).get("value")
            parts.append(f"<pre>{_e(json.dumps(value, indent=2))}</pre>")
    codes = ", ".join(f"<code>{_e(code)}</code>" for code in op["responses"])
    parts.append(f"<p>Responses: {codes}</p></div>")
    return "".join(parts)


@cache
def docs_html() -> bytes:
    """The reference page (rendered once per process)."""
    spec = load_spec()
    info = spec["info"]
    by_tag: dict[str, list[str]] = {t["name"]: [] for t in spec.get("tags", [])}
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method in _METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["other"])[0]
                by_tag.setdefault(tag, []).append(_operation(spec, path, method, op, shared))
    descriptions = {t["name"]: t.get("description", "") for t in spec.get("tags", [])}
    nav = "".join(f'<a href="#tag-{_e(tag)}">{_e(tag)}</a>' for tag in by_tag)
    sections = "".join(
        f'<h2 id="tag-{_e(tag)}">{_e(tag)}</h2><p>{_e(descriptions.get(tag, ""))}</p>'
        + "".join(ops)
        for tag, ops in by_tag.items()
    )
    page = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{_e(info['title'])} API"
        f"</title><style>{_STYLE}</style></head><body><h1>{_e(info['title'])} API "
        f"<small>{_e(info['version'])}</small></h1><p>{_e(info.get('summary', ''))} "
        f'The machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</p>'
        f"<nav>{nav}</nav>{sections}</body></html>"
    )
    return page.encode()
