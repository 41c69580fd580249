"""schemathesis's stateful run: chains of calls that follow the spec's links.

`createVm` and `createSnapshot` declare OpenAPI links (get, start, stop, snapshot, clone,
delete the new VM; get, restore, delete the new snapshot; wait for the operation), and
schemathesis infers more from the schemas (a listed VM's id into `getVm`, ...). So scenarios
drive real VMs through their lifecycle rather than probing names that do not exist. Every
answer gets the same checks as in test_srv_fuzz.py.

Hypothesis explores new scenarios by replaying the start of earlier ones; against a live
server, whose state has moved on since, a replay can take another branch (a name now
taken, an operation already finished), which hypothesis reports as `FlakyStrategyDefinition`.
That says nothing about the server (a failed check is a `FailureGroup`), so the run goes on
with fresh scenarios until `SCENARIOS` have run, as schemathesis's own runner does.

Deleting a VM or a snapshot answers 202 and the resource is `deleting` until its operation
ends: the scenario waits for that operation before its next step, so that schemathesis's
`use_after_free` check (a deleted resource must be 404) holds the server to it. Revoking a
token (`DELETE /v1/tokens/{token}`) keeps its record, `revoked`, on purpose: reads of a
token are not held to `use_after_free`.

Scenarios send valid requests only, without the optional headers and cursors that would end
a chain at its first step (an `If-Match` from the spec's example is 412, a reused
`Idempotency-Key` 422, a made-up `page_token` 422): test_srv_fuzz.py covers those. And the
run never revokes its own token, which would leave every later step a 401.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx
from fuzz_helpers import (
    EXTRA_CHECKS,
    SCENARIOS,
    call_kwargs,
    fuzz_schema,
    fuzz_server,
    fuzz_settings,
)
from hypothesis.errors import FlakyReplay, FlakyStrategyDefinition
from schemathesis.specs.openapi.checks import use_after_free

from vmkit_server.testing import RunningServer

__all__ = ["fuzz_server"]  # the fixture, imported for pytest


_UNKNOWN_TOKEN = "tok_" + "0" * 26


def own_token_id(server: RunningServer) -> str:
    """The id of the admin token the run authenticates with."""
    kwargs = call_kwargs(server)
    with httpx.Client(base_url=server.url, headers=kwargs["headers"]) as http:
        tokens = http.get("/v1/tokens", params={"page_size": 1000}).json()["items"]
    (token_id,) = [t["id"] for t in tokens if t["prefix"] == server.token[4:12]]
    return str(token_id)


def test_linked_call_sequences_survive_fuzzing(fuzz_server: RunningServer) -> None:
    """Scenarios of linked calls (create, then start/snapshot/delete it ...): no failure."""
    schema = fuzz_schema(stateful=True)
    kwargs = call_kwargs(fuzz_server)
    own_token = own_token_id(fuzz_server)
    keys = itertools.count()

    class Machine(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: Any) -> None:
            if case.headers:
                case.headers.pop("If-Match", None)
                if "Idempotency-Key" in case.headers:
                    case.headers["Idempotency-Key"] = f"fuzz-{next(keys)}"
            if case.query:
                case.query.pop("page_token", None)
            if case.path_parameters and case.path_parameters.get("token") == own_token:
                case.path_parameters["token"] = _UNKNOWN_TOKEN

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return kwargs

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            if case.method.upper() == "DELETE" and response.status_code == 202:
                http.get(response.headers["location"][0] + ":wait?timeout_seconds=30")

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kw: Any
        ) -> None:
            revoked_ok = [use_after_free] if case.path.startswith("/v1/tokens/") else []
            case.validate_response(
                response,
                additional_checks=EXTRA_CHECKS,
                excluded_checks=revoked_ok,
                transport_kwargs=kw or None,
                recorder=self.recorder,
            )

        def teardown(self) -> None:
            finished[0] += 1

    finished = [0]
    with httpx.Client(base_url=fuzz_server.url, headers=kwargs["headers"], timeout=60) as http:
        for _ in range(10):
            try:
                scenarios = SCENARIOS - finished[0]
                Machine.run(settings=fuzz_settings(stateful=True, scenarios=scenarios))
                break
            except (FlakyStrategyDefinition, FlakyReplay):
                # a replay met a server that moved on: not a finding (see the module doc)
                if finished[0] >= SCENARIOS:
                    break
    assert finished[0] >= SCENARIOS
