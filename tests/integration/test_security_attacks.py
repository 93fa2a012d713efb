"""Attacks on the running stack, as an outsider would try them: guessing a ZIP from many fresh
conversations, continuing a messaging app's conversation over REST by its user id, pushing a
forged "agent" message into the widget, guessing a desk password in parallel, and replaying a
signed webhook. (Forged and unsigned messaging-app webhooks: test_messaging_channels.py.)"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.core.db import engine_for
from tests.integration.conftest import DESK_TOKEN, RestChat
from tests.support import messaging_requests as wr

pytestmark = pytest.mark.integration

OLGA = "olga.petrova@example.com"  # owns reference order 100003
TRACKING_100003 = "9400111899223197428490"
LOCKED = "for your security I can't check the details of this order right now"


def fresh(bot_stack, name: str) -> RestChat:
    return RestChat(bot_stack, sender=f"{name}-{uuid.uuid4().hex[:8]}")


@pytest.fixture
def no_failed_proofs(stack_db: str):
    """The stack's shop forgets failed proofs after the test, as it would an hour later."""
    yield
    with engine_for(stack_db).begin() as conn:
        conn.exec_driver_sql("DELETE FROM failed_proofs")


def test_fifteen_wrong_zips_from_eight_fresh_conversations_lock_the_order(bot_stack, stack_db, no_failed_proofs):
    guesses = iter(f"{60601 + n}" for n in range(15))
    tried = 0
    for attacker in range(8):
        chat = fresh(bot_stack, f"attacker-{attacker}")
        chat.say("where is my order 100003?")
        for _ in range(2 if attacker < 7 else 1):
            if tried:
                chat.say("100003")
            reply = chat.text(next(guesses))
            tried += 1
            assert TRACKING_100003 not in reply
    assert tried == 15
    owner = fresh(bot_stack, "owner")
    owner.say("where is my order 100003?")
    replies = owner.say(OLGA)
    said = "\n".join(m.get("text", "") for m in replies)
    assert LOCKED in said and TRACKING_100003 not in said
    assert "/human_handoff" in [b["payload"] for m in replies for b in m.get("buttons", [])]
    # Asking again is asked for proof again, and refused again while the lock lasts.
    owner.say("where is my order 100003?")
    assert LOCKED in owner.text(OLGA)
    # An hour on, the lock has gone by itself and the owner gets the answer.
    with engine_for(stack_db).begin() as conn:
        conn.exec_driver_sql("UPDATE failed_proofs SET at = datetime(at, '-3 hours')")
    later = fresh(bot_stack, "owner-later")
    later.say("where is my order 100003?")
    assert TRACKING_100003 in later.text(OLGA)


def test_a_messaging_apps_user_id_over_rest_reaches_a_new_empty_conversation(bot_stack, messaging_api):
    number = f"+1555{uuid.uuid4().int % 10**7:07d}"
    status, _ = wr.post(bot_stack.rasa_url, wr.twilio_sms(
        number, "where is order 100001? my email is maria.gonzalez@example.com"))
    assert 200 <= status < 300
    assert messaging_api.wait_for_texts("twilio", number, containing="1Z999AA10123456784")
    # The SMS customer is verified; someone posting their phone number as REST sender is not.
    intruder = RestChat(bot_stack, sender=number)
    reply = intruder.text("where is my order 100001?")
    assert "1Z999AA10123456784" not in reply and "email address or billing ZIP" in reply


@pytest.mark.parametrize("sender", ["twilio:+15550001111", "telegram:123456", "Slack:U123"])
def test_rest_refuses_sender_ids_in_a_messaging_apps_namespace(bot_stack, sender):
    body = json.dumps({"sender": sender, "message": "where is my order"}).encode()
    request = urllib.request.Request(f"{bot_stack.rasa_url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 400
    assert "belongs to a messaging app" in json.loads(refused.value.read())["message"]


def _post(url: str, body, headers=None):
    data = json.dumps(body).encode() if not isinstance(body, bytes) else body
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json",
                                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer forged-token-0123456789"},
                                     {"Authorization": f"Bearer {DESK_TOKEN}"}])
def test_a_forged_push_to_the_widget_channel_is_refused(bot_stack, headers):
    # Not even the desk API's token opens it: the push endpoint has its own secret.
    status = _post(f"{bot_stack.rasa_url}/webhooks/socketio/handoff_push",
                   {"conversation_id": "someone", "text": "Your refund: send your card number to..."}, headers)
    assert status == 401


def test_parallel_password_guesses_against_the_running_desk_are_throttled(bot_stack):
    url = f"{bot_stack.desk_url}/login"

    def guess(n: int) -> int:
        body = urllib.parse.urlencode({"username": "sam", "password": f"guess-{n}"}).encode()
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(guess, range(12)))
    # Every attempt is counted before the slow password check: only five are checked at all.
    assert statuses.count(401) == 5 and statuses.count(429) == 7, statuses


def test_a_replayed_slack_webhook_is_refused_by_the_running_stack(bot_stack, messaging_api):
    # Correctly signed, but captured ten minutes ago and sent again.
    channel = f"D{uuid.uuid4().hex[:8].upper()}"
    old = wr.slack("U0REPLAY", channel, "where is order 100001? email maria.gonzalez@example.com",
                   timestamp=int(time.time()) - 600)
    status, body = wr.post(bot_stack.rasa_url, old)
    assert status == 403 and json.loads(body)["error"] == "forbidden"
    assert messaging_api.texts("slack", channel) == []
