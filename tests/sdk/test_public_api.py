"""The package's public surface: a sorted, complete __all__, lazy imports, twin parity."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import textwrap

import pytest

import vmkit

PUBLIC = {
    "AsyncClient",
    "AsyncEventStream",
    "AsyncOperation",
    "AsyncPaginator",
    "AsyncVM",
    "Client",
    "ConsoleOutput",
    "Event",
    "EventStream",
    "ExecResult",
    "Operation",
    "Paginator",
    "ResourceList",
    "Screenshot",
    "StreamReset",
    "VM",
    "__version__",
    "errors",
    "webhooks",
}


def test_all_is_sorted_and_complete() -> None:
    """__all__ lists exactly the public names, in ruff's (isort-style) order."""
    assert set(vmkit.__all__) == PUBLIC
    classes = sorted(n for n in vmkit.__all__ if n[0].isupper() and not n.isupper())
    others = sorted(n for n in vmkit.__all__ if not n[0].isupper())
    capitals = sorted(n for n in vmkit.__all__ if n.isupper())
    assert capitals + classes + others == vmkit.__all__


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_public_name_resolves_and_is_documented(name: str) -> None:
    """Each name in __all__ can be read from the package and has a docstring."""
    value = getattr(vmkit, name)
    if name == "__version__":
        assert isinstance(value, str) and value
    else:
        assert inspect.getdoc(value)


def test_unknown_attribute_raises() -> None:
    """A name that is not public raises AttributeError, as for any module."""
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        vmkit.Nope  # noqa: B018 - the attribute access is the test


def test_import_is_lazy() -> None:
    """`import vmkit` loads neither the generated models, nor the server, nor tqdm."""
    code = textwrap.dedent(
        """
        import sys
        import vmkit
        heavy = ("vmkit._generated", "vmkit_server", "tqdm", "httpx", "vmkit._async")
        print(sorted(m for m in sys.modules if m.startswith(heavy)))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_sync_and_async_twins_have_the_same_signatures() -> None:
    """Client and AsyncClient offer the same resources and methods with the same parameters."""
    from vmkit._async import resources as async_resources
    from vmkit._sync import resources as sync_resources

    pairs: list[tuple[type, type]] = [
        (vmkit.Client, vmkit.AsyncClient),
        (vmkit.VM, vmkit.AsyncVM),
        (vmkit.Operation, vmkit.AsyncOperation),
        (vmkit.Paginator, vmkit.AsyncPaginator),
        (vmkit.EventStream, vmkit.AsyncEventStream),
    ]
    pairs += [
        (getattr(sync_resources, n[5:]), getattr(async_resources, n))
        for n in async_resources.__all__
    ]
    for sync_cls, async_cls in pairs:
        sync_names = {n for n in dir(sync_cls) if not n.startswith("_")}
        async_names = {_unasync(n) for n in dir(async_cls) if not n.startswith("_")}
        assert sync_names == async_names, sync_cls
        for name in sync_names:
            sync_attr = getattr(sync_cls, name)
            async_attr = getattr(async_cls, "aclose" if name == "close" else name)
            if callable(sync_attr):
                where = f"{sync_cls.__name__}.{name}"
                assert _params(sync_attr) == _params(async_attr), where
                assert _returns(sync_attr) == _unasync_text(_returns(async_attr)), where
                _check_is_async(async_attr, where)


def _unasync(name: str) -> str:
    return "close" if name == "aclose" else name


def _params(func: object) -> list[tuple[str, object, object, str]]:
    signature = inspect.signature(func)  # type: ignore[arg-type]
    return [
        (p.name, p.kind, p.default, _unasync_text(str(p.annotation)))
        for p in signature.parameters.values()
    ]


def _returns(func: object) -> str:
    return str(inspect.signature(func).return_annotation)  # type: ignore[arg-type]


def _unasync_text(annotation: str) -> str:
    """An async annotation as its sync twin spells it (``AsyncVM`` -> ``VM``)."""
    return re.sub(r"\bAsync(?=[A-Z])", "", annotation)


# Public methods of the async twin that are plain functions on purpose: they do no I/O
# (to_dict) or return a lazy async object (paginators, resources, a client copy).
PLAIN_METHODS = frozenset(
    {"to_dict", "list", "pages", "logs", "of", "with_options", "stream", "deliveries"}
)


def _check_is_async(func: object, where: str) -> None:
    """An async twin's method is a coroutine function or an async generator (context
    manager), unless it is one of the known plain methods, whose result is async or inert."""
    wrapped = getattr(func, "__wrapped__", func)
    if inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(wrapped):
        return
    name = where.rpartition(".")[2]
    assert name in PLAIN_METHODS, f"{where} is neither a coroutine function nor known as plain"
    returned = _returns(func)
    assert name == "to_dict" or re.search(r"\bAsync[A-Z]|^Self$", returned), (where, returned)
