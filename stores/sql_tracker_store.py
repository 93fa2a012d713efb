"""Rasa's SQL tracker store, with pooled connections checked before use and a fast SQLite file.

PostgreSQL: after PostgreSQL restarts (or a network blip), each Rasa server still holds pooled
connections to the old server process. Rasa's store uses them as they are, the first query
fails, and Rasa's fail-safe wrapper answers that message from an empty in-memory conversation;
saving it back then writes nothing, because the store appends only "the events beyond the count
already stored". That turn is lost without a trace. With pool_pre_ping a dead connection is
found and replaced before the query, so the message is handled from the real conversation.

SQLite (the default of `make run`): SQLAlchemy 1.4 gives a SQLite file a NullPool, so each of
the three or four store calls per message opened the file anew, and every commit waited for an
fsync of the rollback journal: a fifth of the Rasa server's time per message in a profile
(docs/benchmarks.md). Here the file is kept open in a pool, in WAL mode with synchronous=NORMAL:
a commit survives a crash of the process; only an operating-system crash or power cut can undo
the last commits. Several workers or servers may share the file (busy timeout 5 s).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs

from bot.core.db import sqlite_engine

SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000")


class PrePingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore (same settings) whose engine pings a connection before handing it out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            self.engine = sqlite_engine(url, SQLITE_PRAGMAS, pool_pre_ping=True)
        else:
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
