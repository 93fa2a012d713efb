"""What every way of filling the shop shares: rows as plain dicts written in chunks, emptying the
shop's tables (not the handoffs, the outbox or the conversation outcomes), and moving PostgreSQL's id sequences past the
ids a bulk load wrote.
"""
from __future__ import annotations

from typing import Any, Dict

from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.core.models import (
    Alert,
    Base,
    ConversationOutcome,
    FailedProof,
    Handoff,
    HandoffMessage,
    OutboxMessage,
    ReplyDelivery,
    RevokedDeskSession,
    Survey,
)

Row = Dict[str, Any]

#: Rows per bulk insert: large enough to amortise round trips, small enough for memory.
CHUNK_SIZE = 10_000


#: The assistant's own records that refer to no shop row (handoffs hold order numbers and a
#: customer id, not foreign keys): refilling the shop leaves them as they are.
KEPT_TABLES = frozenset(m.__tablename__ for m in (Handoff, HandoffMessage, ReplyDelivery, OutboxMessage,
                                                  FailedProof, RevokedDeskSession, ConversationOutcome,
                                                  Survey, Alert))


def clear_shop(conn: Connection) -> None:
    """Delete every row of the shop's tables, children before parents (FK-safe), except the
    KEPT_TABLES. Returns and claims go too: an import that keeps them takes them aside first
    (bot.shopdata.kept_records)."""
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in KEPT_TABLES:
            conn.execute(table.delete())


def sync_id_sequences(conn: Connection) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past the largest id.

    Otherwise the next ordinary insert (e.g. by the ORM) would reuse id 1 and fail.
    SQLite needs nothing: it always continues after the largest id.
    """
    if conn.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c:
            continue
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
            f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
        ))
