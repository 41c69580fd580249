"""What the schemathesis runs share: the schema with its settings, the extra checks, the server.

CI (`make test`) runs a bounded, reproducible fuzz: a fixed seed, `derandomize`, a few
examples per operation. `make fuzz` runs the same tests longer through the environment:
``VMKIT_FUZZ_EXAMPLES`` (examples per operation and per phase) and ``VMKIT_FUZZ_SCENARIOS``
/ ``VMKIT_FUZZ_STEPS`` (stateful scenarios and the steps in each).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import Case, CheckContext, Response

from vmkit_server.core.webhooks import WebhookSettings
from vmkit_server.spec import load_spec
from vmkit_server.testing import RunningServer, start_server

__all__ = [
    "EXTRA_CHECKS",
    "SCENARIOS",
    "SEED",
    "call_kwargs",
    "fuzz_schema",
    "fuzz_server",
    "fuzz_settings",
]

SEED = 0x766D6B  # "vmk": the same requests on every run and every machine
EXAMPLES = int(os.environ.get("VMKIT_FUZZ_EXAMPLES", "6"))
SCENARIOS = int(os.environ.get("VMKIT_FUZZ_SCENARIOS", "20"))
STEPS = int(os.environ.get("VMKIT_FUZZ_STEPS", "10"))

# A request can be valid by the schema and still refused with 422 for a reason a schema
# cannot state. These are the only such reasons; any other 422 to a schema-valid request
# means the server is stricter than its spec.
_SEMANTIC_422_CODES = frozenset(
    {
        "IMAGE_NOT_FOUND",  # not in the backend's catalog
        "IDEMPOTENCY_KEY_REUSED",  # the key was used for another request
        "WEBHOOK_URL_NOT_ALLOWED",  # a host that does not resolve, or a private address
    }
)
_SEMANTIC_422_POINTERS = {
    "/page_token": "an opaque cursor only the server can mint",
    "/path": "a guest path with `..` segments (the GuestPath parameter's description)",
    "/disk_gib": "disks only grow",
}


def fuzz_schema(*, stateful: bool = False) -> Any:
    """The spec as schemathesis sees it, with the run's fixed settings.

    Args:
        stateful: For the stateful run (links followed) rather than one test per operation.
    """
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                # positive and negative cases; scenarios only valid ones, so that chains go on
                "mode": "positive" if stateful else "all",
                "max-examples": EXAMPLES,
                # the admin token is sent with every request, so that requests reach the
                # handlers; the auth layer has its own tests (test_srv_tokens_scopes.py)
                "with-security-parameters": False,
            },
            "phases": {"stateful": {"enabled": stateful}},
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "3xx", "404", "409", "412", "422"]
                },
            },
            # A live event stream never ends: read a few frames, for at most 2 s.
            "operations": [
                {
                    "include-operation-id": "listEvents",
                    "max-stream-events": 3,
                    "request-timeout": 2,
                },
            ],
        }
    )
    return schemathesis.openapi.from_dict(load_spec(), config=config)


def fuzz_settings(*, stateful: bool = False, scenarios: int = SCENARIOS) -> settings:
    """Hypothesis settings: reproducible (derandomized), no deadline, no example database.

    Args:
        stateful: For scenarios: generation only, as schemathesis itself runs them (a replay
            to shrink a failure meets a server whose state has moved on).
        scenarios: How many scenarios (stateful only).
    """
    return settings(
        phases=[Phase.generate] if stateful else list(Phase),
        max_examples=scenarios if stateful else EXAMPLES,
        stateful_step_count=STEPS,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )


def call_kwargs(server: RunningServer) -> dict[str, Any]:
    """What every fuzz request is sent with: the server's URL, the admin token, a timeout."""
    return {
        "base_url": server.url,
        "headers": {"Authorization": f"Bearer {server.token}"},
        "timeout": 30,
    }


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend, on loopback, for one module (one per xdist worker)."""
    # Webhooks the fuzzer creates must never reach a real address: loopback/private only.
    running = start_server(
        tmp_path_factory.mktemp("fuzz") / "data", webhooks=WebhookSettings(allow_public=False)
    )
    yield running
    running.stop()


def _problem(response: Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def problem_matches_its_answer(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every answer has an `X-Request-Id`; a problem's `status` is the HTTP status."""
    assert response.headers.get("x-request-id"), "no X-Request-Id header"
    if response.status_code >= 400:
        problem = _problem(response)
        assert problem.get("status") == response.status_code, problem
        assert problem.get("request_id") == response.headers["x-request-id"][0], problem
    return None


def schema_valid_requests_fail_only_semantically(
    ctx: CheckContext, response: Response, case: Case
) -> bool | None:
    """A 422 to a schema-valid request names a rule the schema cannot state, nothing else."""
    meta = case.meta
    if response.status_code != 422 or meta is None or not meta.generation.mode.is_positive:
        return None
    problem = _problem(response)
    if problem.get("code") in _SEMANTIC_422_CODES:
        return None
    pointers = {issue.get("pointer") for issue in problem.get("errors", [])}
    assert problem.get("code") == "VALIDATION_FAILED", problem
    assert pointers and pointers <= _SEMANTIC_422_POINTERS.keys(), problem
    return None


Check = Callable[[CheckContext, Response, Case], bool | None]
EXTRA_CHECKS: list[Check] = [
    problem_matches_its_answer,
    schema_valid_requests_fail_only_semantically,
]
