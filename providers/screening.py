"""Screen job listings for forced-labour and sexual-exploitation red flags.

Re-trafficking often starts with a job offer, so every new or edited listing passes through
:func:`screen` before any survivor can see it. The module is pure: it takes a plain
:class:`ListingText` record and returns a :class:`ScreeningResult`; no database, no web.

Rules are named in ``providers/rules/catalogue.json`` (ILO forced-labour indicator or red-flag
category, severity, reviewer-facing reason). Each rule that fires is *evidence*, kept with its
words and the field they came from:

* text patterns, one JSON word list per language, matched accent- and case-insensitively on
  every text field (title, description, pay as written, sector, certificates, contact), whole
  words or, for ``stems``, inside compounds; cancelled by a negation in the same clause before
  or after ("no fees", "fees are not charged") or an ``unless`` context ("overtime paid");
* co-occurrence of weaker signals ("model" alone is ordinary; "model" + "no experience" +
  "5000 EUR a week" is not);
* structured checks (``providers.screening_checks``): the form's fields, the partner's answers
  to the structured questions, and the pay, hours and clock times the text states.

The evidence is weighed by the catalogue's ``decision``: one high-severity rule or two medium
ones hold the listing (:attr:`ScreeningResult.held`); a single medium signal is shown to the
reviewer but does not hold a checked partner's listing by itself. Who must be read by a person
whatever the text says is ``providers.review_policy``.
"""

from __future__ import annotations

import re
from typing import Literal

import msgspec

from providers.rules import Rulebook, RuleDataError, RuleSpec, Severity, default_rulebook
from providers.screening_checks import (
    FIELD_CHECKS,
    high_pay,
    night_share_of,
    normalise_channel,
    read_listing,
    traceable_contact,
)
from providers.screening_text import ListingFields, first_match

__all__ = [
    "FIELD_CHECKS",
    "ContractType",
    "ListingText",
    "PublicationStatus",
    "RuleDataError",
    "RuleHit",
    "ScreeningResult",
    "night_share_of",
    "normalise_channel",
    "publication_status",
    "screen",
]

ContractType = Literal["employment", "fixed_term", "apprenticeship", "freelance", "informal", "none"]
PayPeriod = Literal["hour", "day", "week", "month", "year"]
PublicationStatus = Literal["published", "pending_review"]


class ListingText(msgspec.Struct, frozen=True, kw_only=True):
    """What the screener sees of a listing: its text plus optional structured fields.

    For every structured answer ``None`` means "not answered".
    """

    title: str
    description: str
    pay_text: str | None = None
    """Pay as the partner wrote it ("13,50 € brutto pro Stunde")."""
    pay_amount: float | None = None
    pay_period: PayPeriod | None = None
    currency: str | None = None
    """ISO 4217; ``None`` means the country's own currency."""
    country: str | None = None
    """ISO 3166 alpha-2 or Eurostat code, or a region code that starts with one ("DE-BY", "EL30")."""
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
    sector: str | None = None
    certificates: tuple[str, ...] = ()
    documents_held_by: Literal["worker", "employer", "agency"] | None = None
    """Answer: who holds the worker's identity documents."""
    costs_deducted: bool | None = None
    """Answer: are recruitment or travel costs charged to the worker or deducted from pay."""
    housing_provided: bool | None = None
    """Answer: does the employer provide housing."""
    rent_deducted: bool | None = None
    """Answer: is rent deducted from wages."""
    wages_paid: Literal["bank_transfer", "cash", "other"] | None = None
    """Answer: how wages are paid."""


class RuleHit(msgspec.Struct, frozen=True, kw_only=True):
    """One rule that fired, with the reason a reviewer reads and the words that triggered it."""

    rule_id: str
    indicator: str
    severity: Severity
    reason: str
    reason_key: str
    evidence: str
    field: str = "text"
    """Where the evidence is: title, description, pay, sector, … or a form field or answer."""


class ScreeningResult(msgspec.Struct, frozen=True):
    """All rules that fired on a listing, in catalogue order, and whether they hold it."""

    hits: list[RuleHit]
    held: bool = False
    """The evidence weighs enough to hold the listing for a person (catalogue ``decision``)."""

    @property
    def clean(self) -> bool:
        """True when no rule fired."""
        return not self.hits

    @property
    def rule_ids(self) -> frozenset[str]:
        """The ids of the rules that fired."""
        return frozenset(hit.rule_id for hit in self.hits)


def _check_field_registry(book: Rulebook) -> None:
    declared = {spec.rule_id for spec in book.rules.values() if spec.fields}
    if declared != set(FIELD_CHECKS):
        raise RuleDataError(
            "catalogue.json 'fields' rules and providers.screening_checks.FIELD_CHECKS disagree: "
            f"catalogue only {sorted(declared - set(FIELD_CHECKS))}, "
            f"code only {sorted(set(FIELD_CHECKS) - declared)}"
        )


def _fields(listing: ListingText) -> ListingFields:
    return ListingFields(
        [
            ("title", listing.title),
            ("description", listing.description),
            ("pay", listing.pay_text or ""),
            ("sector", listing.sector or ""),
            ("certificates", "; ".join(listing.certificates)),
            ("contact", "; ".join(listing.contact_channels)),
        ]
    )


_WORD = re.compile(r"\w+")


_SCRIPTS = {"ru": "cyrillic", "uk": "cyrillic", "bg": "cyrillic", "ar": "arabic"}


def _scripts(folded: str) -> set[str]:
    found = set()
    for ch in folded:
        if "\u0400" <= ch <= "\u04ff":
            found.add("cyrillic")
        elif "\u0600" <= ch <= "\u06ff":
            found.add("arabic")
        elif ch.isascii() and ch.isalpha():
            found.add("latin")
    return found


def languages_of(folded: str, book: Rulebook) -> frozenset[str]:
    """The languages whose word lists a listing needs.

    Every language written in the listing's scripts; among Latin-script languages only those
    whose common words the text clearly uses (three or more, and at least half as many as the
    best), unless that is unclear (short text), then all of them.
    """
    scripts = _scripts(folded)
    chosen = {
        lang for lang in book.languages if _SCRIPTS.get(lang, "latin") in scripts and _SCRIPTS.get(lang) is not None
    }
    if "latin" in scripts:
        latin = [lang for lang in book.languages if lang not in _SCRIPTS]
        tokens = set(_WORD.findall(folded))
        scores = {lang: len(tokens & book.stopwords.get(lang, frozenset())) for lang in latin}
        top = max(scores.values(), default=0)
        chosen |= {lang for lang in latin if top < 3 or scores[lang] >= max(2, top / 2)}
    return frozenset(chosen) or frozenset(book.languages)


def _hit(spec: RuleSpec, field: str, evidence: str) -> RuleHit:
    return RuleHit(
        rule_id=spec.rule_id,
        indicator=spec.indicator,
        severity=spec.severity,
        reason=spec.reason,
        reason_key=spec.reason_key,
        evidence=evidence,
        field=field,
    )


def screen(listing: ListingText, rulebook: Rulebook | None = None) -> ScreeningResult:
    """Run every rule in the catalogue over ``listing``, weigh the hits and return them.

    ``rulebook`` defaults to the packaged rules; tests pass their own. Raises
    :class:`RuleDataError` if the rule data and the structured checks disagree.
    """
    book = rulebook or default_rulebook()
    _check_field_registry(book)
    text = _fields(listing)
    text_rules, signal_patterns = book.for_languages(languages_of(text.folded, book))
    found: dict[str, tuple[str, str]] = {}
    for rule_id, compiled in text_rules.items():
        if compiled.unless_listing is not None and compiled.unless_listing.search(text.folded):
            continue
        spec = book.rules[rule_id]
        negation = book.negation if spec.negatable else None
        after = book.negation_after if spec.negatable else None
        match = first_match(text, compiled.pattern, compiled.unless, negation, after, spec.negatable_inside)
        if match is not None and not (
            rule_id == "messaging_only" and match[0] == "contact" and traceable_contact(listing)
        ):
            found[rule_id] = (match[0], f'"{match[1]}"')
    read = read_listing(listing)
    for rule_id, check in FIELD_CHECKS.items():
        if rule_id in found:
            continue
        compiled_rule = text_rules.get(rule_id)
        if (
            compiled_rule is not None
            and compiled_rule.unless_listing is not None
            and compiled_rule.unless_listing.search(text.folded)
        ):
            continue
        if (result := check(listing, book, read)) is not None:
            found[rule_id] = result
    present = {name: evidence for name, (_, evidence) in found.items()}
    if (high := high_pay(read)) is not None and "high_pay" in book.signals:
        present["high_pay"] = high
    for signal, compiled in signal_patterns.items():
        if (match := first_match(text, compiled.pattern, compiled.unless, None)) is not None:
            present[signal] = f'"{match[1]}"'
    for spec in book.rules.values():
        if spec.rule_id in found:
            continue
        for group in spec.co_occurrence:
            if group <= present.keys():
                found[spec.rule_id] = ("text", " + ".join(f"{name} {present[name]}" for name in sorted(group)))
                break
    hits = [_hit(spec, *found[rule_id]) for rule_id, spec in book.rules.items() if rule_id in found]
    return ScreeningResult(hits=hits, held=book.decision.holds([hit.severity for hit in hits]))


def publication_status(
    result: ScreeningResult, *, partner_vetted: bool, review_reasons: tuple[str, ...] | list[str] = ()
) -> PublicationStatus:
    """Published only when the partner is vetted, the evidence does not hold the listing and no
    review reason (``providers.review_policy``) sends it to a person; else it waits."""
    if partner_vetted and not result.held and not review_reasons:
        return "published"
    return "pending_review"
