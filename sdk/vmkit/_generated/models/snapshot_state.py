from enum import StrEnum


class SnapshotState(StrEnum):
    CREATING = "creating"
    DELETING = "deleting"
    ERROR = "error"
    READY = "ready"

    def __str__(self) -> str:
        return str(self.value)
