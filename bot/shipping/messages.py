"""The bot's replies about shipping: the options for a place with prices and delivery dates, one
method's estimate, the free-shipping hint, and where the shop does not ship. `now` is naive UTC.
"""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Optional

from bot.core.formatting import clock, day, join_words, money
from bot.core.shop_dates import local
from bot.profile.shipping_policy import Method, ShippingPolicy, Zone
from bot.profile.shop_profile import ShopProfile
from bot.shipping.delivery_dates import DeliveryWindow, Unavailable, delivery_window, same_day_problem
from bot.shipping.locations import Place, PlaceKind
from bot.shipping.options import ShippingOption, find_method, shipping_options


def free_shipping_hint(policy: ShippingPolicy, subtotal_cents: int, currency: str = "USD") -> Optional[str]:
    """'Add $12.00 more for free standard shipping.'; None when no method is ever free."""
    names = [m.name.lower() for m in policy.domestic.methods if m.free_over_threshold]
    if not names:
        return None
    what = f"free {' or '.join(names)} shipping"
    missing = policy.free_shipping_threshold_cents - subtotal_cents
    if missing <= 0:
        return f"Your order of {money(subtotal_cents, currency)} qualifies for {what}."
    return f"Add {money(missing, currency)} more for {what}."


def _day(d: date, local_now: datetime) -> str:
    return day(datetime.combine(d, time()), local_now)


def _transit(m: Method) -> str:
    if m.max_days == 0:
        return "same business day"
    if m.min_days == m.max_days:
        return f"{m.max_days} business day{'s' if m.max_days > 1 else ''}"
    return f"{m.min_days}-{m.max_days} business days"


def _arrives(w: DeliveryWindow, local_now: datetime) -> str:
    if w.earliest == w.latest:
        return f"arrives {_day(w.earliest, local_now)}"
    return f"arrives between {_day(w.earliest, local_now)} and {_day(w.latest, local_now)}"


def _option_line(o: ShippingOption, profile: ShopProfile, local_now: datetime,
                 subtotal_cents: Optional[int], zip_known: bool) -> str:
    m, policy = o.method, profile.shipping
    price = "free" if o.price_cents == 0 else money(o.price_cents, profile.currency)
    if m.free_over_threshold and subtotal_cents is None:
        price += f" (free from {money(policy.free_shipping_threshold_cents, profile.currency)})"
    parts = [price, _transit(m)]
    if not m.tracking_included:
        parts.append("no tracking")
    cutoff = f"order by {clock(m.cutoff)} {profile.timezone_label} on a business day" if m.cutoff else ""
    if m.zip_codes and not zip_known:
        parts.append(f"only in {m.area}" + (f", {cutoff}" if cutoff else ""))
    if o.window is not None:
        parts.append(_arrives(o.window, local_now))
    elif o.problem is Unavailable.TOO_LATE:
        parts.append(f"not possible any more today ({cutoff})" if cutoff else "not possible today")
    return f"- {m.name} ({m.carrier}): " + ", ".join(parts)


def _dispatch_note(profile: ShopProfile) -> str:
    cutoff = clock(profile.shipping.dispatch_cutoff)
    return (f"Orders placed by {cutoff} {profile.timezone_label} on a business day leave our "
            f"warehouse the same day.")


def _options_reply(header: str, profile: ShopProfile, now: datetime, place: Optional[Place],
                   subtotal_cents: Optional[int]) -> str:
    local_now = local(now, profile.shipping.timezone)
    options = shipping_options(profile.shipping, now, place, subtotal_cents)
    zip_known = place is not None and place.zip_code is not None
    lines = [header] + [_option_line(o, profile, local_now, subtotal_cents, zip_known) for o in options]
    lines.append(_dispatch_note(profile))
    domestic = place is None or (place.zone is not None and place.zone.domestic)
    if subtotal_cents is not None and domestic:
        hint = free_shipping_hint(profile.shipping, subtotal_cents, profile.currency)
        if hint:
            lines.append(hint)
    return "\n".join(lines)


def render_unknown_place(place: Place) -> str:
    if not place.text:
        return "Where should it go? Tell me the country, or a 5-digit US ZIP code."
    return (f"Sorry, I don't know where \"{place.text}\" is. Could you tell me the country, "
            f"or a 5-digit US ZIP code?")


def render_no_shipping(profile: ShopProfile, place: Place) -> str:
    """'Sorry, we don't ship to Brazil. We deliver within the US and to Canada, ...'"""
    zones = profile.shipping.zones
    abroad = [z.name for z in zones if not z.domestic]
    covered = f"within {zones[0].name}"
    if abroad:  # zone names may contain "and" themselves, hence the serial comma
        covered += " and to " + (abroad[0] if len(abroad) == 1 else ", ".join(abroad[:-1]) + ", and " + abroad[-1])
    return f"Sorry, we don't ship to {place.label}. We deliver {covered}."


def _other_answer(profile: ShopProfile, place: Optional[Place]) -> Optional[str]:
    if place is not None and place.kind is PlaceKind.UNKNOWN:
        return render_unknown_place(place)
    if place is not None and place.kind is PlaceKind.NO_SHIPPING:
        return render_no_shipping(profile, place)
    return None


def render_options(profile: ShopProfile, now: datetime, place: Optional[Place] = None,
                   subtotal_cents: Optional[int] = None) -> str:
    """The options list, for anywhere (place None) or for one place, with the free-shipping hint."""
    other = _other_answer(profile, place)
    if other:
        return other
    where = profile.shipping.domestic.name if place is None else place.label
    return _options_reply(f"Shipping options for {where}:", profile, now, place, subtotal_cents)


def render_zone_answer(profile: ShopProfile, now: datetime, place: Place) -> str:
    """'We ship to Canada:' with each method, its price, time and arrival; or a clear no."""
    other = _other_answer(profile, place)
    if other:
        return other
    where = f"anywhere in {place.zone.name}" if place.zone and place.zone.domestic else f"to {place.label}"
    return _options_reply(f"Yes, we ship {where}:", profile, now, place, None)


def render_estimate(profile: ShopProfile, now: datetime, method_text: object,
                    place: Optional[Place] = None) -> str:
    """'Order now with Next-Day and it arrives tomorrow, Tuesday, November 24.' and the reasons
    when the method cannot do it (ZIP not served, too late today, not offered to that zone)."""
    other = _other_answer(profile, place)
    if other:
        return other
    policy = profile.shipping
    zone = place.zone if place is not None and place.zone else policy.domestic
    zip_code = place.zip_code if place is not None else None
    local_now = local(now, policy.timezone)
    method = find_method(policy, method_text, zone)
    if method is None:
        elsewhere = find_method(policy, method_text)
        if elsewhere is not None and place is not None:
            return f"{elsewhere.name} isn't available to {place.label}.\n" + render_zone_answer(profile, now, place)
        if not method_text:
            return render_zone_answer(profile, now, place) if place else render_options(profile, now)
        names = join_words([m.name for m in zone.methods])
        return f"I don't know a shipping option called \"{method_text}\". We offer {names}."
    problem = same_day_problem(now, method, policy, zip_code)
    window = delivery_window(now, method, policy, zip_code)
    if window is None:
        if problem is Unavailable.ZIP_NOT_SERVED:
            where = place.label if place else zip_code
            reason = f"{method.name} isn't available for {where}: it only covers {method.area}."
        else:
            cutoff = clock(method.cutoff or policy.dispatch_cutoff)
            reason = (f"{method.name} orders must be in by {cutoff} {profile.timezone_label} "
                      f"on a business day, so it isn't possible any more today.")
        return reason + _fastest(profile, now, zone, zip_code, local_now)
    text = f"Order now with {method.name} and it {_arrives(window, local_now)}."
    if problem is Unavailable.NEEDS_ZIP:
        text = (f"{method.name} is only for {method.area}. If you're there and order by "
                f"{clock(method.cutoff or policy.dispatch_cutoff)} {profile.timezone_label}, it "
                f"{_arrives(window, local_now)}.")
    if window.dispatch != local_now.date():
        text += f" It leaves our warehouse {_day(window.dispatch, local_now)}, our next business day."
    return text


def _fastest(profile: ShopProfile, now: datetime, zone: Zone, zip_code: Optional[str],
             local_now: datetime) -> str:
    windows = [w for w in (delivery_window(now, m, profile.shipping, zip_code) for m in zone.methods
                           if not m.zip_codes) if w is not None]
    if not windows:
        return ""
    best = min(windows, key=lambda w: (w.latest, w.method.price_cents))
    return f" The fastest option now is {best.method.name}: it {_arrives(best, local_now)}."
