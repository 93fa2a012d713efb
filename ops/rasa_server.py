"""`rasa run` with two run-time fixes that change nothing but the time they take.

1. Action-server replies validated against a prebuilt schema.

Rasa 3.6 checks every reply of the action server with `jsonschema.validate(reply, schema)`,
which first validates the (large, constant) events schema itself against the JSON Schema
meta-schema, on every call: 25 % of the Rasa server's busy time in a profile, ~85 ms per
custom action on the loaded 2-core machine (docs/benchmarks.md). Here the validator is built
once and every reply is still checked against the same schema, failing with the same error,
so behaviour is unchanged. The trained model is not touched. ops/stack.py starts the Rasa
server through this module: `python -m ops.rasa_server run --model ...`; with
SHOP_RASA_STOCK_VALIDATION=1 it runs Rasa's own validation (to measure the difference).

2. Event classes found by name once. Rasa turns each stored event into an object through
`Event.resolve_by_type`, which lists every subclass of Event anew (recursively, each checked
for being abstract) for every event: 7 % of the Rasa server's busy time in a profile of
`python -m bench profile --blocking` (docs/benchmarks.md). Here the class found for a name is
kept; a name not found yet still goes through Rasa's own lookup (and its error).

3. Rules matched without re-reading them. For each prediction RulePolicy checks every rule
(about 400) against the conversation's states, newest first, re-parsing and reversing each
rule's states at each step and going on through the whole history after the longest rule
has been passed: 13 % of the busy time. `ops.rule_matching` does the same checks (Rasa's own
`_does_rule_match_state`) on rules read once, skips those whose last action cannot match,
and stops where every rule left has been passed. Same keys returned (a test compares it with
Rasa's on every rule of the model).

4. Story export of the whole latest session. The tracker store loads a long conversation as a
window (stores/tracker_window.py); `GET /conversations/<id>/story` without `all_sessions`
reads the conversation the way a message does, so it is given the whole latest session, as
Rasa's own store gives it.
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import Any, Dict


@lru_cache(maxsize=1)
def _reply_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once, as jsonschema.validate did on every call
    return validator_class(schema)


def _validate_action_result(self: Any, result: Dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the prebuilt validator (same checks, same error)."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_reply_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions")
        raise error
    return True


_EVENT_CLASSES: Dict[str, Any] = {}
_STOCK: Dict[str, Any] = {}  # Rasa's own functions that install() replaced


def _resolve_event_type(type_name: str, default: Any = None) -> Any:
    """Event.resolve_by_type, with the class found for each name kept."""
    found = _EVENT_CLASSES.get(type_name)
    if found is None:
        from rasa.shared.core.events import Event

        found = _STOCK.get("resolve_by_type", Event.resolve_by_type)(type_name, default)
        if found is not None and found is not default:
            _EVENT_CLASSES[type_name] = found
    return found


class _WholeSession:
    """Stands in for the processor in Rasa's story export: the tracker of the whole session."""

    def __init__(self, processor: Any) -> None:
        self.processor = processor

    async def get_tracker(self, conversation_id: str) -> Any:
        tracker = await self.processor.get_tracker(conversation_id)
        whole = getattr(tracker, "whole", None)
        return whole() if whole is not None else tracker

    def __getattr__(self, name: str) -> Any:
        return getattr(self.processor, name)


async def _get_test_stories(processor: Any, conversation_id: str, until_time: Any,
                            fetch_all_sessions: bool = False) -> Any:
    stock = _STOCK["get_test_stories"]
    if fetch_all_sessions:
        return await stock(processor, conversation_id, until_time, fetch_all_sessions=True)
    return await stock(_WholeSession(processor), conversation_id, until_time, fetch_all_sessions=False)


def install() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.events import Event

    from ops.rule_matching import possible_keys

    RemoteAction._validate_action_result = _validate_action_result
    if "get_possible_keys" not in _STOCK:
        _STOCK["get_possible_keys"] = RulePolicy._get_possible_keys
        RulePolicy._get_possible_keys = possible_keys
    import rasa.server

    if "get_test_stories" not in _STOCK:
        _STOCK["get_test_stories"] = rasa.server.get_test_stories
        rasa.server.get_test_stories = _get_test_stories
    if "resolve_by_type" not in _STOCK:
        _STOCK["resolve_by_type"] = Event.resolve_by_type
        Event.resolve_by_type = staticmethod(_resolve_event_type)


def main() -> None:
    if os.environ.get("SHOP_RASA_STOCK_VALIDATION") != "1":
        install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
