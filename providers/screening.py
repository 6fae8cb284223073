"""Screen job listings for forced-labour and sexual-exploitation red flags.

Re-trafficking often starts with a job offer, so every new or edited listing passes through
:func:`screen` before any survivor can see it. The module is pure: it takes a plain
:class:`ListingText` record and returns a :class:`ScreeningResult`; no database, no web.

Rules are named in ``providers/rules/catalogue.json`` (ILO forced-labour indicator or red-flag
category, severity, reviewer-facing reason). They fire from three kinds of evidence:

* text patterns, one JSON word list per language, matched accent- and case-insensitively with
  word boundaries, cancelled by a nearby negation ("no fees") or an ``unless`` context
  ("overtime paid");
* co-occurrence of weaker signals ("model" alone is ordinary; "model" + "no experience" +
  "5000 EUR a week" is not);
* structured fields (pay below the statutory minimum, > 48 h a week, night-only schedule,
  informal contract, tied accommodation, travel abroad arranged, messaging apps only).

Any hit sends the listing to a coordinator (``pending_review``); the screener is tuned to favour
recall, because a missed trafficking offer costs far more than a second look at a bar job.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

import msgspec

from providers.rules import Rulebook, RuleDataError, RuleSpec, Severity, default_rulebook, fold_with_offsets

__all__ = [
    "FIELD_CHECKS",
    "ContractType",
    "ListingText",
    "PublicationStatus",
    "RuleDataError",
    "RuleHit",
    "ScreeningResult",
    "night_share_of",
    "publication_status",
    "screen",
]

ContractType = Literal["employment", "fixed_term", "apprenticeship", "freelance", "informal", "none"]
PublicationStatus = Literal["published", "pending_review"]

MAX_WEEKLY_HOURS = 48.0
"""EU Working Time Directive (2003/88/EC, art. 6): average week including overtime."""
NIGHT_ONLY_SHARE = 0.8
"""Share of scheduled hours between 22:00 and 06:00 above which a job counts as night-only."""
MESSAGING_APPS = frozenset({"whatsapp", "telegram", "viber", "signal", "wechat", "messenger", "imo"})
_NIGHT_SLOTS = frozenset([*range(0, 12), *range(44, 48)])  # half-hours 00:00-06:00 and 22:00-24:00
_CLAUSE_BREAKS = ".,;:!?\n()"
_SENTENCE_END = re.compile(r"[.!?\n]")
_NEGATION_REACH = 40
_NEGATION_WORDS = 4
_UNLESS_REACH = 80
_EVIDENCE_MAX = 160


class ListingText(msgspec.Struct, frozen=True, kw_only=True):
    """What the screener sees of a listing: its text plus optional structured fields."""

    title: str
    description: str
    pay_amount: float | None = None
    pay_period: Literal["hour", "month"] | None = None
    currency: str | None = None
    """ISO 4217; ``None`` means the country's own currency."""
    country: str | None = None
    """ISO 3166 alpha-2, or a region code that starts with one ("DE-BY")."""
    contract_type: ContractType | None = None
    hours_per_week: float | None = None
    night_share: float | None = None
    """Share (0-1) of working hours between 22:00 and 06:00, if known."""
    weekly_schedule: tuple[tuple[bool, ...], ...] | None = None
    """7 days x 48 half-hour slots (Monday first), used when ``night_share`` is not given."""
    accommodation_provided: bool | None = None
    travel_abroad: bool | None = None
    """The employer arranges the worker's travel to another country."""
    contact_channels: tuple[str, ...] = ()
    rent_deducted: bool | None = None
    """The partner's answers about the job (None: not answered); no rule reads them yet."""
    travel_charged: bool | None = None
    costs_deducted: bool | None = None
    documents_held_by: str | None = None
    """"worker", "employer" or "agency"."""
    wages_paid: str | None = None
    """"bank_account", "cash" or "third_party"."""


class RuleHit(msgspec.Struct, frozen=True, kw_only=True):
    """One rule that fired, with the reason a reviewer reads and the text that triggered it."""

    rule_id: str
    indicator: str
    severity: Severity
    reason: str
    reason_key: str
    evidence: str


class ScreeningResult(msgspec.Struct, frozen=True):
    """All rules that fired on a listing, in catalogue order."""

    hits: list[RuleHit]

    @property
    def clean(self) -> bool:
        """True when no rule fired."""
        return not self.hits

    @property
    def rule_ids(self) -> frozenset[str]:
        """The ids of the rules that fired."""
        return frozenset(hit.rule_id for hit in self.hits)


def night_share_of(schedule: tuple[tuple[bool, ...], ...]) -> float:
    """Share of scheduled half-hours that fall between 22:00 and 06:00 (0.0 for an empty week)."""
    if len(schedule) != 7 or any(len(day) != 48 for day in schedule):
        raise ValueError("weekly_schedule must be 7 days x 48 half-hour slots")
    worked = [slot for day in schedule for slot, on in enumerate(day) if on]
    return sum(slot in _NIGHT_SLOTS for slot in worked) / len(worked) if worked else 0.0


# --- structured-field checks: each returns evidence, or None when the rule does not apply ---

FieldCheck = Callable[[ListingText, Rulebook], str | None]


def _below_minimum_wage(listing: ListingText, book: Rulebook) -> str | None:
    if listing.pay_amount is None or listing.pay_period is None or not listing.country:
        return None
    country = listing.country[:2].upper()
    wage = book.minimum_wages.get(country)
    if wage is None:  # no statutory minimum (collective agreements) or not in our table
        return None
    currency = (listing.currency or wage.currency).upper()
    if currency != wage.currency:
        return None  # no exchange rates in a pure module; a reviewer compares by hand
    hours = listing.hours_per_week or wage.full_time_hours
    if listing.pay_period == "hour":
        floor = wage.hourly
    else:  # scale the full-time monthly minimum to the advertised hours, part-time or long
        floor = wage.monthly * hours / wage.full_time_hours
    if listing.pay_amount >= floor:
        return None
    return (
        f"pay {listing.pay_amount:g} {currency}/{listing.pay_period} for {hours:g} h/week is below "
        f"the statutory minimum of {floor:.2f} {currency}/{listing.pay_period} in {country} "
        f"({book.wage_source})"
    )


def _excessive_hours(listing: ListingText, book: Rulebook) -> str | None:
    hours = listing.hours_per_week
    if hours is not None and hours > MAX_WEEKLY_HOURS:
        return f"hours_per_week={hours:g} (legal maximum {MAX_WEEKLY_HOURS:g} including overtime)"
    return None


def _night_only(listing: ListingText, book: Rulebook) -> str | None:
    share = listing.night_share
    if share is None and listing.weekly_schedule is not None:
        share = night_share_of(listing.weekly_schedule)
    if share is not None and share >= NIGHT_ONLY_SHARE:
        return f"{share:.0%} of scheduled hours are between 22:00 and 06:00"
    return None


def _informal_contract(listing: ListingText, book: Rulebook) -> str | None:
    if listing.contract_type in ("informal", "none"):
        return f"contract_type={listing.contract_type}"
    return None


def _tied_accommodation(listing: ListingText, book: Rulebook) -> str | None:
    return "accommodation_provided=true" if listing.accommodation_provided else None


def _travel_arranged(listing: ListingText, book: Rulebook) -> str | None:
    return "travel_abroad=true" if listing.travel_abroad else None


def _messaging_only(listing: ListingText, book: Rulebook) -> str | None:
    channels = {channel.strip().casefold() for channel in listing.contact_channels}
    if channels and channels <= MESSAGING_APPS:
        return f"contact only via {', '.join(sorted(channels))}"
    return None


FIELD_CHECKS: dict[str, FieldCheck] = {
    "below_minimum_wage": _below_minimum_wage,
    "excessive_overtime": _excessive_hours,
    "night_only": _night_only,
    "cash_no_contract": _informal_contract,
    "tied_accommodation": _tied_accommodation,
    "travel_arranged": _travel_arranged,
    "messaging_only": _messaging_only,
}
"""Rules flagged ``"fields": true`` in the catalogue, mapped to their structured check."""


def _check_field_registry(book: Rulebook) -> None:
    declared = {spec.rule_id for spec in book.rules.values() if spec.fields}
    if declared != set(FIELD_CHECKS):
        raise RuleDataError(
            "catalogue.json 'fields' rules and providers.screening.FIELD_CHECKS disagree: "
            f"catalogue only {sorted(declared - set(FIELD_CHECKS))}, "
            f"code only {sorted(set(FIELD_CHECKS) - declared)}"
        )


# --- text matching ---


class _Text:
    """A listing's folded text plus the map back to what the partner wrote."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.folded, self._offsets = fold_with_offsets(original)

    def evidence(self, start: int, end: int) -> str:
        if self._offsets is not None:
            start, end = self._offsets[start], self._offsets[end - 1] + 1
        snippet = " ".join(self.original[start:end].split())
        return snippet if len(snippet) <= _EVIDENCE_MAX else snippet[: _EVIDENCE_MAX - 1] + "…"

    def negated(self, start: int, negation: re.Pattern[str]) -> bool:
        """Whether a negation closely precedes ``start`` in the same clause ("no registration fee").

        Only the last few words count, so "No experience needed and free accommodation" still
        flags the accommodation.
        """
        prefix = self.folded[max(0, start - _NEGATION_REACH) : start]
        cut = max(prefix.rfind(ch) for ch in _CLAUSE_BREAKS)
        words = prefix[cut + 1 :].split()[-_NEGATION_WORDS:]
        return negation.search(" ".join(words)) is not None

    def sentence_around(self, start: int, end: int) -> str:
        """The text of the sentence holding the match, at most ``_UNLESS_REACH`` either side."""
        before = self.folded[max(0, start - _UNLESS_REACH) : start]
        after = self.folded[end : end + _UNLESS_REACH]
        cut = max(before.rfind(ch) for ch in ".!?\n")
        stop = _SENTENCE_END.search(after)
        return before[cut + 1 :] + self.folded[start:end] + (after[: stop.start()] if stop else after)


def _first_match(
    text: _Text,
    pattern: re.Pattern[str],
    unless: re.Pattern[str] | None,
    negation: re.Pattern[str] | None,
) -> str | None:
    for match in pattern.finditer(text.folded):
        start, end = match.span()
        if negation is not None and text.negated(start, negation):
            continue
        if unless is not None and unless.search(text.sentence_around(start, end)):
            continue
        return text.evidence(start, end)
    return None


def _hit(spec: RuleSpec, evidence: str) -> RuleHit:
    return RuleHit(
        rule_id=spec.rule_id,
        indicator=spec.indicator,
        severity=spec.severity,
        reason=spec.reason,
        reason_key=spec.reason_key,
        evidence=evidence,
    )


def screen(listing: ListingText, rulebook: Rulebook | None = None) -> ScreeningResult:
    """Run every rule in the catalogue over ``listing`` and return the hits.

    ``rulebook`` defaults to the packaged rules; tests pass their own. Raises
    :class:`RuleDataError` if the rule data and the structured checks disagree.
    """
    book = rulebook or default_rulebook()
    _check_field_registry(book)
    text = _Text(f"{listing.title}\n{listing.description}")
    evidence: dict[str, str] = {}
    for rule_id, compiled in book.text_rules.items():
        spec = book.rules[rule_id]
        found = _first_match(text, compiled.pattern, compiled.unless, book.negation if spec.negatable else None)
        if found is not None:
            evidence[rule_id] = f'"{found}"'
    for rule_id, check in FIELD_CHECKS.items():
        if rule_id not in evidence and (found := check(listing, book)) is not None:
            evidence[rule_id] = found
    present = dict(evidence)
    for signal, compiled in book.signal_patterns.items():
        if (found := _first_match(text, compiled.pattern, compiled.unless, None)) is not None:
            present[signal] = f'"{found}"'
    for spec in book.rules.values():
        if spec.rule_id in evidence:
            continue
        for group in spec.co_occurrence:
            if group <= present.keys():
                evidence[spec.rule_id] = " + ".join(f"{name} {present[name]}" for name in sorted(group))
                break
    hits = [_hit(spec, evidence[rule_id]) for rule_id, spec in book.rules.items() if rule_id in evidence]
    return ScreeningResult(hits=hits)


def publication_status(result: ScreeningResult, *, partner_vetted: bool) -> PublicationStatus:
    """A clean listing from a vetted partner is published; anything else waits for a coordinator."""
    return "published" if result.clean and partner_vetted else "pending_review"
