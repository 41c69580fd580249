"""The one function through which all of the client's I/O goes: :meth:`AsyncTransport.request`.

Everything a call needs that is not shared - its timeout, headers, idempotency key,
``If-Match``, retry budget - is passed per call and never stored on the transport, so
concurrent calls cannot leak settings into each other. Retries are driven by tenacity
with the sans-I/O rules of ``vmkit._core.retry``; the sleep is injectable so tests take
no time.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import logging
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception

from vmkit import _compat
from vmkit._compat import AsyncSleepFunc
from vmkit._core.attempts import RetryPlan, describe_failure
from vmkit._core.deadline import Deadline
from vmkit._core.idempotency import IDEMPOTENCY_HEADER, new_idempotency_key
from vmkit._core.problems import error_for
from vmkit._core.retry import RetryPolicy, jitter
from vmkit._core.sentinels import NOT_GIVEN, NotGiven
from vmkit._core.version import default_user_agent
from vmkit.errors import APIConnectionError, APIError, APITimeoutError

__all__ = ["AsyncTransport"]

logger = logging.getLogger("vmkit")


class AsyncTransport:
    """Sends requests to a vmkit server with auth, retries and typed errors.

    Args:
        base_url: The server's URL, e.g. ``"http://127.0.0.1:8470"``.
        token: The bearer token, or None for unauthenticated calls.
        timeout: The default deadline of a call in seconds, covering all its attempts
            and the waits between them.
        policy: The default retry policy.
        http_client: An httpx client to send with (not closed by :meth:`aclose`); by
            default the transport makes and owns one.
        sleep: The sleep used between attempts (tests inject a recorder).
        user_agent: The ``User-Agent`` header; default ``"vmkit-python/<version>"``.
        clock: The monotonic clock deadlines are measured with.
    """

    def __init__(
        self,
        *,
        base_url: str,
        token: str | None,
        timeout: float | None = 30.0,
        policy: RetryPolicy,
        http_client: httpx.AsyncClient | None = None,
        sleep: AsyncSleepFunc | None = None,
        user_agent: str | None = None,
        clock: _compat.Clock | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._policy = policy
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient()
        self._sleep = sleep if sleep is not None else _compat.asleep
        self._clock = clock if clock is not None else _compat.monotonic
        headers = {"User-Agent": user_agent or default_user_agent(), "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._default_headers = httpx.Headers(headers)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r})"

    @property
    def http(self) -> httpx.AsyncClient:
        """The underlying httpx client (for streaming helpers; send through :meth:`request`)."""
        return self._http

    @property
    def base_url(self) -> str:
        """The server's URL, without a trailing slash."""
        return self._base_url

    @property
    def default_headers(self) -> httpx.Headers:
        """A copy of the headers sent with every call (``Authorization``, ``User-Agent``)."""
        return httpx.Headers(self._default_headers)

    def url_for(self, url: str) -> str:
        """The absolute URL for a path such as ``"/v1/vms"`` (absolute URLs pass through).

        Args:
            url: A path relative to the base URL, or an absolute URL.

        Returns:
            The absolute URL.
        """
        if url.startswith(("http://", "https://")):
            return url
        return f"{self._base_url}/{url.lstrip('/')}"

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        idempotency_key: str | None = None,
        if_match: str | None = None,
        max_retries: int | None = None,
    ) -> httpx.Response:
        """Send one logical call, retrying as the rules allow, and return the answer.

        Every POST carries an ``Idempotency-Key`` (minted when none is given, in
        ``idempotency_key`` or ``headers``); the same key is sent on every attempt.

        Args:
            method: The HTTP method (any case).
            url: A path relative to the base URL (or an absolute URL).
            params: Query parameters.
            json: A body to send as JSON.
            content: A raw body (used when ``json`` is None).
            headers: Extra headers for this call only.
            timeout: The call's deadline in seconds (all attempts and waits); None for no
                deadline; omitted for the transport's default.
            idempotency_key: The ``Idempotency-Key`` to send.
            if_match: An ETag to send as ``If-Match`` (412 on mismatch).
            max_retries: Retries for this call, overriding the policy's.

        Returns:
            The 2xx (or 304) response, its body read.

        Raises:
            vmkit.errors.APIStatusError: A subclass chosen by the problem's code and status.
            vmkit.errors.APITimeoutError: The deadline passed before an answer arrived.
            vmkit.errors.APIConnectionError: No answer could be received.
        """
        method = method.upper()
        call_headers = self._headers_for(method, headers, idempotency_key, if_match)
        deadline = Deadline(
            self._timeout if isinstance(timeout, NotGiven) else timeout, self._clock
        )
        policy = self._policy
        if max_retries is not None:
            policy = dataclasses.replace(policy, max_retries=max_retries)
        plan = RetryPlan(
            method=method,
            has_idempotency_key=IDEMPOTENCY_HEADER in call_headers,
            policy=policy,
            deadline=deadline,
            rand=jitter,
            now=_compat.utcnow,
        )
        full_url = self.url_for(url)
        send = functools.partial(
            self._send_once,
            method,
            full_url,
            params=params,
            json=json,
            content=content,
            headers=call_headers,
            deadline=deadline,
        )
        # The first attempt runs outside tenacity: most calls succeed at once, and setting
        # up the retry loop is a measurable part of a fast call's cost (bench/sdk_overhead).
        try:
            return await send()
        except APIError as exc:
            if not plan.should_retry(exc):
                raise
            first_failure: BaseException | None = exc
        retrying = AsyncRetrying(
            sleep=self._sleep_between,
            retry=retry_if_exception(plan.should_retry),
            wait=lambda state: plan.wait(state.attempt_number, _failure(state)),
            stop=lambda state: plan.stop(),
            before_sleep=lambda state: _log_retry(method, full_url, state),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                if first_failure is not None:
                    # Attempt 1 already failed above: hand its failure to tenacity so the
                    # numbering, waits and log lines are those of one retry loop.
                    failure, first_failure = first_failure, None
                    raise failure
                response = await send()
        # tenacity ends the loop only after a successful attempt; failures re-raise.
        return response

    def with_options(
        self,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncTransport:
        """A transport with other defaults that sends through this one's connection pool.

        The copy never closes the pool: closing stays the job of this transport's owner.

        Args:
            timeout: The copy's default deadline per call (None: no deadline).
            max_retries: The copy's retry budget.
            headers: Headers the copy adds to (or overrides in) every call.

        Returns:
            The new transport.
        """
        clone = copy.copy(self)
        clone._owns_http = False
        if not isinstance(timeout, NotGiven):
            clone._timeout = timeout
        if max_retries is not None:
            clone._policy = dataclasses.replace(self._policy, max_retries=max_retries)
        clone._default_headers = httpx.Headers(self._default_headers)
        clone._default_headers.update(headers or {})
        return clone

    async def aclose(self) -> None:
        """Close the httpx client if this transport created it."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def _headers_for(
        self,
        method: str,
        headers: Mapping[str, str] | None,
        idempotency_key: str | None,
        if_match: str | None,
    ) -> httpx.Headers:
        merged = httpx.Headers(self._default_headers)
        if headers:
            merged.update(headers)
        key = idempotency_key or merged.get(IDEMPOTENCY_HEADER)
        if key is None and method == "POST":
            key = new_idempotency_key()
        if key is not None:
            merged[IDEMPOTENCY_HEADER] = key
        if if_match is not None:
            merged["If-Match"] = if_match
        return merged

    async def _send_once(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None,
        json: Any,
        content: bytes | str | None,
        headers: httpx.Headers,
        deadline: Deadline,
    ) -> httpx.Response:
        remaining = deadline.remaining()
        request = self._http.build_request(
            method,
            url,
            params=params,
            json=json,
            content=content,
            headers=headers,
            timeout=httpx.Timeout(remaining),
        )
        if remaining is not None and remaining <= 0:
            raise APITimeoutError(request, f"{method} {url}: deadline passed before sending")
        try:
            response = await self._http.send(request)
        except httpx.TimeoutException as exc:
            raise APITimeoutError(
                request, f"{method} {url} timed out (deadline {deadline.timeout}s)"
            ) from exc
        except httpx.RequestError as exc:
            raise APIConnectionError(
                request, f"{method} {url} failed: {describe_failure(exc)}"
            ) from exc
        if response.is_success or response.status_code == 304:
            return response
        raise error_for(response, now=_compat.utcnow())

    async def _sleep_between(self, seconds: float) -> None:
        await self._sleep(float(seconds))


def _failure(state: RetryCallState) -> BaseException | None:
    return state.outcome.exception() if state.outcome is not None else None


def _log_retry(method: str, url: str, state: RetryCallState) -> None:
    logger.info(
        "retrying %s %s after attempt %d in %.2fs: %s",
        method,
        url,
        state.attempt_number,
        state.upcoming_sleep,
        describe_failure(_failure(state)),
    )
