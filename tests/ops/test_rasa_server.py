"""The Rasa server's prebuilt validator accepts and rejects action-server replies as Rasa does."""
from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from ops.rasa_server import _validate_action_result

VALID = {"events": [{"event": "slot", "name": "order_number", "value": "100001"}],
         "responses": [{"text": "Order #100001 is on its way"}]}
INVALID = [
    {"events": [{"event": "slot", "value": "100001"}]},  # a slot event without its name
    {"events": [{"event": "no_such_event"}]},
    {"responses": "not a list"},
]


def test_a_valid_reply_passes_both_validators():
    action = RemoteAction("action_x", None)
    assert _validate_action_result(action, VALID) is True
    assert action._validate_action_result(VALID) is True  # Rasa's own, unpatched here


@pytest.mark.parametrize("reply", INVALID)
def test_an_invalid_reply_fails_like_rasas_own_check(reply):
    with pytest.raises(jsonschema.ValidationError) as ours:
        _validate_action_result(RemoteAction("action_x", None), reply)
    with pytest.raises(jsonschema.ValidationError) as rasas:
        RemoteAction("action_x", None)._validate_action_result(reply)
    assert ours.value.message == rasas.value.message
    assert "Failed to validate Action server response" in ours.value.message


def test_event_classes_found_by_name_are_rasas_own_and_unknown_names_fail_the_same():
    from rasa.shared.core.events import Event, SlotSet, UserUttered
    from rasa.shared.utils.common import all_subclasses

    from ops.rasa_server import _resolve_event_type

    for name in {cls.type_name for cls in all_subclasses(Event)}:
        assert _resolve_event_type(name) is Event.resolve_by_type(name)
        assert _resolve_event_type(name) is Event.resolve_by_type(name)  # kept, same answer
    assert _resolve_event_type("slot") is SlotSet and _resolve_event_type("user") is UserUttered
    assert _resolve_event_type("no_such_event", UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name"):
        _resolve_event_type("no_such_event")
