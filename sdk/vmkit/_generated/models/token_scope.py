from enum import StrEnum


class TokenScope(StrEnum):
    ADMIN = "admin"
    CONNECT = "connect"
    READ = "read"
    WRITE = "write"

    def __str__(self) -> str:
        return str(self.value)
