"""Reading VMs and changing their settings (no operation needed: these answer at once)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from ..store import Tx, VMRow
from . import errors
from .context import Services
from .events import vm_event
from .guards import check_if_match, load_vm, require_capability, require_idle, require_state
from .paging import decode_page_token, page_of
from .render import RenderCache
from .states import PATCHABLE, VMState
from .views import etag_for, vm_view

__all__ = ["VMs"]


class VMs:
    """Lists, reads, updates and renames VM records.

    Args:
        svc: The shared services.
    """

    def __init__(self, svc: Services) -> None:
        self._svc = svc
        self._rendered = RenderCache()

    def list(
        self,
        *,
        page_size: int,
        page_token: str | None,
        states: Sequence[str] = (),
        labels: Sequence[str] = (),
    ) -> tuple[Sequence[VMRow], str | None]:
        """One page of VMs, oldest first, and the next page's token."""
        after = decode_page_token(page_token)
        wanted = dict(pair.split("=", 1) for pair in labels)
        with self._svc.store.read() as tx:
            rows = tx.list_vms(page_size=page_size, after=after, states=states, labels=wanted)
        return page_of(rows, page_size)

    def get_json(self, ref: str) -> tuple[bytes, str]:
        """The VM rendered as the API's JSON, and its ETag (cached per version)."""
        store = self._svc.store
        version = store.get_vm_version(ref)
        if version is None:
            raise errors.not_found("vm", ref)

        def render() -> dict[str, Any]:
            row = store.get_vm(version[0])
            if row is None or row.generation != version[1]:
                raise errors.not_found("vm", ref)  # deleted or changed between the reads
            return vm_view(row)

        return self._rendered.get_or_render(version, render)

    async def update(self, ref: str, body: dict[str, Any], *, if_match: str | None) -> VMRow:
        """Change labels, TTL, and (while stopped) CPUs and memory.

        Raises:
            ProblemError: 404, 409 (state or busy), 412, or 501 for resources the backend
                cannot change.
        """
        svc = self._svc
        resources: dict[str, Any] = {k: body[k] for k in ("cpus", "memory_mib") if k in body}
        with svc.store.read() as tx:
            vm = load_vm(tx, ref)
            check_if_match(ref, vm.id, vm.generation, if_match)
            require_idle(tx, vm)
            require_state(vm, "update", PATCHABLE)
            if resources:
                require_state(vm, "change cpus or memory of", {VMState.STOPPED})
        if resources:
            require_capability(svc.backend, "update_resources")
            await svc.backend.update_resources(
                vm.id, cpus=resources.get("cpus"), memory_mib=resources.get("memory_mib")
            )
        changes: dict[str, Any] = dict(resources)
        if "labels" in body:
            changes["labels"] = dict(body["labels"])
        if "ttl_seconds" in body:
            ttl = body["ttl_seconds"]
            changes["ttl_seconds"] = ttl
            changes["expires_at"] = vm.created_at + timedelta(seconds=ttl) if ttl else None
        with svc.store.tx() as tx:
            row = tx.update_vm(vm.id, expected_generation=vm.generation, **changes)
            if row is None:
                raise self._changed_meanwhile(tx, ref, if_match)
            vm_event(tx, "vm.updated", row)
        return row

    async def rename(self, ref: str, name: str, *, if_match: str | None) -> VMRow:
        """Give the VM a new name; its id stays.

        Raises:
            ProblemError: 404, 409 (state, busy or name taken), 412 or 501.
        """
        svc = self._svc
        require_capability(svc.backend, "rename")
        with svc.store.read() as tx:
            vm = load_vm(tx, ref)
            check_if_match(ref, vm.id, vm.generation, if_match)
            require_idle(tx, vm)
            require_state(vm, "rename", PATCHABLE)
            if name != vm.name and tx.get_vm(name) is not None:
                raise errors.already_exists("vm", name)
        if name == vm.name:
            return vm
        await svc.backend.rename(vm.id, name)
        with svc.store.tx() as tx:
            if tx.get_vm(name) is not None:
                raise errors.already_exists("vm", name)
            row = tx.update_vm(vm.id, expected_generation=vm.generation, name=name)
            if row is None:
                raise self._changed_meanwhile(tx, ref, if_match)
            vm_event(tx, "vm.renamed", row, previous_name=vm.name)
        return row

    @staticmethod
    def _changed_meanwhile(tx: Tx, ref: str, if_match: str | None) -> Exception:
        """Another write won the race: 412 for a conditional request, else 409 `VM_CHANGED`."""
        from ..problems import ProblemError

        if if_match is not None:
            current = tx.get_vm(ref)
            etag = etag_for(current.id, current.generation) if current is not None else "*"
            return errors.precondition_failed(ref, etag)
        return ProblemError(
            409,
            "VM_CHANGED",
            f"VM {ref!r} changed while this request was handled; read it again and retry",
        )
