"""The shop's shipping policy: methods, zones, dispatch cut-off and holidays.

Read from the `shipping:` section of the shop profile by `parse_shipping`, which reports any bad
value with its key ("shipping.methods.same_day.price: ..."), like the rest of the profile.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Dict, FrozenSet, Optional, Tuple

_CODE = re.compile(r"[a-z][a-z0-9_]*")
_HHMM = r"([01]\d|2[0-3]):[0-5]\d"
_METHOD_KEYS = {"name", "price", "days", "carrier", "tracking", "free_over_threshold",
                "cutoff", "zip_codes", "area"}
_ZONE_KEYS = {"name", "countries", "methods"}


@dataclass(frozen=True)
class Method:
    """One way to ship. `days` are business days in transit after dispatch (0: same day)."""

    code: str
    name: str
    price_cents: int
    min_days: int
    max_days: int
    carrier: str
    tracking_included: bool
    free_over_threshold: bool = False  # free when the subtotal reaches the shop's threshold
    cutoff: Optional[time] = None  # its own daily order cut-off (shop time), e.g. same-day
    zip_codes: FrozenSet[str] = frozenset()  # the only ZIP codes it serves; empty: everywhere
    area: Optional[str] = None  # how customers read the ZIP list: "parts of San Francisco"

    @property
    def same_day(self) -> bool:
        return self.max_days == 0

    def serves_zip(self, zip_code: Optional[str]) -> bool:
        """True when the method goes to this ZIP (any ZIP for methods without a list)."""
        return not self.zip_codes or (zip_code or "")[:5] in self.zip_codes


@dataclass(frozen=True)
class Zone:
    """Countries served by the same methods; the domestic zone is the shop's home country."""

    code: str
    name: str
    countries: Tuple[str, ...]  # ISO 3166 alpha-2 codes
    methods: Tuple[Method, ...]
    domestic: bool


@dataclass(frozen=True)
class ShippingPolicy:
    timezone: str  # the shop's IANA time zone (shop.timezone)
    dispatch_cutoff: time  # orders in before this on a business day leave the same day
    holidays: FrozenSet[date]  # no dispatch and no deliveries
    free_shipping_threshold_cents: int
    zones: Tuple[Zone, ...]  # the domestic zone first

    @property
    def domestic(self) -> Zone:
        return self.zones[0]

    def zone_for(self, country: Optional[str]) -> Optional[Zone]:
        """The zone shipping to this country code, or None when the shop does not ship there."""
        code = (country or "").upper()
        return next((z for z in self.zones if code in z.countries), None)

    def method(self, code: str) -> Optional[Method]:
        return next((m for z in self.zones for m in z.methods if m.code == code), None)

    def zone_of(self, method: Method) -> Zone:
        return next(z for z in self.zones if method in z.methods)

    def price_cents(self, method: Method, subtotal_cents: Optional[int] = None) -> int:
        """What the method costs for an order of this subtotal (None: the list price)."""
        if (method.free_over_threshold and subtotal_cents is not None
                and subtotal_cents >= self.free_shipping_threshold_cents):
            return 0
        return method.price_cents


def _hhmm(text: str) -> time:
    hour, minute = (int(p) for p in text.split(":"))
    return time(hour, minute)


def _mapping(r: Any, key: str) -> Dict[str, Any]:
    value = r.raw(key)
    if not isinstance(value, dict) or not value:
        raise r.fail(key, "must be a non-empty mapping")
    for name in value:
        if not isinstance(name, str) or not _CODE.fullmatch(name):
            raise r.fail(f"{key}.{name}", "codes must be lowercase letters, digits and _")
    return value


def _check_keys(r: Any, key: str, allowed: set) -> None:
    unknown = sorted(set(r.raw(key)) - allowed)
    if unknown:
        raise r.fail(f"{key}.{unknown[0]}", f"unknown key (expected one of {', '.join(sorted(allowed))})")


def _days(r: Any, key: str) -> Tuple[int, int]:
    value = r.raw(key)
    ok = (isinstance(value, list) and len(value) == 2
          and all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 60 for v in value)
          and value[0] <= value[1])
    if not ok:
        raise r.fail(key, f"must be [fewest, most] business days in transit, like [3, 5], got {value!r}")
    return value[0], value[1]


def _method(r: Any, key: str, code: str, domestic: bool) -> Method:
    _check_keys(r, key, _METHOD_KEYS)
    node = r.raw(key)
    low, high = _days(r, f"{key}.days")
    zips: FrozenSet[str] = frozenset()
    if "zip_codes" in node:
        if not domestic:
            raise r.fail(f"{key}.zip_codes", "ZIP code lists are for domestic methods only")
        zips = frozenset(r.texts(f"{key}.zip_codes"))
        bad = sorted(z for z in zips if not re.fullmatch(r"\d{5}", z))
        if bad:
            raise r.fail(f"{key}.zip_codes", f"must be 5-digit ZIP codes in quotes, got {bad[0]!r}")
    area = r.text(f"{key}.area") if "area" in node else None
    if zips and not area:
        raise r.fail(f"{key}.area", "missing (say where the ZIP codes are, e.g. \"parts of Reno\")")
    return Method(
        code=code,
        name=r.text(f"{key}.name"),
        price_cents=r.cents(f"{key}.price"),
        min_days=low,
        max_days=high,
        carrier=r.text(f"{key}.carrier"),
        tracking_included=r.flag(f"{key}.tracking"),
        free_over_threshold=r.flag(f"{key}.free_over_threshold") if "free_over_threshold" in node else False,
        cutoff=_hhmm(r.text(f"{key}.cutoff", _HHMM)) if "cutoff" in node else None,
        zip_codes=zips,
        area=area,
    )


def _methods(r: Any, key: str, seen: Dict[str, str], domestic: bool) -> Tuple[Method, ...]:
    methods = []
    for code in _mapping(r, key):
        if code in seen:
            raise r.fail(f"{key}.{code}", f"method code already used in {seen[code]}")
        seen[code] = key
        methods.append(_method(r, f"{key}.{code}", code, domestic))
    return tuple(methods)


def _holidays(r: Any, key: str) -> FrozenSet[date]:
    value = r.raw(key)
    if not isinstance(value, list):
        raise r.fail(key, "must be a list of dates like 2026-11-26")
    days = set()
    for item in value:
        try:
            days.add(item if isinstance(item, date) else date.fromisoformat(str(item)))
        except ValueError:
            raise r.fail(key, f"must be a list of dates like 2026-11-26, got {item!r}") from None
    return frozenset(days)


def _countries(r: Any, key: str, taken: Dict[str, str]) -> Tuple[str, ...]:
    if isinstance(r.raw(key), list) and any(isinstance(c, bool) for c in r.raw(key)):
        raise r.fail(key, "a code reads as true/false: put it in quotes, like \"NO\" for Norway")
    codes = r.texts(key)
    for code in codes:
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise r.fail(key, f"must be 2-letter country codes like DE, got {code!r}")
        if code in taken:
            raise r.fail(key, f"{code} is already served by {taken[code]}")
        taken[code] = key
    return codes


def parse_shipping(r: Any, timezone: str) -> ShippingPolicy:
    """The `shipping:` section, read with the profile's reader `r` (which names bad keys)."""
    seen: Dict[str, str] = {}
    home = r.text("shipping.home_country", r"[A-Z]{2}")
    taken = {home: "shipping.home_country"}
    zones = [Zone("domestic", r.text("shipping.home_name"), (home,),
                  _methods(r, "shipping.methods", seen, domestic=True), domestic=True)]
    if "international" in r.raw("shipping"):
        for code in _mapping(r, "shipping.international"):
            key = f"shipping.international.{code}"
            _check_keys(r, key, _ZONE_KEYS)
            zones.append(Zone(code, r.text(f"{key}.name"), _countries(r, f"{key}.countries", taken),
                              _methods(r, f"{key}.methods", seen, domestic=False), domestic=False))
    return ShippingPolicy(
        timezone=timezone,
        dispatch_cutoff=_hhmm(r.text("shipping.dispatch_cutoff", _HHMM)),
        holidays=_holidays(r, "shipping.holidays"),
        free_shipping_threshold_cents=r.cents("shipping.free_shipping_threshold"),
        zones=tuple(zones),
    )
