"""The `shipping:` section of the shop profile: parsed, checked key by key, and in line with the
shipping methods the orders in the database use."""
from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
import yaml

from bot.profile.shop_profile import ProfileError, load_profile, profile_path
from bot.shopdata.reference_orders import SHIPPING_METHODS


def write(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(profile_path().read_text())
    change(data)
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def methods(d):
    return d["shipping"]["methods"]


def test_domestic_methods_agree_with_the_methods_orders_use():
    domestic = load_profile().shipping.domestic
    in_profile = [(m.code, m.name, m.min_days, m.max_days, m.carrier, m.price_cents, m.tracking_included)
                  for m in domestic.methods]
    in_code = [(m.code, m.name, m.min_days, m.max_days, m.carrier, m.price_cents, m.tracking_included)
               for m in SHIPPING_METHODS]
    assert in_profile == in_code


def test_the_shipped_policy_reads_as_documented():
    policy = load_profile().shipping
    assert policy.timezone == "America/Los_Angeles"
    assert policy.dispatch_cutoff == time(14, 0)
    assert date(2026, 11, 26) in policy.holidays and date(2027, 12, 31) in policy.holidays
    assert policy.free_shipping_threshold_cents == 7500
    standard, same_day = policy.method("standard"), policy.method("same_day")
    assert standard.free_over_threshold and not policy.method("economy").free_over_threshold
    assert same_day.cutoff == time(11, 0) and "94107" in same_day.zip_codes
    assert policy.zone_for("CA").name == "Canada"
    assert policy.zone_for("no").code == "europe"  # Norway, written "NO" in the file
    assert policy.zone_for("JP").code == "asia_pacific"
    assert policy.zone_for("BR") is None


def test_prices_follow_the_threshold_only_for_free_methods():
    policy = load_profile().shipping
    standard, two_day = policy.method("standard"), policy.method("two_day")
    assert policy.price_cents(standard, 7499) == 695
    assert policy.price_cents(standard, 7500) == 0
    assert policy.price_cents(standard) == 695
    assert policy.price_cents(two_day, 50000) == 1495


@pytest.mark.parametrize(
    "change, key",
    [
        (lambda d: methods(d)["same_day"].__setitem__("price", "cheap"), "shipping.methods.same_day.price"),
        (lambda d: methods(d)["standard"].__setitem__("days", [5, 3]), "shipping.methods.standard.days"),
        (lambda d: methods(d)["standard"].__setitem__("days", 4), "shipping.methods.standard.days"),
        (lambda d: methods(d)["economy"].pop("carrier"), "shipping.methods.economy.carrier"),
        (lambda d: methods(d)["economy"].__setitem__("prise", "1.00"), "shipping.methods.economy.prise"),
        (lambda d: methods(d)["next_day"].__setitem__("tracking", "yes"), "shipping.methods.next_day.tracking"),
        (lambda d: methods(d)["same_day"].__setitem__("cutoff", "11am"), "shipping.methods.same_day.cutoff"),
        (lambda d: methods(d)["same_day"].__setitem__("zip_codes", ["9410"]), "shipping.methods.same_day.zip_codes"),
        (lambda d: methods(d)["same_day"].pop("area"), "shipping.methods.same_day.area"),
        (lambda d: methods(d).__setitem__("Next Day", methods(d)["next_day"]), "shipping.methods.Next Day"),
        (lambda d: d["shipping"].__setitem__("dispatch_cutoff", "25:00"), "shipping.dispatch_cutoff"),
        (lambda d: d["shipping"].__setitem__("holidays", ["Thanksgiving"]), "shipping.holidays"),
        (lambda d: d["shipping"]["international"]["europe"].__setitem__("countries", ["Germany"]),
         "shipping.international.europe.countries"),
        (lambda d: d["shipping"]["international"]["europe"].__setitem__("countries", [False]),
         "shipping.international.europe.countries"),
        (lambda d: d["shipping"]["international"]["europe"]["countries"].append("CA"),
         "shipping.international.europe.countries"),
        (lambda d: d["shipping"]["international"]["canada"]["methods"].__setitem__(
            "standard", methods(d)["standard"]), "shipping.international.canada.methods.standard"),
        (lambda d: d["shipping"]["international"]["canada"]["methods"]["canada_express"].__setitem__(
            "price", -5), "shipping.international.canada.methods.canada_express.price"),
        (lambda d: d["shipping"].pop("methods"), "shipping.methods"),
    ],
)
def test_a_bad_shipping_value_names_its_key(tmp_path, change, key):
    with pytest.raises(ProfileError, match=rf"profile.yml: {key.replace('.', '[.]')}: "):
        load_profile(write(tmp_path, change))


def test_a_shop_without_international_zones_ships_at_home_only(tmp_path):
    policy = load_profile(write(tmp_path, lambda d: d["shipping"].pop("international"))).shipping
    assert [z.code for z in policy.zones] == ["domestic"]
    assert policy.zone_for("DE") is None and policy.zone_for("US") is policy.domestic
