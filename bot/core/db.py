"""Engine and session handling for the shop database."""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Iterator, Optional, Sequence, Union

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.core import settings
from bot.core.models import Base


def make_engine(url: Optional[str] = None) -> Engine:
    url = url or settings.database_url()
    if url.startswith("sqlite"):
        # An in-memory database keeps its default pool (one connection, or it is another DB).
        return sqlite_engine(url, ("PRAGMA foreign_keys=ON", "PRAGMA journal_mode=WAL"),
                             pooled=make_url(url).database not in (None, "", ":memory:"), future=True)
    return create_engine(url, future=True, pool_pre_ping=True)


def sqlite_engine(url: Union[str, URL], pragmas: Sequence[str], pooled: bool = True, **kwargs: Any) -> Engine:
    """A SQLite engine that runs `pragmas` on each new connection; a file kept in a pool.

    SQLAlchemy 1.4 gives a SQLite file a NullPool: every session opened a new connection and
    ran the pragmas again, a few ms per lookup (docs/benchmarks.md). A file is safe to share
    through a pool (WAL, check_same_thread off), as SQLAlchemy 2.0 does. The shop and the
    tracker store (stores/sql_tracker_store.py) both use this.
    """
    pool = {"poolclass": QueuePool} if pooled else {}
    engine = create_engine(url, connect_args={"check_same_thread": False}, **pool, **kwargs)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001 - DB-API objects
        cur = dbapi_conn.cursor()
        for pragma in pragmas:
            cur.execute(pragma)
        cur.close()

    return engine


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One shared engine (and connection pool) per URL for the process."""
    return make_engine(url)


def create_schema(engine: Engine) -> None:
    Base.metadata.create_all(engine)


@lru_cache(maxsize=32)
def engine_with_table(url: str, table: str) -> Engine:
    """The shared engine for `url`, with `table` created if the database predates it (a shop
    database made by an older version gets a new table on first use)."""
    engine = engine_for(url)
    Base.metadata.tables[table].create(engine, checkfirst=True)
    return engine


def refresh_statistics(engine: Engine) -> None:
    """Give the query planner fresh table statistics after a bulk load.

    Right after a million rows arrive, PostgreSQL has no statistics until autovacuum gets to
    them and estimates thousands of items per order (docs/benchmarks.md); SQLite's planner
    uses `ANALYZE`'s sqlite_stat1 the same way. Both run outside the load's transaction.
    """
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("ANALYZE")


@contextmanager
def session_scope(engine: Optional[Engine] = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    engine = engine or engine_for(settings.database_url())
    session = sessionmaker(bind=engine, future=True, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
