"""Bulk listings from CSV or JSON: parse, validate every row, report, and find near-duplicates.

Nothing here writes: the caller stores the rows only when the report has no errors, in one
transaction, so an import is all or nothing. Every problem names its row (data rows count
from 1; the CSV header is row 0) and its field, and never echoes the submitted value; every
field of every row is checked, so a row with five mistakes gets five problems.

CSV columns are the JSON field names. Cells that hold lists use ``;``:
``essential_skills`` and ``optional_skills`` (URIs), ``contact_channels``, ``languages``
(``de:B1;en:A2``) and ``schedule`` (``mon 09:00-13:00; wed 14:00-18:00``). Empty cells are
left out, so defaults apply. The place is a ``region`` code and a ``place_name`` (a town of
that region, see providers.places); ``lat`` and ``lon`` may be given instead of the town.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, get_type_hints

import msgspec
import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process, utils

from providers import places
from providers.schedule import ScheduleError, parse_text_blocks
from providers.schemas import (
    KIND_REQUIRED,
    FieldProblem,
    ImportProblem,
    NearDuplicate,
    OpportunityCreate,
    check_listing,
)

MAX_ROWS = 1000
TITLE_CUTOFF = 90.0
"""token_sort_ratio (0-100) at or above which two titles count as the same listing."""
SCHEDULE_CUTOFF = 0.8
BLOCK = 1000
"""Rows compared with the whole catalogue at a time (memory: BLOCK x all titles bytes)."""
"""Share of shared half-hours (Jaccard) at or above which two weeks count as the same."""
_LIST_CELLS = ("essential_skills", "optional_skills", "contact_channels")
_FIELDS = frozenset(OpportunityCreate.__struct_fields__) - {"blocks"}
_TYPES = {
    name: hint
    for name, hint in get_type_hints(OpportunityCreate, include_extras=True).items()
    if name in OpportunityCreate.__struct_fields__
}
"""Each field's own annotated type (``blocks`` only reaches it from JSON: no CSV column has it)."""
_ALWAYS = ("kind", "title", "region", "capacity", "starts_on")


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


def read_csv(raw: bytes, max_rows: int = MAX_ROWS) -> list[tuple[int, dict[str, Any]]]:
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
            if len(rows) >= max_rows:
                raise ImportFormatError("file", f"more than {max_rows} rows")
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


def _check_type(name: str, value: Any, strict: bool) -> Any:
    """One field against its own annotated type; raises FieldProblem-bearing ValueError."""
    try:
        return msgspec.convert(value, _TYPES[name], strict=strict)
    except msgspec.ValidationError as error:
        raise _Bad(name, _message(str(error))) from error


class _Bad(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.problem = FieldProblem(field, message)


def _message(text: str) -> str:
    """msgspec's words without the path (the field is named apart) and without the value."""
    text = text.split(" - at `$", 1)[0]
    if text.startswith("Invalid enum value"):
        return "not one of the allowed values"
    return text


def _csv_value(name: str, cell: str) -> Any:
    """A CSV cell in the shape its field takes (lists split on ``;``)."""
    if name in _LIST_CELLS:
        return [part.strip() for part in cell.split(";") if part.strip()]
    if name == "languages":
        needs = []
        for part in (piece for piece in cell.split(";") if piece.strip()):
            code, sep, level = part.strip().partition(":")
            if not sep:
                raise _Bad("languages", 'expected "code:LEVEL", e.g. "de:B1"')
            needs.append({"code": code.strip(), "level": level.strip().upper()})
        return needs
    if name == "schedule":
        try:
            return list(parse_text_blocks(cell))
        except ScheduleError as error:
            raise _Bad("schedule", error.message) from error
    return cell


def _row_problems(fields: dict[str, Any], from_csv: bool) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Every field judged on its own, and every missing one: all problems of the row at once."""
    values: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for name, raw in fields.items():
        if name not in _TYPES:
            problems.append(FieldProblem(name, "unknown field"))
            continue
        try:
            value = _csv_value(name, raw) if from_csv and isinstance(raw, str) else raw
            values[name] = _check_type(name, value, strict=not from_csv)
        except _Bad as bad:
            problems.append(bad.problem)
    kind = values.get("kind")
    for name in _ALWAYS:
        if name not in fields:
            problems.append(FieldProblem(name, "required"))
    if isinstance(kind, str) and values.get("draft") is not True:  # a draft may be completed later
        for name in KIND_REQUIRED.get(kind, ()):
            if name not in fields:
                problems.append(FieldProblem(name, f"required for a {kind} listing"))
    region = values.get("region")
    if isinstance(region, str) and places.region(region) is None:
        problems.append(FieldProblem("region", "not a region we know (NUTS 2 code of DE, FR, IT or RO)"))
    return values, problems


def validate_rows(
    rows: Sequence[tuple[int, dict[str, Any]]], *, from_csv: bool
) -> tuple[list[ImportRow], list[ImportProblem]]:
    """Check every field of every row; returns the valid rows and every problem found.

    A row's problems are all reported at once: each field against its own type, every
    required field that is missing, then (when the fields themselves are right) the rules
    across fields (:func:`providers.schemas.check_listing`).
    """
    valid: list[ImportRow] = []
    problems: list[ImportProblem] = []
    for number, fields in rows:
        if "__malformed__" in fields:
            problems.append(ImportProblem(number, "row", str(fields["__malformed__"])))
            continue
        values, found = _row_problems(fields, from_csv)
        if not found:
            listing = msgspec.convert(values, OpportunityCreate)
            found, week = check_listing(listing)
            if not found and week is not None:
                valid.append(ImportRow(number, listing, week))
                continue
        problems.extend(ImportProblem(number, p.field, p.message) for p in found)
    return valid, problems


def _bits(weeks: Sequence[Sequence[str]]) -> npt.NDArray[np.bool_]:
    """Weeks as rows of 336 booleans."""
    flat = np.frombuffer("".join("".join(week) for week in weeks).encode(), dtype=np.uint8)
    return (flat == ord("1")).reshape(len(weeks), -1)


def near_duplicates(rows: Sequence[ImportRow], existing: Sequence[ExistingListing]) -> list[NearDuplicate]:
    """Rows that look like a listing the partner already has, or like an earlier row.

    Same kind, titles at least :data:`TITLE_CUTOFF` alike (word order and case ignored) and
    weeks at least :data:`SCHEDULE_CUTOFF` alike (Jaccard; two unspecified weeks count as
    alike). One report per row: the closest title, existing listings first on a tie. Rows are
    compared a block at a time, so a file of 10,000 rows never holds a 10,000 x 10,000 matrix.
    """
    if not rows:
        return []
    n, offset = len(rows), len(existing)
    titles = [listing.title for listing in existing] + [row.listing.title for row in rows]
    kinds = np.array([listing.kind for listing in existing] + [row.listing.kind for row in rows])
    weeks = _bits([listing.week for listing in existing] + [row.week for row in rows])
    labels = [listing.id for listing in existing] + [f"row {row.row}" for row in rows]
    found: list[NearDuplicate] = []
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        scores = process.cdist(
            titles[offset + start : offset + stop],
            titles,
            scorer=fuzz.token_sort_ratio,
            processor=utils.default_process,
            score_cutoff=TITLE_CUTOFF,
            dtype=np.uint8,
        )
        candidates = (scores >= TITLE_CUTOFF) & (kinds[offset + start : offset + stop, None] == kinds[None, :])
        # A pair of rows is reported once, on the later row: only earlier rows count as originals.
        later = np.arange(start, stop)[:, None] <= np.arange(n)[None, :]
        candidates[:, offset:] &= ~later
        for i in np.flatnonzero(candidates.any(axis=1)):
            others = np.flatnonzero(candidates[i])
            mine = weeks[offset + start + i]
            shared = (weeks[others] & mine).sum(axis=1)
            either = (weeks[others] | mine).sum(axis=1)
            others = others[np.where(either == 0, 1.0, shared / np.maximum(either, 1)) >= SCHEDULE_CUTOFF]
            if others.size == 0:
                continue
            best = others[int(np.argmax(scores[i, others]))]
            row = rows[start + int(i)]
            found.append(NearDuplicate(row=row.row, similar_to=labels[best], score=float(scores[i, best])))
    return found
