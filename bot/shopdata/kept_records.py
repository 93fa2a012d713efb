"""What the bot created survives an import that replaces the shop's data.

`import-csv --replace` replaces the catalogue, the customers, the orders, their shipments and
tracking. The returns (with their items) and claims the bot created are taken aside first
(`take`), matched to the re-imported orders by order number and to their items by SKU, and put
back with the same ids (`restore`). Handoffs, their messages, the outbox, failed proofs and
revoked desk sessions do not refer to shop rows, so `bot.shopdata.tables.clear_shop` leaves
them where they are.

Customers keep their ids too, matched by email, and a new customer never gets an id a removed
one had: a conversation remembers its verified customer by id (`verified_customer_id`), and must
not come to list someone else's orders after an import.

A kept record whose order (or item) is not in the new data cannot be put back; the import is
refused with the list (`OrphanedRecords`), so nothing is lost. The demo shop is the exception:
replacing it with the shop's own data drops the demo's returns and claims on demo orders.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import DefaultDict, Dict, List, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from bot.core.models import (
    Claim,
    Customer,
    Order,
    OrderItem,
    Product,
    ReturnItem,
    ReturnRequest,
    ShopMeta,
)
from bot.shopdata.tables import Row

#: shop_meta key: the largest customer id ever given, so none is given twice.
CUSTOMER_ID_MARK = "customer_id_high_water"

ItemKey = Tuple[str, str, int]  # order number, SKU, the how-manieth line with that SKU (0, 1, ...)


class OrphanedRecords(ValueError):
    """Kept records refer to orders or items the new data does not have."""

    def __init__(self, problems: List[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        super().__init__(f"the bot's own records refer to orders that are not in the import, so nothing "
                         f"was imported: {shown}. Include those orders (and their items) in the files.")


@dataclass
class KeptRecords:
    returns: List[Row] = field(default_factory=list)  # each with "order_number"
    return_items: List[Row] = field(default_factory=list)  # each with "item_key"
    claims: List[Row] = field(default_factory=list)  # each with "order_number", "item_key" or None
    customer_ids: Dict[str, int] = field(default_factory=dict)  # email -> id
    customer_id_mark: int = 0  # the largest customer id given so far
    from_demo: bool = False  # the demo shop: records on orders that are gone are dropped
    dropped: int = 0  # set by restore: demo records dropped with their orders

    @property
    def count(self) -> int:
        return len(self.returns) + len(self.claims)


def _item_keys(conn: Connection) -> Dict[int, ItemKey]:
    """Order item id -> (order number, SKU, n) for every item in the database."""
    seen: DefaultDict[Tuple[str, str], int] = defaultdict(int)
    keys: Dict[int, ItemKey] = {}
    rows = conn.execute(select(OrderItem.id, Order.number, Product.sku).join(Order).join(Product)
                        .order_by(OrderItem.id))
    for item_id, number, sku in rows:
        keys[item_id] = (number, sku, seen[(number, sku)])
        seen[(number, sku)] += 1
    return keys


def customer_id_mark(conn: Connection) -> int:
    """The largest customer id given so far (now or before a replace)."""
    stored = conn.execute(select(ShopMeta.value).where(ShopMeta.key == CUSTOMER_ID_MARK)).scalar()
    largest = conn.execute(select(func.max(Customer.id))).scalar() or 0
    return max(largest, int(stored) if stored and stored.isdigit() else 0)


def take(conn: Connection) -> KeptRecords:
    """The bot's records and the customers' ids, read before the shop's data is cleared."""
    source = conn.execute(select(ShopMeta.value).where(ShopMeta.key == "source")).scalar()
    kept = KeptRecords(customer_id_mark=customer_id_mark(conn), from_demo=source == "demo")
    kept.customer_ids = dict(conn.execute(select(Customer.email, Customer.id)).all())
    numbers = dict(conn.execute(select(Order.id, Order.number)).all())
    items = _item_keys(conn)
    for table, target in ((ReturnRequest.__table__, kept.returns), (Claim.__table__, kept.claims)):
        for row in conn.execute(select(table).order_by(table.c.id)).mappings():
            record = dict(row)
            record["order_number"] = numbers[record.pop("order_id")]
            if table is Claim.__table__:
                item = record.pop("order_item_id")
                record["item_key"] = items[item] if item is not None else None
            target.append(record)
    for row in conn.execute(select(ReturnItem.__table__).order_by(ReturnItem.id)).mappings():
        record = dict(row)
        record["item_key"] = items[record.pop("order_item_id")]
        kept.return_items.append(record)
    return kept


def _describe(key: Optional[ItemKey]) -> str:
    return f"order {key[0]}, item {key[1]}" if key else "?"


def restore(conn: Connection, kept: KeptRecords) -> Tuple[int, int]:
    """Put the kept records back on the new orders, with their ids; raise OrphanedRecords.
    Returns how many returns and claims were put back."""
    order_ids = dict(conn.execute(select(Order.number, Order.id)).all())
    item_ids = {key: item_id for item_id, key in _item_keys(conn).items()}
    problems: List[str] = []
    rma_of = {r["id"]: r["rma"] for r in kept.returns}
    returns, items, claims = [], [], []
    for record in kept.returns:
        if record["order_number"] not in order_ids:
            problems.append(f"return {record['rma']} (order {record['order_number']})")
            continue
        returns.append({**{k: v for k, v in record.items() if k != "order_number"},
                        "order_id": order_ids[record["order_number"]]})
    for record in kept.return_items:
        if record["item_key"] not in item_ids:
            if record["item_key"][0] in order_ids:  # the order is there, the item is not
                problems.append(f"return {rma_of[record['return_id']]} ({_describe(record['item_key'])})")
            continue
        items.append({**{k: v for k, v in record.items() if k != "item_key"},
                      "order_item_id": item_ids[record["item_key"]]})
    for record in kept.claims:
        key = record["item_key"]
        if record["order_number"] not in order_ids or (key is not None and key not in item_ids):
            where = f"order {record['order_number']}" if record["order_number"] not in order_ids else _describe(key)
            problems.append(f"claim {record['number']} ({where})")
            continue
        claims.append({**{k: v for k, v in record.items() if k not in ("order_number", "item_key")},
                       "order_id": order_ids[record["order_number"]],
                       "order_item_id": item_ids[key] if key is not None else None})
    if problems and kept.from_demo:
        kept.dropped = len(problems)
        kept_returns = {r["id"] for r in returns}
        items = [i for i in items if i["return_id"] in kept_returns]
    elif problems:
        raise OrphanedRecords(problems)
    for table, rows in ((ReturnRequest.__table__, returns), (ReturnItem.__table__, items),
                        (Claim.__table__, claims)):
        if rows:
            conn.execute(table.insert(), rows)
    return len(returns), len(claims)


def remember_customer_ids(conn: Connection) -> None:
    """Store the largest customer id given, so a later replace never gives it again."""
    mark = customer_id_mark(conn)
    table = ShopMeta.__table__
    conn.execute(table.delete().where(table.c.key == CUSTOMER_ID_MARK))
    conn.execute(table.insert(), [{"key": CUSTOMER_ID_MARK, "value": str(mark)}])
