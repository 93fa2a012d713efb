"""The `privacy:` section of the shop profile: how long conversations, handoff transcripts and
outbox payloads are kept. Parsed with the profile's key reader by
`bot.profile.shop_profile.parse_profile`; the deleting is in `bot.privacy.retention`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PrivacyPolicy:
    retention_days: int  # kept this long after their last activity, then deleted or anonymised


DEFAULTS = {"retention_days": 365}


def parse_privacy_policy(reader: Any) -> PrivacyPolicy:
    """Read the optional `privacy:` section with the profile's reader."""
    section = reader.settings("privacy", DEFAULTS)
    days = reader.whole("privacy.retention_days", 1, 3650) if "retention_days" in section \
        else DEFAULTS["retention_days"]
    return PrivacyPolicy(retention_days=days)
