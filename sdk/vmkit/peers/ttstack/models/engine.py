from enum import StrEnum


class Engine(StrEnum):
    BHYVE = "bhyve"
    DOCKER = "docker"
    FIRECRACKER = "firecracker"
    JAIL = "jail"
    QEMU = "qemu"

    def __str__(self) -> str:
        return str(self.value)
