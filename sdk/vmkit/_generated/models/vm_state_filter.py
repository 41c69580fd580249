from enum import StrEnum


class VMStateFilter(StrEnum):
    CREATING = "creating"
    DELETING = "deleting"
    ERROR = "error"
    MIGRATING = "migrating"
    PAUSED = "paused"
    RUNNING = "running"
    STARTING = "starting"
    STOPPED = "stopped"
    STOPPING = "stopping"
    SUSPENDED = "suspended"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
