"""Telling other systems about handoffs, so nothing is lost: a signed webhook and an email.

A new handoff adds rows to the `outbox` table in the same transaction; `deliver_due` sends
the rows that are due and marks a row delivered only after a 2xx answer (a redirect is a
failure: the handoff would not have reached the receiver) or an accepted email. A failed try
is retried later with exponential backoff (30 seconds doubling up to 10 minutes), for as long
as it takes.

Webhooks are always signed, over the time of sending, the delivery id and the body
(X-Signature: "sha256=" + HMAC-SHA256 of "<X-Signature-Timestamp>.<X-Delivery-Id>.<body>"), so a
receiver can refuse a replayed or reordered request and drop repeats by X-Delivery-Id
(`verify_signature`, docs/agent-desk.md). They go only to https URLs, or http on this machine.
Email uses STARTTLS with certificate checks unless the operator turns it off.

Configuration (environment): SHOP_HANDOFF_WEBHOOK_URL and SHOP_HANDOFF_WEBHOOK_SECRET (at least
MIN_SECRET_LENGTH characters; without it nothing is sent and the row waits);
SHOP_SMTP_HOST, SHOP_SMTP_PORT (25), SHOP_SMTP_USER, SHOP_SMTP_PASSWORD, SHOP_SMTP_STARTTLS
(default 1; 0 only for a relay on a trusted network), SHOP_HANDOFF_EMAIL_TO (default: the
profile's support email) and SHOP_HANDOFF_EMAIL_FROM.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Dict, List, Optional, Union

from sqlalchemy import func, select, update

from bot.core import clock
from bot.core.models import OutboxKind, OutboxMessage
from bot.core.settings import MIN_SECRET_LENGTH
from bot.handoff.store import scope
from bot.handoff.transcript import format_transcript

WEBHOOK_URL_ENV = "SHOP_HANDOFF_WEBHOOK_URL"
#: The on-call webhook for alerts (bot/handoff/alert_outbox.py); signed with the same secret.
ALERT_WEBHOOK_URL_ENV = "SHOP_ALERT_WEBHOOK_URL"
WEBHOOK_SECRET_ENV = "SHOP_HANDOFF_WEBHOOK_SECRET"
SMTP_HOST_ENV, SMTP_PORT_ENV = "SHOP_SMTP_HOST", "SHOP_SMTP_PORT"
SMTP_USER_ENV, SMTP_PASSWORD_ENV = "SHOP_SMTP_USER", "SHOP_SMTP_PASSWORD"
SMTP_STARTTLS_ENV = "SHOP_SMTP_STARTTLS"
EMAIL_TO_ENV, EMAIL_FROM_ENV = "SHOP_HANDOFF_EMAIL_TO", "SHOP_HANDOFF_EMAIL_FROM"
SIGNATURE_HEADER, DELIVERY_HEADER = "X-Signature", "X-Delivery-Id"
TIMESTAMP_HEADER = "X-Signature-Timestamp"
#: How old a signed request a receiver should still accept (`verify_signature`).
SIGNATURE_TOLERANCE_SECONDS = 300
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(minutes=10)
LEASE = timedelta(minutes=5)  # a row being sent is not picked up again by another sender


def env_value(name: str) -> str:
    """An environment setting, stripped ('' when unset)."""
    return os.environ.get(name, "").strip()


# --------------------------------------------------------------------------- signatures


def _signed_text(body: Union[bytes, str], timestamp: Union[int, str], delivery_id: Union[int, str]) -> bytes:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return f"{timestamp}.{delivery_id}.".encode() + data


def sign(body: Union[bytes, str], secret: str, timestamp: Union[int, str],
         delivery_id: Union[int, str]) -> str:
    """The X-Signature header value: 'sha256=' + HMAC-SHA256 in hex of
    '<timestamp>.<delivery id>.<exact body bytes>'."""
    digest = hmac.new(secret.encode("utf-8"), _signed_text(body, timestamp, delivery_id), hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify_signature(body: Union[bytes, str], header: Optional[str], secret: str,
                     timestamp: Optional[str], delivery_id: Optional[str],
                     now: Optional[float] = None,
                     tolerance: int = SIGNATURE_TOLERANCE_SECONDS) -> bool:
    """For receivers: is this request signed with `secret`, and recent? (A replay later than
    `tolerance` seconds, or with another delivery id, fails.)"""
    if not header or not secret or not timestamp or not delivery_id or not str(timestamp).isdigit():
        return False
    if abs((now if now is not None else time.time()) - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(body, secret, timestamp, delivery_id), header.strip())


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try."""
    return min(LONGEST_RETRY, FIRST_RETRY * (2 ** max(0, min(attempts - 1, 20))))


# --------------------------------------------------------------------------- enqueueing


def _email_text(handoff: Dict[str, Any]) -> str:
    orders = ", ".join(handoff.get("order_numbers") or []) or "none given"
    who = handoff.get("customer_email") or "unknown"
    state = "verified" if handoff.get("verified") else "not verified"
    return (f"A customer needs a person: {handoff.get('reason_label') or handoff.get('reason')}.\n\n"
            f"Handoff: #{handoff['id']} (priority {handoff.get('priority')}), "
            f"{handoff.get('channel')} conversation {handoff.get('conversation_id')}\n"
            f"Customer: {who} ({state})\nOrders: {orders}\n\n"
            f"Summary:\n{handoff.get('summary') or ''}\n\nThe full transcript is attached.\n")


def _webhook_row(event: Dict[str, Any], url_env: str = WEBHOOK_URL_ENV) -> Optional[OutboxMessage]:
    """An outbox row POSTing `event` to the webhook `url_env` names; None when it is not set."""
    url = env_value(url_env)
    if not url:
        return None
    body = json.dumps(event, ensure_ascii=False, sort_keys=True)
    return OutboxMessage(kind=OutboxKind.WEBHOOK, payload=json.dumps({"url": url, "body": body}))


def enqueue(session, row: OutboxMessage, handoff_id: Optional[int], now: datetime) -> OutboxMessage:
    """Add `row` to the outbox in the caller's session, due at once."""
    row.handoff_id, row.attempts, row.next_attempt_at, row.created_at = handoff_id, 0, now, now
    session.add(row)
    return row


def enqueue_event(session, handoff_id: Optional[int], event: Dict[str, Any], now: datetime,
                  url_env: str = WEBHOOK_URL_ENV) -> None:
    """An event about a handoff for the webhook `url_env` names (if set), in the caller's session."""
    row = _webhook_row(event, url_env)
    if row is not None:
        enqueue(session, row, handoff_id, now)


def enqueue_handoff(session, handoff: Dict[str, Any], now: datetime, profile) -> List[OutboxMessage]:
    """Outbox rows for a new handoff (a detailed record), as configured; in the caller's session."""
    rows: List[OutboxMessage] = []
    webhook = _webhook_row({"event": "handoff.created", "handoff": handoff})
    if webhook is not None:
        rows.append(webhook)
    if env_value(SMTP_HOST_ENV):
        domain = profile.support_email.split("@", 1)[1]
        email = {
            "to": env_value(EMAIL_TO_ENV) or profile.support_email,
            "from": env_value(EMAIL_FROM_ENV) or f"assistant@{domain}",
            "subject": f"Handoff #{handoff['id']}: {handoff.get('reason_label') or handoff.get('reason')}",
            "text": _email_text(handoff),
            "attachment_name": f"handoff-{handoff['id']}-transcript.txt",
            "attachment": format_transcript(handoff.get("transcript") or []),
        }
        rows.append(OutboxMessage(kind=OutboxKind.EMAIL, payload=json.dumps(email)))
    return [enqueue(session, row, handoff["id"], now) for row in rows]


# --------------------------------------------------------------------------- sending


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx answer is a failure: following it would re-send the handoff as a GET elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib's API
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def webhook_url_problem(url: str) -> Optional[str]:
    """Why the bot will not send handoffs to `url`; None when it will."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and (parts.hostname or "") in LOCAL_HOSTS:
        return None
    return f"not an https URL (http only on this machine): {url!r}"


def _post(row_id: int, payload: Dict[str, Any], timeout: float) -> Optional[str]:
    url = str(payload.get("url") or "")
    problem = webhook_url_problem(url)
    if problem:
        return problem
    secret = env_value(WEBHOOK_SECRET_ENV)
    if len(secret) < MIN_SECRET_LENGTH:
        return (f"{WEBHOOK_SECRET_ENV} must be set, at least {MIN_SECRET_LENGTH} characters: "
                "handoffs are never sent unsigned")
    body = str(payload.get("body") or "").encode("utf-8")
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "User-Agent": "shop-support-bot",
               DELIVERY_HEADER: str(row_id), TIMESTAMP_HEADER: timestamp,
               SIGNATURE_HEADER: sign(body, secret, timestamp, row_id)}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as err:
        moved = f" to {err.headers.get('Location')}" if 300 <= err.code < 400 else ""
        return f"HTTP {err.code}{moved} from {url}"
    except (urllib.error.URLError, OSError, ValueError) as err:
        return f"cannot reach {url}: {getattr(err, 'reason', err)}"
    return None if 200 <= status < 300 else f"HTTP {status} from {url}"


def starttls_required() -> bool:
    """STARTTLS is on unless the operator sets SHOP_SMTP_STARTTLS to 0 (a trusted local relay)."""
    return env_value(SMTP_STARTTLS_ENV).lower() not in ("0", "false", "no", "off")


def _mail(row_id: int, payload: Dict[str, Any], timeout: float) -> Optional[str]:
    host = env_value(SMTP_HOST_ENV)
    if not host:
        return f"{SMTP_HOST_ENV} is not set"
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = payload["subject"], payload["from"], payload["to"]
    message["Message-ID"] = f"<outbox-{row_id}@shop-support-bot>"  # the same on every retry
    message.set_content(payload["text"])
    if payload.get("attachment") is not None:  # a handoff's transcript; an alert has none
        message.add_attachment(payload["attachment"], subtype="plain", filename=payload["attachment_name"])
    try:
        with smtplib.SMTP(host, int(env_value(SMTP_PORT_ENV) or 25), timeout=timeout) as smtp:
            if starttls_required():
                smtp.starttls(context=ssl.create_default_context())  # checks the certificate
            if env_value(SMTP_USER_ENV):
                smtp.login(env_value(SMTP_USER_ENV), os.environ.get(SMTP_PASSWORD_ENV, ""))
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError, ValueError) as err:
        return f"email to {payload['to']} via {host} failed: {err}"
    return None


@dataclass(frozen=True)
class DeliveryReport:
    delivered: int  # sent in this run
    failed: int  # tried in this run, to be retried
    pending: int  # still undelivered after this run


def _claim_due(now: datetime, limit: int) -> List[tuple]:
    with scope() as session:
        due = session.execute(
            select(OutboxMessage).where(OutboxMessage.delivered_at.is_(None),
                                        OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)).scalars().all()
        claimed = []
        for row in due:
            taken = session.execute(
                update(OutboxMessage).where(
                    OutboxMessage.id == row.id, OutboxMessage.delivered_at.is_(None),
                    OutboxMessage.attempts == row.attempts)
                .values(attempts=row.attempts + 1, next_attempt_at=now + LEASE)
                .execution_options(synchronize_session=False)).rowcount
            if taken:
                claimed.append((row.id, row.kind, row.payload, row.attempts + 1))
        return claimed


def deliver_due(now: Optional[datetime] = None, *, limit: int = 50,
                timeout: float = 10.0) -> DeliveryReport:
    """Send the outbox rows that are due at `now` (naive UTC; default the bot's clock)."""
    now = now or clock.now()
    delivered = failed = 0
    for row_id, kind, payload, attempts in _claim_due(now, limit):
        try:
            data = json.loads(payload)
            send = _post if kind is OutboxKind.WEBHOOK else _mail
            error = send(row_id, data, timeout)
        except (ValueError, KeyError, TypeError) as err:
            error = f"unreadable outbox payload: {err}"
        values = ({"delivered_at": now, "last_error": None} if error is None else
                  {"next_attempt_at": now + backoff(attempts), "last_error": error[:1000]})
        with scope() as session:
            session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values))
        delivered, failed = delivered + (error is None), failed + (error is not None)
    with scope() as session:
        pending = session.execute(select(func.count(OutboxMessage.id))
                                  .where(OutboxMessage.delivered_at.is_(None))).scalar_one()
    return DeliveryReport(delivered, failed, pending)
