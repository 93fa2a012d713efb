"""Where a customer means by a `location` like "94107", "Deutschland", "Berlin" or "Paris, TX".

`resolve_location` returns a Place that says one of three things: we ship there (and in which
zone), it is a known place we do not ship to, or we cannot tell where it is (ask again).
Two-letter codes that are both a US state and a country ("CA", "DE") are read as the state,
unless a city of that country is named with them ("Toronto, CA").
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from bot.profile.shipping_policy import ShippingPolicy, Zone
from bot.shipping import place_names

_US_ZIP = re.compile(r"(?<![\w-])(\d{5})(?:-\d{4})?(?![\w-])")
_POSTCODES = (  # unmistakable foreign postcodes: country, pattern
    ("CA", re.compile(r"\b[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d\b")),
    ("GB", re.compile(r"\b[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}\b")),
)
_MAX_WORDS = 4


class PlaceKind(str, enum.Enum):
    SHIPS = "ships"
    NO_SHIPPING = "no_shipping"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Place:
    text: str  # what the customer typed, trimmed
    kind: PlaceKind
    country: Optional[str] = None  # ISO code
    zip_code: Optional[str] = None  # US ZIP (5 digits)
    city: Optional[str] = None
    region: Optional[str] = None  # US state code
    zone: Optional[Zone] = None

    @property
    def label(self) -> str:
        """How a reply names the place: 'ZIP code 94107', 'Berlin, Germany', 'Texas', 'Brazil'."""
        if self.zip_code:
            return f"ZIP code {self.zip_code}"
        if self.city:
            if self.country == "US":
                return self.city
            return f"{self.city}, {re.sub('^the ', '', place_names.country_name(self.country or ''))}"
        if self.region:
            return place_names.US_STATES[self.region]
        return place_names.country_name(self.country) if self.country else self.text

    @property
    def country_label(self) -> str:
        return place_names.country_name(self.country) if self.country else self.text


@dataclass
class _Hits:
    countries: List[str] = field(default_factory=list)
    ambiguous: List[str] = field(default_factory=list)  # both a state code and a country code
    states: List[str] = field(default_factory=list)
    cities: List[Tuple[str, str]] = field(default_factory=list)  # (name, country)


def _lookup(words: List[str], whole: bool, hits: _Hits) -> bool:
    """Record what the phrase `words` names; True when it named something."""
    phrase = " ".join(words)
    short = len(place_names.key(phrase)) == 2
    if short and not whole and not phrase.isupper():
        return False  # "in", "or", "me" in running text are words, not places
    country, state = place_names.country_code(phrase), place_names.us_state(phrase)
    if short and country and state:
        hits.ambiguous.append(country)
    elif country:
        hits.countries.append(country)
    elif state:
        hits.states.append(state)
    elif place_names.city(phrase):
        hits.cities.append(place_names.city(phrase))  # type: ignore[arg-type]
    else:
        return False
    return True


def _scan(text: str) -> _Hits:
    hits = _Hits()
    parts = [p.strip() for p in re.split(r"[,;/\n]+", text) if p.strip()]
    for part in parts:
        words = re.findall(r"[^\W\d_][^\s\d]*", part)
        words = [w.strip(".?!:") for w in words if w.strip(".?!:")]
        i = 0
        while i < len(words):
            for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
                whole = n == len(words)  # the phrase is a whole comma-separated part
                if _lookup(words[i:i + n], whole, hits):
                    i += n
                    break
            else:
                i += 1
    return hits


def resolve_location(text: object, policy: ShippingPolicy) -> Place:
    raw = str(text or "").strip()[:120]
    if not raw:
        return Place(raw, PlaceKind.UNKNOWN)
    hits = _scan(raw)
    city_countries = {c for _, c in hits.cities}
    for code in hits.ambiguous:  # "Toronto, CA" is Canada; "Austin, CA" or "CA" is California
        if code in city_countries:
            hits.countries.append(code)
        else:
            hits.states.append(code)  # the same two letters as the state code
    postcode_country = next((c for c, rx in _POSTCODES if rx.search(raw)), None)
    us_zip = _US_ZIP.search(raw)
    country = (
        (hits.countries[-1] if hits.countries else None)
        or postcode_country
        or ("US" if hits.states else None)
        or (hits.cities[-1][1] if hits.cities else None)
        or ("US" if us_zip else None)
    )
    if country is None:
        return Place(raw, PlaceKind.UNKNOWN)
    city = next((name for name, c in reversed(hits.cities) if c == country), None)
    us = country == "US"
    zone = policy.zone_for(country)
    return Place(
        text=raw,
        kind=PlaceKind.SHIPS if zone else PlaceKind.NO_SHIPPING,
        country=country,
        zip_code=us_zip.group(1) if us and us_zip else None,
        city=city,
        region=hits.states[-1] if us and hits.states else None,
        zone=zone,
    )
