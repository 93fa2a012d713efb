"""Webhook and email deliveries of handoffs: signed, retried with backoff, each sent once."""
from __future__ import annotations

import email
import email.policy
import json
import socketserver
import threading
from datetime import datetime, timedelta

import pytest

from bot.handoff import outbox
from bot.handoff import policy as hp
from bot.handoff import service as hs
from ops.ports import free_port
from tests.support.handoff_fixtures import bot, handoff_db, user  # noqa: F401 - fixture
from tests.support.webhook_receiver import Receiver

NOW = datetime(2026, 11, 23, 20, 0)
SECRET = "s3cret-for-tests"
EVENTS = [user("my parcel never came, card 4111 1111 1111 1111", "missing_package", 0.9),
          bot("I'm sorry about that.")]


@pytest.fixture
def webhook(handoff_db, monkeypatch):
    port = free_port()
    monkeypatch.setenv("SHOP_HANDOFF_WEBHOOK_URL", f"http://127.0.0.1:{port}/handoffs")
    monkeypatch.setenv("SHOP_HANDOFF_WEBHOOK_SECRET", SECRET)
    return port


def test_signatures_verify_only_the_exact_body_secret_time_and_delivery():
    body, now = b'{"handoff": {"id": 1}}', 1_800_000_000
    header = outbox.sign(body, SECRET, now, 7)
    assert outbox.verify_signature(body, header, SECRET, str(now), "7", now=now + 10)
    assert outbox.verify_signature(body.decode(), f"  {header} ", SECRET, str(now), "7", now=now)
    assert not outbox.verify_signature(body + b" ", header, SECRET, str(now), "7", now=now)
    assert not outbox.verify_signature(body, header, "other secret", str(now), "7", now=now)
    assert not outbox.verify_signature(body, None, SECRET, str(now), "7", now=now)
    assert not outbox.verify_signature(body, "sha256=" + "0" * 64, SECRET, str(now), "7", now=now)
    # A replay: the same request an hour later, or its signature on another delivery.
    assert not outbox.verify_signature(body, header, SECRET, str(now), "7", now=now + 3600)
    assert not outbox.verify_signature(body, header, SECRET, str(now), "8", now=now)
    assert not outbox.verify_signature(body, header, SECRET, str(now + 3600), "7", now=now + 3600)


def test_backoff_doubles_up_to_ten_minutes():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 5, 6, 50)] == [
        30, 60, 120, 480, 600, 600]


def test_a_helpdesk_that_is_down_gets_every_handoff_once_when_it_is_back(webhook):
    first = hs.create_handoff("conv-1", "rest", EVENTS, hp.LOST_PARCEL)
    second = hs.create_handoff("conv-2", "socketio", [], hp.ASKED)
    down = outbox.deliver_due(NOW)  # nobody listens on the port yet
    assert (down.delivered, down.failed, down.pending) == (0, 2, 2)
    assert outbox.deliver_due(NOW + timedelta(seconds=10)).failed == 0  # not due again yet
    assert outbox.deliver_due(NOW + timedelta(seconds=31)).failed == 2  # 2nd try: next in 60s
    receiver = Receiver(webhook)
    try:
        assert outbox.deliver_due(NOW + timedelta(seconds=60)).delivered == 0
        back = outbox.deliver_due(NOW + timedelta(seconds=92))
        assert (back.delivered, back.failed, back.pending) == (2, 0, 0)
        assert outbox.deliver_due(NOW + timedelta(hours=2)) == outbox.DeliveryReport(0, 0, 0)
    finally:
        receiver.stop()
    assert len(receiver.calls) == 2
    got = {}
    for headers, body in receiver.calls:
        assert outbox.verify_signature(body, headers["X-Signature"], SECRET,
                                       headers["X-Signature-Timestamp"], headers["X-Delivery-Id"])
        payload = json.loads(body)
        got[payload["handoff"]["id"]] = payload
    assert set(got) == {first.id, second.id}
    handoff = got[first.id]["handoff"]
    assert got[first.id]["event"] == "handoff.created" and handoff["reason"] == hp.LOST_PARCEL
    assert handoff["transcript"][0]["text"] == "my parcel never came, card •••• •••• •••• 1111"
    assert "4111 1111" not in json.dumps(got)
    assert handoff["summary"].startswith("Handed off: the customer wants more help")


def test_an_error_answer_is_retried_and_recorded(webhook, handoff_db):
    hs.create_handoff("conv-1", "rest", [], hp.ASKED)
    receiver = Receiver(webhook, status=503)
    try:
        assert outbox.deliver_due(NOW).failed == 1
        from sqlalchemy import create_engine, text
        engine = create_engine(handoff_db)
        with engine.connect() as conn:
            attempts, error, due = conn.execute(text(
                "SELECT attempts, last_error, next_attempt_at FROM outbox")).one()
        engine.dispose()
        assert attempts == 1 and "HTTP 503" in error and due.startswith("2026-11-23 20:00:30")
        receiver.status = 200
        assert outbox.deliver_due(NOW + timedelta(seconds=30)).delivered == 1
    finally:
        receiver.stop()
    assert len(receiver.calls) == 2
    assert receiver.calls[0][0]["X-Delivery-Id"] == receiver.calls[1][0]["X-Delivery-Id"]


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: every command is accepted, messages are kept."""

    def handle(self):
        self.wfile.write(b"220 test SMTP\r\n")
        lines, in_data = [], False
        for line in self.rfile:
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    self.server.messages.append(b"".join(lines))
                    lines, in_data = [], False
                    self.wfile.write(b"250 queued\r\n")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"RCPT":
                self.server.recipients.append(line[8:].strip().decode())
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server(handoff_db, monkeypatch):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPHandler)
    server.daemon_threads = True
    server.messages, server.recipients = [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("SHOP_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SHOP_SMTP_PORT", str(server.server_address[1]))
    monkeypatch.setenv("SHOP_SMTP_STARTTLS", "0")  # this stand-in speaks no TLS
    yield server
    server.shutdown()
    server.server_close()


def test_the_support_team_gets_an_email_with_the_transcript_attached(smtp_server):
    ticket = hs.create_handoff("conv-1", "rest", EVENTS, hp.LOST_PARCEL,
                               customer_email="Maria.Gonzalez@example.com")
    report = outbox.deliver_due(NOW)
    assert (report.delivered, report.pending) == (1, 0)
    assert outbox.deliver_due(NOW + timedelta(hours=1)).delivered == 0
    assert len(smtp_server.messages) == 1
    assert smtp_server.recipients == ["<support@example-shop.com>"]  # the profile's address
    message = email.message_from_bytes(smtp_server.messages[0], policy=email.policy.default)
    assert message["Subject"] == f"Handoff #{ticket.id}: the customer wants more help with a lost parcel"
    body, attachment = [part for part in message.walk() if not part.is_multipart()]
    assert "Customer: maria.gonzalez@example.com (not verified)" in body.get_content()
    assert attachment.get_filename() == f"handoff-{ticket.id}-transcript.txt"
    transcript = attachment.get_content()
    assert "Customer: my parcel never came, card •••• •••• •••• 1111" in transcript
    assert "Bot: I'm sorry about that." in transcript


def test_email_goes_to_the_configured_address_and_waits_for_a_server(handoff_db, monkeypatch):
    monkeypatch.setenv("SHOP_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SHOP_SMTP_PORT", str(free_port()))  # nothing listens there
    monkeypatch.setenv("SHOP_HANDOFF_EMAIL_TO", "desk@example.org")
    hs.create_handoff("conv-1", "rest", [], hp.ASKED)
    report = outbox.deliver_due(NOW)
    assert (report.delivered, report.failed, report.pending) == (0, 1, 1)


def _outbox_error(url: str) -> str:
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as conn:
        error = conn.execute(text("SELECT last_error FROM outbox")).scalar_one()
    engine.dispose()
    return error


def test_a_redirect_is_a_failed_delivery_not_a_delivered_one(webhook, handoff_db):
    """Before, urllib followed the 302 as a GET, got 200 and marked the handoff delivered."""
    hs.create_handoff("conv-1", "rest", [], hp.ASKED)
    target = Receiver(free_port())
    receiver = Receiver(webhook, status=302, location=f"http://127.0.0.1:{target.server.server_port}/moved")
    try:
        report = outbox.deliver_due(NOW)
    finally:
        receiver.stop()
        target.stop()
    assert (report.delivered, report.failed, report.pending) == (0, 1, 1)
    assert target.gets == [] and "HTTP 302" in _outbox_error(handoff_db)


@pytest.mark.parametrize("secret", ["", "short"])
def test_nothing_is_sent_unsigned_or_with_a_short_secret(webhook, handoff_db, monkeypatch, secret):
    monkeypatch.setenv("SHOP_HANDOFF_WEBHOOK_SECRET", secret)
    hs.create_handoff("conv-1", "rest", [], hp.ASKED)
    receiver = Receiver(webhook)
    try:
        report = outbox.deliver_due(NOW)
    finally:
        receiver.stop()
    assert receiver.calls == [] and (report.delivered, report.pending) == (0, 1)  # kept, not lost
    assert "SHOP_HANDOFF_WEBHOOK_SECRET" in _outbox_error(handoff_db)


@pytest.mark.parametrize("url, ok", [
    ("https://helpdesk.example.com/hooks", True), ("http://127.0.0.1:8080/h", True),
    ("http://localhost/h", True), ("http://helpdesk.example.com/hooks", False),
    ("ftp://example.com/x", False), ("https:///nohost", False),
])
def test_webhooks_go_over_https_except_on_this_machine(url, ok):
    assert (outbox.webhook_url_problem(url) is None) is ok


def test_email_uses_starttls_with_certificate_checks_unless_turned_off(handoff_db, monkeypatch):
    """Before, STARTTLS was off by default and, when on, accepted any certificate."""
    import ssl

    seen = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context=None):
            seen.append(context)

        def send_message(self, message):
            seen.append("sent")

    monkeypatch.setattr(outbox.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setenv("SHOP_SMTP_HOST", "mail.example.com")
    hs.create_handoff("conv-1", "rest", [], hp.ASKED)
    assert outbox.deliver_due(NOW).delivered == 1
    context, sent = seen
    assert isinstance(context, ssl.SSLContext) and sent == "sent"
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    seen.clear()
    monkeypatch.setenv("SHOP_SMTP_STARTTLS", "0")
    hs.create_handoff("conv-2", "rest", [], hp.ASKED)
    assert outbox.deliver_due(NOW).delivered == 1 and seen == ["sent"]
