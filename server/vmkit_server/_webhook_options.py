"""`vmkit-server`'s webhook options: the addresses webhooks may reach, and the retry schedule."""

from __future__ import annotations

import argparse

from .core.webhooks import DEFAULT_RETRY_SCHEDULE, WebhookSettings

__all__ = ["add_webhook_options", "webhook_settings"]


def _schedule(text: str) -> tuple[float, ...]:
    try:
        delays = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected seconds separated by commas, got {text!r}"
        ) from None
    if any(d < 0 for d in delays):
        raise argparse.ArgumentTypeError("retry delays must not be negative")
    return delays


def add_webhook_options(parser: argparse.ArgumentParser) -> None:
    """Add the `--webhook-*` options to the server's parser.

    Args:
        parser: The `vmkit-server` parser.
    """
    group = parser.add_argument_group("webhooks")
    group.add_argument(
        "--webhook-allow-private",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="let webhooks reach loopback and private addresses (default: yes)",
    )
    group.add_argument(
        "--webhook-allow-link-local",
        action="store_true",
        help="let webhooks reach link-local and cloud metadata addresses (default: no)",
    )
    group.add_argument(
        "--webhook-retry-schedule",
        type=_schedule,
        default=DEFAULT_RETRY_SCHEDULE,
        metavar="SECONDS,...",
        help="waits after each failed attempt (default: 5,300,1800,7200,18000,36000,36000)",
    )
    group.add_argument(
        "--webhook-disable-after",
        type=int,
        default=WebhookSettings.disable_after,
        metavar="N",
        help="disable a webhook after N deliveries in a row failed (default: %(default)s)",
    )


def webhook_settings(args: argparse.Namespace) -> WebhookSettings:
    """The settings the parsed `--webhook-*` options describe.

    Args:
        args: The parsed arguments.

    Returns:
        The settings.

    Raises:
        ValueError: `--webhook-disable-after` below 1.
    """
    return WebhookSettings(
        allow_private=args.webhook_allow_private,
        allow_link_local=args.webhook_allow_link_local,
        retry_schedule=args.webhook_retry_schedule,
        disable_after=args.webhook_disable_after,
    )
