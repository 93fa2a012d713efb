"""Delivery date arithmetic: dispatch cut-off, weekends, holidays, same-day eligibility.

The shop is in Los Angeles (UTC-8 in November); FIXED_NOW, Monday 2026-11-23 12:00 UTC, is
04:00 there. Thanksgiving (Thursday 2026-11-26) is a holiday in the shipped profile.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from bot.core.shop_dates import local
from bot.profile.shop_profile import load_profile
from bot.shipping.delivery_dates import (
    Unavailable,
    add_business_days,
    delivery_window,
    dispatch_date,
    is_business_day,
    same_day_problem,
)
from tests.conftest import FIXED_NOW

POLICY = load_profile().shipping
METHOD = POLICY.method


def window(now, code, zip_code=None):
    w = delivery_window(now, METHOD(code), POLICY, zip_code)
    return (w.dispatch, w.earliest, w.latest) if w else None


def test_fixed_now_is_early_monday_morning_in_the_shop():
    assert local(FIXED_NOW, POLICY.timezone) == datetime(2026, 11, 23, 4, 0)


def test_business_days_skip_weekends_and_holidays():
    holidays = POLICY.holidays
    assert is_business_day(date(2026, 11, 25), holidays)
    assert not is_business_day(date(2026, 11, 26), holidays)  # Thanksgiving
    assert not is_business_day(date(2026, 11, 28), holidays)  # Saturday
    assert add_business_days(date(2026, 11, 25), 1, holidays) == date(2026, 11, 27)
    assert add_business_days(date(2026, 12, 24), 1, holidays) == date(2026, 12, 28)  # Christmas, weekend
    assert add_business_days(date(2026, 11, 23), 0, holidays) == date(2026, 11, 23)


@pytest.mark.parametrize(
    "now, expected",
    [
        (datetime(2026, 11, 23, 21, 59), date(2026, 11, 23)),  # 13:59 in LA: just before the cut-off
        (datetime(2026, 11, 23, 22, 0), date(2026, 11, 24)),  # 14:00 in LA: just after
        (datetime(2026, 11, 23, 20, 0), date(2026, 11, 23)),  # after 14:00 UTC, but noon in LA
        (datetime(2026, 11, 21, 2, 0), date(2026, 11, 23)),  # Friday 18:00 in LA: Monday
        (datetime(2026, 11, 20, 21, 0), date(2026, 11, 20)),  # Friday 13:00 in LA: same day
        (datetime(2026, 11, 22, 18, 0), date(2026, 11, 23)),  # Sunday
        (datetime(2026, 11, 25, 23, 0), date(2026, 11, 27)),  # Wednesday 15:00: Thanksgiving next
        (datetime(2026, 11, 26, 18, 0), date(2026, 11, 27)),  # on Thanksgiving morning
    ],
)
def test_dispatch_day(now, expected):
    assert dispatch_date(now, POLICY) == expected


def test_windows_from_fixed_now_skip_thanksgiving():
    assert window(FIXED_NOW, "next_day") == (date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 24))
    assert window(FIXED_NOW, "two_day")[1:] == (date(2026, 11, 25), date(2026, 11, 25))
    assert window(FIXED_NOW, "standard")[1:] == (date(2026, 11, 27), date(2026, 12, 1))
    assert window(FIXED_NOW, "economy")[1:] == (date(2026, 12, 3), date(2026, 12, 8))


def test_friday_evening_next_day_arrives_tuesday():
    friday_evening = datetime(2026, 11, 21, 2, 0)  # Friday 18:00 in LA
    assert window(friday_evening, "next_day") == (date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 24))


def test_next_day_ordered_the_afternoon_before_thanksgiving_arrives_monday():
    assert window(datetime(2026, 11, 25, 23, 0), "next_day")[2] == date(2026, 11, 30)


def test_international_zones_count_business_days_too():
    assert window(FIXED_NOW, "canada_standard")[1:] == (date(2026, 12, 2), date(2026, 12, 8))
    assert window(FIXED_NOW, "europe_express")[1:] == (date(2026, 11, 27), date(2026, 12, 1))


@pytest.mark.parametrize(
    "now, zip_code, problem",
    [
        (FIXED_NOW, "94107", None),
        (FIXED_NOW, "94107-1234", None),
        (FIXED_NOW, "89501", None),  # Reno
        (datetime(2026, 11, 23, 18, 59), "94107", None),  # 10:59 in LA
        (datetime(2026, 11, 23, 19, 0), "94107", Unavailable.TOO_LATE),  # 11:00 in LA
        (datetime(2026, 11, 21, 18, 0), "94107", Unavailable.TOO_LATE),  # Saturday
        (datetime(2026, 11, 26, 17, 0), "94107", Unavailable.TOO_LATE),  # Thanksgiving, 9:00
        (FIXED_NOW, "10001", Unavailable.ZIP_NOT_SERVED),  # New York
        (FIXED_NOW, None, Unavailable.NEEDS_ZIP),
        (datetime(2026, 11, 23, 19, 0), None, Unavailable.TOO_LATE),  # no ZIP needed to say so
        (datetime(2026, 11, 23, 19, 0), "10001", Unavailable.ZIP_NOT_SERVED),  # never, not just today
    ],
)
def test_same_day_eligibility(now, zip_code, problem):
    assert same_day_problem(now, METHOD("same_day"), POLICY, zip_code) is problem


def test_same_day_arrives_today_only_when_eligible():
    today = date(2026, 11, 23)
    assert window(FIXED_NOW, "same_day", "94107") == (today, today, today)
    assert window(FIXED_NOW, "same_day") == (today, today, today)  # no ZIP yet: if eligible
    assert window(FIXED_NOW, "same_day", "10001") is None
    assert window(datetime(2026, 11, 23, 19, 0), "same_day", "94107") is None


def test_other_methods_ignore_the_same_day_cut_off_and_zip():
    late_morning = datetime(2026, 11, 23, 19, 30)  # 11:30 in LA
    assert same_day_problem(late_morning, METHOD("next_day"), POLICY, "10001") is None
    assert window(late_morning, "next_day", "10001")[0] == date(2026, 11, 23)
    assert METHOD("same_day").cutoff == time(11, 0)


def test_add_business_days_skips_weekends() -> None:
    friday = date(2026, 5, 1)
    assert add_business_days(friday, 0) == friday
    assert add_business_days(friday, 1) == date(2026, 5, 4)
    assert add_business_days(friday, 5) == date(2026, 5, 8)
    assert add_business_days(date(2026, 5, 2), 1) == date(2026, 5, 4)  # from a Saturday
    for start in (friday + timedelta(days=k) for k in range(14)):
        for n in range(12):
            expected, left = start, n
            while left:
                expected += timedelta(days=1)
                left -= expected.weekday() < 5
            assert add_business_days(start, n) == expected
