from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Capabilities")


@_attrs_define
class Capabilities:
    """What the host's backend can do; other actions answer 501.

    Attributes:
        create (bool):
        delete (bool):
        start (bool):
        stop (bool):
        force_stop (bool):
        restart (bool):
        pause (bool):
        resume (bool):
        suspend (bool):
        snapshots (bool):
        memory_snapshots (bool):
        clone (bool):
        rename (bool):
        update_resources (bool):
        resize_disk (bool):
        exec_ (bool):
        files (bool):
        console (bool):
        screenshot (bool):
        ready_signal (bool):
    """

    create: bool
    delete: bool
    start: bool
    stop: bool
    force_stop: bool
    restart: bool
    pause: bool
    resume: bool
    suspend: bool
    snapshots: bool
    memory_snapshots: bool
    clone: bool
    rename: bool
    update_resources: bool
    resize_disk: bool
    exec_: bool
    files: bool
    console: bool
    screenshot: bool
    ready_signal: bool
    additional_properties: dict[str, bool] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        create = self.create

        delete = self.delete

        start = self.start

        stop = self.stop

        force_stop = self.force_stop

        restart = self.restart

        pause = self.pause

        resume = self.resume

        suspend = self.suspend

        snapshots = self.snapshots

        memory_snapshots = self.memory_snapshots

        clone = self.clone

        rename = self.rename

        update_resources = self.update_resources

        resize_disk = self.resize_disk

        exec_ = self.exec_

        files = self.files

        console = self.console

        screenshot = self.screenshot

        ready_signal = self.ready_signal

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "create": create,
                "delete": delete,
                "start": start,
                "stop": stop,
                "force_stop": force_stop,
                "restart": restart,
                "pause": pause,
                "resume": resume,
                "suspend": suspend,
                "snapshots": snapshots,
                "memory_snapshots": memory_snapshots,
                "clone": clone,
                "rename": rename,
                "update_resources": update_resources,
                "resize_disk": resize_disk,
                "exec": exec_,
                "files": files,
                "console": console,
                "screenshot": screenshot,
                "ready_signal": ready_signal,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        create = d.pop("create")

        delete = d.pop("delete")

        start = d.pop("start")

        stop = d.pop("stop")

        force_stop = d.pop("force_stop")

        restart = d.pop("restart")

        pause = d.pop("pause")

        resume = d.pop("resume")

        suspend = d.pop("suspend")

        snapshots = d.pop("snapshots")

        memory_snapshots = d.pop("memory_snapshots")

        clone = d.pop("clone")

        rename = d.pop("rename")

        update_resources = d.pop("update_resources")

        resize_disk = d.pop("resize_disk")

        exec_ = d.pop("exec")

        files = d.pop("files")

        console = d.pop("console")

        screenshot = d.pop("screenshot")

        ready_signal = d.pop("ready_signal")

        capabilities = cls(
            create=create,
            delete=delete,
            start=start,
            stop=stop,
            force_stop=force_stop,
            restart=restart,
            pause=pause,
            resume=resume,
            suspend=suspend,
            snapshots=snapshots,
            memory_snapshots=memory_snapshots,
            clone=clone,
            rename=rename,
            update_resources=update_resources,
            resize_disk=resize_disk,
            exec_=exec_,
            files=files,
            console=console,
            screenshot=screenshot,
            ready_signal=ready_signal,
        )

        capabilities.additional_properties = d
        return capabilities

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> bool:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: bool) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
