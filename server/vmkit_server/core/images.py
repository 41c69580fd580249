"""The images VMs are created from, as the backend's catalog lists them."""

from __future__ import annotations

from typing import Any

from ..backends.guest import ImageCatalog, ImageInfo
from ..problems import ProblemError
from .context import Services

__all__ = ["Images"]


def _view(image: ImageInfo) -> dict[str, Any]:
    return {
        "name": image.name,
        "description": image.description,
        "os": image.os,
        "arch": image.arch,
        "disk_gib": image.disk_gib,
        "size_bytes": image.size_bytes,
        "default": image.default,
    }


class Images:
    """The image service: ``GET /v1/images`` and the image check of create and clone.

    Args:
        svc: The shared services.
    """

    def __init__(self, svc: Services) -> None:
        self._svc = svc

    async def list(self) -> list[dict[str, Any]]:
        """Every image of the backend (none when it has no catalog)."""
        backend = self._svc.backend
        if not isinstance(backend, ImageCatalog):
            return []
        return [_view(image) for image in await backend.list_images()]

    async def resolve(self, name: str | None) -> str | None:
        """The image a create should use: `name` checked, or the default when it is None.

        Only backends whose catalog says ``requires_known_image`` are strict; others take
        any name (and None).

        Raises:
            ProblemError: 422 `IMAGE_NOT_FOUND` naming the images there are.
        """
        backend = self._svc.backend
        if not isinstance(backend, ImageCatalog) or not backend.requires_known_image:
            return name
        images = await backend.list_images()
        if name is None:
            default = next((i.name for i in images if i.default), None)
            return default if default is not None else (images[0].name if images else None)
        if any(i.name == name for i in images):
            return name
        known = [i.name for i in images]
        raise ProblemError(
            422,
            "IMAGE_NOT_FOUND",
            f"the {backend.name!r} backend has no image {name!r}",
            errors=[
                {
                    "location": "body",
                    "pointer": "/image",
                    "detail": f"known images: {', '.join(known) or 'none'}",
                    "keyword": "enum",
                }
            ],
            metadata={"image": name, "images": known},
        )
