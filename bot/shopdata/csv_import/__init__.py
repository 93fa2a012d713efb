"""Import a shop's real data from a folder of CSV files (see docs/csv-import.md).

The files refer to each other by natural keys (customer email, product SKU, order number,
shipping method code, tracking number), never by database ids. The import works in two phases:
first every file is read and validated completely, then all rows are written. Both phases run in
one database transaction, so a bad row anywhere leaves the database exactly as it was.

A bad row raises CsvImportError naming the file, the line (the header is line 1) and the column,
which is what an operator needs to fix the file.

`files` names the files and their columns, `columns` parses each cell, `importer` runs the two
phases, `report` holds the error and the summary.
"""
from bot.shopdata.csv_import.files import FILES
from bot.shopdata.csv_import.importer import import_csv_directory
from bot.shopdata.csv_import.report import CsvImportError, ImportSummary

__all__ = ["FILES", "CsvImportError", "ImportSummary", "import_csv_directory"]
