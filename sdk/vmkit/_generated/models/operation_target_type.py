from enum import StrEnum


class OperationTargetType(StrEnum):
    SNAPSHOT = "snapshot"
    VM = "vm"

    def __str__(self) -> str:
        return str(self.value)
