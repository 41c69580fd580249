"""The handle on a long-running operation: read it, wait for it, cancel it."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Self, Unpack

from vmkit._async._api import AsyncAPI, LogEntryModel, OperationModel
from vmkit._async._pagination import AsyncPaginator
from vmkit._core import display
from vmkit._core.deadline import Deadline, poll_intervals
from vmkit._core.progress import wait_progress
from vmkit.errors import OperationFailedError, WaitTimeoutError
from vmkit.types import Page, RequestOptions

__all__ = ["FINISHED_STATES", "AsyncOperation"]

#: The states an operation never leaves.
FINISHED_STATES = frozenset({"succeeded", "failed", "cancelled"})

# The server holds a long-poll for at most 60 s; ask for less so proxies do not cut it.
_MAX_HOLD = 30.0
# How much longer than the hold the request may take before the client gives up on it.
_GRACE = 10.0


class AsyncOperation:
    """Work the server does in the background (create, start, snapshot, ...).

    Returned by every mutating call that answers ``202 Accepted``. The attributes show
    the state when the object was last fetched; :meth:`refresh` and :meth:`wait` update it.

    Args:
        api: The client's API.
        model: The operation as the server sent it.
    """

    def __init__(self, api: AsyncAPI, model: OperationModel) -> None:
        self._api = api
        self._model = model

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.kind} {self.state}>"

    def _repr_html_(self) -> str:
        return display.html_of(self)

    def _repr_pretty_(self, printer: display.PrettyPrinter, cycle: bool) -> None:
        display.pretty_repr(lambda: display.text_of(self), repr(self), printer, cycle)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AsyncOperation):
            return NotImplemented
        return self.id == other.id

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def model(self) -> OperationModel:
        """The generated model this handle wraps (the raw answer)."""
        return self._model

    @property
    def id(self) -> str:
        """The operation's id (``op_...``)."""
        return self._model.id

    @property
    def kind(self) -> str:
        """What it does, e.g. ``"vm.start"`` (new kinds may appear)."""
        return self._model.kind

    @property
    def state(self) -> str:
        """``pending``, ``running``, ``succeeded``, ``failed`` or ``cancelled``."""
        return str(self._model.state.value)

    @property
    def done(self) -> bool:
        """Whether the operation has finished (succeeded, failed or was cancelled)."""
        return self.state in FINISHED_STATES

    @property
    def progress(self) -> float | None:
        """The fraction done (0..1), when the backend can tell."""
        return self._model.progress

    @property
    def error(self) -> dict[str, Any] | None:
        """Why it failed: an RFC 9457 problem with a ``code``, or None."""
        return self._model.error.to_dict() if self._model.error is not None else None

    @property
    def result(self) -> dict[str, Any] | None:
        """What it produced (e.g. ``{"vm_id": ...}`` for a clone), or None."""
        return self._model.result.to_dict() if self._model.result is not None else None

    @property
    def target(self) -> dict[str, Any]:
        """The resource it works on: ``{"type", "id", "name", "vm_id"}``."""
        return self._model.target.to_dict()

    @property
    def created_at(self) -> datetime:
        """When it was created."""
        return self._model.created_at

    @property
    def started_at(self) -> datetime | None:
        """When a worker picked it up, or None while pending."""
        return self._model.started_at

    @property
    def finished_at(self) -> datetime | None:
        """When it finished, or None while not done."""
        return self._model.finished_at

    @property
    def updated_at(self) -> datetime:
        """When it last changed."""
        return self._model.updated_at

    @property
    def etag(self) -> str:
        """Its strong ETag."""
        return self._model.etag

    def to_dict(self) -> dict[str, Any]:
        """The operation as the JSON object the server sent.

        Returns:
            A new dict.
        """
        return self._model.to_dict()

    async def refresh(self, **options: Unpack[RequestOptions]) -> Self:
        """Fetch the operation's current state.

        Args:
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            This operation, updated.

        Raises:
            vmkit.errors.APIError: If the request fails.
        """
        self._model = await self._api.get_operation(self.id, **options)
        return self

    async def wait(
        self,
        timeout: float | None = None,
        *,
        poll_interval: float | None = None,
        progress: bool | None = None,
    ) -> Self:
        """Wait until the operation finishes; raise if it did not succeed.

        Long-polls ``GET /v1/operations/{id}:wait`` until the operation is done or the
        timeout passes. When the server answers before its hold is over without the
        operation being done, the next poll waits ``poll_interval`` (or a growing delay).

        Args:
            timeout: Seconds to wait at most; None waits as long as it takes.
            poll_interval: A fixed pause between early answers (default: 0.05 s growing
                to 1 s).
            progress: Show a progress bar (the operation's ``progress`` when the server
                reports it, else the time and state). None: only in a terminal or a
                notebook, unless ``VMKIT_PROGRESS`` says otherwise.

        Returns:
            This operation, succeeded.

        Raises:
            vmkit.errors.OperationFailedError: If it ended ``failed`` or ``cancelled``;
                ``problem`` and ``code`` tell why.
            vmkit.errors.WaitTimeoutError: If it is still running after ``timeout``
                (it may still finish; the error holds the operation).
            vmkit.errors.APIError: If a request fails.
        """
        deadline = Deadline(timeout, self._api.clock)
        pauses: Iterator[float] = (
            poll_intervals() if poll_interval is None else itertools.repeat(poll_interval)
        )
        with wait_progress(progress, self._describe()) as bar:
            bar.update(self.state, self.progress)
            while not self.done:
                hold = deadline.cap(_MAX_HOLD) or 0.0
                started = deadline.elapsed()
                self._model = await self._api.wait_operation(
                    self.id, timeout_seconds=hold, timeout=hold + _GRACE
                )
                bar.update(self.state, self.progress)
                if self.done:
                    break
                if deadline.expired():
                    raise WaitTimeoutError(
                        f"operation {self.id} ({self.kind}) is still {self.state} after {timeout}s",
                        timeout=timeout,
                        operation=self,
                    )
                if deadline.elapsed() - started < hold:
                    # The server did not hold the request (or the clock is a test's): pause
                    # instead of spinning.
                    pause = deadline.cap(next(pauses)) or 0.0
                    if pause > 0:
                        await self._api.sleep(pause)
            bar.finish(self.state, succeeded=self.state == "succeeded")
        if self.state != "succeeded":
            raise OperationFailedError(self, self.error)
        return self

    def _describe(self) -> str:
        """What a progress bar calls this operation: ``vm.start web-1``."""
        target = self.target
        name = target.get("name") or target.get("id")
        return f"{self.kind} {name}" if name else self.kind

    async def cancel(
        self, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> Self:
        """Ask the server to stop the operation.

        A pending operation ends ``cancelled`` at once; a running one when its backend
        call returns. Call :meth:`wait` to see how it ended.

        Args:
            idempotency_key: The ``Idempotency-Key`` to send (one is minted when omitted).
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            This operation, updated.

        Raises:
            vmkit.errors.ConflictError: If it has already finished.
        """
        self._model = await self._api.cancel_operation(
            self.id, idempotency_key=idempotency_key, **options
        )
        return self

    def logs(self, *, page_size: int | None = None) -> AsyncPaginator[LogEntryModel]:
        """The operation's log lines, oldest first, fetched page by page as consumed.

        Args:
            page_size: Lines per request (the server's default when None).

        Returns:
            A paginator of log entries (``seq``, ``time``, ``level``, ``message``).
        """
        return operation_logs(self._api, self.id, page_size=page_size)


def operation_logs(
    api: AsyncAPI, operation: str, *, page_size: int | None
) -> AsyncPaginator[LogEntryModel]:
    """A paginator over an operation's log lines.

    Args:
        api: The client's API.
        operation: The operation's id.
        page_size: Lines per request, or None for the server's default.

    Returns:
        The paginator.
    """

    async def fetch(page_token: str | None) -> Page[LogEntryModel]:
        return await api.list_operation_logs(operation, page_size=page_size, page_token=page_token)

    return AsyncPaginator(fetch)
