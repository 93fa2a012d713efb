"""The rule search of the Rasa server finds the same rules as Rasa's own, on the model's rules."""
from __future__ import annotations

import json
import random
import tarfile

import pytest
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy

from ops.model_cache import ensure_model
from ops.rasa_server import _STOCK
from ops.rule_matching import possible_keys

#: Rasa's own search, also where another test installed ours.
STOCK = _STOCK.get("get_possible_keys", RulePolicy._get_possible_keys)


@pytest.fixture(scope="module")
def lookup():
    with tarfile.open(ensure_model()) as model:
        member = next(m for m in model.getmembers() if m.name.endswith("RulePolicy1/rule_policy.json"))
        return json.load(model.extractfile(member))["lookup"]


def conversations(rules, rng):
    """Each rule's own states (matching), with history before it, and changed (not matching)."""
    pool = [state for key in rules for state in json.loads(key)]
    for key in rules:
        states = json.loads(key)
        yield states
        yield rng.sample(pool, 3) + states
        changed = json.loads(key)
        changed[-1] = dict(changed[-1], prev_action={"action_name": rng.choice(pool).get(
            "prev_action", {}).get("action_name", "action_listen")})
        yield changed
        yield states[1:]  # starts mid-rule, as at the start of a conversation
    for _ in range(300):
        yield rng.sample(pool, rng.randint(1, 12))
    yield []


@pytest.mark.parametrize("table", [RULES, RULES_FOR_LOOP_UNHAPPY_PATH])
def test_the_same_rules_are_found_as_by_rasas_own_search(lookup, table):
    rules = lookup[table]
    assert len(rules) > 10
    policy = object.__new__(RulePolicy)  # the checks need no trained state
    found = 0
    for states in conversations(rules, random.Random(7)):
        expected = STOCK(policy, rules, states)
        assert possible_keys(policy, rules, states) == expected
        found += bool(expected)
    assert found > len(rules)  # the comparison covered conversations that match rules


def test_rules_that_name_no_previous_action_are_checked_like_rasas():
    # Conversation-start rules (no previous action) and rules on an action's text: this model
    # has none of those, so they are made here.
    rules = {json.dumps(states): "utter_x" for states in (
        [{"user": {"intent": "greet"}}],
        [{"prev_action": {"action_text": "hi"}, "user": {"intent": "greet"}}],
        [{"prev_action": {"action_name": "action_listen"}, "user": {"intent": "greet"}}],
        [{"prev_action": {"action_name": "utter_x"}}, {"prev_action": {"action_name": "action_listen"},
                                                       "user": {"intent": "bye"}}],
    )}
    policy = object.__new__(RulePolicy)
    states = [{"user": {"intent": "greet"}}, {"prev_action": {"action_text": "hi"}, "user": {"intent": "greet"}},
              {"prev_action": {"action_name": "action_listen"}, "user": {"intent": "greet"}},
              {"prev_action": {"action_name": "utter_x"}},
              {"prev_action": {"action_name": "action_listen"}, "user": {"intent": "bye"}}]
    for end in range(len(states) + 1):
        for start in range(end + 1):
            conversation = states[start:end]
            assert possible_keys(policy, rules, conversation) == STOCK(policy, rules, conversation)
    assert possible_keys(policy, rules, states[:1]) == {list(rules)[0]}
