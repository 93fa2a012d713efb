"""Shipping options for a place, the free-shipping hint, and the replies built from them."""
from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from bot.profile.shop_profile import load_profile
from bot.shipping.delivery_dates import Unavailable
from bot.shipping.locations import resolve_location
from bot.shipping.messages import (
    free_shipping_hint,
    render_estimate,
    render_no_shipping,
    render_options,
    render_zone_answer,
)
from bot.shipping.options import find_method, shipping_options
from tests.conftest import FIXED_NOW

PROFILE = load_profile()
POLICY = PROFILE.shipping
AFTER_SAME_DAY_CUTOFF = datetime(2026, 11, 23, 19, 30)  # 11:30 in LA


def place(text):
    return resolve_location(text, POLICY)


def codes(options):
    return [o.method.code for o in options]


def test_without_a_place_all_domestic_methods_are_listed():
    options = shipping_options(POLICY, FIXED_NOW)
    assert codes(options) == ["economy", "standard", "two_day", "next_day", "same_day"]
    assert options[-1].problem is Unavailable.NEEDS_ZIP


def test_a_zip_outside_the_same_day_area_drops_same_day():
    assert "same_day" not in codes(shipping_options(POLICY, FIXED_NOW, place("10001")))
    inside = shipping_options(POLICY, FIXED_NOW, place("94107"))
    assert inside[-1].method.code == "same_day" and inside[-1].problem is None


def test_international_places_get_their_zone_methods_and_nowhere_gets_nothing():
    assert codes(shipping_options(POLICY, FIXED_NOW, place("Toronto"))) == ["canada_standard", "canada_express"]
    assert codes(shipping_options(POLICY, FIXED_NOW, place("Berlin"))) == ["europe_standard", "europe_express"]
    assert shipping_options(POLICY, FIXED_NOW, place("Brazil")) == []


def test_standard_is_free_from_the_threshold():
    prices = lambda subtotal: {o.method.code: o.price_cents for o in shipping_options(POLICY, FIXED_NOW, None, subtotal)}  # noqa: E731
    assert prices(7499)["standard"] == 695 and prices(7500)["standard"] == 0
    assert prices(9000)["next_day"] == 2495


@pytest.mark.parametrize(
    "subtotal, hint",
    [(6300, "Add $12.00 more for free standard shipping."),
     (7499, "Add $0.01 more for free standard shipping."),
     (7500, "Your order of $75.00 qualifies for free standard shipping."),
     (0, "Add $75.00 more for free standard shipping.")],
)
def test_free_shipping_hint(subtotal, hint):
    assert free_shipping_hint(POLICY, subtotal) == hint


@pytest.mark.parametrize(
    "text, code",
    [("next day", "next_day"), ("Next-Day", "next_day"), ("overnight", "next_day"), ("2-day", "two_day"),
     ("two day", "two_day"), ("express", "two_day"), ("same day", "same_day"), ("economy", "economy"),
     ("teleport", None), ("", None), (None, None)],
)
def test_find_method_domestic(text, code):
    method = find_method(POLICY, text)
    assert (method.code if method else None) == code


def test_find_method_in_an_international_zone():
    europe = POLICY.zone_for("DE")
    assert find_method(POLICY, "express", europe).code == "europe_express"
    assert find_method(POLICY, "standard", europe).code == "europe_standard"
    assert find_method(POLICY, "next day", europe) is None


def test_options_reply_lists_prices_dates_and_the_hint():
    text = render_options(PROFILE, FIXED_NOW, place("94107"), subtotal_cents=6300)
    assert text.startswith("Shipping options for ZIP code 94107:")
    assert "- Standard (USPS): $6.95, 3-5 business days, arrives between Friday, November 27 and Tuesday, December 1" in text
    assert "- Next-Day (FedEx): $24.95, 1 business day, arrives tomorrow, Tuesday, November 24" in text
    assert "- Same-Day (Courier): $19.95, same business day, arrives today, Monday, November 23" in text
    assert "Orders placed by 2pm Pacific time on a business day leave our warehouse the same day." in text
    assert text.endswith("Add $12.00 more for free standard shipping.")


def test_options_reply_without_a_place_explains_the_same_day_area_and_threshold():
    text = render_options(PROFILE, FIXED_NOW)
    assert "- Standard (USPS): $6.95 (free from $75.00)" in text
    assert "only in parts of San Francisco and Reno, order by 11am Pacific time on a business day" in text
    late = render_options(PROFILE, AFTER_SAME_DAY_CUTOFF)
    assert "Same-Day (Courier): $19.95, same business day, only in parts of San Francisco and Reno" in late
    assert "not possible any more today" in late


def test_zone_answer_for_canada_and_an_untracked_method():
    text = render_zone_answer(PROFILE, FIXED_NOW, place("Canada"))
    assert text.startswith("Yes, we ship to Canada:\n- Standard International (USPS): $19.95, 6-10 business days")
    assert "Express International (DHL): $39.95, 2-4 business days" in text
    assert "no tracking" in render_zone_answer(PROFILE, FIXED_NOW, place("Tokyo"))
    assert render_zone_answer(PROFILE, FIXED_NOW, place("USA")).startswith("Yes, we ship anywhere in the US:")


def test_places_we_do_not_ship_to_get_a_clear_no_with_what_we_cover():
    expected = ("Sorry, we don't ship to Brazil. We deliver within the US and to Canada, Europe, "
                "and Australia, New Zealand and Japan.")
    assert render_no_shipping(PROFILE, place("Brazil")) == expected
    assert render_zone_answer(PROFILE, FIXED_NOW, place("Brazil")) == expected
    assert render_estimate(PROFILE, FIXED_NOW, "next day", place("São Paulo")).startswith(
        "Sorry, we don't ship to São Paulo, Brazil.")


def test_unknown_places_are_asked_again():
    assert render_zone_answer(PROFILE, FIXED_NOW, place("Narnia")) == (
        "Sorry, I don't know where \"Narnia\" is. Could you tell me the country, or a 5-digit US ZIP code?")
    assert render_options(PROFILE, FIXED_NOW, place("")).startswith("Where should it go?")


def test_estimate_for_next_day_now():
    assert render_estimate(PROFILE, FIXED_NOW, "next-day") == (
        "Order now with Next-Day and it arrives tomorrow, Tuesday, November 24.")


def test_estimate_after_the_cutoff_before_thanksgiving_says_when_it_leaves():
    text = render_estimate(PROFILE, datetime(2026, 11, 25, 23, 0), "next day")
    assert text == ("Order now with Next-Day and it arrives Monday, November 30. It leaves our "
                    "warehouse Friday, November 27, our next business day.")


def test_same_day_estimates_explain_why_not_and_offer_the_fastest():
    assert render_estimate(PROFILE, FIXED_NOW, "same day", place("94107")) == (
        "Order now with Same-Day and it arrives today, Monday, November 23.")
    outside = render_estimate(PROFILE, FIXED_NOW, "same day", place("10001"))
    assert outside == ("Same-Day isn't available for ZIP code 10001: it only covers parts of San "
                       "Francisco and Reno. The fastest option now is Next-Day: it arrives tomorrow, "
                       "Tuesday, November 24.")
    late = render_estimate(PROFILE, AFTER_SAME_DAY_CUTOFF, "same day", place("94107"))
    assert late.startswith("Same-Day orders must be in by 11am Pacific time on a business day")
    assert "The fastest option now is Next-Day" in late
    no_zip = render_estimate(PROFILE, FIXED_NOW, "same day")
    assert no_zip.startswith("Same-Day is only for parts of San Francisco and Reno.")


def test_estimates_abroad_use_the_zone_methods():
    assert render_estimate(PROFILE, FIXED_NOW, "express", place("Berlin")) == (
        "Order now with Express International and it arrives between Friday, November 27 and "
        "Tuesday, December 1.")
    refused = render_estimate(PROFILE, FIXED_NOW, "next day", place("Toronto"))
    assert refused.startswith("Next-Day isn't available to Toronto, Canada.\nYes, we ship to Toronto, Canada:")
    assert render_estimate(PROFILE, FIXED_NOW, None, place("Berlin")).startswith("Yes, we ship to Berlin, Germany:")


def test_unknown_method_names_what_we_offer():
    assert render_estimate(PROFILE, FIXED_NOW, "teleport") == (
        "I don't know a shipping option called \"teleport\". We offer Economy, Standard, 2-Day, "
        "Next-Day and Same-Day.")


def test_a_shop_with_one_zone_abroad_still_reads_well():
    one_abroad = dataclasses.replace(POLICY, zones=POLICY.zones[:2])
    profile = dataclasses.replace(PROFILE, shipping=one_abroad)
    assert render_no_shipping(profile, place("Brazil")) == (
        "Sorry, we don't ship to Brazil. We deliver within the US and to Canada.")
