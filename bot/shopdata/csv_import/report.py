"""What an import tells the operator: the error naming file, line and column, and the summary of
what was imported.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


class CsvImportError(Exception):
    """A problem in one of the CSV files; `line` is 1-based with the header as line 1."""

    def __init__(self, file: str, line: Optional[int], field: Optional[str], message: str) -> None:
        super().__init__(file, line, field, message)
        self.file = file
        self.line = line
        self.field = field
        self.message = message

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f" line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


@dataclass
class ImportSummary:
    """How many rows of each kind the import added."""

    customers: int = 0
    products: int = 0
    shipping_methods: int = 0
    orders: int = 0
    order_items: int = 0
    shipments: int = 0
    tracking_events: int = 0
    repeated_tracking_events: int = 0  # already imported: skipped
    replaced: bool = False
    kept_returns: int = 0  # the bot's returns and claims put back on the re-imported orders
    kept_claims: int = 0
    dropped_demo_records: int = 0  # the demo shop's returns and claims, gone with its orders

    def __str__(self) -> str:
        parts = [
            f"{count_of(self.orders, 'order')} ({count_of(self.order_items, 'item')})",
            count_of(self.customers, "customer"),
            count_of(self.products, "product"),
            count_of(self.shipping_methods, "shipping method"),
            count_of(self.shipments, "shipment"),
            count_of(self.tracking_events, "tracking event"),
        ]
        text = ", ".join(parts)
        if self.repeated_tracking_events:
            text += f" ({count_of(self.repeated_tracking_events, 'tracking event')} already imported, skipped)"
        if not self.replaced:
            return text
        kept = f"{count_of(self.kept_returns, 'return')} and {count_of(self.kept_claims, 'claim')}"
        return (text + f" (the previous shop data was replaced; kept: {kept} on their orders, "
                "the handoffs and the outbox)")


def count_of(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
