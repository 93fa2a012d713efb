"""Shared plumbing of the handoff calls: sessions, errors and row lookups."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core import settings
from bot.core.db import engine_for, session_scope
from bot.core.models import OPEN_HANDOFF_STATUSES, Alert, Handoff, HandoffMessage, OutboxMessage, ReplyDelivery


class HandoffError(Exception):
    """Base of the errors below."""


class HandoffNotFound(HandoffError, LookupError):
    pass


class HandoffStateError(HandoffError):
    pass


class HandoffInputError(HandoffError, ValueError):
    pass


@lru_cache(maxsize=8)
def ensure_tables(url: str) -> None:
    tables = [Handoff.__table__, HandoffMessage.__table__, OutboxMessage.__table__,
              ReplyDelivery.__table__, Alert.__table__]
    Handoff.metadata.create_all(engine_for(url), tables=tables)


def scope():
    url = settings.database_url()
    ensure_tables(url)
    return session_scope(engine_for(url))


def required_text(value: Any, what: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise HandoffInputError(f"{what} must not be empty")
    return text


def get_row(session: Session, handoff_id: Any) -> Handoff:
    try:
        handoff = session.get(Handoff, int(handoff_id))
    except (TypeError, ValueError):
        handoff = None
    if handoff is None:
        raise HandoffNotFound(f"there is no handoff {handoff_id}")
    return handoff


def open_for(session: Session, conversation_id: str) -> Optional[Handoff]:
    return session.execute(
        select(Handoff).where(Handoff.conversation_id == str(conversation_id).strip(),
                              Handoff.status.in_(OPEN_HANDOFF_STATUSES)).order_by(Handoff.id.desc())
    ).scalars().first()


def int_or_none(value: Any) -> Optional[int]:
    try:
        return int(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        return None
