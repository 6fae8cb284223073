"""schema.org ``JobPosting`` (JSON-LD, as job boards and applicant-tracking systems publish it)
to draft listings.

Pure: bytes in, listing fields and notes out. A file may hold one posting, a list of them, or
a ``@graph`` (other node types in it, such as the hiring organisation, are skipped). Each
posting becomes the fields of a draft job listing that the ordinary import checks
(:func:`providers.imports.validate_rows`); what could not be carried over is returned as a
note naming the posting's property, so the partner knows what to complete before she sends
the listing for review. Nothing is guessed silently: a yearly salary turned into a monthly
one, a salary range reduced to its lowest figure or a missing number of openings set to one
are all said in a note.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import msgspec

from providers import places
from providers.imports import MAX_ROWS, ImportFormatError
from providers.schemas import CURRENCIES, FieldProblem

DESCRIPTION_MAX = 4000
EMPLOYMENT_TYPES = {
    "FULL_TIME": "employment",
    "PART_TIME": "employment",
    "TEMPORARY": "fixed_term",
    "CONTRACTOR": "freelance",
    "INTERN": "apprenticeship",
}
"""schema.org employmentType values we can say in our words; VOLUNTEER, PER_DIEM, OTHER we cannot."""
UNIT_TEXT = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month"}
COUNTRIES = {
    "de": "DE", "deutschland": "DE", "germany": "DE", "allemagne": "DE", "germania": "DE",
    "fr": "FR", "france": "FR", "frankreich": "FR", "francia": "FR", "franta": "FR",
    "it": "IT", "italy": "IT", "italia": "IT", "italien": "IT", "italie": "IT",
    "ro": "RO", "romania": "RO", "rumanien": "RO", "roumanie": "RO",
}  # fmt: skip
MAPPED = frozenset(
    {
        "title", "description", "employmentType", "baseSalary", "jobLocation", "datePosted", "validThrough",
        "jobStartDate", "totalJobOpenings", "industry", "workHours",
    }
)  # fmt: skip
SKIPPED = frozenset({"@context", "@type", "@id", "hiringOrganization", "identifier", "url", "directApply"})
"""Said nowhere: the partner's own organisation, ids and links are not part of a listing."""
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<\s*(br|/p|/li|/h[1-6])\s*/?\s*>", re.IGNORECASE)
_HOURS = re.compile(r"(\d{1,2}(?:[.,]\d)?)\s*(?:h\b|hours?|stunden|heures|ore)", re.IGNORECASE)


@dataclass
class Posting:
    """One JobPosting read: the listing fields it gives, and what could not be carried over."""

    number: int
    fields: dict[str, Any]
    notes: list[FieldProblem] = field(default_factory=list)


def read_postings(raw: bytes, today: date) -> list[Posting]:
    """Every JobPosting in a JSON-LD document; raises :class:`ImportFormatError` for the file."""
    try:
        document = msgspec.json.decode(raw)
    except msgspec.DecodeError as error:
        raise ImportFormatError("file", "is not valid JSON") from error
    nodes = _nodes(document)
    postings = [node for node in nodes if _is_posting(node)]
    if not postings:
        raise ImportFormatError("file", "holds no JobPosting")
    if len(postings) > MAX_ROWS:
        raise ImportFormatError("file", f"more than {MAX_ROWS} rows")
    return [_posting(number, node, today) for number, node in enumerate(postings, start=1)]


def is_jobposting(raw: bytes) -> bool:
    """Whether a JSON file is JSON-LD holding a JobPosting (rather than our own listing array)."""
    if b"JobPosting" not in raw:
        return False
    try:
        return any(_is_posting(node) for node in _nodes(msgspec.json.decode(raw)))
    except msgspec.DecodeError:
        return False


def _nodes(document: Any) -> list[Any]:
    if isinstance(document, list):
        return [node for item in document for node in _nodes(item)]
    if isinstance(document, dict) and isinstance(document.get("@graph"), list):
        return [node for item in document["@graph"] for node in _nodes(item)]
    return [document]


def _is_posting(node: Any) -> bool:
    if not isinstance(node, dict):
        return False
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds)


def _text(value: Any) -> str:
    """Plain text of a schema.org text (HTML allowed in descriptions; entities decoded)."""
    if not isinstance(value, str):
        return ""
    text = html.unescape(_TAG.sub("", _BREAK.sub("\n", value)))
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


def _posting(number: int, node: dict[str, Any], today: date) -> Posting:
    posting = Posting(number, {"kind": "job", "draft": True})
    fields, notes = posting.fields, posting.notes
    title = _text(node.get("title"))
    if title:
        fields["title"] = title[:200]
    description = _text(node.get("description"))
    if len(description) > DESCRIPTION_MAX:
        notes.append(FieldProblem("description", "shortened to the longest description we keep"))
        description = description[: DESCRIPTION_MAX - 1] + "…"
    fields["description"] = description
    _employment(node.get("employmentType"), fields, notes)
    _salary(node.get("baseSalary"), fields, notes)
    _location(node, fields, notes)
    _dates(node, fields, notes, today)
    openings = node.get("totalJobOpenings")
    if isinstance(openings, int) and not isinstance(openings, bool) and 0 <= openings <= 10_000:
        fields["capacity"] = openings
    else:
        fields["capacity"] = 1
        notes.append(FieldProblem("totalJobOpenings", "not given: one place assumed"))
    hours = _HOURS.search(node.get("workHours") or "") if isinstance(node.get("workHours"), str) else None
    if hours:
        fields["hours_per_week"] = float(hours.group(1).replace(",", "."))
    elif "workHours" in node:
        notes.append(FieldProblem("workHours", "no number of hours per week found"))
    industry = _text(node.get("industry"))
    if industry:
        fields["sector"] = industry[:60]
    for name in sorted(set(node) - MAPPED - SKIPPED):
        notes.append(FieldProblem(name, "not used"))
    return posting


def _employment(value: Any, fields: dict[str, Any], notes: list[FieldProblem]) -> None:
    kinds = (
        [value]
        if isinstance(value, str)
        else [v for v in value if isinstance(v, str)]
        if isinstance(value, list)
        else []
    )
    mapped = [EMPLOYMENT_TYPES[k.upper()] for k in kinds if k.upper() in EMPLOYMENT_TYPES]
    if mapped:
        fields["contract_type"] = mapped[0]
    elif value is not None:
        notes.append(FieldProblem("employmentType", "no contract type we can name: please choose one"))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return None
    return None


def _salary(value: Any, fields: dict[str, Any], notes: list[FieldProblem]) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        notes.append(FieldProblem("baseSalary", "not a MonetaryAmount"))
        return
    currency = value.get("currency")
    if isinstance(currency, str) and currency.upper() in CURRENCIES:
        fields["currency"] = currency.upper()
    else:
        notes.append(FieldProblem("baseSalary.currency", "missing or not a currency we know"))
    quantity = value.get("value")
    unit = value.get("unitText")
    amount = _number(quantity)
    if isinstance(quantity, dict):
        unit = quantity.get("unitText", unit)
        amount = _number(quantity.get("value"))
        if amount is None:
            low, high = _number(quantity.get("minValue")), _number(quantity.get("maxValue"))
            amount = low if low is not None else high
            if low is not None and high is not None and high != low:
                notes.append(FieldProblem("baseSalary.value", "a range: the lowest figure is used"))
    if amount is None or amount <= 0:
        notes.append(FieldProblem("baseSalary.value", "no amount found"))
        return
    period = unit.upper() if isinstance(unit, str) else ""
    if period == "YEAR":
        fields["pay_amount"], fields["pay_period"] = round(amount / 12, 2), "month"
        notes.append(FieldProblem("baseSalary.unitText", "a yearly salary: shown per month (divided by 12)"))
    elif period in UNIT_TEXT:
        fields["pay_amount"], fields["pay_period"] = amount, UNIT_TEXT[period]
    else:
        notes.append(FieldProblem("baseSalary.unitText", "no pay period (HOUR, DAY, WEEK, MONTH or YEAR)"))


def _address(place: Any) -> dict[str, str]:
    address = place.get("address") if isinstance(place, dict) else None
    if isinstance(address, str):
        return {"addressLocality": address}
    if not isinstance(address, dict):
        return {}
    out = {}
    for key in ("addressLocality", "addressRegion", "addressCountry", "postalCode"):
        value = address.get(key)
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    return out


def _location(node: dict[str, Any], fields: dict[str, Any], notes: list[FieldProblem]) -> None:
    where = node.get("jobLocation")
    first = where[0] if isinstance(where, list) and where else where
    if isinstance(where, list) and len(where) > 1:
        notes.append(FieldProblem("jobLocation", "several places: the first is used"))
    if node.get("jobLocationType") == "TELECOMMUTE":
        notes.append(FieldProblem("jobLocationType", "remote work: please choose the region it is for"))
    address = _address(first)
    country = COUNTRIES.get(places.fold(address.get("addressCountry", "")))
    town = address.get("addressLocality", "")
    found = places.town_named(town, country) if town else None
    if found is not None:
        fields["region"], fields["place_name"] = found.region, found.name
        return
    named = places.region_named(address.get("addressRegion", ""))
    if named is not None and (country is None or named.country == country):
        fields["region"] = named.code
        if town:
            notes.append(
                FieldProblem("jobLocation.address.addressLocality", "not a town we know: the region's centre is used")
            )
        return
    notes.append(FieldProblem("jobLocation", "no region we know: please choose one"))


def _dates(node: dict[str, Any], fields: dict[str, Any], notes: list[FieldProblem], today: date) -> None:
    start = _date(node.get("jobStartDate")) or _date(node.get("datePosted"))
    if start is None:
        fields["starts_on"] = today.isoformat()
        notes.append(FieldProblem("datePosted", "no date: today is used as the start"))
    else:
        fields["starts_on"] = start.isoformat()
    until = _date(node.get("validThrough"))
    if until is not None:
        fields["ends_on"] = until.isoformat()
    elif "validThrough" in node:
        notes.append(FieldProblem("validThrough", "not a date"))


def _date(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
