"""The QEMU backend: real VMs with `qemu-system-x86_64` (KVM when it works, else TCG)."""

from .backend import QEMU_CAPABILITIES, QemuBackend

__all__ = ["QEMU_CAPABILITIES", "QemuBackend"]
