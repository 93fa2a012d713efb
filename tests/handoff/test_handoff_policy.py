"""When the bot hands off, how urgent it is, support hours in the shop's time zone, and the texts."""
from __future__ import annotations

from datetime import datetime

import pytest

from bot.handoff import messages as hm
from bot.handoff import policy as hp
from bot.profile.shop_profile import ProfileError, load_profile
from tests.profile.test_shop_profile import write
from tests.support.handoff_fixtures import user

PROFILE = load_profile()


# --------------------------------------------------------------------------- triggers


@pytest.mark.parametrize("intent, kwargs, reason", [
    ("human_handoff", {}, hp.ASKED),
    ("complaint", {}, hp.COMPLAINT),
    ("complaint", {"after": hp.LOST_PARCEL}, hp.COMPLAINT),
    ("nlu_fallback", {"fallbacks_in_a_row": 2}, hp.NOT_UNDERSTOOD),
    ("inform", {"failed_checks": 3}, hp.VERIFICATION_FAILED),
    ("affirm", {"after": hp.RETURN_INELIGIBLE}, hp.RETURN_INELIGIBLE),
    ("human_handoff", {"after": hp.LOST_PARCEL}, hp.LOST_PARCEL),
])
def test_what_hands_a_conversation_to_a_person(intent, kwargs, reason):
    trigger = hp.detect_trigger(intent, **kwargs)
    assert trigger is not None and trigger.reason == reason
    assert trigger.priority == hp.priority_for(reason) and trigger.label


@pytest.mark.parametrize("intent, kwargs", [
    ("order_status", {}),
    ("nlu_fallback", {"fallbacks_in_a_row": 1}),
    ("inform", {"failed_checks": 2}),
    ("affirm", {}),  # a yes without a refused return or a lost parcel before it
    ("greet", {"after": hp.RETURN_INELIGIBLE}),
    (None, {}),
])
def test_the_bot_carries_on_otherwise(intent, kwargs):
    assert hp.detect_trigger(intent, **kwargs) is None


def test_verification_hands_over_at_the_order_lookups_limit():
    from bot.orders.lookup import MAX_FAILED_CHECKS
    assert hp.detect_trigger("inform", failed_checks=MAX_FAILED_CHECKS - 1) is None
    assert hp.detect_trigger("inform", failed_checks=MAX_FAILED_CHECKS).reason == hp.VERIFICATION_FAILED
    assert "failed 3 ownership checks" in hp.reason_label(hp.VERIFICATION_FAILED)


def test_upset_customers_and_lost_parcels_come_first():
    order = sorted(hp.REASONS, key=hp.priority_for, reverse=True)
    assert order[:2] == [hp.COMPLAINT, hp.LOST_PARCEL] and order[-1] == hp.NOT_UNDERSTOOD
    assert hp.priority_for("something new") == hp.DEFAULT_PRIORITY
    assert hp.reason_label("something_new") == "something new"


def test_fallbacks_in_a_row_counts_only_the_latest_run():
    fallback = lambda: user("asdf", "nlu_fallback", 0.2)  # noqa: E731
    events = [fallback(), user("track my order", "order_status", 0.9), fallback(),
              {"event": "bot", "text": "Did you mean..."}, fallback()]
    assert hp.fallbacks_in_a_row(events) == 2
    assert hp.fallbacks_in_a_row(events + [user("hi", "greet", 0.9)]) == 0
    assert hp.fallbacks_in_a_row([]) == 0


# --------------------------------------------------------------------------- support hours


@pytest.mark.parametrize("now, open_now, opening_local", [
    (datetime(2026, 11, 23, 20, 0), True, None),  # Monday noon in Los Angeles
    (datetime(2026, 11, 23, 12, 0), False, datetime(2026, 11, 23, 9, 0)),  # Monday 4am: today
    (datetime(2026, 11, 24, 2, 0), False, datetime(2026, 11, 24, 9, 0)),  # Monday 6pm: closed
    (datetime(2026, 11, 24, 1, 59), True, None),  # Monday 5:59pm
    (datetime(2026, 11, 28, 20, 0), False, datetime(2026, 11, 30, 9, 0)),  # Saturday
    (datetime(2026, 11, 26, 20, 0), False, datetime(2026, 11, 27, 9, 0)),  # Thanksgiving
    (datetime(2026, 7, 1, 16, 30), True, None),  # 9:30am summer time (UTC-7)
    (datetime(2026, 12, 1, 16, 30), False, datetime(2026, 12, 1, 9, 0)),  # 8:30am winter (UTC-8)
])
def test_support_hours_are_read_in_the_shop_time_zone(now, open_now, opening_local):
    status = hp.support_now(now, PROFILE)
    assert status.open_now is open_now
    assert status.next_opening_local == opening_local
    if opening_local:
        assert (status.next_opening - opening_local).total_seconds() == 8 * 3600


def test_holidays_count_only_when_the_profile_says_so():
    from dataclasses import replace
    profile = replace(PROFILE, handoff=replace(PROFILE.handoff, closed_on_holidays=False))
    assert hp.support_now(datetime(2026, 11, 26, 20, 0), profile).open_now


def test_unreadable_support_days_name_the_key(tmp_path):
    path = write(tmp_path, lambda d: d["support"].__setitem__("days", "Funday to Friday"))
    with pytest.raises(ProfileError, match=r"support\.days: 'Funday' is not a day"):
        load_profile(path)


def test_handoff_section_is_checked_and_optional(tmp_path):
    bad = write(tmp_path, lambda d: d["handoff"].__setitem__("agents_on_duty", 0))
    with pytest.raises(ProfileError, match=r"handoff\.agents_on_duty: must be a whole number"):
        load_profile(bad)
    assert load_profile(write(tmp_path, lambda d: d.pop("handoff"))).handoff.agents_on_duty == 2
    assert PROFILE.handoff.average_handling_minutes == 8


# --------------------------------------------------------------------------- queue and texts


def test_expected_wait_grows_with_the_queue_and_busy_agents():
    policy = PROFILE.handoff  # 2 agents, 8 minutes each
    assert hp.expected_wait_minutes(1, busy_agents=0, policy=policy) == hp.PICKUP_MINUTES
    assert hp.expected_wait_minutes(1, busy_agents=2, policy=policy) == 8
    assert hp.expected_wait_minutes(3, busy_agents=2, policy=policy) == 16
    assert hp.expected_wait_minutes(3, busy_agents=1, policy=policy) == 8
    assert hp.expected_wait_minutes(0, busy_agents=2, policy=policy) == 0
    assert [hm.wait_text(m) for m in (2, 16, 70, 150)] == [
        "a couple of minutes", "about 16 minutes", "about an hour", "about 2.5 hours"]


def test_within_hours_the_customer_hears_their_place_and_wait():
    now = datetime(2026, 11, 23, 20, 0)
    text = hm.next_steps_text(position=3, wait_minutes=16, support=hp.support_now(now, PROFILE),
                              now=now, profile=PROFILE)
    assert "You're number 3 in line; the expected wait is about 16 minutes." in text
    assert "won't need to repeat anything" in text
    first = hm.next_steps_text(position=1, wait_minutes=2, support=hp.support_now(now, PROFILE),
                               now=now, profile=PROFILE)
    assert "You're next in line; the expected wait is a couple of minutes." in first


def test_outside_hours_they_hear_when_and_how_and_are_asked_for_an_email():
    now = datetime(2026, 11, 28, 20, 0)  # Saturday noon in Los Angeles
    support = hp.support_now(now, PROFILE)
    text = hm.next_steps_text(position=1, wait_minutes=0, support=support, now=now, profile=PROFILE)
    assert "(we're here Monday to Friday, 9am to 6pm Pacific time)" in text
    assert "by email when we open: Monday, November 30, at 9am Pacific time." in text
    assert "What's your email address" in text and PROFILE.support_email in text
    known = hm.next_steps_text(position=1, wait_minutes=0, support=support, now=now,
                               profile=PROFILE, customer_email="maria@example.com")
    assert "Someone will email you at maria@example.com when we open: Monday, November 30" in known
    assert "What's your email" not in known


def test_tonight_reads_as_tomorrow_in_the_shop_time_zone():
    now = datetime(2026, 11, 24, 3, 0)  # Monday 7pm in Los Angeles, already Tuesday in UTC
    text = hm.next_steps_text(position=1, wait_minutes=0, support=hp.support_now(now, PROFILE),
                              now=now, profile=PROFILE, customer_email="a@b.co")
    assert "when we open: tomorrow, Tuesday, November 24, at 9am Pacific time." in text


def test_agent_messages_are_marked_as_from_a_person():
    assert hm.from_person("Sam", "Hi, I can help.") == "Sam (from our team): Hi, I can help."
    assert hm.from_person("  ", "Hi").startswith("Our team (from our team)") is True
    assert "I'm back" in hm.resumed_text()
