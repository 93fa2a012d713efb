"""The messaging channels served as `rasa run` serves them, with a fake bot and the providers'
APIs played by a local stand-in: signed requests are answered, forged, unsigned and malformed
ones are refused, and a handoff keeps the bot quiet."""
from __future__ import annotations

import re
import uuid
from typing import Dict, List

import aiohttp
import pytest

from bot.handoff import policy as hp
from bot.handoff import service as hs
from channels.verified_facebook import VerifiedFacebookInput
from channels.verified_slack import VerifiedSlackInput
from channels.verified_telegram import VerifiedTelegramInput
from channels.verified_twilio import VerifiedTwilioInput, VerifiedTwilioWhatsAppInput
from ops.channel_credentials import effective_credentials
from tests.support import messaging_requests as wr
from tests.support.channel_server import FakeAgent, serving
from tests.support.handoff_fixtures import handoff_db  # noqa: F401 - fixture
from tests.support.messaging_api_stand_in import MessagingApiStandIn

CLASSES = [VerifiedTelegramInput, VerifiedFacebookInput, VerifiedTwilioInput,
           VerifiedTwilioWhatsAppInput, VerifiedSlackInput]


def channels_for(api: MessagingApiStandIn) -> List:
    """Every messaging channel, built from the credentials the start-up would write."""
    env = {**wr.SECRETS, **api.env()}
    credentials = effective_credentials({}, env).channels

    def filled(settings: Dict[str, str]) -> Dict[str, str]:
        return {k: re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], v) for k, v in settings.items()}

    by_name = {f"{c.__module__}.{c.__name__}": c for c in CLASSES}
    return [by_name[key].from_credentials(filled(settings)) for key, settings in credentials.items()]


async def send(base: str, request: wr.WebhookRequest):
    async with aiohttp.ClientSession() as http:
        async with http.post(base + request.path, data=request.body,
                             headers=request.headers) as resp:
            return resp.status, await resp.text()


def someone() -> str:
    return uuid.uuid4().hex[:10]


# Each case: the request for "text" from a new customer, and where the stand-in sees the reply.
def telegram_case(text: str):
    chat = int(uuid.uuid4().int % 10**9)
    return wr.telegram(chat, text), "telegram", str(chat)


def facebook_case(text: str):
    psid = someone()
    return wr.facebook(psid, text), "facebook", psid


def sms_case(text: str):
    number = f"+1555{uuid.uuid4().int % 10**7:07d}"
    return wr.twilio_sms(number, text), "twilio", number


def whatsapp_case(text: str):
    number = f"+1555{uuid.uuid4().int % 10**7:07d}"
    return wr.whatsapp(number, text), "twilio", f"whatsapp:{number}"


def slack_case(text: str):
    channel = "D" + someone().upper()
    return wr.slack("U" + someone().upper(), channel, text), "slack", channel


CASES = [telegram_case, facebook_case, sms_case, whatsapp_case, slack_case]
IDS = ["telegram", "facebook", "sms", "whatsapp", "slack"]
#: The Rasa channel each case arrives on: its conversation ids are "<channel>:<the app's user id>".
CHANNEL_OF = {telegram_case: "telegram", facebook_case: "facebook", sms_case: "twilio",
              whatsapp_case: "whatsapp", slack_case: "slack"}


def app_user(case, request: wr.WebhookRequest, recipient: str) -> str:
    """The app's id of the customer: where replies go, except on Slack (its user, not the channel)."""
    if case is slack_case:
        import json
        return json.loads(request.body)["event"]["user"]
    return recipient


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_each_app_keeps_its_conversations_in_its_own_namespace(case, handoff_db, messaging_api):
    request, provider, recipient = case("hello")
    agent = FakeAgent()
    async with serving(channels_for(messaging_api), agent) as base:
        await send(base, request)
        delivered = await messaging_api.await_texts(provider, recipient)
    assert agent.senders == [f"{CHANNEL_OF[case]}:{app_user(case, request, recipient)}"]
    assert delivered == ["echo: hello"]  # the reply still goes to the app's own user id


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_a_signed_message_is_answered_through_the_providers_api(case, handoff_db, messaging_api):
    request, provider, recipient = case("hi there")
    agent = FakeAgent()
    async with serving(channels_for(messaging_api), agent) as base:
        status, _ = await send(base, request)
        replies = await messaging_api.await_texts(provider, recipient)
    assert 200 <= status < 300
    assert agent.handled == ["hi there"]
    assert replies == ["echo: hi there"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("tamper", ["forged", "unsigned"])
async def test_a_forged_or_unsigned_message_gets_403_and_no_answer(case, tamper, handoff_db,
                                                                  messaging_api):
    request, provider, recipient = case("show me order 100001")
    request = request.forged() if tamper == "forged" else request.unsigned()
    agent = FakeAgent()
    async with serving(channels_for(messaging_api), agent) as base:
        status, body = await send(base, request)
    assert status == 403 and '"forbidden"' in body
    assert agent.handled == [] and messaging_api.texts(provider, recipient) == []


async def test_slack_refuses_a_replayed_request(handoff_db, messaging_api):
    old = wr.slack("U1", "D" + someone(), "hi", timestamp=1_600_000_000)
    agent = FakeAgent()
    async with serving(channels_for(messaging_api), agent) as base:
        status, _ = await send(base, old)
    assert status == 403 and agent.handled == []


def resign(request: wr.WebhookRequest, body: bytes) -> wr.WebhookRequest:
    """The request with another body, signed properly."""
    from dataclasses import replace

    plain = replace(request, body=body)
    return wr.SIGNERS[request.sign_with](plain, {
        "telegram": wr.SECRETS["TELEGRAM_SECRET_TOKEN"], "facebook": wr.SECRETS["FACEBOOK_APP_SECRET"],
        "twilio": wr.SECRETS["TWILIO_AUTH_TOKEN"], "slack": wr.SECRETS["SLACK_SIGNING_SECRET"],
    }[request.sign_with])


@pytest.mark.parametrize("case, body", [
    (telegram_case, b"not json"),
    (telegram_case, b'["a list"]'),
    (telegram_case, b'{"message": {"text": "no update_id"}}'),
    (facebook_case, b'{"object": "page", "entry": "nope"}'),
    (facebook_case, b'{"object": "page", "entry": [{"messaging": [{"message": {"text": "x"}}]}]}'),
    (sms_case, b"Body=hi"),  # no From
    (whatsapp_case, b"From=whatsapp%3A%2B15550001111"),  # no Body
    (slack_case, b'["a list"]'),
    (slack_case, b'{"event": "not an object"}'),
], ids=["tg-text", "tg-list", "tg-no-id", "fb-entry", "fb-no-sender", "sms-no-from",
        "wa-no-body", "slack-list", "slack-event"])
async def test_a_signed_but_malformed_request_gets_400_not_a_stack_trace(case, body, handoff_db,
                                                                         messaging_api):
    request, _, _ = case("hi")
    agent = FakeAgent()
    async with serving(channels_for(messaging_api), agent) as base:
        status, text = await send(base, resign(request, body))
    assert status == 400 and '"bad_request"' in text and "Traceback" not in text
    assert agent.handled == []


async def test_slack_url_verification_is_answered_with_the_challenge(handoff_db, messaging_api):
    request, _, _ = slack_case("hi")
    challenge = resign(request, b'{"type": "url_verification", "token": "t", "challenge": "c-123"}')
    async with serving(channels_for(messaging_api), FakeAgent()) as base:
        status, body = await send(base, challenge)
    assert status == 200 and body == '{"challenge":"c-123"}'


@pytest.mark.parametrize("token, expected", [
    (wr.SECRETS["FACEBOOK_VERIFY_TOKEN"], (200, "challenge-42")),
    ("guessed", (403, None)),
])
async def test_messenger_subscription_needs_the_verify_token(token, expected, handoff_db, messaging_api):
    async with serving(channels_for(messaging_api), FakeAgent()) as base:
        async with aiohttp.ClientSession() as http:
            async with http.get(base + "/webhooks/facebook/webhook", params={
                    "hub.mode": "subscribe", "hub.verify_token": token,
                    "hub.challenge": "challenge-42"}) as resp:
                status, body = resp.status, await resp.text()
    assert status == expected[0]
    if expected[1]:
        assert body == expected[1]


async def test_telegrams_start_button_greets(handoff_db, messaging_api):
    request, _, _ = telegram_case("/start")
    agent = FakeAgent()
    async with serving(channels_for(messaging_api), agent) as base:
        await send(base, request)
    assert agent.handled == ["/greet"]


async def test_whatsapp_replies_come_from_the_whatsapp_number(handoff_db, messaging_api):
    request, provider, recipient = whatsapp_case("hi")
    async with serving(channels_for(messaging_api), FakeAgent()) as base:
        await send(base, request)
    (reply,) = messaging_api.sent(provider, recipient)
    assert reply.params["From"] == f"whatsapp:{wr.SECRETS['TWILIO_WHATSAPP_NUMBER']}"
    assert reply.path == f"/twilio/2010-04-01/Accounts/{wr.SECRETS['TWILIO_ACCOUNT_SID']}/Messages.json"


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_while_a_person_has_it_the_bot_is_quiet_and_agent_messages_go_out_first(
        case, handoff_db, messaging_api):
    request, provider, recipient = case("is anyone there?")
    conversation = f"{CHANNEL_OF[case]}:{app_user(case, request, recipient)}"
    agent = FakeAgent()
    async with serving(channels_for(messaging_api), agent) as base:
        handoff_id = hs.create_handoff(conversation, provider, [], hp.ASKED).id
        hs.add_agent_message(handoff_id, "Sam", "Hi, I'm looking at it.")
        status, _ = await send(base, request)
        delivered = await messaging_api.await_texts(provider, recipient)
    assert 200 <= status < 300
    assert delivered == ["Sam (from our team): Hi, I'm looking at it."]
    assert agent.handled == [] and agent.parsed == ["is anyone there?"]
    customer = [m["text"] for m in hs.get_handoff(handoff_id)["transcript"] if m["sender"] == "customer"]
    assert customer == ["is anyone there?"]


async def test_telegram_registers_its_webhook_with_the_secret_token(messaging_api):
    (telegram,) = [c for c in channels_for(messaging_api) if isinstance(c, VerifiedTelegramInput)]
    bot = telegram.get_output_channel()
    try:
        assert await telegram.register_webhook(bot)
    finally:
        await bot.session.close()
    (call,) = messaging_api.calls_matching(
        lambda c: c.method == "setWebhook" and c.path.startswith("/telegram/bot123456789:"))[-1:]
    assert call.params == {"url": wr.SECRETS["TELEGRAM_WEBHOOK_URL"],
                           "secret_token": wr.SECRETS["TELEGRAM_SECRET_TOKEN"]}


async def test_telegram_unreachable_at_start_is_logged_not_fatal(caplog):
    from ops.ports import free_port

    telegram = VerifiedTelegramInput(wr.SECRETS["TELEGRAM_ACCESS_TOKEN"], "shop_test_bot",
                                     wr.SECRETS["TELEGRAM_WEBHOOK_URL"], "secret",
                                     api_url=f"http://127.0.0.1:{free_port()}")
    bot = telegram.get_output_channel()
    try:
        assert await telegram.register_webhook(bot) is False
    finally:
        await bot.session.close()
    assert "could not set the Telegram webhook" in caplog.text


PUSH_TOKEN = "push-token-for-the-messaging-tests"


async def agent_reply(case, messaging_api, monkeypatch, refusals: int = 0):
    """An agent answers a handoff of `case`'s customer, who writes nothing more; the desk pushes
    it through the served channel. Returns (message id, the provider's recipient, desk parts)."""
    from bot.desk.reply_push import channel_push_hook
    from bot.desk.service import DeskService

    monkeypatch.setenv("SHOP_PUSH_TOKEN", PUSH_TOKEN)
    request, provider, recipient = case("I need a person")
    user = app_user(case, request, recipient)
    conversation = f"{CHANNEL_OF[case]}:{user}"
    handoff_id = hs.create_handoff(conversation, CHANNEL_OF[case], [], hp.ASKED).id
    message = hs.add_agent_message(handoff_id, "Sam", "Your parcel left the depot this morning.")
    if refusals:
        messaging_api.refuse_next(provider, refusals)
    # Slack sends to the person's direct messages; the others to the conversation's own id.
    return message["id"], provider, user if case is slack_case else recipient, DeskService(), channel_push_hook


def agent_line(handoff_conversation: str):
    handoff_id = hs.open_handoff_for(handoff_conversation)
    (line,) = [m for m in hs.get_handoff(handoff_id)["transcript"] if m["sender"] == "agent"]
    return line


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_an_agent_reply_reaches_the_providers_api_without_a_new_customer_message(
        case, handoff_db, messaging_api, monkeypatch):
    from bot.desk import reply_push

    message_id, provider, recipient, service, hook = await agent_reply(case, messaging_api, monkeypatch)
    agent = FakeAgent()
    async with serving(channels_for(messaging_api), agent) as base:
        result = await reply_push.deliver(service, hook([base], PUSH_TOKEN), message_id)
        delivered = await messaging_api.await_texts(provider, recipient)
    assert result is not None and result.delivered, result
    assert delivered == ["Sam (from our team): Your parcel left the depot this morning."]
    assert agent.handled == [] and agent.parsed == []  # nobody wrote: the push alone sent it
    line = agent_line(f"{CHANNEL_OF[case]}:{recipient}")
    assert line["delivered_at"] is not None and line["delivery"]["status"] == "delivered"


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_a_reply_the_provider_refuses_is_failed_then_retried_and_delivered(
        case, handoff_db, messaging_api, monkeypatch):
    from bot.desk import reply_push

    message_id, provider, recipient, service, hook = await agent_reply(case, messaging_api, monkeypatch,
                                                                      refusals=1)
    conversation = f"{CHANNEL_OF[case]}:{recipient}"
    async with serving(channels_for(messaging_api), FakeAgent()) as base:
        push = hook([base], PUSH_TOKEN)
        first = await reply_push.deliver(service, push, message_id)
        failed = agent_line(conversation)
        assert await reply_push.deliver_due(service, push) == 0  # not due yet: it backs off
        monkeypatch.setenv("SHOP_NOW", "2026-11-23T20:01:00")  # a minute later
        assert await reply_push.deliver_due(service, push) == 1
        delivered = await messaging_api.await_texts(provider, recipient)
    assert first is not None and first.failed and not first.delivered
    assert failed["delivered_at"] is None and failed["delivery"]["status"] == "failed"
    assert f"{CHANNEL_OF[case]} did not take the message" in failed["delivery"]["detail"]
    assert delivered == ["Sam (from our team): Your parcel left the depot this morning."]  # once
    assert agent_line(conversation)["delivery"]["status"] == "delivered"


async def test_a_reply_refused_when_the_customer_writes_stays_for_the_desk(handoff_db, messaging_api,
                                                                         monkeypatch):
    request, provider, recipient = telegram_case("hello?")
    conversation = f"telegram:{recipient}"
    handoff_id = hs.create_handoff(conversation, "telegram", [], hp.ASKED).id
    hs.add_agent_message(handoff_id, "Sam", "One moment please.")
    messaging_api.refuse_next(provider, 1)
    async with serving(channels_for(messaging_api), FakeAgent()) as base:
        await send(base, request)
    line = agent_line(conversation)
    assert line["delivered_at"] is None and line["delivery"]["status"] == "failed"
    assert "One moment please." not in " ".join(messaging_api.texts(provider, recipient))


async def test_a_push_for_another_channels_conversation_or_without_the_token_is_refused(
        handoff_db, messaging_api, monkeypatch):
    monkeypatch.setenv("SHOP_PUSH_TOKEN", PUSH_TOKEN)
    body = {"conversation_id": "facebook:123", "text": "hi"}
    async with serving(channels_for(messaging_api), FakeAgent()) as base:
        async with aiohttp.ClientSession() as http:
            async with http.post(base + "/webhooks/telegram/handoff_push", json=body,
                                 headers={"Authorization": f"Bearer {PUSH_TOKEN}"}) as other:
                other_status = other.status
            async with http.post(base + "/webhooks/telegram/handoff_push",
                                 json={"conversation_id": "telegram:123", "text": "hi"}) as anonymous:
                anonymous_status = anonymous.status
    assert (other_status, anonymous_status) == (400, 401)
    assert messaging_api.texts("telegram", "123") == []
