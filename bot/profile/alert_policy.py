"""The `alerts:` section of the shop profile: what raises an alert for the on-call person, and
the thresholds. Parsed with the profile's key reader by `bot.profile.shop_profile.parse_profile`;
raising, counting and acknowledging is in `bot.alerts`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Tuple

PARCEL_STATES = ("late", "lost")


@dataclass(frozen=True)
class AlertPolicy:
    complaint: bool  # a complaint handed to the team
    angry: bool  # an abusive message (the insult intent) or an angry one (angry_words, shouting)
    low_csat_at_most: int  # a CSAT at or below this raises one (0: never)
    parcels: Tuple[str, ...]  # a customer reports a parcel in these states: late, lost
    repeated_customers: int  # this many customers reporting the same problem...
    repeated_within_minutes: int  # ...within this many minutes raise one more alert
    quiet_minutes: int  # at most one alert of a kind per conversation in this time
    angry_words: Tuple[str, ...]  # words or phrases that make a message angry (lower case)

    def parcel_state_alerts(self, state: str) -> bool:
        return state in self.parcels


DEFAULTS = {
    "complaint": True,
    "angry": True,
    "low_csat_at_most": 2,
    "parcels": list(PARCEL_STATES),
    "repeated_customers": 3,
    "repeated_within_minutes": 60,
    "quiet_minutes": 60,
    "angry_words": [
        "worst", "terrible", "horrible", "awful", "disgusting", "pathetic", "ridiculous", "unacceptable",
        "outrageous", "furious", "angry", "livid", "fed up", "sick of", "scam", "scammers", "fraud",
        "rip off", "ripoff", "useless", "incompetent", "never again", "never order", "lawyer", "sue you",
        "chargeback", "report you",
    ],
}


def parse_alert_policy(reader: Any) -> AlertPolicy:
    """Read the optional `alerts:` section with the profile's reader."""
    section = reader.settings("alerts", DEFAULTS)

    def value(key: str, read):
        return read(f"alerts.{key}") if key in section else DEFAULTS[key]

    parcels = value("parcels", lambda k: reader.texts(k, allow_empty=True))
    unknown = [p for p in parcels if p not in PARCEL_STATES]
    if unknown:
        raise reader.fail("alerts.parcels", f"{unknown[0]!r} is not one of {', '.join(PARCEL_STATES)}")
    words = value("angry_words", lambda k: reader.texts(k, allow_empty=True))
    return AlertPolicy(
        complaint=value("complaint", reader.flag),
        angry=value("angry", reader.flag),
        low_csat_at_most=value("low_csat_at_most", lambda k: reader.whole(k, 0, 4)),
        parcels=tuple(parcels),
        repeated_customers=value("repeated_customers", lambda k: reader.whole(k, 2, 1000)),
        repeated_within_minutes=value("repeated_within_minutes", lambda k: reader.whole(k, 1, 24 * 60)),
        quiet_minutes=value("quiet_minutes", lambda k: reader.whole(k, 0, 24 * 60)),
        angry_words=tuple(" ".join(w.lower().split()) for w in words),
    )
