"""schemathesis over every operation of the live server: no 5xx, every answer as the spec says.

Each operation of spec/vmkit.yaml is one test: its examples, the coverage phase's boundary
values and hypothesis-generated requests, positive (valid) and negative (invalid) ones, sent
with the admin token to a real server on loopback. Besides schemathesis's own checks
(status, content type, headers and body against the spec, valid data accepted, invalid data
refused) every answer passes `fuzz_helpers.EXTRA_CHECKS`. The run is reproducible (fixed seed,
derandomized) and bounded; `make fuzz` runs more examples.

`GET /v1/events` may answer a live SSE stream: schemathesis reads at most 3 frames for at
most 2 s of it (see `fuzz_helpers.fuzz_schema`). `GET /v1/vms/{vm}/screenshot` and
`GET/PUT /v1/vms/{vm}/files` are binary: their bodies are checked for content type only.
"""

from __future__ import annotations

from typing import Any

from fuzz_helpers import EXTRA_CHECKS, call_kwargs, fuzz_schema, fuzz_server, fuzz_settings

from vmkit_server.testing import RunningServer

__all__ = ["fuzz_server"]  # the fixture, imported for pytest


schema = fuzz_schema()


@schema.parametrize()
@fuzz_settings()
def test_every_operation_survives_fuzzing(case: Any, fuzz_server: RunningServer) -> None:
    """Generated requests, valid and not: never a 5xx, every answer valid against the spec."""
    case.call_and_validate(additional_checks=EXTRA_CHECKS, **call_kwargs(fuzz_server))
