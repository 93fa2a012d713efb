"""Addresses typed in chat: split into parts, checked, normalized, or the problems named."""
from __future__ import annotations

import pytest

from bot.profile.shop_profile import load_profile
from bot.shipping.addresses import AddressParts, check_address, parse_address, render_problems

POLICY = load_profile().shipping


def checked(text):
    return check_address(parse_address(text), POLICY)


@pytest.mark.parametrize(
    "text, parts",
    [
        ("500 Market St, Apt 4, San Francisco, CA 94105",
         AddressParts("500 Market St", "Apt 4", "San Francisco", "CA", "94105", None)),
        ("500 Market St San Francisco CA 94105",
         AddressParts("500 Market St", None, "San Francisco", "CA", "94105", None)),
        ("500 Market St, San Francisco, CA, 94105",
         AddressParts("500 Market St", None, "San Francisco", "CA", "94105", None)),
        ("Apt 4, 500 Market St, San Francisco, California 94105",
         AddressParts("500 Market St", "Apt 4", "San Francisco", "California", "94105", None)),
        ("10 Downing St, London SW1A 2AA, UK",
         AddressParts("10 Downing St", None, "London", None, "SW1A 2AA", "UK")),
        ("Unter den Linden 77, 10117 Berlin, Germany",
         AddressParts("Unter den Linden 77", None, "Berlin", None, "10117", "Germany")),
        ("123 Main St, Toronto, ON M5V 3L9, Canada",
         AddressParts("123 Main St", None, "Toronto", "ON", "M5V 3L9", "Canada")),
        ("Damrak 1, 1012 AB Amsterdam, Netherlands",
         AddressParts("Damrak 1", None, "Amsterdam", None, "1012 AB", "Netherlands")),
        ("", AddressParts()),
    ],
)
def test_parse_address(text, parts):
    assert parse_address(text) == parts


@pytest.mark.parametrize(
    "text, one_line",
    [
        ("500 Market St, Apt 4, San Francisco, CA 94105", "500 Market St, Apt 4, San Francisco, CA 94105"),
        ("500 market st, apt 4, san francisco, california 94105-1234",
         "500 market st, apt 4, san francisco, CA 94105-1234"),
        ("245 W 29th St, New York, NY 100011234", "245 W 29th St, New York, NY 10001-1234"),
        ("10 Downing St, London SW1A 2AA, UK", "10 Downing St, London SW1A 2AA, United Kingdom"),
        ("10 Downing St, London sw1a2aa", "10 Downing St, London SW1A 2AA, United Kingdom"),  # no country
        ("Unter den Linden 77, 10117 Berlin", "Unter den Linden 77, 10117 Berlin, Germany"),  # no country
        ("Unter den Linden 77, 10117 Berlin, DE", "Unter den Linden 77, 10117 Berlin, Germany"),
        ("5 Rue de Rivoli, 75001 Paris, France", "5 Rue de Rivoli, 75001 Paris, France"),
        ("Damrak 1, 1012ab Amsterdam, NL", "Damrak 1, 1012 AB Amsterdam, Netherlands"),
        ("123 Main St, Toronto, Ontario m5v3l9", "123 Main St, Toronto, ON M5V 3L9, Canada"),
        ("1 George St, Sydney 2000, Australia", "1 George St, Sydney 2000, Australia"),
    ],
)
def test_good_addresses_are_normalized(text, one_line):
    result = checked(text)
    assert result.problems == ()
    assert result.address.one_line() == one_line


def test_a_checked_address_has_the_database_parts():
    address = checked("Unter den Linden 77, 10117 Berlin, Germany").address
    assert (address.line1, address.city, address.postcode, address.country) == (
        "Unter den Linden 77", "Berlin", "10117", "DE")
    us = checked("500 Market St, Apt 4, San Francisco, California 94105").address
    assert (us.line2, us.region, us.country) == ("Apt 4", "CA", "US")


@pytest.mark.parametrize(
    "text, problems",
    [
        ("500 Market St, San Francisco, CA 9410", ("the ZIP code 9410 should have 5 digits, like 94105",)),
        ("500 Market St, San Francisco, CA 941055", ("the ZIP code 941055 should have 5 digits, like 94105",)),
        ("500 Market St, San Francisco, 94105", ("the state is missing (like CA or NY)",)),
        ("1 Main St, Springfield, ZZ 12345", ("ZZ isn't a US state",)),
        ("San Francisco, CA 94105", ("the street address is missing",)),
        ("500 Market St, San Francisco", ("the state is missing (like CA or NY)", "the ZIP code is missing")),
        ("Unter den Linden 77, 1011 Berlin, Germany", ("the postcode 1011 should have 5 digits, like 10115",)),
        ("10 Downing St, London SW1A, UK", ("the postcode SW1A should look like SW1A 2AA",)),
        ("10 Downing St, London, UK", ("the postcode is missing",)),
        ("Damrak 1, 1012 Amsterdam, Netherlands", ("the postcode 1012 should look like 1012 AB",)),
        ("123 Main St, Toronto, ON 12345, Canada", ("the postal code 12345 should look like K1A 0B1",)),
        ("Av Paulista 1000, São Paulo, 01310-100, Brazil", ("we don't ship to Brazil",)),
        ("Narnia Road 5, Cair Paravel 12345, Narnia", ("I don't know the country \"Narnia\"",)),
    ],
)
def test_problems_are_named(text, problems):
    result = checked(text)
    assert result.address is None
    assert result.problems == problems


def test_checking_parts_given_one_by_one():
    parts = AddressParts(line1="1 Infinite Loop", city="Cupertino", region="ca", postcode="95014")
    assert check_address(parts, POLICY).address.one_line() == "1 Infinite Loop, Cupertino, CA 95014"
    canada = AddressParts(line1="1 Rue", city="Montreal", postcode="H2X 1Y4", country="CA")
    assert check_address(canada, POLICY).address.country == "CA"  # an ISO code names a country
    empty = check_address(AddressParts(), POLICY)
    assert empty.problems == ("the street address is missing", "the city is missing",
                              "the state is missing (like CA or NY)", "the ZIP code is missing")


def test_problems_read_as_one_sentence():
    assert render_problems(checked("500 Market St, San Francisco, CA 9410")) == (
        "That address doesn't work yet: the ZIP code 9410 should have 5 digits, like 94105. "
        "Could you send it again?")
    assert render_problems(checked("500 Market St, San Francisco")) == (
        "That address doesn't work yet: the state is missing (like CA or NY) and the ZIP code is "
        "missing. Could you send it again?")
    assert "; and the ZIP code is missing" in render_problems(check_address(AddressParts(), POLICY))


def test_overlong_parts_are_refused():
    parts = AddressParts(line1="1" * 201, city="x" * 101, region="CA", postcode="94105")
    assert check_address(parts, POLICY).problems == ("the street address is too long", "the city name is too long")
