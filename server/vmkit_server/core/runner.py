"""The operation runner: runs each operation's backend work in a task and settles it.

An operation row is written (pending) by the service in the same transaction as the VM's
state change. The runner marks it running, awaits the job's backend work, and then settles it
in one transaction with the job's effects and its events: succeeded with a result, or failed
(or cancelled) with a problem. Whatever happens, the operation ends terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from ..backends.base import BackendError
from ..store import Store, Tx
from .clock import Clock
from .events import operation_event

__all__ = ["Job", "OperationRunner", "RunContext", "problem_for_exception"]

log = logging.getLogger("vmkit_server.runner")

Settle = Callable[[Tx, Any], dict[str, Any] | None]
SettleFailure = Callable[[Tx, dict[str, Any], Any], object]


@dataclass
class Job:
    """What an operation does.

    Attributes:
        op_id: The operation it runs.
        run: The backend work; its return value is handed to `settle`.
        settle: Persists the effects of success (same transaction as the operation's end);
            returns the operation's `result`.
        recover: After a failure, asks the backend what is true now (its answer is handed to
            `settle_failure`); may return None.
        settle_failure: Persists the effects of failure, given the problem and `recover`'s answer.
    """

    op_id: str
    run: Callable[[RunContext], Awaitable[Any]]
    settle: Settle
    recover: Callable[[], Awaitable[Any]]
    settle_failure: SettleFailure
    pre_empt: bool = field(default=False)


class RunContext:
    """The `OperationContext` a backend reports logs and progress through."""

    def __init__(self, store: Store, op_id: str) -> None:
        self._store = store
        self._op_id = op_id
        self.cancel_requested = False

    @property
    def op_id(self) -> str:
        """The operation this context belongs to."""
        return self._op_id

    @property
    def cancelled(self) -> bool:
        """True once a client asked to cancel the operation."""
        return self.cancel_requested

    def log(self, message: str, *, level: str = "info") -> None:
        """Append a line to the operation's log."""
        with self._store.tx() as tx:
            tx.append_log(self._op_id, level, message)

    def progress(self, fraction: float) -> None:
        """Record how far the operation is (0..1) and announce it."""
        with self._store.tx() as tx:
            op = tx.update_operation(self._op_id, progress=max(0.0, min(1.0, fraction)))
            if op is not None:
                operation_event(tx, "operation.updated", op)


def problem_for_exception(exc: BaseException) -> dict[str, Any]:
    """The problem an operation records when its work raised `exc`."""
    if isinstance(exc, BackendError):
        problem: dict[str, Any] = {
            "type": "urn:vmkit:problem:" + exc.code.lower().replace("_", "-"),
            "title": "Backend error",
            "status": exc.status,
            "code": exc.code,
            "detail": str(exc),
        }
        if exc.metadata:
            problem["metadata"] = dict(exc.metadata)
        return problem
    return {
        "type": "urn:vmkit:problem:internal-error",
        "title": "Internal Server Error",
        "status": 500,
        "code": "INTERNAL_ERROR",
        "detail": f"the operation failed unexpectedly: {type(exc).__name__}: {exc}",
    }


def _cancelled_problem(reason: str) -> dict[str, Any]:
    return {
        "type": "urn:vmkit:problem:operation-cancelled",
        "title": "Cancelled",
        "status": 409,
        "code": "OPERATION_CANCELLED",
        "detail": reason,
    }


class OperationRunner:
    """Runs jobs as asyncio tasks and settles their operations.

    Args:
        store: Where operations live.
        clock: The wall clock.
    """

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._contexts: dict[str, RunContext] = {}
        self._done: dict[str, asyncio.Event] = {}
        self._cancel_reasons: dict[str, str] = {}

    def submit(self, job: Job) -> None:
        """Start running `job` now."""
        ctx = RunContext(self._store, job.op_id)
        self._contexts[job.op_id] = ctx
        self._done[job.op_id] = asyncio.Event()
        task = asyncio.get_running_loop().create_task(self._execute(job, ctx), name=job.op_id)
        self._tasks[job.op_id] = task

    def is_live(self, op_id: str) -> bool:
        """True while this process runs the operation."""
        return op_id in self._tasks

    async def wait(self, op_id: str, timeout: float) -> None:
        """Return when the operation is settled, or after `timeout` seconds."""
        done = self._done.get(op_id)
        if done is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), timeout)

    def cancel(self, op_id: str, reason: str) -> bool:
        """Ask a live operation to stop; it ends `cancelled`. False if it is not live here."""
        task = self._tasks.get(op_id)
        if task is None:
            return False
        ctx = self._contexts[op_id]
        if ctx.cancel_requested:
            return True  # a second cancel would interrupt the first one's settling
        ctx.cancel_requested = True
        self._cancel_reasons[op_id] = reason
        task.cancel()
        return True

    async def cancel_and_wait(self, op_id: str, reason: str) -> None:
        """Cancel a live operation and wait until it is settled."""
        if self.cancel(op_id, reason):
            await self.wait(op_id, 30.0)

    async def shutdown(self, grace: float) -> None:
        """Let running operations finish for up to `grace` seconds, then cancel the rest."""
        tasks = list(self._tasks.values())
        if tasks:
            await asyncio.wait(tasks, timeout=grace)
        for op_id in list(self._tasks):
            self.cancel(op_id, "the server shut down while this operation was running")
        remaining = list(self._tasks.values())
        if remaining:
            await asyncio.wait(remaining, timeout=5.0)

    async def _execute(self, job: Job, ctx: RunContext) -> None:
        try:
            with self._store.tx() as tx:
                op = tx.update_operation(job.op_id, state="running", started_at=self._clock())
                if op is not None:
                    operation_event(tx, "operation.updated", op)
            try:
                outcome = await job.run(ctx)
            except asyncio.CancelledError:
                reason = self._cancel_reasons.get(job.op_id, "the operation was cancelled")
                await self._fail(job, _cancelled_problem(reason), state="cancelled")
                return
            except Exception as exc:  # every failure must end the operation, whatever it was
                log.info(
                    "operation %s failed: %s",
                    job.op_id,
                    exc,
                    exc_info=not isinstance(exc, BackendError),
                )
                await self._fail(job, problem_for_exception(exc), state="failed")
                return
            with self._store.tx() as tx:
                result = job.settle(tx, outcome)
                op = tx.update_operation(
                    job.op_id,
                    state="succeeded",
                    progress=1.0,
                    result=result,
                    finished_at=self._clock(),
                )
                if op is not None:
                    operation_event(tx, "operation.finished", op)
        except Exception:
            log.exception("could not settle operation %s", job.op_id)
        finally:
            self._tasks.pop(job.op_id, None)
            self._contexts.pop(job.op_id, None)
            self._cancel_reasons.pop(job.op_id, None)
            done = self._done.pop(job.op_id, None)
            if done is not None:
                done.set()

    async def _fail(self, job: Job, problem: dict[str, Any], *, state: str) -> None:
        try:
            observed = await asyncio.shield(job.recover())
        except Exception as exc:  # the backend may be down: settle with what we know
            log.info("operation %s: could not re-read state after failure: %s", job.op_id, exc)
            observed = None
        with self._store.tx() as tx:
            job.settle_failure(tx, problem, observed)
            op = tx.update_operation(
                job.op_id, state=state, error=problem, finished_at=self._clock()
            )
            if op is not None:
                operation_event(tx, "operation.finished", op)
