"""Secrets typed into a chat: which are masked and which numbers are left alone."""
from __future__ import annotations

import pytest

from bot.privacy.secrets import luhn_valid, mask_secrets


@pytest.mark.parametrize("text, masked", [
    ("my card is 4111 1111 1111 1111", "my card is •••• •••• •••• 1111"),
    ("4111-1111-1111-1111 please", "•••• •••• •••• 1111 please"),
    ("card 4242424242424242.", "card •••• •••• •••• 4242."),
    ("amex 3782 822463 10005", "amex •••• •••• •••• 0005"),
    # the expiry after the number is not part of it
    ("4111 1111 1111 1111 12 27", "•••• •••• •••• 1111 12 27"),
    ("cards 4111111111111111 and 5555555555554444",
     "cards •••• •••• •••• 1111 and •••• •••• •••• 4444"),
])
def test_card_numbers_are_masked_to_their_last_four_digits(text, masked):
    assert mask_secrets(text) == masked


@pytest.mark.parametrize("text", [
    "4111 1111 1111 1112",  # fails the Luhn check
    "order 100001, zip 94107",
    "call +1 (555) 010-0100",
    "tracking 9400111899223344556677",  # 22 digits: not a card number
    "RMA-100003-2",
])
def test_other_numbers_are_left_alone(text):
    assert mask_secrets(text) == text


def test_luhn():
    assert luhn_valid("4111111111111111") and luhn_valid("79927398713")
    assert not luhn_valid("4111111111111112") and not luhn_valid("79927398710")


@pytest.mark.parametrize("text, masked", [
    ("my password is hunter2", "my password is [hidden]"),
    ("Password: s3cr3t!x, thanks", "Password: [hidden], thanks"),
    ("the password was Tr0ub4dor&3.", "the password was [hidden]."),
    ("CVV 123", "CVV [hidden]"),
    ("my cvc is 4321", "my cvc is [hidden]"),
    ("security code: 987", "security code: [hidden]"),
    ("ssn 123-45-6789", "ssn •••-••-6789"),
    ("my social security number is 123456789", "my social security number is •••-••-6789"),
    ("PIN = 1234", "PIN = [hidden]"),
])
def test_codes_passwords_and_ssns_are_hidden(text, masked):
    assert mask_secrets(text) == masked


def test_talking_about_a_password_hides_nothing():
    text = "I forgot my password and I can't log in"
    assert mask_secrets(text) == text
