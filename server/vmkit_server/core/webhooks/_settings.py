"""How the server delivers webhooks: which addresses it may call, and the retry schedule."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

__all__ = ["DEFAULT_RETRY_SCHEDULE", "PING", "WebhookSettings"]

#: The type of a test delivery (`POST /v1/webhooks/{id}:test`): not an event of the log.
PING = "webhook.ping"

#: Seconds to wait after each failed attempt (Standard Webhooks' and Svix's schedule): a
#: first attempt at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later; the
#: delivery fails after the eighth attempt, about 27.5 hours after the event.
DEFAULT_RETRY_SCHEDULE: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)


@dataclass(frozen=True)
class WebhookSettings:
    """The server's webhook delivery settings (`ServerConfig.webhooks`).

    Attributes:
        allow_private: Whether URLs may point to loopback and private addresses
            (127.0.0.0/8, ::1, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10,
            fc00::/7). On by default: receivers next to a self-hosted server are the common
            case, and only `admin` tokens manage webhooks.
        allow_public: Whether URLs may point to public addresses (on by default; test
            servers turn it off so nothing leaves the machine).
        allow_link_local: Whether URLs may point to link-local addresses (169.254.0.0/16,
            fe80::/10) and cloud metadata services (169.254.169.254, fd00:ec2::254,
            100.100.100.200, 168.63.129.16). Off by default: they hand out the host's
            credentials.
        retry_schedule: Seconds to wait after each failed attempt; the delivery fails
            after `len(retry_schedule) + 1` attempts.
        jitter: Each wait is stretched or shrunk by up to this fraction, at random, so that
            deliveries failing together do not come back together.
        disable_after: Deliveries failing in a row (after all their retries) that disable
            the webhook (`disabled_reason: failing`, event `webhook.disabled`).
        timeout: Seconds an attempt may take, connecting included.
        max_parallel: Webhooks delivered to at once (one attempt per webhook at a time).
        poll_interval: Longest pause between two looks at the outbox (new events and
            pings wake the worker at once; this is a safety net).
        keep_finished: Seconds finished deliveries stay listed.
        rng: Gives numbers in [0, 1) for the jitter (tests pin it).
    """

    allow_private: bool = True
    allow_public: bool = True
    allow_link_local: bool = False
    retry_schedule: tuple[float, ...] = DEFAULT_RETRY_SCHEDULE
    jitter: float = 0.1
    disable_after: int = 5
    timeout: float = 15.0
    max_parallel: int = 8
    poll_interval: float = 30.0
    keep_finished: float = 7 * 86400.0
    # A private generator: drawing from the global `random` in the server's thread would
    # disturb anything else seeded through it (hypothesis warns about exactly that).
    rng: Callable[[], float] = field(default_factory=lambda: random.Random().random)

    def __post_init__(self) -> None:
        if any(delay < 0 for delay in self.retry_schedule):
            raise ValueError("webhook retry delays must not be negative")
        if not 0 <= self.jitter < 1:
            raise ValueError("webhook jitter must be in [0, 1)")
        if self.disable_after < 1 or self.max_parallel < 1:
            raise ValueError("disable_after and max_parallel must be at least 1")

    def retry_delay(self, attempts: int) -> timedelta | None:
        """How long to wait before the next attempt, after `attempts` failed ones.

        Args:
            attempts: Attempts made so far (at least 1).

        Returns:
            The wait, jittered; None when no attempt is left.
        """
        if attempts > len(self.retry_schedule):
            return None
        base = self.retry_schedule[attempts - 1]
        factor = 1 + self.jitter * (2 * self.rng() - 1)
        return timedelta(seconds=base * factor)
