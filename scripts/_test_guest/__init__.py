"""The pieces of `scripts/build-test-guest` (private to it; standard library only).

`common` holds the guest's constants and the helpers every step uses; `apt` finds and
installs Debian packages and the kernel; `initramfs` and `disk` make the artifacts;
`manifest` decides when a build is needed and writes what the QEMU backend reads.
"""
