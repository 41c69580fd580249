"""Read-only attribute access to a VM as last fetched (cheap: no copy until asked)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vmkit._async._api import VMModel

__all__ = ["VMFields"]


class VMFields:
    """The fields of a VM, read from the generated model it wraps.

    Args:
        model: The VM as the server sent it.
    """

    def __init__(self, model: VMModel) -> None:
        self._model = model

    @property
    def model(self) -> VMModel:
        """The generated model this handle wraps (the raw answer)."""
        return self._model

    @property
    def id(self) -> str:
        """The immutable id (``vm_...``)."""
        return self._model.id

    @property
    def name(self) -> str:
        """The unique name (it can change with ``rename``)."""
        return self._model.name

    @property
    def state(self) -> str:
        """``creating, stopped, starting, running, stopping, paused, suspended, ...``.

        New states may appear; compare with strings.
        """
        return self._model.state

    @property
    def state_reason(self) -> str | None:
        """Why the VM is in its state (``booted``, ``shutdown``, ``crashed``, ...)."""
        return self._model.state_reason

    @property
    def state_changed_at(self) -> datetime:
        """When the state last changed."""
        return self._model.state_changed_at

    @property
    def desired_state(self) -> str | None:
        """The state the running operation is driving the VM to."""
        return self._model.desired_state

    @property
    def cpus(self) -> int:
        """Virtual CPUs."""
        return self._model.cpus

    @property
    def memory_mib(self) -> int:
        """Memory in MiB."""
        return self._model.memory_mib

    @property
    def disk_gib(self) -> int:
        """Disk size in GiB."""
        return self._model.disk_gib

    @property
    def image(self) -> str | None:
        """The image the VM was made from."""
        return self._model.image

    @property
    def labels(self) -> dict[str, str]:
        """A copy of the VM's ``key: value`` labels."""
        return dict(self._model.labels.additional_properties)

    @property
    def backend(self) -> str:
        """The backend that runs the VM."""
        return self._model.backend

    @property
    def host(self) -> str:
        """The host that runs the VM."""
        return self._model.host

    @property
    def ip_addresses(self) -> list[str]:
        """A copy of the addresses the guest reported."""
        return list(self._model.ip_addresses)

    @property
    def ready(self) -> bool:
        """Whether the guest answered its agent (ready for work)."""
        return self._model.ready

    @property
    def ttl_seconds(self) -> int | None:
        """Lifetime from creation, or None for no expiry."""
        return self._model.ttl_seconds

    @property
    def expires_at(self) -> datetime | None:
        """When the VM will be deleted (reason ``expired``), or None."""
        return self._model.expires_at

    @property
    def created_at(self) -> datetime:
        """When the VM was created."""
        return self._model.created_at

    @property
    def updated_at(self) -> datetime:
        """When the VM last changed."""
        return self._model.updated_at

    @property
    def etag(self) -> str:
        """The strong ETag; pass it as ``if_match=`` to avoid lost updates."""
        return self._model.etag

    @property
    def operation_id(self) -> str | None:
        """The id of the operation driving a transitional state (the ``operation`` field)."""
        return self._model.operation

    @property
    def extra(self) -> dict[str, Any]:
        """A copy of the backend-specific details."""
        return self._model.extra.to_dict()

    def to_dict(self) -> dict[str, Any]:
        """The VM as the JSON object the server sent.

        Returns:
            A new dict.
        """
        return self._model.to_dict()
