"""Signed webhooks (Standard Webhooks): the API's rules, the URL policy, the delivery worker.

Deliveries come from the outbox the store fills in the transaction of each event
(`store._webhook_deliveries`); the worker here sends them, signed, retried with backoff,
at least once.
"""

from ._sender import AttemptError, HttpSender, Sender
from ._service import Webhooks
from ._settings import DEFAULT_RETRY_SCHEDULE, PING, WebhookSettings
from ._urls import address_refusal
from ._worker import DeliveryWorker

__all__ = [
    "DEFAULT_RETRY_SCHEDULE",
    "PING",
    "AttemptError",
    "DeliveryWorker",
    "HttpSender",
    "Sender",
    "WebhookSettings",
    "Webhooks",
    "address_refusal",
]
