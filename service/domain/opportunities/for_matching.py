"""Published listings as `matching.types.Opportunity` records: what matching may use.

Only :func:`providers.services.load_published` feeds this, so a draft, a listing waiting for
review or one from an unvetted or suspended partner can never reach a survivor's suggestions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import cast

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from matching.schedule import pack_week
from matching.types import AgeRange, Cefr, Contract, Kind, LanguageClass, LanguageRequirement, Pay
from matching.types import Opportunity as MatchOpportunity
from providers.models import Opportunity
from providers.services import load_published

WEEKS_PER_MONTH = 52 / 12
_INFORMAL = frozenset({"informal", "none"})


def _monthly_pay(row: Opportunity) -> Pay | None:
    if row.kind != "job" or row.pay_amount is None or row.currency is None:
        return None
    if row.pay_period == "hour":
        return Pay(monthly=row.pay_amount * (row.hours_per_week or 0) * WEEKS_PER_MONTH, currency=row.currency)
    return Pay(monthly=row.pay_amount, currency=row.currency)


def to_matching(row: Opportunity) -> MatchOpportunity:
    """One published listing as the plain record matching reads (pay as a monthly equivalent)."""
    bits = np.array([[on == "1" for on in day] for day in row.schedule], dtype=bool)
    contract: Contract | None = None
    if row.kind == "job" and row.contract_type is not None:
        contract = "informal" if row.contract_type in _INFORMAL else "formal"
    language_class = None
    if row.kind == "language_class" and row.class_language and row.level_from and row.level_to:
        language_class = LanguageClass(row.class_language, cast(Cefr, row.level_from), cast(Cefr, row.level_to))
    childcare = None
    if row.kind == "childcare" and row.age_min is not None and row.age_max is not None:
        childcare = AgeRange(row.age_min, row.age_max)
    return MatchOpportunity(
        id=str(row.id),
        kind=cast(Kind, row.kind),
        partner_id=str(row.organisation_id),
        partner_vetted=True,  # load_published only returns listings of vetted partners
        status=row.status,
        title=row.title,
        region=row.region,
        lat=row.lat,
        lon=row.lon,
        capacity_left=row.capacity_left,
        start_date=row.starts_on,
        schedule=pack_week(bits),
        occupation_uri=row.occupation_uri,
        essential_skills=tuple(row.essential_skills),
        optional_skills=tuple(row.optional_skills),
        languages=tuple(LanguageRequirement(need["code"], need["level"]) for need in row.languages),
        women_only=row.women_only,
        pay=_monthly_pay(row),
        contract=contract,
        sector=row.sector,
        course_level=row.course_level if row.kind == "course" else None,
        language_class=language_class,
        childcare=childcare,
    )


async def published_for_matching(
    db: AsyncSession, *, kinds: Iterable[str] | None = None, today: date | None = None
) -> list[MatchOpportunity]:
    """Every listing matching may suggest now: published, vetted partner, not ended."""
    return [to_matching(row) for row in await load_published(db, kinds=kinds, today=today or date.today())]
