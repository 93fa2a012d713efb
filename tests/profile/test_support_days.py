"""Support days as the profile writes them, read into weekday numbers (Monday = 0)."""
from __future__ import annotations

import pytest

from bot.profile.support_days import parse_support_days


@pytest.mark.parametrize("text, days", [
    ("Monday to Friday", {0, 1, 2, 3, 4}),
    ("Mon-Sat", {0, 1, 2, 3, 4, 5}),
    ("Monday, Wednesday and Friday", {0, 2, 4}),
    ("every day", set(range(7))),
    ("Friday to Monday", {4, 5, 6, 0}),
])
def test_support_days_as_people_write_them(text, days):
    assert parse_support_days(text) == days


@pytest.mark.parametrize("text", ["Funday to Friday", "", "T"])
def test_unreadable_days_are_a_value_error(text):
    with pytest.raises(ValueError):
        parse_support_days(text)
