"""The transaction object handed out by :class:`~vmkit_server.store.db.Store`.

Its methods live in one module per table (``_vms.py``, ``_operations.py``, ...);
:class:`Tx` only puts them together.
"""

from __future__ import annotations

from vmkit_server.store._events import EventsTx
from vmkit_server.store._idempotency import IdempotencyTx
from vmkit_server.store._operations import OperationsTx
from vmkit_server.store._snapshots import SnapshotsTx
from vmkit_server.store._tokens import TokensTx
from vmkit_server.store._vms import VMsTx
from vmkit_server.store._webhook_deliveries import WebhookDeliveriesTx
from vmkit_server.store._webhooks import WebhooksTx

__all__ = ["Tx"]


class Tx(
    VMsTx,
    SnapshotsTx,
    OperationsTx,
    EventsTx,
    TokensTx,
    IdempotencyTx,
    WebhooksTx,
    WebhookDeliveriesTx,
):
    """One database transaction: every read and write of the store goes through it.

    Obtain one from ``Store.tx()`` (write) or ``Store.read()`` (read only); it is
    valid only inside that ``with`` block. Rows are stamped with the store's clock.
    Every method raises :class:`~vmkit_server.store.errors.StoreError` when it writes
    inside a read transaction.
    """

    __slots__ = ()
