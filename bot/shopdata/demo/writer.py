"""Writing the demo shop: rows buffered per table and bulk-inserted in chunks, and the fixed
reference orders (`bot.shopdata.reference_orders`) turned into rows.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from bot.core.models import (
    Base,
    Customer,
    Order,
    OrderItem,
    ReturnItem,
    ReturnRequest,
    ReturnResolution,
    ReturnStatus,
    Shipment,
    TrackingEvent,
)
from bot.shopdata.demo.catalogue import CATALOGUE
from bot.shopdata.reference_orders import (
    SHIPPING_METHODS,
    RefOrder,
    reference_customers,
)
from bot.shopdata.tables import CHUNK_SIZE, Row


class ChunkWriter:
    """Buffers rows per table and bulk-inserts them in chunks, parents before children."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.buffers: Dict[Table, List[Row]] = {}
        # Next free primary key per model; every row gets its id here, never from the DB.
        self.next_ids: Dict[Any, int] = {Customer: 1, Order: 1, OrderItem: 1, Shipment: 1,
                                         TrackingEvent: 1, ReturnRequest: 1, ReturnItem: 1}

    def add_all(self, model: Any, rows: List[Row]) -> None:
        self.buffers.setdefault(model.__table__, []).extend(rows)

    def flush(self) -> None:
        for table in Base.metadata.sorted_tables:  # parents first, so FKs always resolve
            rows = self.buffers.pop(table, [])
            for start in range(0, len(rows), CHUNK_SIZE):
                self.conn.execute(table.insert(), rows[start:start + CHUNK_SIZE])


def write_reference_orders(writer: ChunkWriter, now: datetime, refs: List[RefOrder]) -> int:
    """Write the reference customers and orders; returns the number of customers."""
    customer_ids: Dict[str, int] = {}
    for c in reference_customers(now):
        customer_ids[c.email] = cid = writer.next_ids[Customer]
        writer.next_ids[Customer] += 1
        writer.add_all(Customer, [{"id": cid, "email": c.email, "first_name": c.first_name,
                                   "last_name": c.last_name, "created_at": c.created_at}])
    product_ids = {p.name: i for i, p in enumerate(CATALOGUE, start=1)}
    method_ids = {m.code: i for i, m in enumerate(SHIPPING_METHODS, start=1)}
    for ref in refs:
        _write_reference_order(writer, ref, customer_ids[ref.email], product_ids, method_ids)
    return len(customer_ids)


def _write_reference_order(writer: ChunkWriter, ref: RefOrder, customer_id: int,
                           product_ids: Dict[str, int], method_ids: Dict[str, int]) -> None:
    ids = writer.next_ids
    order_id = ids[Order]
    ids[Order] += 1
    a = ref.address
    writer.add_all(Order, [{
        "id": order_id, "number": ref.number, "customer_id": customer_id, "status": ref.status,
        "placed_at": ref.placed_at, "shipping_method_id": method_ids[ref.shipping_method],
        "billing_zip": ref.billing_zip, "shipping_name": a.name, "shipping_line1": a.line1,
        "shipping_line2": a.line2, "shipping_city": a.city, "shipping_region": a.region,
        "shipping_zip": a.zip, "shipping_country": a.country, "currency": "USD",
        "subtotal_cents": ref.subtotal_cents, "shipping_cents": ref.shipping_cents,
        "total_cents": ref.total_cents, "cancelled_at": ref.cancelled_at,
        "refunded_cents": ref.refunded_cents, "refunded_at": ref.refunded_at,
    }])
    item_ids: Dict[str, int] = {}
    for item in ref.items:
        item_ids[item.product_name] = ids[OrderItem]
        writer.add_all(OrderItem, [{
            "id": ids[OrderItem], "order_id": order_id,
            "product_id": product_ids[item.product_name], "quantity": item.quantity,
            "unit_price_cents": item.unit_price_cents,
        }])
        ids[OrderItem] += 1
    if ref.return_request is not None:
        _write_reference_return(writer, ref, order_id, item_ids)
    s = ref.shipment
    if s is None:
        return
    shipment_id = ids[Shipment]
    ids[Shipment] += 1
    writer.add_all(Shipment, [{
        "id": shipment_id, "order_id": order_id, "carrier": s.carrier,
        "service_level": s.service_level, "tracking_number": s.tracking_number,
        "status": s.status, "shipped_at": s.shipped_at,
        "estimated_delivery_at": s.estimated_delivery_at, "delivered_at": s.delivered_at,
    }])
    for e in s.events:
        writer.add_all(TrackingEvent, [{
            "id": ids[TrackingEvent], "shipment_id": shipment_id, "occurred_at": e.occurred_at,
            "location": e.location, "description": e.description,
        }])
        ids[TrackingEvent] += 1


def _write_reference_return(writer: ChunkWriter, ref: RefOrder, order_id: int,
                            item_ids: Dict[str, int]) -> None:
    r = ref.return_request
    assert r is not None
    ids = writer.next_ids
    return_id = ids[ReturnRequest]
    ids[ReturnRequest] += 1
    writer.add_all(ReturnRequest, [{
        "id": return_id, "rma": r.rma, "order_id": order_id,
        "status": ReturnStatus.RECEIVED if r.received_at else ReturnStatus.REQUESTED,
        "resolution": ReturnResolution.REFUND, "reason": r.reason, "reason_detail": None,
        "refund_method": r.refund_method, "refund_cents": r.refund_cents,
        "created_at": r.created_at, "updated_at": r.received_at or r.created_at,
        "received_at": r.received_at, "refunded_at": None,
    }])
    quantities = {i.product_name: i.quantity for i in ref.items}
    for name in r.product_names:
        writer.add_all(ReturnItem, [{"id": ids[ReturnItem], "return_id": return_id,
                                     "order_item_id": item_ids[name],
                                     "quantity": quantities[name]}])
        ids[ReturnItem] += 1
