"""Names of places as customers type them: countries, US states, Canadian provinces, big cities.

Plain lookup tables, keyed by `key(text)`: lowercase, accents and punctuation removed, a
leading "the" dropped. Used by bot.shipping.locations and bot.shipping.addresses.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Dict, Optional, Tuple


def key(text: str) -> str:
    """'  The U.K. ' -> 'uk', 'São Paulo' -> 'sao paulo', 'Köln' -> 'koln'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = re.sub(r"[.']", "", plain.casefold())
    plain = re.sub(r"[^a-z0-9]+", " ", plain).strip()
    return re.sub(r"^the ", "", plain)


# ISO code: how replies name the country, then other names and codes customers use.
_COUNTRIES: Dict[str, Tuple[str, ...]] = {
    "US": ("the United States", "usa", "us", "united states of america", "america", "the states"),
    "CA": ("Canada",), "MX": ("Mexico",),
    "GB": ("the United Kingdom", "uk", "great britain", "britain", "england", "scotland",
           "wales", "northern ireland"),
    "IE": ("Ireland", "eire"), "DE": ("Germany", "deutschland"), "FR": ("France",),
    "NL": ("the Netherlands", "netherlands", "holland", "nederland"),
    "BE": ("Belgium", "belgie", "belgique"), "LU": ("Luxembourg",),
    "AT": ("Austria", "osterreich"), "CH": ("Switzerland", "schweiz", "suisse"),
    "IT": ("Italy", "italia"), "ES": ("Spain", "espana"), "PT": ("Portugal",),
    "DK": ("Denmark", "danmark"), "SE": ("Sweden", "sverige"), "NO": ("Norway", "norge"),
    "FI": ("Finland", "suomi"), "IS": ("Iceland",), "PL": ("Poland", "polska"),
    "CZ": ("the Czech Republic", "czech republic", "czechia"), "SK": ("Slovakia",),
    "HU": ("Hungary",), "RO": ("Romania",), "BG": ("Bulgaria",), "GR": ("Greece",),
    "HR": ("Croatia",), "SI": ("Slovenia",), "EE": ("Estonia",), "LV": ("Latvia",),
    "LT": ("Lithuania",), "UA": ("Ukraine",), "RU": ("Russia",), "TR": ("Turkey", "turkiye"),
    "IL": ("Israel",), "AE": ("the United Arab Emirates", "uae", "united arab emirates"),
    "SA": ("Saudi Arabia",), "EG": ("Egypt",), "MA": ("Morocco",), "ZA": ("South Africa",),
    "NG": ("Nigeria",), "KE": ("Kenya",), "IN": ("India",), "PK": ("Pakistan",),
    "BD": ("Bangladesh",), "CN": ("China",), "HK": ("Hong Kong",), "TW": ("Taiwan",),
    "KR": ("South Korea", "korea"), "JP": ("Japan", "nippon"), "SG": ("Singapore",),
    "MY": ("Malaysia",), "TH": ("Thailand",), "VN": ("Vietnam",), "PH": ("the Philippines",
    "philippines"), "ID": ("Indonesia",), "AU": ("Australia",), "NZ": ("New Zealand",),
    "BR": ("Brazil", "brasil"), "AR": ("Argentina",), "CL": ("Chile",), "CO": ("Colombia",),
    "PE": ("Peru",), "VE": ("Venezuela",),
}

US_STATES: Dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}

CA_PROVINCES: Dict[str, str] = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}

# Country code: cities as replies name them (other spellings after a "/"). Leave out cities
# whose names are everyday words ("Nice", "Reading", "Mobile"): they would match sentences.
_CITIES: Dict[str, Tuple[str, ...]] = {
    "US": ("New York/nyc/new york city/manhattan/brooklyn", "Los Angeles", "Chicago", "Houston",
           "Phoenix", "Philadelphia", "San Antonio", "San Diego", "Dallas", "Austin", "San Jose",
           "San Francisco/sf", "Seattle", "Denver", "Boston", "Washington DC/washington d c",
           "Miami", "Atlanta", "Portland", "Las Vegas", "Reno", "Detroit", "Minneapolis",
           "Nashville", "New Orleans", "Honolulu", "Anchorage", "Salt Lake City", "Sacramento",
           "Oakland", "Pittsburgh", "Baltimore", "Orlando"),
    "CA": ("Toronto", "Montreal", "Vancouver", "Calgary", "Ottawa", "Edmonton"),
    "GB": ("London", "Manchester", "Edinburgh", "Glasgow", "Liverpool", "Bristol"),
    "IE": ("Dublin",), "DE": ("Berlin", "Munich/munchen", "Hamburg", "Frankfurt", "Cologne/koln"),
    "FR": ("Paris", "Lyon", "Marseille"), "NL": ("Amsterdam", "Rotterdam", "The Hague"),
    "BE": ("Brussels",), "AT": ("Vienna/wien",), "CH": ("Zurich", "Geneva"),
    "IT": ("Rome/roma", "Milan/milano"), "ES": ("Madrid", "Barcelona"), "PT": ("Lisbon",),
    "DK": ("Copenhagen",), "SE": ("Stockholm",), "NO": ("Oslo",), "FI": ("Helsinki",),
    "PL": ("Warsaw",), "CZ": ("Prague",), "AU": ("Sydney", "Melbourne", "Brisbane", "Perth"),
    "NZ": ("Auckland", "Wellington"), "JP": ("Tokyo", "Osaka", "Kyoto"),
    "MX": ("Mexico City/ciudad de mexico", "Guadalajara", "Cancun"),
    "BR": ("São Paulo", "Rio de Janeiro/rio"), "AR": ("Buenos Aires",), "CN": ("Beijing",
           "Shanghai"), "KR": ("Seoul",), "IN": ("Mumbai", "Delhi/new delhi", "Bangalore"),
    "AE": ("Dubai", "Abu Dhabi"), "RU": ("Moscow",), "ZA": ("Cape Town", "Johannesburg"),
    "NG": ("Lagos",), "EG": ("Cairo",), "TR": ("Istanbul",),
}


def _index() -> Tuple[Dict[str, str], Dict[str, Tuple[str, str]]]:
    countries = {key(code): code for code in _COUNTRIES}
    for code, names in _COUNTRIES.items():
        countries.update({key(n): code for n in names})
    cities = {}
    for code, entries in _CITIES.items():
        for entry in entries:
            spellings = entry.split("/")
            cities.update({key(s): (spellings[0], code) for s in spellings})
    return countries, cities


_COUNTRY_KEYS, _CITY_KEYS = _index()
_STATE_KEYS = {**{key(c): c for c in US_STATES}, **{key(n): c for c, n in US_STATES.items()}}
_PROVINCE_KEYS = {**{key(c): c for c in CA_PROVINCES}, **{key(n): c for c, n in CA_PROVINCES.items()}}


def country_name(code: str) -> str:
    """'DE' -> 'Germany', 'GB' -> 'the United Kingdom'; the code itself when unknown."""
    return _COUNTRIES.get(code.upper(), (code.upper(),))[0]


def country_code(text: str) -> Optional[str]:
    """'Deutschland', 'UK', 'de', 'the Netherlands' -> ISO code; None when not a country."""
    return _COUNTRY_KEYS.get(key(text))


def us_state(text: str) -> Optional[str]:
    """'CA', 'california' -> 'CA'; None when not a US state (or DC)."""
    return _STATE_KEYS.get(key(text))


def ca_province(text: str) -> Optional[str]:
    return _PROVINCE_KEYS.get(key(text))


def city(text: str) -> Optional[Tuple[str, str]]:
    """'sao paulo' -> ('São Paulo', 'BR'); None when not in the table."""
    return _CITY_KEYS.get(key(text))
