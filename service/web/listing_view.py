"""A listing in words, as a participant would read it: for the partner's own page and the
reviewer's card alike, so what a coordinator approves is exactly what will be shown.

Names only: the region and town by name, languages by name, the week by day names, pay with
its period, the partner's answers about a job in sentences. No code, coordinate or field name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel import Locale

from providers import places
from providers.models import Opportunity
from service.web.forms import N_
from service.web.i18n import translate
from service.web.labels import KIND_NAMES
from service.web.partner_form_view import day_names
from service.web.partner_forms import (
    CONTRACT_TYPES,
    COURSE_LEVELS,
    DOCUMENTS_HELD_BY,
    PAY_PERIODS,
    WAGES_PAID,
    week_blocks,
)

CENTRE = N_("%(region)s (centre of the region)")
ANSWER_QUESTIONS = {
    "accommodation_provided": N_("Accommodation provided by the employer"),
    "rent_deducted": N_("Rent taken out of the wages"),
    "travel_abroad": N_("Travel to another country arranged by the employer"),
    "travel_charged": N_("The worker pays for that travel"),
    "costs_deducted": N_("Recruitment or travel costs taken out of the wages"),
}
NOT_ANSWERED = N_("Not answered")


@dataclass(frozen=True)
class Fact:
    """One line of a listing: what it is about and what it says (one value, or several)."""

    label: str
    values: tuple[str, ...]
    key: str = ""
    """Which part of the listing (for highlighting matched words); never shown."""


def _number(value: float | int | None) -> str:
    return "" if value is None else f"{value:g}"


def place_words(row: Opportunity, language: str) -> str:
    region = places.region(row.region)
    name = region.name if region else row.region
    if row.place_name:
        return f"{row.place_name}, {name}"
    return translate(language, CENTRE, region=name)


def week_words(week: list[str], language: str) -> tuple[str, ...]:
    days = dict(day_names(language))
    return tuple(f"{days[day]} {start}–{end}" for day, start, end in week_blocks(week))


def _yes_no(value: bool | None, language: str) -> str:
    if value is None:
        return translate(language, NOT_ANSWERED)
    return translate(language, N_("Yes") if value else N_("No"))


def listing_facts(row: Opportunity, language: str, concepts: dict[str, str], partner: bool = False) -> list[Fact]:
    """The listing's lines in ``language``; ``concepts`` names its occupation and skills."""
    t = lambda text, **names: translate(language, text, **names)  # noqa: E731
    languages = Locale.parse(language).languages
    facts = [
        Fact(t(N_("Kind")), (t(KIND_NAMES.get(row.kind, row.kind)),)),
        Fact(t(N_("Description")), (row.description or "—",), "description"),
        Fact(t(N_("Place")), (place_words(row, language),)),
        Fact(t(N_("Starts on")), (row.starts_on.isoformat(),)),
        Fact(t(N_("Ends on")), (row.ends_on.isoformat() if row.ends_on else "—",)),
        Fact(t(N_("Weekly times")), week_words(row.schedule, language) or ("—",)),
    ]
    if row.hours_per_week:
        facts.append(Fact(t(N_("Hours per week")), (_number(row.hours_per_week),)))
    facts.append(Fact(t(N_("Number of places")), (str(row.capacity),)))
    if partner:
        facts.append(Fact(t(N_("Places left")), (str(row.capacity_left),)))
    if row.occupation_uri:
        facts.append(Fact(t(N_("Occupation")), (concepts.get(row.occupation_uri, "—"),)))
    if row.essential_skills:
        facts.append(Fact(t(N_("Skills needed")), tuple(concepts.get(uri, "—") for uri in row.essential_skills)))
    if row.optional_skills:
        facts.append(Fact(t(N_("Skills that help")), tuple(concepts.get(uri, "—") for uri in row.optional_skills)))
    spoken = tuple(f"{languages.get(need['code'], need['code'])} ({need['level']})" for need in row.languages or [])
    facts.append(Fact(t(N_("Languages")), spoken or ("—",)))
    facts.append(Fact(t(N_("Women-only place")), (_yes_no(row.women_only, language),)))
    facts.extend(_kind_facts(row, language, languages))
    return facts


def _kind_facts(row: Opportunity, language: str, languages: Any) -> list[Fact]:
    t = lambda text, **names: translate(language, text, **names)  # noqa: E731
    if row.kind == "job":
        period = t(PAY_PERIODS[row.pay_period]) if row.pay_period in PAY_PERIODS else ""
        pay = " ".join(part for part in (_number(row.pay_amount), row.currency or "", period) if part)
        contract = t(CONTRACT_TYPES[row.contract_type]) if row.contract_type in CONTRACT_TYPES else "—"
        facts = [
            Fact(t(N_("Pay, before tax")), (pay or "—",), "pay"),
            Fact(t(N_("Contract")), (contract,), "contract"),
            Fact(t(N_("How to apply")), (", ".join(row.contact_channels) or "—",), "contact"),
        ]
        for name, question in ANSWER_QUESTIONS.items():
            if name in ("rent_deducted", "travel_charged") and getattr(row, name) is None:
                continue  # asked only after a yes
            facts.append(Fact(t(question), (_yes_no(getattr(row, name), language),), name))
        held = DOCUMENTS_HELD_BY.get(row.documents_held_by or "")
        paid = WAGES_PAID.get(row.wages_paid or "")
        facts.append(Fact(t(N_("Passport and identity papers")), (t(held or NOT_ANSWERED),), "documents_held_by"))
        facts.append(Fact(t(N_("Wages are paid")), (t(paid or NOT_ANSWERED),), "wages_paid"))
        return facts
    if row.kind == "course":
        cost = " ".join(part for part in (_number(row.cost_amount or 0), row.currency or "") if part)
        level = t(COURSE_LEVELS[str(row.course_level)]) if str(row.course_level) in COURSE_LEVELS else "—"
        return [
            Fact(t(N_("Cost for the participant")), (cost,)),
            Fact(t(N_("Skill level reached")), (level,)),
            Fact(t(N_("Certificate")), (row.certificate or "—",)),
        ]
    if row.kind == "language_class":
        taught = languages.get(row.class_language or "", row.class_language or "—")
        return [Fact(t(N_("Language taught")), (f"{taught} ({row.level_from} → {row.level_to})",))]
    return [Fact(t(N_("Children's ages")), (f"{row.age_min}–{row.age_max}",))]
