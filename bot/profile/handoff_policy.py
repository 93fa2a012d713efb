"""The `handoff:` section of the shop profile (and its `support.days`), parsed with the profile's
key reader by `bot.profile.shop_profile.parse_profile`; the rules that use it are in `bot.handoff`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, FrozenSet

from bot.profile.support_days import parse_support_days


@dataclass(frozen=True)
class HandoffPolicy:
    support_days: FrozenSet[int]  # parsed support.days, Monday = 0
    agents_on_duty: int  # agents answering handoffs at the same time
    average_handling_minutes: int  # one conversation, on average
    closed_on_holidays: bool  # support is closed on shipping.holidays
    expire_after_hours: int  # an open handoff without activity for this long expires
    return_unclaimed_after_minutes: int  # a handoff nobody claimed goes back to the bot after this
    remind_idle_after_minutes: int  # a claimed handoff whose customer waits this long: remind the agent
    requeue_idle_after_minutes: int  # ... and this long: back to the queue for another agent


DEFAULTS = {"agents_on_duty": 2, "average_handling_minutes": 8, "closed_on_holidays": True,
            "expire_after_hours": 72, "return_unclaimed_after_minutes": 60,
            "remind_idle_after_minutes": 10, "requeue_idle_after_minutes": 30}


def parse_handoff_policy(reader: Any) -> HandoffPolicy:
    """Read the optional `handoff:` section (and check support.days) with the profile's reader."""
    try:
        days = parse_support_days(reader.text("support.days"))
    except ValueError as err:
        raise reader.fail("support.days", f"{err}; write it like \"Monday to Friday\"") from None
    section = reader.data.get("handoff")
    if section is not None and not isinstance(section, dict):
        raise reader.fail("handoff", "must be a mapping of settings")
    section = section or {}

    def value(key: str, read):
        return read(f"handoff.{key}") if key in section else DEFAULTS[key]

    remind = value("remind_idle_after_minutes", lambda k: reader.whole(k, 1, 24 * 60))
    requeue = value("requeue_idle_after_minutes", lambda k: reader.whole(k, 1, 7 * 24 * 60))
    if requeue <= remind:
        raise reader.fail("handoff.requeue_idle_after_minutes",
                          f"must be longer than handoff.remind_idle_after_minutes ({remind}): "
                          "the agent is reminded first")
    return HandoffPolicy(
        support_days=days,
        agents_on_duty=value("agents_on_duty", lambda k: reader.whole(k, 1, 500)),
        average_handling_minutes=value("average_handling_minutes", lambda k: reader.whole(k, 1, 480)),
        closed_on_holidays=value("closed_on_holidays", reader.flag),
        expire_after_hours=value("expire_after_hours", lambda k: reader.whole(k, 1, 24 * 60)),
        return_unclaimed_after_minutes=value("return_unclaimed_after_minutes",
                                             lambda k: reader.whole(k, 1, 7 * 24 * 60)),
        remind_idle_after_minutes=remind,
        requeue_idle_after_minutes=requeue,
    )
