"""The events in view as a table for spreadsheets: CSV, and an Excel workbook with typed columns.

Both formats come from one list of columns (`COLUMNS`), so a CSV and a workbook of the same view
hold the same cells. A spreadsheet must sort by date: `start` is an ISO day (the first day the date
may stand for) beside the date as written (`1958`, `2018-11`) and its precision, and in the
workbook `start` and `end` are real date cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from .query import Query
from .record import EventRow, Record, event_rows
from .schema import EVENT_FIELDS

SOURCE_PARTS = ("title", "publisher", "url", "date")
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[EventRow], str | int]  # row -> cell value
    width: int = 14  # characters, for the workbook
    kind: str = "text"  # "text", "date" or "number"


def _iso(value) -> str:
    return value.date().isoformat() if isinstance(value, pd.Timestamp) and not pd.isna(value) else ""


def _joined(items) -> str:
    return "; ".join(items)


def _text(name: str) -> Callable[[EventRow], str]:
    def value(row: EventRow) -> str:
        cell = getattr(row, name)
        if isinstance(cell, list):
            return _joined(cell)
        return cell if isinstance(cell, str) else ""
    return value


# Fields whose cells are not their frame column as text. `sources` become numbered columns (below).
_COLUMNS_OF_FIELD = {
    "date": (Column("start", lambda r: _iso(r.start), 12, "date"),
             Column("date", lambda r: r.date_text, 11),
             Column("precision", lambda r: str(r.precision), 9)),
    "end_date": (Column("end_date", _text("end_date_text"), 11),
                 Column("end", lambda r: _iso(r.end), 12, "date")),
    "kind": (Column("kind", lambda r: str(r.kind), 12),),
    "importance": (Column("importance", lambda r: int(r.importance), 10, "number"),),
    "sources": (),
}
_WIDTHS = {"id": 34, "title": 50, "label": 24, "summary": 80, "topics": 24, "actors": 30, "note": 30, "related": 30}

# One column (or a few) per event field, in the order the fields are declared: a new field reaches
# the CSV and the workbook without touching this file.
COLUMNS = tuple(column for name in EVENT_FIELDS
                for column in _COLUMNS_OF_FIELD.get(name, (Column(name, _text(name), _WIDTHS.get(name, 14)),)))


def header_and_rows(record: Record, query: Query) -> tuple[list[str], list[list]]:
    """Column names and one row of values per event in view (sources in numbered columns)."""
    frame = query.apply(record.frame)
    most = max((len(s) for s in frame["sources"]), default=0)
    header = [c.name for c in COLUMNS] + [f"source{i}_{part}" for i in range(1, most + 1) for part in SOURCE_PARTS]
    rows = []
    for row in event_rows(frame):
        sources = [s.get(part) or "" for s in row.sources for part in SOURCE_PARTS]
        rows.append([c.value(row) for c in COLUMNS] + sources + [""] * (len(SOURCE_PARTS) * most - len(sources)))
    return header, rows


def guarded(value) -> str:
    """Cell text a spreadsheet shows as text: a leading = + - @ tab or CR would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def csv_bytes(record: Record, query: Query) -> bytes:
    """Every field of every event in view; lists joined with `; `, sources in numbered columns."""
    header, rows = header_and_rows(record, query)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([guarded(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")  # BOM: spreadsheets then read UTF-8 correctly


def xlsx_bytes(record: Record, query: Query, *, sheet_title: str = "Events") -> bytes:
    """An Excel workbook: a header row that stays in view, filters, real dates and numbers.

    Text cells are written as strings (never as formulas), so no record text can run in Excel.
    """
    import xlsxwriter

    header, rows = header_and_rows(record, query)
    kinds = {c.name: c.kind for c in COLUMNS}
    widths = {c.name: c.width for c in COLUMNS}
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(sheet_title[:31])
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for column, name in enumerate(header):
        sheet.write_string(0, column, name, bold)
        sheet.set_column(column, column, widths.get(name, 24), wrap if name in ("summary", "title") else None)
    for line, row in enumerate(rows, start=1):
        for column, (name, value) in enumerate(zip(header, row, strict=True)):
            kind = kinds.get(name, "text")
            if kind == "date" and value:
                sheet.write_datetime(line, column, pd.Timestamp(value).to_pydatetime(), day)
            elif kind == "number":
                sheet.write_number(line, column, value)
            elif value != "":
                sheet.write_string(line, column, str(value))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    book.set_properties({"title": sheet_title, "subject": "U.S.–ROK alliance events", "author": "Alliance Timeline"})
    book.close()
    return out.getvalue()
