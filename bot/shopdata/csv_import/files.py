"""The CSV files an import reads, their columns, and reading one file into checked rows.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

from bot.core.models import (
    OrderStatus,
    ShipmentStatus,
)
from bot.shopdata.csv_import.columns import (
    BadCell,
    Column,
    boolean,
    carrier,
    code,
    country,
    currency,
    email,
    money,
    one_of,
    optional,
    order_number,
    positive_number,
    required,
    text_up_to,
    timestamp,
    us_zip,
    whole_number,
)
from bot.shopdata.csv_import.report import CsvImportError
from bot.shopdata.tables import Row


@dataclass(frozen=True)
class FileSpec:
    name: str
    required: bool
    columns: Tuple[Column, ...]

    def column_names(self) -> List[str]:
        return [c.name for c in self.columns]


#: Every file the importer reads, in the order it reads them. docs/csv-import.md documents
#: exactly these columns (a test keeps the two in step).
FILES: Tuple[FileSpec, ...] = (
    FileSpec("shipping_methods.csv", False, (
        required("code", code), required("name", text_up_to(100)), required("min_days", whole_number),
        required("max_days", whole_number), required("carrier", carrier), required("price", money),
        optional("tracking_included", boolean),
    )),
    FileSpec("customers.csv", True, (
        required("email", email), required("first_name", text_up_to(100)), required("last_name", text_up_to(100)),
        optional("created_at", timestamp),
    )),
    FileSpec("products.csv", True, (
        required("sku", text_up_to(64)), required("name", text_up_to(200)), required("price", money),
        optional("category", text_up_to(100)), optional("final_sale", boolean),
    )),
    FileSpec("orders.csv", True, (
        required("number", order_number), required("customer_email", email),
        required("status", one_of(OrderStatus)), required("placed_at", timestamp),
        required("shipping_method", code), required("billing_zip", us_zip),
        optional("shipping_name", text_up_to(200)), required("shipping_line1", text_up_to(200)),
        optional("shipping_line2", text_up_to(200)), required("shipping_city", text_up_to(100)),
        optional("shipping_region", text_up_to(100)), required("shipping_zip", text_up_to(16)),
        optional("shipping_country", country), optional("currency", currency),
        optional("shipping", money), optional("total", money), optional("cancelled_at", timestamp),
        optional("refunded", money), optional("refunded_at", timestamp),
    )),
    FileSpec("order_items.csv", True, (
        required("order_number", order_number), required("sku", text_up_to(64)),
        required("quantity", positive_number), optional("unit_price", money),
    )),
    FileSpec("shipments.csv", False, (
        required("order_number", order_number), required("tracking_number", text_up_to(64)),
        required("carrier", carrier), required("shipped_at", timestamp),
        optional("estimated_delivery_at", timestamp), optional("delivered_at", timestamp),
        optional("status", one_of(ShipmentStatus)), optional("service_level", code),
    )),
    FileSpec("tracking_events.csv", False, (
        required("tracking_number", text_up_to(64)), required("occurred_at", timestamp),
        required("description", text_up_to(2000)), optional("location", text_up_to(200)),
    )),
)


FILES_BY_NAME = {f.name: f for f in FILES}


def read_rows(path: Path, spec: FileSpec) -> Iterator[Tuple[int, Row]]:
    """Yield (line number, parsed values) per data row; blank lines are skipped.

    Missing optional values are None. Raises CsvImportError for a bad header or cell.
    """
    name = spec.name
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:  # -sig: Excel's BOM
            reader = csv.reader(handle, strict=True)
            header = _check_header(name, next(reader, None), spec)
            line = reader.line_num
            for cells in reader:
                start, line = line + 1, reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                if any(cell.strip() for cell in cells[len(header):]):
                    raise CsvImportError(
                        name, start, None, f"{len(cells)} fields but the header has {len(header)}"
                    )
                raw = dict(zip(header, cells))
                yield start, _parse_cells(name, start, raw, spec)
    except UnicodeDecodeError:
        raise CsvImportError(name, None, None, "not UTF-8 text (save it as CSV UTF-8)") from None
    except csv.Error as err:
        raise CsvImportError(name, reader.line_num, None, f"not valid CSV ({err})") from None


def _check_header(name: str, header: Optional[List[str]], spec: FileSpec) -> List[str]:
    if not header or not any(h.strip() for h in header):
        raise CsvImportError(name, 1, None, "no header line (expected the column names)")
    columns = [h.strip().lower() for h in header]
    known = spec.column_names()
    for column in columns:
        if not column:
            continue  # spreadsheets often export stray empty columns; their cells are ignored
        if column not in known:
            raise CsvImportError(
                name, 1, column, f"unknown column (expected some of: {', '.join(known)})"
            )
        if columns.count(column) > 1:
            raise CsvImportError(name, 1, column, "column appears twice")
    for col in spec.columns:
        if col.required and col.name not in columns:
            raise CsvImportError(name, 1, col.name, "required column is missing")
    return columns


def _parse_cells(name: str, line: int, raw: Dict[str, str], spec: FileSpec) -> Row:
    values: Row = {}
    for col in spec.columns:
        cell = (raw.get(col.name) or "").strip()
        if not cell:
            if col.required:
                raise CsvImportError(name, line, col.name, "missing value (the column is required)")
            values[col.name] = None
            continue
        try:
            values[col.name] = col.parse(cell)
        except BadCell as err:
            raise CsvImportError(name, line, col.name, str(err)) from None
    return values
