"""Shipping addresses typed in chat: split into parts (best effort), then checked.

`parse_address("500 Market St, Apt 4, San Francisco, CA 94105")` gives AddressParts;
`check_address(parts, policy)` gives either a normalized Address or the problems, phrased for the
customer ("the ZIP code 9410 should have 5 digits, like 94105").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from bot.profile.shipping_policy import ShippingPolicy
from bot.shipping import place_names

# Country: (pattern, what it should look like, what it is called).
_POSTCODES = {
    "US": (r"\d{5}(-?\d{4})?", "have 5 digits, like 94105", "ZIP code"),
    "CA": (r"[A-Z]\d[A-Z] ?\d[A-Z]\d", "look like K1A 0B1", "postal code"),
    "GB": (r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", "look like SW1A 2AA", "postcode"),
    "NL": (r"\d{4} ?[A-Z]{2}", "look like 1012 AB", "postcode"),
    "JP": (r"\d{3}-?\d{4}", "look like 100-0001", "postal code"),
    "SE": (r"\d{3} ?\d{2}", "look like 114 55", "postcode"),
    "CZ": (r"\d{3} ?\d{2}", "look like 110 00", "postcode"),
    "PL": (r"\d{2}-?\d{3}", "look like 00-950", "postcode"),
    "PT": (r"\d{4}-?\d{3}", "look like 1100-148", "postcode"),
    "IE": (r"[A-Z]\d[\dW] ?[A-Z\d]{4}", "look like D02 X285", "Eircode"),
    **{c: (r"\d{5}", f"have 5 digits, like {ex}", "postcode")
       for c, ex in (("DE", "10115"), ("FR", "75001"), ("IT", "00184"), ("ES", "28013"), ("FI", "00100"))},
    **{c: (r"\d{4}", f"have 4 digits, like {ex}", "postcode")
       for c, ex in (("AU", "2000"), ("NZ", "6011"), ("AT", "1010"), ("BE", "1000"), ("CH", "8001"),
                     ("DK", "1050"), ("NO", "0150"), ("LU", "1009"))},
}
_POSTCODE_FIRST = {"DE", "FR", "NL", "BE", "AT", "CH", "IT", "ES", "DK", "SE", "NO", "FI", "PL", "CZ", "PT", "LU"}
_UNIT = re.compile(r"(?i)^(apt|apartment|suite|ste|unit|#|fl|floor|flat|room|rm|bldg|building)\b")
_STREET_END = re.compile(r"(?i)^(.*?\d.*?\b(?:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|"
                         r"way|ct|court|pl|place|ter|pkwy|hwy)\.?)\s+(.+)$")
_ANY_POSTCODE_END = (r"([A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}"  # UK
                     r"|[A-Za-z]\d[A-Za-z]\s*\d[A-Za-z]\d"  # Canada
                     r"|\d[\d-]*(?:\s?[A-Za-z]{2}\b)?)$")  # digits, maybe a state after them


@dataclass(frozen=True)
class AddressParts:
    """An address as typed: any part may be missing or wrong."""

    line1: Optional[str] = None
    line2: Optional[str] = None
    city: Optional[str] = None
    region: Optional[str] = None  # state or province
    postcode: Optional[str] = None
    country: Optional[str] = None  # as typed ("UK", "Germany") or an ISO code; None: home country


@dataclass(frozen=True)
class Address:
    """A checked address, ready for the order's shipping_* columns."""

    line1: str
    line2: Optional[str]
    city: str
    region: Optional[str]
    postcode: str
    country: str  # ISO code

    def one_line(self, home_country: str = "US") -> str:
        """'500 Market St, Apt 4, San Francisco, CA 94105' / '..., 10117 Berlin, Germany'."""
        if self.country in ("US", "CA"):
            place = f"{self.city}, {self.region} {self.postcode}" if self.region else f"{self.city} {self.postcode}"
        elif self.country in _POSTCODE_FIRST:
            place = f"{self.postcode} {self.city}"
        else:
            place = f"{self.city} {self.postcode}"
        parts = [self.line1, self.line2, place]
        if self.country != home_country:
            parts.append(re.sub("^the ", "", place_names.country_name(self.country)))
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class AddressCheck:
    address: Optional[Address]
    problems: Tuple[str, ...]  # empty when the address is fine


def _country_of_last(parts: List[str]) -> Optional[str]:
    code, state = place_names.country_code(parts[-1]), place_names.us_state(parts[-1])
    if code and state:  # "CA" or "DE": a country only when a city of that country is named
        words = " ".join(re.sub(r"[\d-]+", " ", p) for p in parts[:-1]).split()
        named = {place_names.city(" ".join(words[i:i + n])) for n in (1, 2, 3) for i in range(len(words))}
        return code if any(c and c[1] == code for c in named) else None
    return code


def _take_region(rest: str, country: str) -> Tuple[str, Optional[str]]:
    """Split 'San Francisco CA' into ('San Francisco', 'CA') for the US and Canada."""
    lookup = place_names.us_state if country == "US" else place_names.ca_province
    if country not in ("US", "CA") or not rest:
        return rest, None
    words = rest.split()
    for n in (3, 2, 1):
        tail = " ".join(words[-n:])
        if len(words) >= n and lookup(tail) and (n > 1 or len(tail) > 2 or tail.isupper() or len(words) == 1):
            return " ".join(words[:-n]), tail
    if len(words) == 1 and re.fullmatch(r"[A-Z]{2}", rest):  # "ZZ 12345": a (wrong) state code
        return "", rest
    return rest, None


def _split_country(parts: List[str]) -> Optional[str]:
    """Pop and return the country part at the end ('UK', 'Germany', or an unknown name after a
    postcode, like 'Narnia'); None when the address names no country."""
    if len(parts) < 2:
        return None
    last = parts[-1]
    known = _country_of_last(parts)
    unknown = (len(parts) >= 3 and not re.search(r"\d", last) and not place_names.us_state(last)
               and not place_names.city(last) and re.search(r"(^|\s)\d[\d-]{3,}(\s|$)", parts[-2]))
    return parts.pop() if known or unknown else None


def _guess_country(tail: str, home: str) -> Optional[str]:
    """No country named: an unmistakable foreign postcode or a known foreign city says it."""
    for code in ("CA", "GB", "NL"):
        if re.search(rf"(^|\s){_POSTCODES[code][0]}$", tail.upper()):
            return code
    known = place_names.city(re.sub(r"[\d-]+", " ", tail))
    return known[1] if known and known[1] != home else None


def _split_postcode(tail: str, country: str) -> Tuple[Optional[str], str]:
    """('10117', 'Berlin') from '10117 Berlin'; ('94105', 'CA') from 'CA 94105'."""
    if country in _POSTCODE_FIRST:
        start = (re.match(rf"^(?P<code>{_POSTCODES[country][0]})\s+(?P<rest>\D.*)$", tail, re.I)
                 or re.match(r"^(?P<code>\d[\d-]*)\s+(?P<rest>\D.*)$", tail))
        if start:
            return start.group("code"), start.group("rest")
    end = re.search(rf"(?:^|\s){_ANY_POSTCODE_END}", tail)
    return (end.group(1), tail[:end.start()].strip()) if end else (None, tail)


def parse_address(text: object, home_country: str = "US") -> AddressParts:
    """Best-effort split of a typed address into its parts; nothing is checked here."""
    parts = [p.strip(" .") for p in re.split(r"[,;\n]+", str(text or "")[:300]) if p.strip(" .")]
    if not parts:
        return AddressParts()
    country_text = _split_country(parts)
    if country_text is None:
        country_text = _guess_country(parts[-1], home_country)
    country = (place_names.country_code(country_text) or "??") if country_text else home_country
    postcode, rest = _split_postcode(parts[-1], country)
    rest, region = _take_region(rest, country)
    city = None
    if postcode or region:
        parts.pop()
        city = rest or None
        if city is None and region is None and len(parts) > 1:
            _, region = _take_region(parts[-1], country)
            if region:
                parts.pop()
        if city is None and len(parts) > 1:
            city = parts.pop()
    elif len(parts) > 1 and not re.match(r"\d", parts[-1]) and not _UNIT.match(parts[-1]):
        words = parts.pop().split()  # "San Francisco", or "London SW1A" with half a postcode
        if len(words) > 1 and re.search(r"\d", words[-1]):
            postcode = words.pop()
        city = " ".join(words)
    if city is None and len(parts) == 1:  # "500 Market St San Francisco" or just "San Francisco"
        street = _STREET_END.match(parts[0])
        if street:
            parts, city = [street.group(1)], street.group(2)
        elif not re.search(r"\d", parts[0]):
            city = parts.pop()
    elif city and not parts and _STREET_END.match(city):
        line, city = _STREET_END.match(city).groups()  # type: ignore[union-attr]
        parts = [line]
    units = [p for p in parts if _UNIT.match(p)]
    streets = [p for p in parts if not _UNIT.match(p)]
    return AddressParts(
        line1=streets[0] if streets else None,
        line2=", ".join(streets[1:] + units) or None,
        city=city, region=region, postcode=postcode, country=country_text,
    )


def _normal_postcode(country: str, raw: str) -> str:
    code = re.sub(r"\s+", "", raw.upper())
    if country in ("CA", "GB", "IE") and len(code) > 3:
        return f"{code[:-3]} {code[-3:]}" if country != "IE" else f"{code[:3]} {code[3:]}"
    if country == "NL":
        return f"{code[:4]} {code[4:]}"
    dash = {"US": 5, "JP": 3, "PL": 2, "PT": 4}.get(country)
    if dash and "-" not in code and len(code) > dash:
        return f"{code[:dash]}-{code[dash:]}"
    if country in ("SE", "CZ"):
        return f"{code[:3]} {code[3:]}"
    return code


def check_address(parts: AddressParts, policy: ShippingPolicy) -> AddressCheck:
    """The normalized address, or what is missing or wrong (and whether we ship there)."""
    problems: List[str] = []
    home = policy.domestic.countries[0]
    country = home
    if parts.country:
        code = parts.country.upper() if re.fullmatch(r"[A-Za-z]{2}", parts.country.strip()) else None
        country = place_names.country_code(parts.country) or code or ""
        if not country:
            problems.append(f"I don't know the country \"{parts.country}\"")
    if country and policy.zone_for(country) is None:
        problems.append(f"we don't ship to {place_names.country_name(country)}")
    line1, city = (parts.line1 or "").strip(), (parts.city or "").strip()
    if not line1:
        problems.append("the street address is missing")
    elif len(line1) > 200:
        problems.append("the street address is too long")
    if not city:
        problems.append("the city is missing")
    elif len(city) > 100:
        problems.append("the city name is too long")
    region = (parts.region or "").strip() or None
    if country == "US":
        if region is None:
            problems.append("the state is missing (like CA or NY)")
        elif place_names.us_state(region) is None:
            problems.append(f"{region} isn't a US state")
        region = place_names.us_state(region) if region else None
    elif country == "CA" and region:
        region = place_names.ca_province(region) or region
    pattern, looks, noun = _POSTCODES.get(country, (r"[A-Z\d][A-Z\d -]{1,9}", "look right", "postcode"))
    postcode = (parts.postcode or "").strip()
    if not postcode:
        problems.append(f"the {noun} is missing")
    elif not re.fullmatch(pattern, postcode.upper()):
        problems.append(f"the {noun} {postcode} should {looks}")
    if problems:
        return AddressCheck(None, tuple(problems))
    address = Address(line1, (parts.line2 or "").strip() or None, city, region,
                      _normal_postcode(country, postcode), country)
    return AddressCheck(address, ())


def render_problems(check: AddressCheck) -> str:
    """'That address doesn't work yet: the ZIP code 9410 should have 5 digits, like 94105.'"""
    items = list(check.problems)
    if len(items) <= 2:
        listed = " and ".join(items)
    else:
        listed = "; ".join(items[:-1]) + "; and " + items[-1]
    return f"That address doesn't work yet: {listed}. Could you send it again?"
