"""Progress bars for waits: shown in a terminal or a notebook, silent elsewhere.

A waiter opens a reporter with :func:`wait_progress`, calls ``update`` after every poll
and ``finish`` when the wait is decided; leaving the ``with`` block without ``finish``
(a timeout, an error, Ctrl-C) closes the bar too. With progress off the reporter does
nothing and tqdm is never imported; tqdm draws the bar only, it never sleeps, so waits
keep running on the client's injected clock.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TextIO

if TYPE_CHECKING:
    from tqdm.std import tqdm

__all__ = ["ENV_VAR", "WaitProgress", "in_notebook", "progress_enabled", "wait_progress"]

#: ``VMKIT_PROGRESS=0`` turns bars off, ``=1`` on, where a call leaves ``progress=None``.
ENV_VAR = "VMKIT_PROGRESS"

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
# The fraction is unknown until the server reports one: show the time and the state only.
_INDETERMINATE = "{desc} [{elapsed}{postfix}]"
_DETERMINATE = "{desc} {percentage:3.0f}%|{bar}| [{elapsed}{postfix}]"


def progress_enabled(
    progress: bool | None,
    *,
    env: Mapping[str, str] | None = None,
    stream: TextIO | None = None,
) -> bool:
    """Whether a wait shows a progress bar.

    An explicit ``progress`` wins; then ``VMKIT_PROGRESS`` (``0``/``1``); otherwise bars
    are shown in a Jupyter kernel or when ``stream`` is a terminal.

    Args:
        progress: What the caller asked for (None: decide automatically).
        env: The environment to read ``VMKIT_PROGRESS`` from (default ``os.environ``).
        stream: Where the bar would go (default ``sys.stderr``).

    Returns:
        True to show a bar.
    """
    if progress is not None:
        return progress
    setting = (os.environ if env is None else env).get(ENV_VAR, "").strip().lower()
    if setting in _TRUE:
        return True
    if setting in _FALSE:
        return False
    return in_notebook() or _is_terminal(sys.stderr if stream is None else stream)


def in_notebook() -> bool:
    """Whether this code runs in a Jupyter kernel (a notebook, JupyterLab, VS Code).

    Returns:
        True when IPython is loaded and its shell belongs to a kernel. IPython is not
        imported to find out.
    """
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if callable(get_ipython) else None
    return getattr(shell, "kernel", None) is not None


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except ValueError:  # a closed stream
        return False


class WaitProgress:
    """Reports one wait; this base reports nothing (progress off).

    Use it as a context manager: leaving the block closes the reporter whatever happened.
    """

    def update(self, state: str, fraction: float | None = None) -> None:
        """Show the awaited thing's current state.

        Args:
            state: Its state, e.g. ``"running"``.
            fraction: How much is done (0..1), when the server tells.
        """

    def finish(self, state: str, *, succeeded: bool) -> None:
        """Show how the wait ended and close the reporter (later calls do nothing).

        Args:
            state: The final state, e.g. ``"succeeded"`` or ``"failed"``.
            succeeded: Whether the wait got what it waited for.
        """

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            self.finish("done", succeeded=True)
        elif isinstance(exc, TimeoutError):
            self.finish("timed out", succeeded=False)
        else:
            self.finish("stopped", succeeded=False)


class _BarProgress(WaitProgress):
    """A tqdm bar: indeterminate (time and state) until the server reports a fraction.

    The bar is drawn at the first ``update``, so its first line already shows the state.
    """

    def __init__(self, description: str, file: TextIO | None) -> None:
        self._description = description
        self._file = file
        self._bar: tqdm[Any] | None = None
        self._closed = False

    def update(self, state: str, fraction: float | None = None) -> None:
        if self._closed:
            return
        fraction = None if fraction is None else min(max(fraction, 0.0), 1.0)
        bar = self._bar
        if bar is None:
            self._bar = _tqdm_class()(
                desc=self._description,
                total=None if fraction is None else 1.0,
                initial=fraction or 0.0,
                postfix=state,
                file=self._file,
                leave=True,
                bar_format=_INDETERMINATE if fraction is None else _DETERMINATE,
            )
            return
        if fraction is not None:
            if bar.total is None:
                # reset() is how tqdm (and its notebook widget) learn a total; keep the
                # elapsed time it would zero.
                started = bar.start_t
                bar.bar_format = _DETERMINATE
                bar.reset(total=1.0)
                bar.start_t = started
            bar.n = fraction
        bar.set_postfix_str(state, refresh=False)
        bar.refresh()

    def finish(self, state: str, *, succeeded: bool) -> None:
        bar, self._bar, self._closed = self._bar, None, True
        if bar is None:
            return
        if succeeded and bar.total is not None:
            bar.n = bar.total
        bar.set_postfix_str(state, refresh=False)
        bar.close()


def _tqdm_class() -> type[tqdm[Any]]:
    """tqdm's notebook widget in a kernel that has ipywidgets, else its text bar."""
    if in_notebook() and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.auto import tqdm as auto_tqdm

        return auto_tqdm
    # Without ipywidgets tqdm.auto warns and falls back to this bar anyway.
    from tqdm.std import tqdm as text_tqdm

    return text_tqdm


def wait_progress(
    progress: bool | None, description: str, *, file: TextIO | None = None
) -> WaitProgress:
    """A reporter for one wait: a bar when :func:`progress_enabled`, else a silent one.

    Args:
        progress: What the caller asked for (None: automatic).
        description: What is awaited, e.g. ``"vm.start web-1"``.
        file: Where the bar is drawn (default ``sys.stderr``, or the notebook).

    Returns:
        The reporter; use it as a context manager.
    """
    if not progress_enabled(progress, stream=file):
        return WaitProgress()
    return _BarProgress(description, file)
