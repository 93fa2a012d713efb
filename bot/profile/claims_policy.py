"""The `claims:` section of the shop profile: what the bot offers for problem deliveries.

Parsed by `parse_claims_policy`, which `bot.profile.shop_profile.parse_profile` calls with its key
reader, so a bad value raises ProfileError naming the key (e.g. "claims.wrong_item").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Tuple

#: What the operator may offer for each kind of claim (a person is always offered too).
ALLOWED_RESOLUTIONS = {
    "damaged_item": ("refund", "replacement"),
    "wrong_item": ("refund", "replacement"),
    "missing_package": ("reship", "refund"),
}


@dataclass(frozen=True)
class ClaimsPolicy:
    damaged_item: Tuple[str, ...]
    wrong_item: Tuple[str, ...]
    missing_package: Tuple[str, ...]
    lost_after_days_late: int  # a parcel this many days past its estimate counts as lost
    lost_after_days_without_scan: int  # ... or, once late, this long without a scan

    def resolutions_for(self, kind: str) -> Tuple[str, ...]:
        """The resolutions offered for a claim kind ("damaged_item", ...); () if unknown."""
        return getattr(self, kind, ()) if kind in ALLOWED_RESOLUTIONS else ()


def _resolutions(reader: Any, kind: str) -> Tuple[str, ...]:
    key = f"claims.{kind}"
    values = tuple(v.lower() for v in reader.texts(key, allow_empty=True))
    allowed = ALLOWED_RESOLUTIONS[kind]
    for value in values:
        if value not in allowed:
            raise reader.fail(key, f"unknown resolution {value!r}; use {' or '.join(allowed)}")
    if len(set(values)) != len(values):
        raise reader.fail(key, "lists a resolution twice")
    return values


def parse_claims_policy(reader: Any) -> ClaimsPolicy:
    """Read the `claims:` section with the profile's key reader (bot.profile.shop_profile._Reader)."""
    return ClaimsPolicy(
        damaged_item=_resolutions(reader, "damaged_item"),
        wrong_item=_resolutions(reader, "wrong_item"),
        missing_package=_resolutions(reader, "missing_package"),
        lost_after_days_late=reader.whole("claims.lost_after_days_late", 1, 90),
        lost_after_days_without_scan=reader.whole("claims.lost_after_days_without_scan", 1, 90),
    )
