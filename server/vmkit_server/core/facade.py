"""All core services in one object, built once per app."""

from __future__ import annotations

from dataclasses import dataclass

from .auth import TokenAuthority
from .context import Services
from .disks import Disks
from .guest import Guest
from .hosts import Hosts
from .images import Images
from .lifecycle import Lifecycle
from .operations import Operations
from .provisioning import Provisioning
from .reconcile import Reconciler
from .snapshots import Snapshots
from .streams import EventStreams
from .vms import VMs
from .webhooks import Webhooks, WebhookSettings

__all__ = ["Core"]


@dataclass
class Core:
    """The domain, as the HTTP handlers see it."""

    svc: Services
    vms: VMs
    lifecycle: Lifecycle
    provisioning: Provisioning
    snapshots: Snapshots
    operations: Operations
    hosts: Hosts
    guest: Guest
    disks: Disks
    images: Images
    auth: TokenAuthority
    reconciler: Reconciler
    webhooks: Webhooks
    events: EventStreams

    @classmethod
    def build(cls, svc: Services, *, webhooks: WebhookSettings | None = None) -> Core:
        """Wire every service to the shared parts (`webhooks`: the delivery settings)."""
        images = Images(svc)
        provisioning = Provisioning(svc, images)
        return cls(
            svc=svc,
            vms=VMs(svc),
            lifecycle=Lifecycle(svc),
            provisioning=provisioning,
            snapshots=Snapshots(svc),
            operations=Operations(svc),
            hosts=Hosts(svc),
            guest=Guest(svc),
            disks=Disks(svc),
            images=images,
            auth=TokenAuthority(svc.store, svc.clock),
            reconciler=Reconciler(svc, provisioning),
            webhooks=Webhooks(svc, webhooks or WebhookSettings()),
            events=EventStreams(svc),
        )
