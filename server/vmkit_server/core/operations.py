"""Reading, long-polling and cancelling operations, and reading their logs."""

from __future__ import annotations

from collections.abc import Sequence

from ..problems import ProblemError
from ..store import LogRow, OperationRow
from . import errors
from .context import Services
from .events import operation_event
from .paging import decode_page_token, page_of

__all__ = ["FINISHED", "Operations"]

FINISHED = frozenset({"succeeded", "failed", "cancelled"})


class Operations:
    """The operations service.

    Args:
        svc: The shared services.
    """

    def __init__(self, svc: Services) -> None:
        self._svc = svc

    def get(self, op_id: str) -> OperationRow:
        """The operation, or 404 `OPERATION_NOT_FOUND`."""
        with self._svc.store.read() as tx:
            row = tx.get_operation(op_id)
        if row is None:
            raise errors.not_found("operation", op_id)
        return row

    def list(
        self,
        *,
        page_size: int,
        page_token: str | None,
        states: Sequence[str] = (),
        vm: str | None = None,
        kind: str | None = None,
    ) -> tuple[Sequence[OperationRow], str | None]:
        """One page of operations, oldest first.

        `vm` is an id (kept after the VM is deleted, so its operations stay listable) or the
        name of a current VM.

        Raises:
            ProblemError: 404 if `vm` is a name no current VM has.
        """
        after = decode_page_token(page_token)
        with self._svc.store.read() as tx:
            if vm is not None and not vm.startswith("vm_"):
                named = tx.get_vm(vm)
                if named is None:
                    raise errors.not_found("vm", vm)
                vm = named.id
            rows = tx.list_operations(
                page_size=page_size, after=after, states=states, vm_id=vm, kind=kind
            )
        return page_of(rows, page_size)

    async def wait(self, op_id: str, timeout: float) -> OperationRow:
        """The operation once finished, or as it is after `timeout` seconds."""
        row = self.get(op_id)
        if row.state in FINISHED or timeout <= 0:
            return row
        await self._svc.runner.wait(op_id, timeout)
        return self.get(op_id)

    async def cancel(self, op_id: str) -> OperationRow:
        """Cancel a pending or running operation.

        Raises:
            ProblemError: 404, or 409 `OPERATION_FINISHED`.
        """
        row = self.get(op_id)
        if row.state in FINISHED:
            raise errors.operation_finished(op_id, row.state)
        with self._svc.store.tx() as tx:
            updated = tx.update_operation(op_id, cancel_requested=True)
            if updated is not None:
                operation_event(tx, "operation.updated", updated)
        await self._svc.runner.cancel_and_wait(op_id, "cancelled at a client's request")
        return self.get(op_id)

    def logs(
        self, op_id: str, *, page_size: int, page_token: str | None
    ) -> tuple[Sequence[LogRow], str | None]:
        """One page of the operation's log lines (the token is the last seq seen)."""
        self.get(op_id)
        after = 0
        if page_token is not None:
            if not page_token.isdigit() or len(page_token) > 12:
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
                )
            after = int(page_token)
        with self._svc.store.read() as tx:
            rows = tx.list_logs(op_id, after_seq=after, limit=page_size + 1)
        if len(rows) <= page_size:
            return rows, None
        page = rows[:page_size]
        return page, str(page[-1].seq)
