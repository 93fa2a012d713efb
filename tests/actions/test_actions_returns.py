"""Returns, refunds and claims actions with real rasa-sdk trackers, against a fresh shop per test."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from actions.claims import (
    ActionAskClaimResolution,
    ActionMissingPackage,
    ActionRecordClaim,
    ValidateClaimForm,
    ValidateMissingPackageForm,
)
from actions.returns import (
    ActionAskReturnItem,
    ActionCreateReturn,
    ActionRefundStatus,
    ActionReturnPolicy,
    ValidateReturnForm,
)
from bot.core.db import engine_for, session_scope
from bot.core.models import Alert, Claim, Order, ReturnRequest
from tests.support.action_helpers import make_tracker, run, said

OLGA = {"order_number": "100003", "owner_proof": "olga.petrova@example.com",
        "verified_orders": ["100003", "100008"], "verified_customer_id": "3"}


@pytest.fixture
def shop(writable_shop):
    return writable_shop


def rows(url, model, number):
    if model is Alert:  # alerts name an order, they do not belong to one
        with session_scope(engine_for(url)) as s:
            return s.execute(select(Alert)).scalars().all()
    with session_scope(engine_for(url)) as s:
        order = s.execute(select(Order).where(Order.number == number)).scalar_one()
        found = s.execute(select(model).where(model.order_id == order.id)).scalars().all()
        for row in found:  # load what the tests look at before the session closes
            getattr(row, "items", None)
        return found


def item_ids(url, number):
    with session_scope(engine_for(url)) as s:
        order = s.execute(select(Order).where(Order.number == number)).scalar_one()
        return {i.product.name: str(i.id) for i in order.items}


async def test_verified_eligible_order_asks_which_item(shop):
    slots, _, _ = await run(ValidateReturnForm(), make_tracker(OLGA, {"order_number": "100003"}, form="return_form"))
    assert slots["requested_slot"] == "return_item"
    _, messages, _ = await run(ActionAskReturnItem(), make_tracker(OLGA, form="return_form"))
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == ["Merino Wool Sweater ($89.00)", "Cashmere Scarf ($45.00)", "All of them"]


async def test_window_passed_ends_the_form_and_explains_with_the_date(shop):
    james = {"order_number": "100004", "verified_orders": ["100004"], "owner_proof": "73301"}
    slots, _, _ = await run(ValidateReturnForm(), make_tracker(james, {"order_number": "100004"}, form="return_form"))
    assert slots["requested_slot"] is None
    _, messages, _ = await run(ActionCreateReturn(), make_tracker(james, form=None))
    assert "window closed" in messages[0]["text"] and "November 8" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == "/human_handoff"
    assert rows(shop, ReturnRequest, "100004") == []


async def test_final_sale_item_is_not_offered(shop):
    maria = {"order_number": "100006", "verified_orders": ["100001", "100006"], "owner_proof": "94107"}
    _, messages, _ = await run(ActionAskReturnItem(), make_tracker(maria, form="return_form"))
    assert [b["title"] for b in messages[0]["buttons"]] == ["Running Socks 3-pack ($15.00)"]
    assert "Clearance Rain Jacket: final-sale items can't be returned" in messages[0]["text"]


async def test_typed_item_and_reason_are_understood(shop):
    new = {"return_item": "the scarf"}
    slots, messages, _ = await run(ValidateReturnForm(), make_tracker(OLGA, new, form="return_form"))
    assert slots["return_item"] == item_ids(shop, "100003")["Cashmere Scarf"]
    slots, messages, _ = await run(ValidateReturnForm(), make_tracker(OLGA, {"return_item": "a blue hat"}, form="return_form"))
    assert slots["return_item"] is None and said(messages) == ["utter_pick_from_buttons"]
    slots, _, _ = await run(ValidateReturnForm(), make_tracker(OLGA, {"return_reason": "it's too small"}, form="return_form"))
    assert slots["return_reason"] == "wrong size" and slots["return_reason_detail"] == "it's too small"


async def test_return_is_created_once_with_an_rma(shop):
    scarf = item_ids(shop, "100003")["Cashmere Scarf"]
    filled = {**OLGA, "return_item": scarf, "return_reason": "wrong size",
              "return_resolution": "refund:original payment method"}
    _, messages, _ = await run(ActionCreateReturn(), make_tracker(filled, form=None))
    (ret,) = rows(shop, ReturnRequest, "100003")
    assert ret.rma in messages[0]["text"] and "$45.00" in messages[0]["text"]
    assert ret.reason == "wrong size" and ret.refund_cents == 4500
    _, again, _ = await run(ActionCreateReturn(), make_tracker(filled, form=None))
    assert len(rows(shop, ReturnRequest, "100003")) == 1
    assert ret.rma in again[0]["text"] and "already" in again[0]["text"]


async def test_exchange_is_recorded_as_exchange(shop):
    filled = {**OLGA, "return_item": "all", "return_reason": "wrong size", "return_resolution": "exchange"}
    await run(ActionCreateReturn(), make_tracker(filled, form=None))
    (ret,) = rows(shop, ReturnRequest, "100003")
    assert ret.resolution == "exchange" and len(ret.items) == 2


async def test_refund_status_names_the_pending_refund(shop):
    _, messages, _ = await run(ActionRefundStatus(), make_tracker({**OLGA, "order_number": "100008"}, form=None))
    assert "$59.00" in messages[0]["text"] and "received" in messages[0]["text"]


async def test_unverified_order_gets_nothing(shop):
    locked = {"order_number": "100008", "verified_orders": [], "failed_checks": 3.0}
    _, messages, _ = await run(ActionRefundStatus(), make_tracker(locked, form=None))
    assert said(messages)[0] == "utter_verification_locked" and len(messages) == 2
    assert "$59.00" not in messages[1]["text"]


async def test_return_policy_comes_from_the_profile(shop):
    _, messages, _ = await run(ActionReturnPolicy(), make_tracker({}, form=None))
    assert "30 days of delivery" in messages[0]["text"]


async def test_damaged_item_claim_is_recorded_then_resolved(shop):
    sweater = item_ids(shop, "100003")["Merino Wool Sweater"]
    base = {**OLGA, "claim_kind": "damaged_item", "claim_item": sweater}
    slots, _, _ = await run(ValidateClaimForm(), make_tracker(base, {"claim_description": "a big hole in the sleeve"}, form="claim_form"))
    assert slots["claim_number"] and slots["requested_slot"] == "claim_resolution"
    (claim,) = rows(shop, Claim, "100003")
    assert claim.kind == "damaged_item" and "hole" in claim.description
    filled = {**base, **slots, "claim_resolution": "replacement"}
    _, messages, _ = await run(ActionRecordClaim(), make_tracker(filled, form=None))
    (claim,) = rows(shop, Claim, "100003")
    assert claim.resolution == "replacement" and claim.number in messages[0]["text"]


async def test_lost_parcel_offers_remedies_and_records_the_pick(shop):
    aisha = {"order_number": "100005", "verified_orders": ["100005"], "owner_proof": "98101"}
    slots, _, _ = await run(ValidateMissingPackageForm(), make_tracker(aisha, {"order_number": "100005"}, form="missing_package_form"))
    assert slots["requested_slot"] == "claim_resolution"
    assert rows(shop, Alert, None) == []  # deciding what to ask tells the customer nothing yet
    _, messages, _ = await run(ActionAskClaimResolution(), make_tracker(aisha, form="missing_package_form"))
    assert "Portland" in messages[0]["text"] and "4 days" in messages[0]["text"]
    assert [b["title"] for b in messages[0]["buttons"]][:2] == ["Send a new parcel", "Refund"]
    (alert,) = rows(shop, Alert, None)  # the customer was told it is lost: the on-call person hears of it
    assert (alert.kind, alert.order_number, alert.problem) == ("lost_parcel", "100005", "lost_parcel:USPS")
    _, messages, _ = await run(ActionMissingPackage(), make_tracker({**aisha, "claim_resolution": "reship"}, form=None))
    (claim,) = rows(shop, Claim, "100005")
    assert claim.kind == "missing_package" and claim.resolution == "reship"


async def test_parcel_not_yet_late_gets_the_estimate_and_no_claim(shop):
    maria = {"order_number": "100001", "verified_orders": ["100001", "100006"], "owner_proof": "94107"}
    slots, _, _ = await run(ValidateMissingPackageForm(), make_tracker(maria, {"order_number": "100001"}, form="missing_package_form"))
    assert slots["requested_slot"] is None
    _, messages, _ = await run(ActionMissingPackage(), make_tracker(maria, form=None))
    assert "November 24" in messages[0]["text"]
    assert rows(shop, Claim, "100001") == []
