"""Rasa's SQL tracker store, with every pooled connection checked before use.

After PostgreSQL restarts (or a network blip), each Rasa server still holds pooled connections
to the old server process. Rasa's store uses them as they are, the first query fails, and Rasa's
fail-safe wrapper answers that message from an empty in-memory conversation; saving it back
then writes nothing, because the store appends only "the events beyond the count already
stored". That turn is lost without a trace. With pool_pre_ping a dead connection is found
and replaced before the query, so the message is handled from the real conversation.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs


class PrePingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore (same settings) whose engine pings a connection before handing it out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
