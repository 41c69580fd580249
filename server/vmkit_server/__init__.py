"""vmkit's reference server: the vmkit API over pluggable hypervisor backends."""

__version__ = "0.1.0"

__all__ = ["__version__"]
