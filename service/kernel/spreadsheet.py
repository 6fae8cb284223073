"""Spreadsheet-safe CSV: the one writer of every CSV the product hands out (SECURITY S31).

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula (tab and
carriage return start one in some of them too), so a listing title or an organisation name
could run a command on a coordinator's computer. Such text cells get a leading apostrophe,
which spreadsheets show as text and a reader still understands. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = frozenset("=+-@\t\r")


def safe_cell(value: object) -> object:
    """``value`` as a cell that no spreadsheet evaluates."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows written as CSV, every cell through :func:`safe_cell`.

    Lines end in CRLF (RFC 4180), which also makes the writer quote any cell holding a
    carriage return or a line feed, so a typed line break never splits a row.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def safe_csv(text: str) -> str:
    """A CSV document (such as a fixed example file) rewritten through :func:`csv_text`."""
    return csv_text(csv.reader(io.StringIO(text, newline="")))
