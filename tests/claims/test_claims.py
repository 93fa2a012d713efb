"""Claims: damaged and wrong items, lost parcels; what is offered and what is recorded."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.claims import service as claims
from bot.claims.missing_package import DELIVERED, LATE, LOST, NOT_SHIPPED, ON_TIME, assess
from bot.core.db import session_scope
from bot.core.models import Claim
from bot.orders.lookup import load_order
from tests.support.fresh_shop import FIXED_NOW, fresh_shop, profile_with

PROFILE = profile_with()


@pytest.fixture
def shop():
    return fresh_shop()


def rows(engine):
    with session_scope(engine) as s:
        return [(c.number, c.order.number, c.kind.value,
                 c.order_item.product.name if c.order_item else None, c.description,
                 c.resolution.value if c.resolution else None, c.status.value, c.created_at)
                for c in s.execute(select(Claim).order_by(Claim.id)).scalars()]


def item_id(engine, number: str, name: str) -> int:
    with session_scope(engine) as s:
        return next(i.id for i in load_order(s, number).items if i.product.name == name)


def file(engine, number="100003", name="Merino Wool Sweater", kind="damaged_item",
         description="the seam is torn", profile=PROFILE):
    with session_scope(engine) as s:
        return claims.file_item_claim(s, number, item_id(engine, number, name), kind,
                                      description, profile, FIXED_NOW)


def choose(engine, claim_number, resolution, number="100003"):
    with session_scope(engine) as s:
        return claims.choose_item_resolution(s, number, claim_number, resolution, PROFILE,
                                             FIXED_NOW)


# --------------------------------------------------------------------------- damaged / wrong item

def test_damaged_item_records_a_claim_and_offers_the_policy(shop) -> None:
    result = file(shop, description="  the seam\n is torn ")
    assert result.code == "created" and result.claim_number == "CLM-100003-1"
    assert result.offered == ("refund", "replacement", "human")
    assert result.message == (
        "I'm sorry your Merino Wool Sweater arrived damaged. I've recorded it as claim "
        "CLM-100003-1. Would you like a refund of $89.00 or a replacement? Or I can connect "
        "you with our team.")
    assert rows(shop) == [("CLM-100003-1", "100003", "damaged_item", "Merino Wool Sweater",
                           "the seam is torn", None, "open", FIXED_NOW)]


def test_one_claim_per_item_and_kind(shop) -> None:
    file(shop)
    again = file(shop, description="")
    assert again.existing and again.claim_number == "CLM-100003-1"
    assert "already reported this" in again.message and "a replacement" in again.message
    other_kind = file(shop, kind="wrong_item", description="it's blue, I ordered grey")
    other_item = file(shop, name="Cashmere Scarf")
    assert (other_kind.claim_number, other_item.claim_number) == ("CLM-100003-2", "CLM-100003-3")
    assert "you didn't get the Merino Wool Sweater you ordered" in other_kind.message
    assert len(rows(shop)) == 3


def test_choosing_a_resolution_is_recorded_once(shop) -> None:
    number = file(shop).claim_number
    assert choose(shop, number, "reship").code == "bad_resolution"  # not offered for items
    chosen = choose(shop, number, "Replacement")
    assert chosen.code == "chosen" and chosen.resolution == "replacement"
    assert "we'll send you a new Merino Wool Sweater at no cost" in chosen.message
    again = choose(shop, number, "refund")
    assert again.existing and again.resolution == "replacement"
    assert rows(shop)[0][5] == "replacement"
    assert file(shop).message.endswith("we'll send you a new Merino Wool Sweater at no cost "
                                       "and email you the tracking number.")


def test_refund_and_human_resolutions(shop) -> None:
    refund = choose(shop, file(shop, kind="wrong_item").claim_number, "refund")
    assert "we'll refund $89.00 to your original payment method within 5 business days" in refund.message
    human = choose(shop, file(shop, name="Cashmere Scarf").claim_number, "human")
    assert human.resolution == "human" and "a person will get back to you" in human.message
    assert [r[5] for r in rows(shop)] == ["refund", "human"]


def test_a_claim_of_another_order_cannot_be_changed(shop) -> None:
    number = file(shop).claim_number
    assert choose(shop, number, "refund", number="100008").code == "not_found"
    assert choose(shop, "CLM-999", "refund").code == "not_found"
    assert rows(shop)[0][5] is None


def test_policy_without_resolutions_offers_only_a_person(shop) -> None:
    result = file(shop, profile=profile_with(claims={"damaged_item": ()}))
    assert result.offered == ("human",) and "Our team will take it from here" in result.message


@pytest.mark.parametrize("number, name, kind, description, code", [
    ("100001", "Trail Running Shoes", "damaged_item", "broken", "not_delivered"),
    ("100003", "Merino Wool Sweater", "lost_item", "broken", "bad_kind"),
    ("100003", "Merino Wool Sweater", "damaged_item", "   ", "no_description"),
])
def test_refused_item_claims_write_nothing(shop, number, name, kind, description, code) -> None:
    result = file(shop, number, name, kind, description)
    assert result.code == code and not result.ok and result.message
    assert rows(shop) == []


def test_an_item_of_another_order_is_refused(shop) -> None:
    with session_scope(shop) as s:
        result = claims.file_item_claim(s, "100003", item_id(shop, "100008", "Linen Shirt"),
                                        "damaged_item", "torn", PROFILE, FIXED_NOW)
        assert result.code == "unknown_item"
        assert claims.file_item_claim(s, "999999", 1, "damaged_item", "x", PROFILE,
                                      FIXED_NOW).code == "not_found"
    assert rows(shop) == []


# --------------------------------------------------------------------------- missing package

def situation(session, number, profile=PROFILE, now=FIXED_NOW):
    return assess(load_order(session, number), profile, now)


def test_100005_is_lost_with_the_tracking_facts(session) -> None:
    s = situation(session, "100005")
    assert (s.state, s.days_late, s.days_without_scan) == (LOST, 4, 9)
    assert s.offered == ("reship", "refund", "human")
    assert s.text == (
        "I'm sorry, your parcel for order #100005 is late: it was due on Thursday, November 19, "
        "4 days ago. The last carrier scan was \"In transit\" at USPS Regional Facility, "
        "Portland, OR on Saturday, November 14, 9 days ago. It may be lost. We can send you a "
        "new parcel at no cost or refund you $22.95. Which would you prefer? I can also "
        "connect you with our team.")


def test_not_yet_late_explains_the_estimate(session) -> None:
    s = situation(session, "100001")
    assert s.state == ON_TIME and s.offered == () and not s.claimable
    assert "isn't late: it's due tomorrow, Tuesday, November 24" in s.text
    assert situation(session, "100002").state == NOT_SHIPPED


def test_delivered_offers_a_person(session) -> None:
    s = situation(session, "100003")
    assert s.state == DELIVERED and s.offered == ("human",)
    assert "was delivered on Friday, November 13 (Chicago, IL)" in s.text


def test_late_but_not_yet_lost_follows_the_policy(session) -> None:
    patient = profile_with(claims={"lost_after_days_late": 10, "lost_after_days_without_scan": 20})
    s = situation(session, "100005", patient)
    assert s.state == LATE and s.offered == ("human",)
    assert "If it hasn't arrived by Sunday, November 29" in s.text
    by_scan = profile_with(claims={"lost_after_days_late": 10, "lost_after_days_without_scan": 9})
    assert situation(session, "100005", by_scan).state == LOST
    refund_only = profile_with(claims={"missing_package": ("refund",)})
    s = situation(session, "100005", refund_only)
    assert s.offered == ("refund", "human") and "new parcel" not in s.text


def test_missing_package_claim_is_recorded_once(shop) -> None:
    with session_scope(shop) as s:
        assert claims.file_missing_package_claim(s, "100005", "store credit", PROFILE,
                                                 FIXED_NOW).code == "bad_resolution"
        result = claims.file_missing_package_claim(s, "100005", "Reship", PROFILE, FIXED_NOW)
    assert result.code == "created" and result.claim_number == "CLM-100005-1"
    assert "we'll send you a new parcel at no cost" in result.message
    with session_scope(shop) as s:
        again = claims.file_missing_package_claim(s, "100005", "refund", PROFILE, FIXED_NOW)
    assert again.existing and again.resolution == "reship"
    assert rows(shop) == [("CLM-100005-1", "100005", "missing_package", None,
                           "4 days late (due 2026-11-19); last scan 2026-11-14: In transit at "
                           "USPS Regional Facility, Portland, OR", "reship", "open", FIXED_NOW)]


@pytest.mark.parametrize("number", ["100001", "100002", "100003", "100007"])
def test_no_missing_package_claim_unless_lost(shop, number) -> None:
    with session_scope(shop) as s:
        result = claims.file_missing_package_claim(s, number, "refund", PROFILE, FIXED_NOW)
    assert result.code == "not_claimable" and result.message
    assert rows(shop) == []


def test_service_functions(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    engine = fresh_shop(url)
    monkeypatch.setenv("SHOP_DATABASE_URL", url)
    assert claims.missing_package_answer("100005", FIXED_NOW, PROFILE).claimable
    assert claims.report_missing_package("100005", "refund", FIXED_NOW, PROFILE).code == "created"
    answer = claims.missing_package_answer("100005", FIXED_NOW, PROFILE)
    assert answer.existing_claim == "CLM-100005-1" and answer.offered == ()
    assert "we'll refund $22.95" in answer.text
    sweater = item_id(engine, "100003", "Merino Wool Sweater")
    filed = claims.report_item_problem("100003", sweater, "damaged_item", "torn", FIXED_NOW, PROFILE)
    chosen = claims.choose_claim_resolution("100003", filed.claim_number, "refund", FIXED_NOW, PROFILE)
    assert chosen.code == "chosen"
    assert [(r[0], r[5]) for r in rows(engine)] == [("CLM-100005-1", "refund"),
                                                    ("CLM-100003-1", "refund")]
    assert claims.missing_package_answer("999999", FIXED_NOW, PROFILE) is None
    engine.dispose()
