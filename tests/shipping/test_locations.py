"""What a customer's `location` means: a place we ship to, a known place we don't, or unknown."""
from __future__ import annotations

import pytest

from bot.profile.shop_profile import load_profile
from bot.shipping.locations import PlaceKind, resolve_location

POLICY = load_profile().shipping


def where(text):
    place = resolve_location(text, POLICY)
    return place.kind, place.country, place.zone.code if place.zone else None


@pytest.mark.parametrize(
    "text, country, zone",
    [
        ("USA", "US", "domestic"), ("the U.S.", "US", "domestic"), ("United States", "US", "domestic"),
        ("Canada", "CA", "canada"), ("UK", "GB", "europe"), ("england", "GB", "europe"),
        ("Deutschland", "DE", "europe"), ("the Netherlands", "NL", "europe"), ("Holland", "NL", "europe"),
        ("NL", "NL", "europe"), ("Norway", "NO", "europe"), ("Japan", "JP", "asia_pacific"),
        ("Australia", "AU", "asia_pacific"),
        ("Berlin", "DE", "europe"), ("Toronto", "CA", "canada"), ("London", "GB", "europe"),
        ("Paris", "FR", "europe"), ("Sydney", "AU", "asia_pacific"), ("Tokyo", "JP", "asia_pacific"),
        ("Seattle", "US", "domestic"), ("new york city", "US", "domestic"), ("Texas", "US", "domestic"),
        ("M5V 3L9", "CA", "canada"), ("SW1A 2AA", "GB", "europe"),
        ("how long to Berlin?", "DE", "europe"), ("berlin germany", "DE", "europe"),
    ],
)
def test_places_we_ship_to(text, country, zone):
    assert where(text) == (PlaceKind.SHIPS, country, zone)


@pytest.mark.parametrize(
    "text, country",
    [("Brazil", "BR"), ("brasil", "BR"), ("São Paulo", "BR"), ("sao paulo", "BR"),
     ("Mexico City", "MX"), ("Mexico", "MX"), ("India", "IN"), ("Russia", "RU")],
)
def test_known_places_we_do_not_ship_to(text, country):
    assert where(text) == (PlaceKind.NO_SHIPPING, country, None)


@pytest.mark.parametrize("text", ["Narnia", "9410", "", None, "somewhere nice", "in the shop"])
def test_unknown_places(text):
    assert where(text) == (PlaceKind.UNKNOWN, None, None)


@pytest.mark.parametrize("text, zip_code", [("94107", "94107"), ("94107-1234", "94107"),
                                            ("ZIP 10001 please", "10001"), ("Seattle, WA 98101", "98101")])
def test_us_zip_codes(text, zip_code):
    place = resolve_location(text, POLICY)
    assert (place.kind, place.country, place.zip_code) == (PlaceKind.SHIPS, "US", zip_code)
    assert place.label == f"ZIP code {zip_code}"


def test_two_letter_codes_read_as_us_states_unless_a_city_says_otherwise():
    assert where("CA") == (PlaceKind.SHIPS, "US", "domestic")
    assert resolve_location("CA", POLICY).region == "CA"
    assert where("Toronto, CA") == (PlaceKind.SHIPS, "CA", "canada")
    assert where("Berlin, DE") == (PlaceKind.SHIPS, "DE", "europe")
    assert where("Paris, TX") == (PlaceKind.SHIPS, "US", "domestic")


def test_lowercase_two_letter_words_in_a_sentence_are_not_places():
    # "in", "or", "me" are Indiana, Oregon and Maine only when typed on their own
    assert where("ship it to me in Berlin or so") == (PlaceKind.SHIPS, "DE", "europe")


def test_labels_read_well():
    assert resolve_location("berlin", POLICY).label == "Berlin, Germany"
    assert resolve_location("london", POLICY).label == "London, United Kingdom"
    assert resolve_location("sao paulo", POLICY).label == "São Paulo, Brazil"
    assert resolve_location("the uk", POLICY).label == "the United Kingdom"
    assert resolve_location("Austin", POLICY).label == "Austin"
    assert resolve_location("Narnia", POLICY).label == "Narnia"
