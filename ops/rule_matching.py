"""RulePolicy's search for the rules that apply to a conversation, with the rules read once.

Rasa 3.6 (`RulePolicy._get_possible_keys`) starts from every rule key and, for each state of
the conversation from the newest back, keeps the keys for which `_is_rule_applicable` holds.
That parses and reverses each rule's states anew for every check (an lru-cached `json.loads`
and a list copy), and goes on through the whole history although a rule shorter than the step
has already passed (`turn_index >= len(rule)` is true for every later step).

`possible_keys` returns the same set: the same checks in the same order, through Rasa's own
`_does_rule_match_state`, on rules reversed once per lookup table, and
- at the newest state, only rules whose last state could match it: a rule whose last state
  names a previous action is applicable only where the conversation's previous action has
  that name (the first condition of `_does_rule_match_state` for the `prev_action` part);
- it stops once every remaining rule is shorter than the step (the rest pass anyway).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Set, Text, Tuple

from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET
from rasa.shared.nlu.constants import ACTION_NAME

State = Dict[Text, Any]


class _Rules:
    """One lookup table's rules: reversed states, and the keys by their last action."""

    def __init__(self, lookup: Dict[Text, Any], to_states: Any) -> None:
        self.size = len(lookup)
        self.reversed: Dict[Text, List[State]] = {key: list(reversed(to_states(key))) for key in lookup}
        self.any_action: Set[Text] = set()
        self.by_action: Dict[Text, Set[Text]] = {}
        for key, states in self.reversed.items():
            name = _action_name(states[0]) if states else None
            if name is None:
                self.any_action.add(key)
            else:
                self.by_action.setdefault(name, set()).add(key)

    def candidates(self, state: State) -> Set[Text]:
        name = (state.get(PREVIOUS_ACTION) or {}).get(ACTION_NAME)
        return self.any_action | self.by_action.get(name, set()) if name else set(self.any_action)


def _action_name(state: State) -> Optional[Text]:
    """The previous action a rule state requires by name, if it requires one."""
    value = (state.get(PREVIOUS_ACTION) or {}).get(ACTION_NAME)
    return value if value and value != SHOULD_NOT_BE_SET else None


_TABLES: Dict[int, Tuple[Dict[Text, Any], _Rules]] = {}


def _rules_of(policy: Any, lookup: Dict[Text, Any]) -> _Rules:
    known = _TABLES.get(id(lookup))
    if known is None or known[0] is not lookup or known[1].size != len(lookup):
        known = (lookup, _Rules(lookup, policy._rule_key_to_state))
        _TABLES[id(lookup)] = known
    return known[1]


def _applicable(policy: Any, rule_states: List[State], turn_index: int, state: State) -> bool:
    """RulePolicy._is_rule_applicable on a rule's reversed states."""
    if turn_index >= len(rule_states):
        return True
    current_previous_action = state.get(PREVIOUS_ACTION)
    rule_previous_action = rule_states[turn_index].get(PREVIOUS_ACTION)
    if not rule_previous_action and not current_previous_action:
        return True
    if not rule_previous_action or not current_previous_action:
        return False
    return policy._does_rule_match_state(rule_states[turn_index], state)


def possible_keys(self: Any, lookup: Dict[Text, Text], states: List[State]) -> Set[Text]:
    """RulePolicy._get_possible_keys, same result (see the module's docstring)."""
    if not states:
        return set(lookup.keys())
    rules = _rules_of(self, lookup)
    newest = states[-1]
    keys = {k for k in rules.candidates(newest) if _applicable(self, rules.reversed[k], 0, newest)}
    for turn_index, state in enumerate(reversed(states[:-1]), start=1):
        if not keys or all(len(rules.reversed[k]) <= turn_index for k in keys):
            break
        keys = {k for k in keys if _applicable(self, rules.reversed[k], turn_index, state)}
    return keys
