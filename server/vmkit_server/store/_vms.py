"""Transaction methods for the ``vms`` table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
)

from vmkit_server.store._base import TxBase, after_clause
from vmkit_server.store._types import UTCDateTime
from vmkit_server.store.rows import VMRow
from vmkit_server.store.schema import vms

__all__ = ["VMsTx"]

#: VM ids carry this prefix; names cannot contain "_", so the prefix decides the lookup.
VM_ID_PREFIX = "vm_"

_INSERT = insert(vms).returning(*vms.c)
_BY_ID = select(vms).where(vms.c.id == bindparam("ref"))
_BY_NAME = select(vms).where(vms.c.name == bindparam("ref"))
_DELETE = delete(vms).where(vms.c.id == bindparam("vm_id"))
_ALL = select(vms).order_by(vms.c.created_at, vms.c.id)
_COUNT = select(func.count()).select_from(vms)
_EXPIRED = (
    select(vms)
    .where(vms.c.expires_at <= bindparam("now", type_=UTCDateTime()))
    .order_by(vms.c.expires_at, vms.c.id)
)


class VMsTx(TxBase):
    """Reads and writes of VM records."""

    __slots__ = ()

    def insert_vm(
        self,
        *,
        id: str,
        name: str,
        state: str,
        cpus: int,
        memory_mib: int,
        disk_gib: int,
        backend: str,
        host: str,
        state_reason: str | None = None,
        desired_state: str | None = None,
        image: str | None = None,
        labels: Mapping[str, str] | None = None,
        ip_addresses: Sequence[str] = (),
        ready: bool = False,
        ttl_seconds: int | None = None,
        expires_at: datetime | None = None,
        operation_id: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> VMRow:
        """Record a new VM with generation 1; all its times are ``clock()``.

        Args:
            id: The VM id chosen by the caller (``vm_...``).
            name: The unique name.
            state: The initial state (usually ``creating``).
            cpus: Virtual CPUs.
            memory_mib: Memory in MiB.
            disk_gib: Disk size in GiB.
            backend: The backend that owns the VM.
            host: The host the VM lives on.
            state_reason: Why the VM is in ``state``.
            desired_state: The state an operation is driving it to.
            image: The image it was created from.
            labels: User labels.
            ip_addresses: Known guest addresses.
            ready: Whether the guest agent answered.
            ttl_seconds: Lifetime asked for at creation.
            expires_at: When the VM expires.
            operation_id: The operation driving a transitional state.
            extra: Backend-specific details.

        Returns:
            The stored row.

        Raises:
            StoreConflictError: If the id or the name is taken.
        """
        now = self._now()
        values = {
            "id": id,
            "name": name,
            "state": state,
            "state_reason": state_reason,
            "state_changed_at": now,
            "desired_state": desired_state,
            "cpus": cpus,
            "memory_mib": memory_mib,
            "disk_gib": disk_gib,
            "image": image,
            "labels": dict(labels or {}),
            "backend": backend,
            "host": host,
            "ip_addresses": list(ip_addresses),
            "ready": ready,
            "ttl_seconds": ttl_seconds,
            "expires_at": expires_at,
            "operation_id": operation_id,
            "extra": dict(extra or {}),
            "created_at": now,
            "updated_at": now,
            "generation": 1,
        }
        row = self._write(_INSERT, values).one()
        return VMRow(**row._mapping)

    def get_vm(self, ref: str) -> VMRow | None:
        """Find a VM by id (``vm_...``) or by name.

        Args:
            ref: The id or the name.

        Returns:
            The row, or None if there is no such VM.
        """
        stmt = _BY_ID if ref.startswith(VM_ID_PREFIX) else _BY_NAME
        row = self._run(stmt, {"ref": ref}).first()
        return None if row is None else VMRow(**row._mapping)

    def update_vm(
        self, vm_id: str, *, expected_generation: int | None = None, **fields: Any
    ) -> VMRow | None:
        """Change columns of a VM, bumping ``generation`` and ``updated_at``.

        ``state_changed_at`` is set to ``clock()`` when ``state`` is given and differs
        from the stored one (unless ``state_changed_at`` is given too).

        Args:
            vm_id: The VM id.
            expected_generation: If given, only update a VM still at this generation.
            **fields: Columns to set (any but id, generation, created_at, updated_at).

        Returns:
            The updated row, or None if the VM does not exist or its generation is
            not ``expected_generation`` (the core answers 412).

        Raises:
            StoreError: For an unknown or immutable column.
            StoreConflictError: If a new name is taken.
        """
        row = self._update_row(
            vms,
            vm_id,
            fields,
            expected_generation=expected_generation,
            track_state="state" in fields and "state_changed_at" not in fields,
        )
        return None if row is None else VMRow(**row._mapping)

    def delete_vm(self, vm_id: str) -> bool:
        """Delete a VM and, by cascade, its snapshots.

        Args:
            vm_id: The VM id.

        Returns:
            True if a VM was deleted.
        """
        return self._rowcount(_DELETE, {"vm_id": vm_id}) > 0

    def list_vms(
        self,
        *,
        page_size: int,
        after: tuple[datetime, str] | None,
        states: Sequence[str] = (),
        labels: Mapping[str, str] | None = None,
    ) -> list[VMRow]:
        """One page of VMs in (created_at, id) order.

        Args:
            page_size: The page size; up to ``page_size + 1`` rows are returned so the
                caller can tell whether there is a next page.
            after: (created_at, id) of the last VM of the previous page.
            states: Only VMs in one of these states (all if empty).
            labels: Only VMs carrying every one of these key=value labels.

        Returns:
            The rows.
        """
        conds: list[ColumnElement[bool]] = []
        if after is not None:
            conds.append(after_clause(vms.c.created_at, vms.c.id, after))
        if states:
            conds.append(vms.c.state.in_(list(states)))
        for key, value in (labels or {}).items():
            # json_extract on SQLite, ->> on PostgreSQL: SQLAlchemy picks per dialect.
            conds.append(vms.c.labels[key].as_string() == value)
        stmt = (
            select(vms)
            .where(and_(True, *conds))
            .order_by(vms.c.created_at, vms.c.id)
            .limit(page_size + 1)
        )
        return [VMRow(**r._mapping) for r in self._run(stmt)]

    def list_expired_vms(self, now: datetime) -> list[VMRow]:
        """VMs whose ``expires_at`` is at or before ``now``, soonest first.

        Args:
            now: The current time.

        Returns:
            The rows.
        """
        return [VMRow(**r._mapping) for r in self._run(_EXPIRED, {"now": now})]

    def all_vms(self) -> list[VMRow]:
        """Every VM in (created_at, id) order (for reconciliation at start).

        Returns:
            The rows.
        """
        return [VMRow(**r._mapping) for r in self._run(_ALL)]

    def count_vms(self) -> int:
        """The number of VMs.

        Returns:
            The count.
        """
        count: int = self._run(_COUNT).scalar_one()
        return count
