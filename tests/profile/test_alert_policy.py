"""The profile's alerts: section: the shipped thresholds, the defaults when it is absent, and a bad
value names its key."""
from __future__ import annotations

import pytest

from bot.core.settings import PROJECT_ROOT
from bot.profile.alert_policy import DEFAULTS
from bot.profile.shop_profile import ProfileError, load_profile
from tests.profile.test_shop_profile import write


def test_the_shipped_alert_policy_is_the_default() -> None:
    alerts = load_profile(PROJECT_ROOT / "shop" / "profile.yml").alerts
    assert alerts == load_profile().alerts  # the tests' profile has no section: the same defaults
    assert (alerts.complaint, alerts.angry, alerts.low_csat_at_most, alerts.parcels) == (True, True, 2, ("late", "lost"))
    assert (alerts.repeated_customers, alerts.repeated_within_minutes, alerts.quiet_minutes) == (3, 60, 60)
    assert "fed up" in alerts.angry_words and "worst" in alerts.angry_words


def test_without_the_section_the_defaults_apply(tmp_path) -> None:
    alerts = load_profile(write(tmp_path, lambda d: d.pop("alerts", None))).alerts
    assert alerts.angry_words == tuple(DEFAULTS["angry_words"]) and alerts.parcels == ("late", "lost")


def test_words_are_read_in_lower_case_and_parcels_may_be_none(tmp_path) -> None:
    def change(d):
        d["alerts"] = {"angry_words": ["Rip  Off"], "parcels": []}

    alerts = load_profile(write(tmp_path, change)).alerts
    assert alerts.angry_words == ("rip off",) and alerts.parcels == ()


@pytest.mark.parametrize("settings, key, words", [
    ({"parcels": ["damaged"]}, "alerts.parcels", "'damaged' is not one of late, lost"),
    ({"low_csat_at_most": 5}, "alerts.low_csat_at_most", "0 to 4"),
    ({"repeated_customers": 1}, "alerts.repeated_customers", "2 to 1000"),
    ({"angry": "yes"}, "alerts.angry", "true or false"),
    ({"angry_wrds": []}, "alerts.angry_wrds", "unknown setting"),
])
def test_a_bad_alerts_value_names_its_key(tmp_path, settings, key, words) -> None:
    with pytest.raises(ProfileError, match=rf"profile.yml: {key.replace('.', '[.]')}: .*{words}"):
        load_profile(write(tmp_path, lambda d: d.__setitem__("alerts", settings)))
