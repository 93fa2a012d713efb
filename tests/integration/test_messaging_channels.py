"""The messaging channels of the real Rasa server: real-format, signed webhook requests are
answered through the providers' APIs (played by the local stand-in), forged and unsigned ones
are refused and go unanswered, and a handoff works from a messaging app too."""
from __future__ import annotations

import json
import uuid
from typing import Callable, Tuple

import pytest

from tests.support import messaging_requests as wr
from tests.support.messaging_api_stand_in import MessagingApiStandIn

pytestmark = pytest.mark.integration

GREETING = "I'm the shop's support assistant"
ONE_SHOT = "where is order 100001? my email is maria.gonzalez@example.com"

Case = Callable[[str], Tuple[wr.WebhookRequest, str, str]]


def _number() -> str:
    return f"+1555{uuid.uuid4().int % 10**7:07d}"


def telegram_chat(text: str):
    chat = uuid.uuid4().int % 10**9
    return wr.telegram(chat, text), "telegram", str(chat)


def messenger_user(text: str):
    psid = str(uuid.uuid4().int % 10**15)
    return wr.facebook(psid, text), "facebook", psid


def sms_sender(text: str):
    number = _number()
    return wr.twilio_sms(number, text), "twilio", number


def whatsapp_sender(text: str):
    number = _number()
    return wr.whatsapp(number, text), "twilio", f"whatsapp:{number}"


def slack_user(text: str):
    channel = "D" + uuid.uuid4().hex[:10].upper()
    return wr.slack("U" + uuid.uuid4().hex[:10].upper(), channel, text), "slack", channel


CASES = [telegram_chat, messenger_user, sms_sender, whatsapp_sender, slack_user]
IDS = ["telegram", "facebook", "sms", "whatsapp", "slack"]


def test_all_messaging_channels_are_on_and_telegram_got_its_webhook_with_the_secret(
        bot_stack, messaging_api: MessagingApiStandIn):
    assert [c.title for c in bot_stack.channels.enabled] == [
        "Telegram", "Facebook Messenger", "Twilio SMS", "WhatsApp (Twilio)", "Slack"]
    assert bot_stack.channels.warnings == []
    # set in the background once the server is up: it may come a moment after /status answers
    set_webhook = messaging_api.calls_matching(
        lambda c: c.provider == "telegram" and c.method == "setWebhook", timeout=60)
    # (the stand-in is shared with the unit tests, which register the same bot too)
    assert set_webhook and all(c.params == {
        "url": wr.SECRETS["TELEGRAM_WEBHOOK_URL"], "secret_token": wr.SECRETS["TELEGRAM_SECRET_TOKEN"]}
        for c in set_webhook)
    assert wr.SECRETS["TELEGRAM_ACCESS_TOKEN"] in set_webhook[0].path  # the bot's own token


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_signed_hi_is_answered_through_the_providers_api(case: Case, bot_stack, messaging_api):
    request, provider, recipient = case("hi")
    status, _ = wr.post(bot_stack.rasa_url, request)
    assert 200 <= status < 300
    replies = messaging_api.wait_for_texts(provider, recipient, containing=GREETING)
    assert len(replies) == 1 and GREETING in replies[0]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_an_order_status_question_is_answered_from_the_database(case: Case, bot_stack, messaging_api):
    request, provider, recipient = case(ONE_SHOT)
    assert 200 <= wr.post(bot_stack.rasa_url, request)[0] < 300
    replies = "\n\n".join(messaging_api.wait_for_texts(provider, recipient,
                                                       containing="1Z999AA10123456784"))
    assert "Order #100001 is on its way" in replies and "1Z999AA10123456784" in replies


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("tamper", ["forged", "unsigned"])
def test_a_forged_or_unsigned_request_is_refused_and_not_answered(case: Case, tamper, bot_stack,
                                                                  messaging_api):
    signed, provider, recipient = case("hi")
    status, body = wr.post(bot_stack.rasa_url,
                           signed.forged() if tamper == "forged" else signed.unsigned())
    assert status == 403 and json.loads(body)["error"] == "forbidden"
    assert messaging_api.texts(provider, recipient) == []
    # The genuine request then gets exactly one greeting: the refused one was never answered,
    # not even later (its reply would have come first).
    assert 200 <= wr.post(bot_stack.rasa_url, signed)[0] < 300
    replies = messaging_api.wait_for_texts(provider, recipient, containing=GREETING)
    assert len(replies) == 1 and GREETING in replies[0]


def test_a_malformed_but_signed_request_gets_400(bot_stack):
    request, _, _ = telegram_chat("hi")
    broken = wr.SIGNERS["telegram"](wr.WebhookRequest(request.path, b'{"no": "update"}',
                                                      {"Content-Type": "application/json"}),
                                    wr.SECRETS["TELEGRAM_SECRET_TOKEN"])
    status, body = wr.post(bot_stack.rasa_url, broken)
    assert status == 400 and json.loads(body)["error"] == "bad_request"


def test_a_telegram_customer_reaches_a_person_and_the_bot_steps_back(bot_stack, messaging_api, desk):
    chat = uuid.uuid4().int % 10**9

    def say(text: str, update_id: int) -> list:
        """What the bot sent to the chat in answer (Telegram's webhook answers after it)."""
        before = len(messaging_api.texts("telegram", str(chat)))
        status, _ = wr.post(bot_stack.rasa_url, wr.telegram(chat, text, update_id=update_id))
        assert status == 200
        return messaging_api.texts("telegram", str(chat))[before:]

    assert any("passing you to a person" in t for t in say("I want to talk to a person", 1))
    _, listed = desk.call("GET", "/api/handoffs?status=queued")
    (mine,) = [h for h in listed["handoffs"] if h["conversation_id"] == f"telegram:{chat}"]
    assert mine["channel"] == "telegram"

    # Queued for a person: the bot does not answer the question, but says it waits for the team
    (waiting,) = say("hello? anyone?", 2)
    assert "I've added that for our team" in waiting
    before = len(messaging_api.texts("telegram", str(chat)))
    status, sent = desk.call("POST", f"/api/handoffs/{mine['id']}/messages",
                             {"agent": "sam", "text": "Hi, Sam here."})
    assert status == 201 and sent["pushed"] is True  # through Telegram's API, nobody wrote
    assert messaging_api.texts("telegram", str(chat))[before:] == ["sam (from our team): Hi, Sam here."]
    assert say("thanks", 3) == []  # delivered once: not again with the next message
    _, detail = desk.call("GET", f"/api/handoffs/{mine['id']}")
    said = [(m["sender"], m["text"]) for m in detail["transcript"]]
    assert ("customer", "hello? anyone?") in said and ("customer", "thanks") in said

    assert desk.call("POST", f"/api/handoffs/{mine['id']}/resolve", {"agent": "sam"})[0] == 200
    assert "I'm back" in "\n".join(say("thank you!", 4))
