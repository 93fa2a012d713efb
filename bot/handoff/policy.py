"""When the bot hands a conversation to a person, how urgent it is, and how long the wait is
(what the customer reads about it is in `bot.handoff.messages`).

Pure: no queries, no Rasa. The `handoff:` section of the shop profile that these rules read is
parsed in `bot.profile.handoff_policy`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Mapping, Optional

from bot.handoff.support_hours import (
    SupportHours,
    SupportStatus,
    hours_from_profile,
    support_status,
)
from bot.orders.lookup import MAX_FAILED_CHECKS
from bot.profile.handoff_policy import HandoffPolicy

ASKED = "asked_for_person"


COMPLAINT = "complaint"


NOT_UNDERSTOOD = "not_understood"


VERIFICATION_FAILED = "verification_failed"


RETURN_INELIGIBLE = "return_ineligible"


LOST_PARCEL = "lost_parcel"


#: reason -> (priority, what the agent reads); a higher priority is served first.
REASONS = {
    COMPLAINT: (4, "the customer is upset or complaining"),
    LOST_PARCEL: (3, "the customer wants more help with a lost parcel"),
    RETURN_INELIGIBLE: (2, "the customer wants more help with a return the bot could not accept"),
    VERIFICATION_FAILED: (2, f"the customer failed {MAX_FAILED_CHECKS} ownership checks"),
    ASKED: (2, "the customer asked for a person"),
    NOT_UNDERSTOOD: (1, "the bot did not understand the customer twice in a row"),
}


DEFAULT_PRIORITY = 1


#: What the customer may say after a refused return or a lost parcel to ask for more.
MORE_HELP_INTENTS = frozenset({"human_handoff", "affirm"})


FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class Trigger:
    reason: str
    priority: int
    label: str


def priority_for(reason: str) -> int:
    return REASONS.get(reason, (DEFAULT_PRIORITY, ""))[0]


def reason_label(reason: str) -> str:
    """'the customer asked for a person'; an unknown reason reads as itself in words."""
    return REASONS.get(reason, (0, str(reason).replace("_", " ")))[1]


def _trigger(reason: str) -> Trigger:
    return Trigger(reason, priority_for(reason), reason_label(reason))


def detect_trigger(intent: Optional[str], *, fallbacks_in_a_row: int = 0,
                   failed_checks: int = 0, after: Optional[str] = None) -> Optional[Trigger]:
    """Should this turn go to a person, and why? None: the bot carries on.

    `intent` is the customer's latest intent; `fallbacks_in_a_row` counts the latest
    not-understood messages (see `fallbacks_in_a_row`); `failed_checks` is the number of failed
    ownership checks after this turn (pass it on the turn a check failed); `after` is
    RETURN_INELIGIBLE or LOST_PARCEL when the bot's last answer was that outcome.
    """
    if intent == "complaint":
        return _trigger(COMPLAINT)
    if after in (RETURN_INELIGIBLE, LOST_PARCEL) and intent in MORE_HELP_INTENTS:
        return _trigger(after)
    if failed_checks >= MAX_FAILED_CHECKS:
        return _trigger(VERIFICATION_FAILED)
    if fallbacks_in_a_row >= 2:
        return _trigger(NOT_UNDERSTOOD)
    if intent == "human_handoff":
        return _trigger(ASKED)
    return None


def fallbacks_in_a_row(events: Iterable[Any]) -> int:
    """How many of the customer's latest messages (tracker event dicts) were not understood."""
    count = 0
    for event in reversed(list(events or ())):
        if not isinstance(event, Mapping) or event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        intent = (parse.get("intent") or {}).get("name") if isinstance(parse, Mapping) else None
        if intent != FALLBACK_INTENT:
            break
        count += 1
    return count


def support_hours(profile) -> SupportHours:
    """The shop's support hours, closed on its holidays when the profile says so."""
    holidays = profile.shipping.holidays if profile.handoff.closed_on_holidays else ()
    return hours_from_profile(profile, holidays)


def support_now(now: datetime, profile) -> SupportStatus:
    """Open at `now` (naive UTC), or when the team is next there."""
    return support_status(now, support_hours(profile))


PICKUP_MINUTES = 2  # a free agent still needs a moment to pick a handoff up


def expected_wait_minutes(position: int, busy_agents: int, policy: HandoffPolicy) -> int:
    """Minutes until the handoff at `position` (1 = next) is picked up, during support hours."""
    if position <= 0:
        return 0
    free = max(0, policy.agents_on_duty - max(0, busy_agents))
    if position <= free:
        return PICKUP_MINUTES
    rounds = math.ceil((position - free) / policy.agents_on_duty)
    return rounds * policy.average_handling_minutes
