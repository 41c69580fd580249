"""The QEMU backend: real VMs with `qemu-system-x86_64` (KVM when it works, else TCG).

Besides the backend, the exact command line it runs is public (`MachineSpec`, `build_argv`,
`VMPaths`, `socket_dir`), so a comparison with raw QEMU (`bench/qemu_lifecycle.py`) starts
QEMU precisely as the backend would.
"""

from ._process import MachineSpec, build_argv
from ._state import VMPaths, socket_dir
from .backend import QEMU_CAPABILITIES, QemuBackend

__all__ = ["QEMU_CAPABILITIES", "MachineSpec", "QemuBackend", "VMPaths", "build_argv", "socket_dir"]
