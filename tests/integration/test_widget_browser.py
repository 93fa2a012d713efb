"""The chat widget on the demo storefront, in headless Chromium, against the real servers.

A customer opens the chat with the keyboard, is greeted, tracks reference order 100001, picks
another order from the quick replies, reloads the page and finds the conversation still there
(the same conversation on the server), asks for a person and sees the agent's reply marked as
from a person. A signed-in customer is not asked for proof for their own order. Screenshots
go to reports/browser/.
"""
from __future__ import annotations

import json
import urllib.request

import pytest

from tests.integration.widget_browser import WidgetChat, chromium_page, skip_without_browser

pytestmark = pytest.mark.integration

PROOF_QUESTION = "what's the email address or billing ZIP code on the order?"

#: Records, from the page itself, whether the typing indicator showed and how it was labelled
#: (it is on screen for under a few seconds, so the page notes it rather than the test polling).
WATCH_TYPING = """() => {
  window.__typing = [];
  new MutationObserver(() => {
    const el = document.querySelector('.rw-typing-indication');
    if (el) window.__typing.push([el.getAttribute('role'), el.getAttribute('aria-label')]);
  }).observe(document.body, {childList: true, subtree: true});
}"""


@pytest.fixture
def browser_page():
    skip_without_browser()  # before the servers start: no browser, no need for them
    with chromium_page() as page:
        yield page


def tracker(stack, conversation_id: str) -> dict:
    url = f"{stack.rasa_url}/conversations/{conversation_id}/tracker?token={stack.api_token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def test_a_conversation_in_the_widget_survives_a_reload_and_a_person_can_answer(
        browser_page, bot_stack, desk):
    chat = WidgetChat(browser_page, bot_stack.storefront_url + "/")
    chat.load()
    launcher = browser_page.locator(".rw-launcher")
    assert launcher.get_attribute("aria-label") == "Chat with our support assistant"
    chat.open_with_keyboard()
    chat.wait_for_reply("I'm the shop's support assistant")  # the greeting (initPayload /greet)
    assert browser_page.locator(".rw-new-message").get_attribute("aria-label") == "Your message"
    assert browser_page.locator(".rw-messages-container").get_attribute("role") == "log"

    browser_page.evaluate(WATCH_TYPING)
    chat.say("where is my order?")
    chat.wait_for_reply("What's your order number?")
    chat.say("100001")
    chat.wait_for_reply(PROOF_QUESTION)
    chat.say("maria.gonzalez@example.com")
    said = chat.wait_for_reply("is on its way", "UPS", "1Z999AA10123456784")
    assert "Trail Running Shoes" in said
    assert ["status", "The assistant is typing"] in browser_page.evaluate("() => window.__typing")
    chat.screenshot("1-order-status")

    # The customer's other orders come as quick replies, usable from the keyboard.
    chat.say("and my other orders?")
    reply = browser_page.locator(".rw-replies .rw-reply", has_text="#100006")
    reply.wait_for()
    assert (reply.get_attribute("role"), reply.get_attribute("tabindex")) == ("button", "0")
    assert browser_page.locator(".rw-replies").first.get_attribute("aria-label") == "Suggested replies"
    chat.screenshot("2-quick-replies")
    reply.focus()
    browser_page.keyboard.press("Enter")
    chat.wait_for_reply("has been delivered")

    # A reload keeps the conversation: the same session id, its history on screen, and the
    # server holding the same conversation.
    session_id = chat.session_id()
    assert session_id
    browser_page.reload()
    chat.load()
    if not browser_page.locator(".rw-new-message").is_visible():
        chat.open_with_keyboard()
    assert "1Z999AA10123456784" in chat.wait_for_reply("1Z999AA10123456784", "has been delivered")
    assert chat.session_id() == session_id
    chat.screenshot("3-after-reload")
    conversation = tracker(bot_stack, session_id)
    assert conversation["sender_id"] == session_id
    typed = [e.get("text") for e in conversation["events"] if e["event"] == "user"]
    # The email given as proof is not kept (bot/privacy/stored_events.py).
    assert "100001" in typed and "[hidden]" in typed and "maria.gonzalez@example.com" not in typed

    # A person takes over in the desk; their reply appears at once, marked as from a person.
    chat.say("I want to talk to a person")
    chat.wait_for_reply("passing you to a person")
    # Waiting in the queue, a message is answered (never silence), with the way back offered.
    chat.say("hello? is anyone there?")
    chat.wait_for_reply("I've added that for our team")
    assert "Talk to the assistant" in chat.quick_replies()
    chat.screenshot("4-waiting-for-a-person")
    _, listed = desk.call("GET", "/api/handoffs?status=queued")
    (handoff,) = [h for h in listed["handoffs"] if h["conversation_id"] == session_id]
    assert desk.call("POST", f"/api/handoffs/{handoff['id']}/claim", {"agent": "sam"})[0] == 200
    status, _ = desk.call("POST", f"/api/handoffs/{handoff['id']}/messages",
                          {"agent": "sam", "text": "Hi, I'm Sam. Your parcel is with UPS."})
    assert status == 201
    agent_message = browser_page.locator(".rw-response.shop-agent-message", has_text="I'm Sam")
    agent_message.wait_for()
    label = agent_message.evaluate("el => getComputedStyle(el, '::before').content")
    assert "a person" in label
    # The bot's own messages carry no such mark.
    assert browser_page.locator(".rw-response.shop-agent-message").count() == 1
    chat.screenshot("5-agent-message")

    browser_page.reload()  # the mark is kept with the history
    chat.load()
    browser_page.locator(".rw-response.shop-agent-message", has_text="I'm Sam").wait_for()
    assert desk.call("POST", f"/api/handoffs/{handoff['id']}/resolve", {"agent": "sam"})[0] == 200


def test_a_signed_in_customer_is_not_asked_for_proof_of_their_own_order(browser_page, bot_stack):
    chat = WidgetChat(browser_page, bot_stack.storefront_url + "/")
    chat.load()
    browser_page.select_option("#demo-customer", "maria.gonzalez@example.com")
    browser_page.click("#sign-in-form button")
    browser_page.locator("text=Signed in as").wait_for()
    chat.load()
    chat.open_with_keyboard()
    chat.wait_for_reply("I'm the shop's support assistant")

    chat.say("where is my order?")
    chat.wait_for_reply("What's your order number?")
    chat.say("100001")
    said = chat.wait_for_reply("1Z999AA10123456784")
    assert PROOF_QUESTION not in said  # her own order: no email or ZIP asked

    chat.say("where is order 100003?")  # Olga's: proof as usual
    chat.wait_for_reply(PROOF_QUESTION)
    chat.screenshot("6-signed-in")

    # Signing out ends the conversation in this browser: the next person starts afresh.
    first_session = chat.session_id()
    browser_page.click("#sign-out-form button")
    browser_page.locator("#sign-in-form").wait_for()
    chat.load()
    assert chat.session_id() != first_session
    assert "1Z999AA10123456784" not in chat.bot_text()
