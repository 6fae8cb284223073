"""Bulk listings from CSV or JSON: parse, validate every row, report, and find near-duplicates.

Nothing here writes: the caller stores the rows only when the report has no errors, in one
transaction, so an import is all or nothing. Every problem names its row (data rows count
from 1; the CSV header is row 0) and its field, and never echoes the submitted value.

CSV columns are the JSON field names. Cells that hold lists use ``;``:
``essential_skills`` and ``optional_skills`` (URIs), ``contact_channels``, ``languages``
(``de:B1;en:A2``) and ``schedule`` (``mon 09:00-13:00; wed 14:00-18:00``). Empty cells are
left out, so defaults apply.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process, utils

from providers.schedule import ScheduleError, parse_text_blocks
from providers.schemas import FieldProblem, ImportProblem, NearDuplicate, OpportunityCreate, check_listing

MAX_ROWS = 1000
TITLE_CUTOFF = 90.0
"""token_sort_ratio (0-100) at or above which two titles count as the same listing."""
SCHEDULE_CUTOFF = 0.8
"""Share of shared half-hours (Jaccard) at or above which two weeks count as the same."""
_LIST_CELLS = ("essential_skills", "optional_skills", "contact_channels")
_FIELDS = frozenset(OpportunityCreate.__struct_fields__) - {"blocks"}
_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_NAMED = re.compile(r"field `(?P<name>[^`]+)`")


@dataclass(frozen=True)
class ImportRow:
    """One valid row, ready to be stored."""

    row: int
    listing: OpportunityCreate
    week: tuple[str, ...]


@dataclass(frozen=True)
class ExistingListing:
    """What duplicate detection needs of a listing already in the catalogue."""

    id: str
    kind: str
    title: str
    week: Sequence[str]


class ImportFormatError(ValueError):
    """The file as a whole cannot be read (not UTF-8, not a JSON array, too many rows)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.problem = ImportProblem(0, field, message)


def _problem_from_msgspec(row: int, error: msgspec.ValidationError) -> ImportProblem:
    match = _AT.match(str(error))
    message, path = (match.group("message"), match.group("path")) if match else (str(error), "")
    field = (path or "").lstrip(".")
    named = _NAMED.search(message)
    if named and not field:  # "Object missing required field `region`" is reported at the root
        field = named.group("name")
    return ImportProblem(row, field or "row", message)


def read_csv(raw: bytes) -> list[tuple[int, dict[str, Any]]]:
    """CSV bytes to ``(row, fields)`` pairs; raises :class:`ImportFormatError` for the file."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFormatError("file", "is not UTF-8 text") from error
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration as error:
        raise ImportFormatError("file", "is empty") from error
    except csv.Error as error:
        raise ImportFormatError("file", "is not valid CSV") from error
    unknown = sorted(set(header) - _FIELDS)
    if unknown:
        raise ImportFormatError(unknown[0], "unknown column")
    if len(set(header)) != len(header):
        raise ImportFormatError("header", "a column appears twice")
    rows: list[tuple[int, dict[str, Any]]] = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFormatError("file", f"more than {MAX_ROWS} rows")
            if len(cells) != len(header):
                rows.append((number, {"__malformed__": f"has {len(cells)} cells, the header has {len(header)}"}))
                continue
            rows.append(
                (number, {name: cell.strip() for name, cell in zip(header, cells, strict=True) if cell.strip()})
            )
    except csv.Error as error:
        raise ImportFormatError("file", f"is not valid CSV after row {number}") from error
    return rows


def read_json(raw: bytes) -> list[tuple[int, dict[str, Any]]]:
    """A JSON array of listing objects to ``(row, fields)`` pairs (rows count from 1)."""
    try:
        items = msgspec.json.decode(raw)
    except msgspec.DecodeError as error:
        raise ImportFormatError("file", "is not valid JSON") from error
    if not isinstance(items, list):
        raise ImportFormatError("file", "expected a JSON array of listings")
    if len(items) > MAX_ROWS:
        raise ImportFormatError("file", f"more than {MAX_ROWS} rows")
    return [
        (index, item if isinstance(item, dict) else {"__malformed__": "expected an object"})
        for index, item in enumerate(items, start=1)
    ]


def _csv_cells(fields: dict[str, Any]) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Turn the list-holding CSV cells into lists; the other cells msgspec converts."""
    problems: list[FieldProblem] = []
    out = dict(fields)
    for name in _LIST_CELLS:
        if name in out:
            out[name] = [part.strip() for part in out[name].split(";") if part.strip()]
    if "languages" in out:
        needs = []
        for index, part in enumerate(piece for piece in out["languages"].split(";") if piece.strip()):
            code, sep, level = part.strip().partition(":")
            if not sep:
                problems.append(FieldProblem(f"languages[{index}]", 'expected "code:LEVEL", e.g. "de:B1"'))
            needs.append({"code": code.strip(), "level": level.strip().upper()})
        out["languages"] = needs
    if "schedule" in out:
        try:
            out["schedule"] = list(parse_text_blocks(out["schedule"]))
        except ScheduleError as error:
            problems.append(FieldProblem(error.field, error.message))
            del out["schedule"]
    return out, problems


def validate_rows(
    rows: Sequence[tuple[int, dict[str, Any]]], *, from_csv: bool
) -> tuple[list[ImportRow], list[ImportProblem]]:
    """Check every row; returns the valid rows and every problem found (all rows are checked)."""
    valid: list[ImportRow] = []
    problems: list[ImportProblem] = []
    for number, fields in rows:
        if "__malformed__" in fields:
            problems.append(ImportProblem(number, "row", str(fields["__malformed__"])))
            continue
        cell_problems: list[FieldProblem] = []
        if from_csv:
            fields, cell_problems = _csv_cells(fields)
        if cell_problems:
            problems.extend(ImportProblem(number, p.field, p.message) for p in cell_problems)
            continue
        try:
            listing = msgspec.convert(fields, OpportunityCreate, strict=not from_csv)
        except msgspec.ValidationError as error:
            problems.append(_problem_from_msgspec(number, error))
            continue
        found, week = check_listing(listing)
        if found or week is None:
            problems.extend(ImportProblem(number, p.field, p.message) for p in found)
            continue
        valid.append(ImportRow(number, listing, week))
    return valid, problems


def _bits(weeks: Sequence[Sequence[str]]) -> npt.NDArray[np.bool_]:
    """Weeks as rows of 336 booleans."""
    flat = np.frombuffer("".join("".join(week) for week in weeks).encode(), dtype=np.uint8)
    return (flat == ord("1")).reshape(len(weeks), -1)


def near_duplicates(rows: Sequence[ImportRow], existing: Sequence[ExistingListing]) -> list[NearDuplicate]:
    """Rows that look like a listing the partner already has, or like an earlier row.

    Same kind, titles at least :data:`TITLE_CUTOFF` alike (word order and case ignored) and
    weeks at least :data:`SCHEDULE_CUTOFF` alike (Jaccard; two unspecified weeks count as
    alike). One report per row: the closest title, existing listings first on a tie.
    """
    if not rows:
        return []
    n, offset = len(rows), len(existing)
    scores = process.cdist(
        [row.listing.title for row in rows],
        [listing.title for listing in existing] + [row.listing.title for row in rows],
        scorer=fuzz.token_sort_ratio,
        processor=utils.default_process,
        score_cutoff=TITLE_CUTOFF,
    )
    kinds = np.array([listing.kind for listing in existing] + [row.listing.kind for row in rows])
    candidates = (scores >= TITLE_CUTOFF) & (kinds[offset:, None] == kinds[None, :])
    # A pair of rows is reported once, on the later row: only earlier rows count as originals.
    candidates[:, offset:] &= np.tri(n, n, -1, dtype=bool)
    weeks = _bits([listing.week for listing in existing] + [row.week for row in rows])
    labels = [listing.id for listing in existing] + [f"row {row.row}" for row in rows]
    found: list[NearDuplicate] = []
    for i, row in enumerate(rows):
        others = np.flatnonzero(candidates[i])
        if others.size == 0:
            continue
        mine = weeks[offset + i]
        shared = (weeks[others] & mine).sum(axis=1)
        either = (weeks[others] | mine).sum(axis=1)
        alike = np.where(either == 0, 1.0, shared / np.maximum(either, 1)) >= SCHEDULE_CUTOFF
        others = others[alike]
        if others.size == 0:
            continue
        best = others[int(np.argmax(scores[i, others]))]
        found.append(NearDuplicate(row=row.row, similar_to=labels[best], score=round(float(scores[i, best]), 1)))
    return found
