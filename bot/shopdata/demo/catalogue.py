"""The demo shop's catalogue (~40 products in five categories) and its shipping methods as rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Sequence, Tuple

from bot.shopdata.reference_orders import (
    SHIPPING_METHODS,
)
from bot.shopdata.tables import Row


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    category: str
    price_cents: int

    @property
    def final_sale(self) -> bool:
        # Shop policy: clearance items cannot be returned.
        return self.category == "clearance"


def _products(category: str, prefix: str, items: Sequence[Tuple[str, int]]) -> List[ProductSpec]:
    return [
        ProductSpec(f"{prefix}-{101 + i}", name, category, dollars * 100)
        for i, (name, dollars) in enumerate(items)
    ]


#: The demo catalogue. It includes every product of the reference orders at their prices.
CATALOGUE: Tuple[ProductSpec, ...] = tuple(
    _products("apparel", "APP", [
        ("Merino Wool Sweater", 89), ("Linen Shirt", 59), ("Organic Cotton T-Shirt", 28),
        ("Slim Chino Trousers", 69), ("Hooded Sweatshirt", 65), ("Denim Jacket", 98),
        ("Running Socks 3-pack", 15), ("Fleece Pullover", 72),
    ])
    + _products("footwear", "FTW", [
        ("Trail Running Shoes", 129), ("Leather Chelsea Boots", 189), ("Canvas Sneakers", 64),
        ("Wool House Slippers", 42), ("Waterproof Hiking Boots", 159),
    ])
    + _products("accessories", "ACC", [
        ("Cashmere Scarf", 45), ("Leather Card Wallet", 38), ("Canvas Tote Bag", 32),
        ("Wool Beanie", 24), ("Polarized Sunglasses", 79), ("Leather Belt", 49),
    ])
    + _products("home", "HOM", [
        ("Ceramic Mug Set", 24), ("Linen Napkin Set", 29), ("Scented Soy Candle", 22),
        ("Cotton Throw Blanket", 68), ("Cast Iron Skillet", 45), ("Bamboo Cutting Board", 27),
    ])
    + _products("electronics", "ELE", [
        ("Bluetooth Headphones", 149), ("Wireless Charging Pad", 35), ("Portable Power Bank", 49),
        ("Smart LED Desk Lamp", 79), ("USB-C Cable 2-pack", 19), ("Bluetooth Speaker", 89),
    ])
    + _products("stationery", "STA", [
        ("Hand-painted Bookmark Set", 18), ("Dotted Notebook A5", 16), ("Fountain Pen", 42),
        ("Watercolor Postcard Set", 14), ("Leather Journal", 36),
    ])
    + _products("clearance", "CLR", [
        ("Clearance Rain Jacket", 39), ("Clearance Yoga Mat", 19), ("Clearance Travel Mug", 12),
        ("Clearance Graphic Tee", 9),
    ])
)


def shipping_method_rows() -> List[Row]:
    """The default shipping methods as rows with ids 1..5."""
    return [
        {"id": i, "code": m.code, "name": m.name, "min_days": m.min_days, "max_days": m.max_days,
         "price_cents": m.price_cents, "carrier": m.carrier,
         "tracking_included": m.tracking_included}
        for i, m in enumerate(SHIPPING_METHODS, start=1)
    ]
