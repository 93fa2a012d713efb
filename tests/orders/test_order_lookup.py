"""Ownership proof and the order queries, against the seeded demo shop."""
from __future__ import annotations

import pytest

from bot.orders.lookup import (
    OwnerProof,
    normalize_order_number,
    normalize_proof,
    orders_of_customer,
    verify_owner,
)


@pytest.mark.parametrize(
    "raw, expected",
    [("100001", "100001"), ("#100001", "100001"), (" order 100001 ", "100001"),
     ("order #100001", "100001"), ("12345", None), ("1Z999AA10123456784", None),
     ("", None), (None, None), ("abc", None)],
)
def test_normalize_order_number(raw, expected):
    assert normalize_order_number(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("Maria.Gonzalez@Example.com", OwnerProof("email", "maria.gonzalez@example.com")),
     ("94107", OwnerProof("zip", "94107")), ("94107-1234", OwnerProof("zip", "94107")),
     ("9410", None), ("maria at example", None), (None, None)],
)
def test_normalize_proof(raw, expected):
    assert normalize_proof(raw) == expected


def test_email_or_zip_proves_ownership(session):
    by_email = verify_owner(session, "100001", OwnerProof("email", "maria.gonzalez@example.com"))
    by_zip = verify_owner(session, "100001", OwnerProof("zip", "94107"))
    assert by_email is not None and by_email.number == "100001"
    assert by_zip is not None and by_zip.customer.email == "maria.gonzalez@example.com"


def test_wrong_proof_and_unknown_order_look_the_same(session):
    assert verify_owner(session, "100001", OwnerProof("email", "li.wei@example.com")) is None
    assert verify_owner(session, "100001", OwnerProof("zip", "10001")) is None
    assert verify_owner(session, "999999", OwnerProof("email", "maria.gonzalez@example.com")) is None


def test_another_customers_proof_does_not_open_an_order(session):
    # li.wei owns 100002, not 100001: her own (correct) email must not unlock maria's order
    assert verify_owner(session, "100002", OwnerProof("email", "li.wei@example.com")) is not None
    assert verify_owner(session, "100001", OwnerProof("email", "li.wei@example.com")) is None


def test_orders_of_customer_lists_maria_two_orders_newest_first(session):
    order = verify_owner(session, "100001", OwnerProof("zip", "94107"))
    orders = orders_of_customer(session, order.customer_id)
    assert [o.number for o in orders] == ["100001", "100006"]
    assert orders[0].status == "shipped" and orders[1].status == "delivered"
