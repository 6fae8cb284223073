"""The review queue page's parts: filters read from the address, the pickers' names, the group
counts, page links that keep the filters, and each card as a participant would read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from babel import Locale
from sqlalchemy.ext.asyncio import AsyncSession

from providers.models import Opportunity
from providers.schemas import KINDS
from service.domain.accounts.models import Organisation
from service.domain.opportunities import review_queue, vetting
from service.domain.opportunities.review_queue import QueueFilters
from service.kernel.actor import Actor
from service.web import partner_concepts
from service.web.forms import N_
from service.web.i18n import translate
from service.web.labels import KIND_NAMES
from service.web.listing_view import listing_facts
from service.web.review_views import RULE_NAMES, flag_views, highlight, matched_phrases, review_reason_names
from skills.languages import ISO_639_1

GROUP_NAMES = {
    "high": N_("High concern"),
    "medium": N_("Some concern"),
    "unchecked": N_("No warning sign, partner not checked yet"),
    "other": N_("Waiting for a second look"),
}
BAD_FILTER = N_("Please choose from the lists.")
PARTNER_NOT_CHECKED = N_("Screening found no warning sign; the listing waits because its partner is not checked yet.")
SECOND_LOOK = N_(
    "Screening found no serious warning sign; the listing waits for a second look "
    "(it was changed while it waited, or its partner was suspended and checked again)."
)


@dataclass(frozen=True)
class Asked:
    """The filters as the address gave them (strings), for the pickers and the page links."""

    kind: str = ""
    partner: str = ""
    flag: str = ""
    language: str = ""


def read_filters(asked: Asked) -> QueueFilters | None:
    """The filters, or None when one of them is not a choice the page offers."""
    partner_id: UUID | None = None
    if asked.partner:
        try:
            partner_id = UUID(asked.partner)
        except ValueError:
            return None
    if asked.kind and asked.kind not in KINDS:
        return None
    if asked.flag and asked.flag not in RULE_NAMES:
        return None
    if asked.language and asked.language not in ISO_639_1:
        return None
    return QueueFilters(
        kind=asked.kind or None, partner_id=partner_id, flag=asked.flag or None, language=asked.language or None
    )


def href(asked: Asked, number: int = 1) -> str:
    """The queue's address with these filters, at page ``number``."""
    query = {name: value for name, value in vars(asked).items() if value}
    if number > 1:
        query["page"] = str(number)
    return "/review" + (f"?{urlencode(query)}" if query else "")


async def options(db: AsyncSession, actor: Actor, language: str) -> dict[str, list[tuple[str, str]]]:
    """The pickers: kinds, the partners, warning signs and languages of waiting listings, by name."""
    partner_ids, flags, codes = await review_queue.choices(db)
    partners = await vetting.partners_by_id(db, actor, partner_ids)
    names = Locale.parse(language).languages
    return {
        "kinds": [(kind, translate(language, KIND_NAMES[kind])) for kind in KINDS],
        "partners": sorted(((str(p.id), p.name) for p in partners.values()), key=lambda pair: pair[1].casefold()),
        "flags": sorted(
            ((flag, translate(language, RULE_NAMES[flag])) for flag in flags if flag in RULE_NAMES),
            key=lambda pair: pair[1],
        ),
        "languages": sorted(((code, names.get(code, code)) for code in codes), key=lambda pair: pair[1].casefold()),
    }


def card(row: Opportunity, partner: Organisation | None, language: str, concepts: dict[str, str]) -> dict[str, Any]:
    """A waiting listing as a participant would read it, with its flags and the matched words marked."""
    flags = flag_views(row.vetting_flags)
    phrases = matched_phrases(flags)
    facts = listing_facts(row, language, concepts)
    vetted = partner is not None and partner.vetting_status == "vetted"
    reasons = review_reason_names(row.vetting_flags)
    return {
        "row": row,
        "partner": partner,
        "flags": flags,
        "title": highlight(row.title, phrases),
        "description": highlight(row.description or "", phrases),
        "facts": [fact for fact in facts if fact.key != "description"],
        "reasons": reasons,
        "why_waiting": None if flags or reasons else (SECOND_LOOK if vetted else PARTNER_NOT_CHECKED),
    }


async def cards(db: AsyncSession, actor: Actor, rows: list[Opportunity], language: str) -> list[dict[str, Any]]:
    partners = await vetting.partners_by_id(db, actor, {row.organisation_id for row in rows})
    uris = {uri for row in rows for uri in (*row.essential_skills, *row.optional_skills, row.occupation_uri) if uri}
    concepts = await partner_concepts.concept_names(db, uris, language)
    return [card(row, partners.get(row.organisation_id), language, concepts) for row in rows]
