"""The shop profile is validated, and a bad value is reported with its key."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.profile.shop_profile import ProfileError, load_profile, profile_path


def write(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(profile_path().read_text())
    change(data)
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_the_shipped_profile_is_valid_and_reads_well():
    profile = load_profile()
    assert profile.return_window_days == 30
    assert profile.free_shipping_threshold_cents == 7500
    values = profile.placeholders()
    assert values["support_hours"] == "Monday to Friday, 9am to 6pm Pacific time"
    assert values["free_shipping_threshold"] == "$75.00"
    assert values["payment_methods"].endswith("and gift cards")
    assert profile.privacy.retention_days == 365


def test_without_a_privacy_section_conversations_are_kept_a_year(tmp_path):
    assert load_profile(write(tmp_path, lambda d: d.pop("privacy"))).privacy.retention_days == 365
    assert load_profile(write(tmp_path, lambda d: d["privacy"].__setitem__(
        "retention_days", 30))).privacy.retention_days == 30


@pytest.mark.parametrize(
    "change, key",
    [
        (lambda d: d["returns"].__setitem__("window_days", "thirty"), "returns.window_days"),
        (lambda d: d["returns"].__setitem__("window_days", -1), "returns.window_days"),
        (lambda d: d["returns"].pop("exchange_allowed"), "returns.exchange_allowed"),
        (lambda d: d["shop"].__setitem__("timezone", "Mars/Olympus"), "shop.timezone"),
        (lambda d: d["support"].__setitem__("opens", "9am"), "support.opens"),
        (lambda d: d["support"].__setitem__("closes", "08:00"), "support.closes"),
        (lambda d: d["shipping"].__setitem__("free_shipping_threshold", "75.001"), "shipping.free_shipping_threshold"),
        (lambda d: d["returns"].__setitem__("return_shipping_paid_by", "nobody"), "returns.return_shipping_paid_by"),
        (lambda d: d["payments"].__setitem__("methods", []), "payments.methods"),
        (lambda d: d.pop("support"), "support.email"),
        (lambda d: d["privacy"].__setitem__("retention_days", 0), "privacy.retention_days"),
        (lambda d: d["handoff"].__setitem__("return_unclaimed_after_minutes", 0),
         "handoff.return_unclaimed_after_minutes"),
        (lambda d: d["privacy"].__setitem__("keep_forever", True), "privacy.keep_forever"),
    ],
)
def test_a_bad_value_names_its_key(tmp_path, change, key):
    with pytest.raises(ProfileError, match=rf"profile.yml: {key.replace('.', '[.]')}: "):
        load_profile(write(tmp_path, change))


def test_unreadable_files_are_clear_errors(tmp_path):
    with pytest.raises(ProfileError, match="does not exist"):
        load_profile(tmp_path / "missing.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("shop: [unclosed")
    with pytest.raises(ProfileError, match="not valid YAML"):
        load_profile(broken)


def test_customer_paid_return_shipping_quotes_the_fee(tmp_path):
    profile = load_profile(write(tmp_path, lambda d: d["returns"].__setitem__("return_shipping_paid_by", "customer")))
    assert "$6.95" in profile.placeholders()["return_shipping"]
