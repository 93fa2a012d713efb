"""Rasa's RabbitMQ event broker with a bounded backlog (`type: stores.bounded_pika_broker.BoundedPikaEventBroker`).

While RabbitMQ cannot be reached, Rasa's broker keeps every event it could not publish in memory,
without limit, and publishes them once it has reconnected: a long outage under traffic grows the
Rasa server until it runs out of memory. This one keeps at most `max_unpublished_events` (all of
Rasa's other settings are the same); beyond that the oldest are shed, and how many were shed is
logged (on the first and then every SHED_LOG_EVERY). The conversations themselves are safe in the
tracker store: the broker carries copies for analytics.
"""
from __future__ import annotations

import logging
from collections import deque
from typing import Any, Dict, Text

import rasa.shared.core.events  # noqa: F401 - the broker reads it as an attribute
from rasa.core.brokers.pika import PikaEventBroker

log = logging.getLogger(__name__)

DEFAULT_MAX_UNPUBLISHED = 10_000
SHED_LOG_EVERY = 1_000


class Backlog(deque):
    """The events waiting for RabbitMQ, at most `limit`; counts the oldest it had to drop."""

    def __init__(self, limit: int) -> None:
        super().__init__((), max(1, int(limit)))
        self.shed = 0

    def append(self, event: Dict[Text, Any]) -> None:
        if len(self) == self.maxlen:
            self.shed += 1
            if self.shed == 1 or self.shed % SHED_LOG_EVERY == 0:
                log.warning("RabbitMQ unreachable: %s events waiting, the oldest dropped (%s so far); "
                            "the conversations are kept in the tracker store", len(self), self.shed)
        super().append(event)


class BoundedPikaEventBroker(PikaEventBroker):
    def __init__(self, *args: Any, max_unpublished_events: int = DEFAULT_MAX_UNPUBLISHED, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._unpublished_events = Backlog(max_unpublished_events)

    @property
    def waiting(self) -> int:
        return len(self._unpublished_events)

    @property
    def shed(self) -> int:
        backlog = self._unpublished_events
        return backlog.shed if isinstance(backlog, Backlog) else 0
