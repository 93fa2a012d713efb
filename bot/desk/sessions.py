"""Logouts that end a session for good: the session id of a logged-out cookie is kept in the
shop database until the cookie would have expired, and refused meanwhile (even after a
restart with the same SHOP_DESK_SECRET, or on another desk process)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from bot.core import settings
from bot.core.db import engine_with_table, session_scope
from bot.core.models import RevokedDeskSession


def _engine():
    return engine_with_table(settings.database_url(), RevokedDeskSession.__tablename__)


def revoke(session_id: str, expires_at: float) -> None:
    """End a session; rows of sessions that have expired anyway are dropped on the way."""
    expiry = datetime.utcfromtimestamp(expires_at)
    with session_scope(_engine()) as session:
        session.execute(delete(RevokedDeskSession).where(RevokedDeskSession.expires_at < datetime.utcnow()))
        if session.get(RevokedDeskSession, session_id) is None:
            session.add(RevokedDeskSession(session_id=session_id, expires_at=expiry))


def revoked(session_id: str) -> bool:
    with session_scope(_engine()) as session:
        return session.execute(select(RevokedDeskSession.session_id).where(
            RevokedDeskSession.session_id == session_id)).first() is not None
