"""The client's resources: ``client.vms``, ``client.snapshots``, ``client.operations``, ..."""

from vmkit._async.resources.events import AsyncEvents
from vmkit._async.resources.hosts import AsyncHosts
from vmkit._async.resources.images import AsyncImages
from vmkit._async.resources.operations import AsyncOperations
from vmkit._async.resources.snapshots import AsyncSnapshots, AsyncVMSnapshots
from vmkit._async.resources.tokens import AsyncTokens
from vmkit._async.resources.vms import AsyncVMs
from vmkit._async.resources.webhooks import AsyncWebhooks

__all__ = [
    "AsyncEvents",
    "AsyncHosts",
    "AsyncImages",
    "AsyncOperations",
    "AsyncSnapshots",
    "AsyncTokens",
    "AsyncVMSnapshots",
    "AsyncVMs",
    "AsyncWebhooks",
]
