"""Alerts on their way to the on-call person: each alert the desk has not passed on yet becomes an
outbox row for the alert webhook and one for the alert email, in one transaction with marking it
passed on, so an alert is sent once and never lost (bot/handoff/outbox.py sends and retries).

Configuration (environment): SHOP_ALERT_WEBHOOK_URL (signed with SHOP_HANDOFF_WEBHOOK_SECRET),
SHOP_ALERT_EMAIL_TO (with SHOP_SMTP_HOST; from SHOP_HANDOFF_EMAIL_FROM or the shop's domain) and
SHOP_DESK_URL, the address agents open the desk at, for the link in both (else a desk path).
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, Optional

from sqlalchemy import select

from bot.alerts import messages
from bot.alerts.service import as_dict
from bot.core import clock
from bot.core.models import Alert, OutboxKind, OutboxMessage
from bot.handoff import outbox
from bot.handoff.store import scope
from bot.profile.shop_profile import current_profile

ALERT_EMAIL_TO_ENV = "SHOP_ALERT_EMAIL_TO"
DESK_URL_ENV = "SHOP_DESK_URL"
BATCH = 100


def link(path: str) -> str:
    """The desk page's address: SHOP_DESK_URL + path, or the path alone without it."""
    base = outbox.env_value(DESK_URL_ENV).rstrip("/")
    return base + path if base else path


def _event(alert: Alert) -> Dict[str, Any]:
    data = {key: value.isoformat() + "Z" if isinstance(value, datetime) else value
            for key, value in as_dict(alert).items()}
    data["link"] = link(data["desk_path"])
    if alert.handoff_id is not None:
        data["handoff_link"] = link(f"/handoffs/{alert.handoff_id}")
    return {"event": "alert.raised", "alert": data, "raised_at": alert.raised_at.isoformat() + "Z"}


def _email(alert: Alert, event: Dict[str, Any], profile) -> Optional[OutboxMessage]:
    to = outbox.env_value(ALERT_EMAIL_TO_ENV)
    if not to or not outbox.env_value(outbox.SMTP_HOST_ENV):
        return None
    data = event["alert"]
    lines = [data["text"], "", f"Alert: {data['link']}"]
    if data.get("handoff_link"):
        lines.append(f"Handoff: {data['handoff_link']}")
    lines.append(f"Conversation: {alert.conversation_id or 'none'} ({alert.channel or 'unknown channel'})")
    if alert.customer_email:
        lines.append(f"Customer: {alert.customer_email}")
    domain = profile.support_email.split("@", 1)[1]
    about = f" ({alert.order_number})" if alert.order_number else ""
    payload = {"to": to, "from": outbox.env_value(outbox.EMAIL_FROM_ENV) or f"assistant@{domain}",
               "subject": f"Alert: {messages.label(alert.kind)}{about}", "text": "\n".join(lines) + "\n"}
    return OutboxMessage(kind=OutboxKind.EMAIL, payload=json.dumps(payload, ensure_ascii=False))


def pass_on_raised(now: Optional[datetime] = None, limit: int = BATCH) -> int:
    """Put the alerts raised since the last call into the outbox; how many were passed on."""
    now = now or clock.now()
    profile = current_profile()
    with scope() as session:
        alerts = session.execute(select(Alert).where(Alert.notified_at.is_(None))
                                 .order_by(Alert.id).limit(limit).with_for_update(skip_locked=True)).scalars().all()
        for alert in alerts:
            event = _event(alert)
            outbox.enqueue_event(session, alert.handoff_id, event, now, outbox.ALERT_WEBHOOK_URL_ENV)
            email = _email(alert, event, profile)
            if email is not None:
                outbox.enqueue(session, email, alert.handoff_id, now)
            alert.notified_at = now
        return len(alerts)
