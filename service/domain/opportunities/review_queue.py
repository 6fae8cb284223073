"""The review queue, most dangerous first: what a coordinator should look at next.

Groups, in order: a high-severity flag; a medium one; no flag but a partner not checked yet;
anything else that waits (a low flag, or a second look). Oldest first within each group. Every
waiting listing falls in exactly one group, and the queue pages through all of them, so none is
ever out of reach. Filters (kind, partner, warning sign, language) narrow the queue and its
counts alike. The search helpers ``danger`` and ``flag_codes`` are kept with the flags
(``providers.models.set_flags``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from providers.models import Opportunity, OpportunityStatus
from providers.services import vetted_partner_ids

GROUPS = ("high", "medium", "unchecked", "other")


@dataclass(frozen=True)
class QueueFilters:
    """What the coordinator narrowed the queue to (None: everything)."""

    kind: str | None = None
    partner_id: UUID | None = None
    flag: str | None = None
    """A screening rule id (letters, digits and underscores only)."""
    language: str | None = None
    """ISO 639-1: listings that need or teach it."""


def group_of() -> Any:
    """0 high, 1 medium, 2 unflagged from a partner not checked yet, 3 the rest."""
    return case(
        (Opportunity.danger >= 2, 0),
        (Opportunity.danger == 1, 1),
        (Opportunity.organisation_id.not_in(vetted_partner_ids()), 2),
        else_=3,
    )


def clauses(filters: QueueFilters) -> list[ColumnElement[bool]]:
    found = [Opportunity.status == OpportunityStatus.PENDING_REVIEW.value]
    if filters.kind is not None:
        found.append(Opportunity.kind == filters.kind)
    if filters.partner_id is not None:
        found.append(Opportunity.organisation_id == filters.partner_id)
    if filters.flag is not None:
        found.append(Opportunity.flag_codes.contains(f",{filters.flag},", autoescape=True))
    if filters.language is not None:
        found.append(Opportunity.language_codes.contains(f",{filters.language},", autoescape=True))
    return found


async def page(
    db: AsyncSession, filters: QueueFilters, limit: int, offset: int
) -> tuple[list[Opportunity], dict[str, int]]:
    """One page of the queue in danger order, and how many listings each group holds."""
    where = clauses(filters)
    rows = await db.scalars(
        select(Opportunity)
        .where(*where)
        .order_by(group_of(), Opportunity.updated_at, Opportunity.id)
        .limit(limit)
        .offset(offset)
    )
    # Grouped over a subquery: PostgreSQL would not match two copies of the CASE with their own parameters.
    groups = select(group_of().label("grp")).where(*where).subquery()
    grouped = await db.execute(select(groups.c.grp, func.count()).group_by(groups.c.grp))
    counts = dict.fromkeys(GROUPS, 0)
    for group, count in grouped.all():
        counts[GROUPS[int(group)]] = int(count)
    return list(rows.all()), counts


async def choices(db: AsyncSession) -> tuple[set[UUID], set[str], set[str]]:
    """The partners, warning signs and languages found among waiting listings (for the filters)."""
    waiting = Opportunity.status == OpportunityStatus.PENDING_REVIEW.value
    found = await db.execute(
        select(Opportunity.organisation_id, Opportunity.flag_codes, Opportunity.language_codes)
        .where(waiting)
        .distinct()
    )
    partners: set[UUID] = set()
    flags: set[str] = set()
    languages: set[str] = set()
    for partner_id, flag_codes, language_codes in found.all():
        partners.add(partner_id)
        flags.update(code for code in (flag_codes or "").split(",") if code)
        languages.update(code for code in (language_codes or "").split(",") if code)
    return partners, flags, languages
