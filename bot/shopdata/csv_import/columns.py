"""The cells of the CSV files: one parser per kind of value (text, email, ZIP, money, dates,
codes, ...), each raising a message an operator can act on, and columns built from them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Callable

from bot.orders.lookup import normalize_order_number


class BadCell(ValueError):
    pass


_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[A-Za-z]{2,}$")


_ZIP = re.compile(r"^(\d{5})(?:-(\d{4}))?$")


_MONEY = re.compile(r"^\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$")


_CODE = re.compile(r"^[a-z0-9_]+$")


_TRUE = {"true", "yes", "y", "1", "t"}


_FALSE = {"false", "no", "n", "0", "f"}


def text_up_to(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise BadCell(f"too long ({len(value)} characters, at most {max_length})")
        return value

    return parse


def email(value: str) -> str:
    value = value.lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise BadCell("not an email address (e.g. maria@example.com)")
    return value


def us_zip(value: str) -> str:
    if not _ZIP.match(value):
        # Spreadsheets turn ZIP 02139 into the number 2139; say so, it is the usual cause.
        hint = "; a spreadsheet may have dropped a leading zero" if value.isdigit() else ""
        raise BadCell(f"not a US ZIP code (expected 5 digits or ZIP+4, e.g. 94107{hint})")
    return value


def money(value: str) -> int:
    """'129.00', '$1,299.5', '15' -> cents."""
    if not _MONEY.match(value):
        raise BadCell("not an amount of money (expected a decimal number like 129.00)")
    return int(Decimal(value.lstrip("$").replace(",", "")) * 100)


def whole_number(value: str) -> int:
    if not value.isdigit():
        raise BadCell("not a whole number (e.g. 2)")
    return int(value)


def positive_number(value: str) -> int:
    number = whole_number(value)
    if number < 1:
        raise BadCell("must be at least 1")
    return number


def boolean(value: str) -> bool:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise BadCell("not a yes/no value (expected true or false)")


def timestamp(value: str) -> datetime:
    """ISO 8601; with an offset converted to naive UTC, without one taken as UTC already."""
    text = value[:-1] + "+00:00" if value[-1:] in ("Z", "z") else value
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadCell("not a date-time (expected ISO 8601, e.g. 2026-05-01T14:30:00)") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def order_number(value: str) -> str:
    # The same rule the bot applies when a customer types a number, so every imported
    # order can be found in a conversation.
    number = normalize_order_number(value)
    if number is None:
        raise BadCell("not an order number (expected 6 to 8 digits, e.g. 100001)")
    return number


def code(value: str) -> str:
    value = value.lower()
    if not _CODE.match(value) or len(value) > 32:
        raise BadCell("not a code (lowercase letters, digits and _, e.g. two_day)")
    return value


def country(value: str) -> str:
    if not re.match(r"^[A-Za-z]{2}$", value):
        raise BadCell("not a two-letter country code (e.g. US)")
    return value.upper()


def currency(value: str) -> str:
    if not re.match(r"^[A-Za-z]{3}$", value):
        raise BadCell("not a three-letter currency code (e.g. USD)")
    return value.upper()


def one_of(cls: type) -> Callable[[str], Any]:
    allowed = [m.value for m in cls]  # type: ignore[attr-defined]

    def parse(value: str) -> Any:
        # Accept "In transit" and "in-transit" for in_transit: exports spell them many ways.
        key = re.sub(r"[\s-]+", "_", value.strip().lower())
        if key not in allowed:
            raise BadCell(f"not a valid value (expected one of: {', '.join(allowed)})")
        return cls(key)

    return parse


_CARRIER_SPELLING = {"ups": "UPS", "usps": "USPS", "fedex": "FedEx", "dhl": "DHL"}


def carrier(value: str) -> str:
    text_up_to(32)(value)
    return _CARRIER_SPELLING.get(value.lower().replace(" ", ""), value)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    parse: Callable[[str], Any]


def required(name: str, parse: Callable[[str], Any]) -> Column:
    return Column(name, True, parse)


def optional(name: str, parse: Callable[[str], Any]) -> Column:
    return Column(name, False, parse)
