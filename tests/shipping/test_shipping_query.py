import pytest

from bot.profile.shop_profile import current_profile
from bot.shipping.locations import PlaceKind
from bot.shipping.query import amount_in, method_in, place_in

POLICY = current_profile().shipping


@pytest.mark.parametrize("text, words", [
    ("if I order now with next-day, when will it arrive?", "next-day"),
    ("how fast is overnight shipping", "overnight"),
    ("when would two day delivery get here", "two day"),
    ("standard to Berlin, how long?", "standard"),
    ("when will my stuff arrive", None),
])
def test_method_words_are_found_in_a_sentence(text, words):
    assert method_in(text, POLICY) == words


@pytest.mark.parametrize("text, cents", [("my cart is $63", 6300), ("I have 48.50 dollars of stuff", 4850),
                                         ("what are the options", None), ("order 100003", None)])
def test_cart_amounts(text, cents):
    assert amount_in(text) == cents


def test_places_known_unknown_and_absent():
    assert place_in("do you ship to Canada?", POLICY).kind is PlaceKind.SHIPS
    assert place_in("do you ship to Brazil?", POLICY).kind is PlaceKind.NO_SHIPPING
    unknown = place_in("do you deliver to Narnia?", POLICY)
    assert unknown.kind is PlaceKind.UNKNOWN and unknown.text == "Narnia"
    assert place_in("what shipping options do you have", POLICY) is None
    assert place_in("options for 94107", POLICY).zip_code == "94107"
