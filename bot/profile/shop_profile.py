"""The shop profile (shop/profile.yml): the shop's identity, contact details and policies.

Loaded and checked once; a missing or bad value raises ProfileError naming the key, so an
operator sees "returns.window_days: must be a whole number from 0 to 365", not a stack trace.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.core.formatting import clock, join_words, money
from bot.core.settings import PROJECT_ROOT
from bot.profile.alert_policy import AlertPolicy, parse_alert_policy
from bot.profile.claims_policy import ClaimsPolicy, parse_claims_policy
from bot.profile.handoff_policy import HandoffPolicy, parse_handoff_policy
from bot.profile.privacy_policy import PrivacyPolicy, parse_privacy_policy
from bot.profile.proof_policy import ProofPolicy, parse_proof_policy
from bot.profile.shipping_policy import ShippingPolicy, parse_shipping
from bot.profile.survey_policy import SurveyPolicy, parse_survey_policy

PROFILE_ENV = "SHOP_PROFILE"
DEFAULT_PROFILE = PROJECT_ROOT / "shop" / "profile.yml"


class ProfileError(ValueError):
    """A bad shop profile; the message names the file and the key."""


@dataclass(frozen=True)
class ShopProfile:
    name: str
    website: str
    timezone: str
    timezone_label: str
    currency: str
    support_email: str
    support_phone: str
    support_days: str
    support_opens: str
    support_closes: str
    languages: Tuple[str, ...]
    return_window_days: int
    final_sale_categories: Tuple[str, ...]
    return_reasons: Tuple[str, ...]
    refund_methods: Tuple[str, ...]
    exchange_allowed: bool
    return_shipping_paid_by: str
    return_shipping_fee_cents: int
    refund_processing_days: int
    free_shipping_threshold_cents: int
    payment_methods: Tuple[str, ...]
    claims: ClaimsPolicy
    handoff: HandoffPolicy
    shipping: ShippingPolicy
    ownership_proof: ProofPolicy
    privacy: PrivacyPolicy
    surveys: SurveyPolicy
    alerts: AlertPolicy

    @property
    def support_hours(self) -> str:
        opens, closes = _clock(self.support_opens), _clock(self.support_closes)
        return f"{self.support_days}, {opens} to {closes} {self.timezone_label}"

    def placeholders(self) -> Dict[str, str]:
        """Values that FAQ answers and other texts may name as {placeholder}."""
        if self.return_shipping_paid_by == "shop":
            return_shipping = "return shipping is free: we email you a prepaid label"
        else:
            fee = money(self.return_shipping_fee_cents, self.currency)
            return_shipping = f"a {fee} prepaid return label is deducted from your refund"
        return {
            "shop_name": self.name,
            "website": self.website,
            "support_email": self.support_email,
            "support_phone": self.support_phone,
            "support_hours": self.support_hours,
            "return_window_days": str(self.return_window_days),
            "return_shipping": return_shipping,
            "refund_processing_days": str(self.refund_processing_days),
            "free_shipping_threshold": money(self.free_shipping_threshold_cents, self.currency),
            "payment_methods": join_words(self.payment_methods),
            "languages": join_words(self.languages),
        }


def _clock(hhmm: str) -> str:
    return clock(time.fromisoformat(hhmm))


class _Reader:
    """Reads typed values out of the nested YAML mapping, naming the key on any problem."""

    def __init__(self, data: Dict[str, Any], source: Path) -> None:
        self.data, self.source = data, source

    def fail(self, key: str, problem: str) -> ProfileError:
        return ProfileError(f"{self.source}: {key}: {problem}")

    def raw(self, key: str) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise self.fail(key, "missing")
            node = node[part]
        return node

    def text(self, key: str, pattern: str = r".+") -> str:
        value = self.raw(key)
        if not isinstance(value, str) or not re.fullmatch(pattern, value.strip()):
            raise self.fail(key, f"expected text matching {pattern!r}, got {value!r}")
        return value.strip()

    def whole(self, key: str, low: int, high: int) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(key, f"must be a whole number from {low} to {high}, got {value!r}")
        return value

    def flag(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {value!r}")
        return value

    def cents(self, key: str) -> int:
        value = self.raw(key)
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(key, f"must be an amount like \"75.00\", got {value!r}") from None
        if amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise self.fail(key, f"must be an amount like \"75.00\", got {value!r}")
        return int(amount * 100)

    def settings(self, section: str, known: Iterable[str]) -> Dict[str, Any]:
        """An optional top-level section of settings ({} when absent); an unknown key fails."""
        value = self.data.get(section)
        if value is not None and not isinstance(value, dict):
            raise self.fail(section, "must be a mapping of settings")
        value = value or {}
        known = list(known)
        unknown = sorted(set(value) - set(known))
        if unknown:
            raise self.fail(f"{section}.{unknown[0]}", f"unknown setting (known: {', '.join(known)})")
        return value

    def texts(self, key: str, allow_empty: bool = False) -> Tuple[str, ...]:
        value = self.raw(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "must be a list of texts")
        if not value and not allow_empty:
            raise self.fail(key, "must not be empty")
        return tuple(v.strip() for v in value)


def parse_profile(data: Any, source: Path) -> ShopProfile:
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: the file must be a YAML mapping of sections (shop, support, ...)")
    r = _Reader(data, source)
    timezone = r.text("shop.timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise r.fail("shop.timezone", f"unknown time zone {timezone!r} (use a name like America/New_York)") from None
    paid_by = r.text("returns.return_shipping_paid_by")
    if paid_by not in ("shop", "customer"):
        raise r.fail("returns.return_shipping_paid_by", f"must be shop or customer, got {paid_by!r}")
    hhmm = r"([01]\d|2[0-3]):[0-5]\d"
    profile = ShopProfile(
        name=r.text("shop.name"),
        website=r.text("shop.website", r"https?://\S+").rstrip("/"),
        timezone=timezone,
        timezone_label=r.text("shop.timezone_label"),
        currency=r.text("shop.currency", r"[A-Z]{3}"),
        support_email=r.text("support.email", r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"),
        support_phone=r.text("support.phone"),
        support_days=r.text("support.days"),
        support_opens=r.text("support.opens", hhmm),
        support_closes=r.text("support.closes", hhmm),
        languages=r.texts("support.languages"),
        return_window_days=r.whole("returns.window_days", 0, 365),
        final_sale_categories=r.texts("returns.final_sale_categories", allow_empty=True),
        return_reasons=r.texts("returns.accepted_reasons"),
        refund_methods=r.texts("returns.refund_methods"),
        exchange_allowed=r.flag("returns.exchange_allowed"),
        return_shipping_paid_by=paid_by,
        return_shipping_fee_cents=r.cents("returns.return_shipping_fee"),
        refund_processing_days=r.whole("returns.refund_processing_days", 0, 90),
        free_shipping_threshold_cents=r.cents("shipping.free_shipping_threshold"),
        payment_methods=r.texts("payments.methods"),
        claims=parse_claims_policy(r),
        handoff=parse_handoff_policy(r),
        shipping=parse_shipping(r, timezone),
        ownership_proof=parse_proof_policy(r),
        privacy=parse_privacy_policy(r),
        surveys=parse_survey_policy(r),
        alerts=parse_alert_policy(r),
    )
    if profile.support_opens >= profile.support_closes:
        raise r.fail("support.closes", "must be later than support.opens")
    return profile


def profile_path() -> Path:
    return Path(os.environ.get(PROFILE_ENV) or DEFAULT_PROFILE)


def load_profile(path: Path | None = None) -> ShopProfile:
    path = path or profile_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"{path}: the shop profile file does not exist") from None
    except yaml.YAMLError as err:
        raise ProfileError(f"{path}: not valid YAML: {err}") from None
    return parse_profile(data, path)


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> ShopProfile:
    return load_profile(Path(path))


def current_profile() -> ShopProfile:
    """The profile in force, re-read when the file changes."""
    path = profile_path()
    return _cached(str(path), path.stat().st_mtime if path.exists() else 0.0)


