"""Conversation events as the tracker store keeps them: no proofs, tokens or secrets."""
from __future__ import annotations

from bot.privacy.secrets import HIDDEN
from bot.privacy.stored_events import is_masked_proof, mask_events, proofs_in


def user(text, entities=(), metadata=None):
    event = {"event": "user", "text": text, "timestamp": 1.0,
             "parse_data": {"text": text, "intent": {"name": "inform", "confidence": 0.9},
                            "entities": [dict(e) for e in entities]}}
    if metadata is not None:
        event["metadata"] = metadata
    return event


def slot(name, value):
    return {"event": "slot", "name": name, "value": value, "timestamp": 1.0}


def test_a_zip_given_as_proof_is_masked_in_the_text_entities_and_slot():
    events = [user("order 100003, my zip is 94107-1234",
                   [{"entity": "order_number", "value": "100003"}, {"entity": "zip_code", "value": "94107"}]),
              slot("order_number", "100003"), slot("owner_proof", "94107")]
    kept = mask_events(events)
    assert kept[0]["text"] == f"order 100003, my zip is {HIDDEN}"
    assert kept[0]["parse_data"]["text"] == kept[0]["text"]
    assert [e["value"] for e in kept[0]["parse_data"]["entities"]] == ["100003", HIDDEN]
    assert kept[1]["value"] == "100003" and kept[2]["value"] == HIDDEN
    assert events[2]["value"] == "94107"  # the input is left as it was


def test_an_email_proof_is_masked_whatever_its_case_and_a_failed_one_too():
    events = [user("It's Maria.Gonzalez@Example.com"), slot("owner_proof", "maria.gonzalez@example.com"),
              slot("owner_proof", None)]
    kept = mask_events(events)
    assert kept[0]["text"] == f"It's {HIDDEN}"
    assert kept[1]["value"] == HIDDEN and kept[2]["value"] is None


def test_a_zip_inside_a_longer_number_and_other_emails_are_left_alone():
    events = [user("tracking 1Z941070000 and zip 94107, write to help@shop.example"),
              slot("owner_proof", "94107")]
    assert mask_events(events)[0]["text"] == f"tracking 1Z941070000 and zip {HIDDEN}, write to help@shop.example"


def test_sign_in_tokens_are_masked_in_metadata_and_the_session_start_slot():
    token = {"customer_token": "v1.abc.def", "client": "203.0.113.9"}
    events = [{"event": "session_started", "metadata": dict(token)},
              slot("session_started_metadata", dict(token)), user("hi", metadata=dict(token))]
    kept = mask_events(events)
    assert kept[0]["metadata"] == {"customer_token": HIDDEN, "client": "203.0.113.9"}
    assert kept[1]["value"]["customer_token"] == HIDDEN and kept[2]["metadata"]["customer_token"] == HIDDEN


def test_card_numbers_are_masked_in_texts_entities_text_slots_and_bot_replies():
    card = "4111 1111 1111 1111"
    events = [user(f"I paid with {card}", [{"entity": "tracking_number", "value": card.replace(" ", "")}]),
              slot("claim_description", f"charged twice on {card}"),
              {"event": "bot", "text": f"You said {card}", "data": {}}]
    kept = mask_events(events)
    assert card not in str(kept) and "1111" in kept[0]["text"]
    assert kept[1]["value"] == "charged twice on •••• •••• •••• 1111"


def test_other_events_and_values_pass_unchanged():
    events = [{"event": "action", "name": "action_listen"}, slot("verified_orders", ["100001"]),
              slot("failed_checks", 2.0), user("where is order 100001?")]
    assert mask_events(events) == events


def test_proofs_are_read_from_the_proof_slot_only_when_valid():
    assert proofs_in([slot("owner_proof", "94107"), slot("owner_proof", "nonsense"),
                      slot("order_number", "94107")]) == {"94107"}
    assert is_masked_proof(HIDDEN) and not is_masked_proof("94107") and not is_masked_proof(None)


def test_a_new_shipping_address_keeps_its_zip_where_the_address_change_reads_it():
    # The ZIP of a typed address also fills the proof slot (its mapping takes any ZIP): the
    # message is masked, the address the next turn confirms is not.
    address = "500 Market St, Apt 4, San Francisco, CA 94105"
    kept = mask_events([user(address, [{"entity": "zip_code", "value": "94105"}]),
                        slot("owner_proof", "94105"), slot("new_address", address)])
    assert kept[0]["text"] == f"500 Market St, Apt 4, San Francisco, CA {HIDDEN}"
    assert kept[1]["value"] == HIDDEN and kept[2]["value"] == address
    card = mask_events([slot("new_address", "4111 1111 1111 1111, Main St")])[0]["value"]
    assert "4111" not in card  # secrets are still masked there
