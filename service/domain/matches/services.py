"""A survivor's ranked, explained suggestions: load her, map her, ask matching, audit the read.

Scope is the survivor's (:func:`service.domain.survivors.services.visible_to`): her counsellor,
her organisation's coordinators and she herself; anyone else gets "not found", exactly as for a
survivor that does not exist, and a denied audit row. Matching only ever receives published
listings of vetted partners (:mod:`service.domain.matches.published_index`), and the answer names only
what a survivor may see of a listing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.engine import match_survivor
from matching.schedule import SLOTS_PER_DAY, unpack_week
from matching.types import Match, MatchResult
from matching.types import Opportunity as MatchOpportunity
from providers.models import Opportunity
from providers.services import published_clause
from service.domain.accounts.models import Organisation
from service.domain.matches.profiles import HOME_UNKNOWN, to_profile
from service.domain.matches.published_index import PublishedIndex, home_of
from service.domain.matches.schemas import BundleRead, Kind, MatchItem, MatchList, OpportunitySummary
from service.domain.opportunities.for_matching import to_matching
from service.domain.survivors.models import Survivor
from service.domain.taxonomy.labels import LabelMap, her_languages
from service.domain.taxonomy.services import caller_language
from service.kernel.actor import Actor
from service.kernel.audit import record

NOT_FOUND = "survivor: not found"
DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CHILDCARE_ONLY_IN_BUNDLES = (
    "childcare places are offered only as part of a bundle, for children who need care while she works or studies"
)


@lru_cache(maxsize=8192)
def schedule_summary(week: bytes) -> str:
    """Hours in words: days with the same hours grouped, e.g. "Mon-Fri 08:00-16:00; Sat 09:00-13:00"."""
    days = unpack_week(week).reshape(7, SLOTS_PER_DAY)
    spans = [_spans(day) for day in days]
    parts: list[str] = []
    start = 0
    while start < 7:
        end = start
        while end + 1 < 7 and spans[end + 1] == spans[start]:
            end += 1
        if spans[start]:
            label = DAY_ABBREVIATIONS[start] if end == start else f"{DAY_ABBREVIATIONS[start]}-{DAY_ABBREVIATIONS[end]}"
            parts.append(f"{label} {', '.join(spans[start])}")
        start = end + 1
    return "; ".join(parts) or "flexible hours"


@lru_cache(maxsize=8192)
def _week_strings(week: bytes) -> tuple[str, ...]:
    days = unpack_week(week).reshape(7, SLOTS_PER_DAY)
    return tuple("".join("1" if slot else "0" for slot in day) for day in days)


def week_strings(week: bytes) -> list[str]:
    """Hours as seven strings of 48 half-hours (the shape profiles store availability in)."""
    return list(_week_strings(week))


def _spans(day: Iterable[bool]) -> list[str]:
    spans, begin = [], None
    slots = [*day, False]
    for slot, busy in enumerate(slots):
        if busy and begin is None:
            begin = slot
        elif not busy and begin is not None:
            spans.append(f"{_clock(begin)}-{_clock(slot)}")
            begin = None
    return spans


def _clock(slot: int) -> str:
    return f"{slot // 2:02d}:{30 * (slot % 2):02d}"


async def partner_names(db: AsyncSession, partner_ids: set[str]) -> dict[str, str]:
    """Names of the partners behind the listings shown (one query, only the ids needed)."""
    if not partner_ids:
        return {}
    rows = await db.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_([UUID(i) for i in partner_ids]))
    )
    return {str(org_id): name for org_id, name in rows.all()}


class _Summaries:
    """Listing summaries by opportunity id, from records captured with the ranking (a refresh
    running while partner names load may change the index, never these records)."""

    def __init__(self, records: dict[str, MatchOpportunity], names: dict[str, str]) -> None:
        self.records, self.names = records, names

    def __call__(self, opportunity_id: str) -> OpportunitySummary:
        found = self.records[opportunity_id]
        return OpportunitySummary(
            id=UUID(found.id),
            kind=found.kind,
            title=found.title,
            partner=self.names.get(found.partner_id, ""),
            region=found.region,
            schedule=schedule_summary(found.schedule),
            week=week_strings(found.schedule),
            skills=[*found.essential_skills, *found.optional_skills],
        )


async def published_summaries(db: AsyncSession, opportunity_ids: Iterable[UUID]) -> dict[UUID, OpportunitySummary]:
    """The summary a survivor may see (as in her matches) of each listing still published by a
    vetted partner; listings closed or withdrawn since are left out."""
    wanted = set(opportunity_ids)
    if not wanted:
        return {}
    rows = (await db.scalars(select(Opportunity).where(Opportunity.id.in_(wanted), published_clause()))).all()
    records = {str(row.id): to_matching(row) for row in rows}
    summary = _Summaries(records, await partner_names(db, {found.partner_id for found in records.values()}))
    return {row.id: summary(str(row.id)) for row in rows}


def _item(match: Match, summary: _Summaries) -> MatchItem:
    explanation = match.explanation
    bundle = None
    if match.bundle is not None:
        bundle = BundleRead(
            parts=[summary(part) for part in match.bundle.parts()],
            score=match.bundle.score,
            explanation="; ".join(match.bundle.notes),
        )
    return MatchItem(
        opportunity=summary(match.opportunity_id),
        score=match.score,
        features=match.features,
        contributions={c.feature: c.contribution for c in explanation.contributions},
        met=explanation.met,
        missing=explanation.missing,
        bridges=explanation.bridges,
        bundle=bundle,
        skills_held=explanation.skills_held,
        skills_related=explanation.skills_related,
        skills_to_learn=explanation.skills_to_learn,
    )


def _with_childcare(result: MatchResult) -> MatchResult:
    """Only suggestions that come with a childcare place (what `kind=childcare` asks for)."""
    kept = [m for m in result.matches if m.bundle is not None and m.bundle.childcare_id is not None]
    reasons = list(result.reasons) if kept else [*result.reasons, CHILDCARE_ONLY_IN_BUNDLES]
    return MatchResult(result.survivor_id, kept, result.excluded, reasons, result.weights_version)


async def read_matches(
    db: AsyncSession,
    actor: Actor,
    alchemy: SQLAlchemyAsyncConfig,
    published_index: PublishedIndex,
    survivor: Survivor,
    *,
    kind: Kind | None,
    limit: int,
    today: date | None = None,
) -> MatchList:
    """Her ranked suggestions with explanations and bundles; an impossible profile gets an empty
    list with the reasons, never an error. `survivor` is her row as the caller found and
    authorised it (`survivors.services.visible_survivor`); she is not looked up again."""
    as_of = today or date.today()
    lang = await caller_language(db, actor)
    snapshot = await published_index.current(db, as_of, alchemy=alchemy)
    # no await from here until the records are captured: the index cannot change underneath
    index = snapshot.index
    home = home_of(survivor.region, snapshot.centres)
    if home is None:
        result = MatchResult(str(survivor.id), [], {}, [HOME_UNKNOWN.format(region=survivor.region)], "")
    else:
        profile = to_profile(survivor, home, index.regions.names)
        kinds = None if kind in (None, "childcare") else [kind]
        labels = LabelMap(snapshot.taxonomy, lang, her_languages(survivor.languages))
        result = match_survivor(profile, index, as_of=as_of, top_k=limit, labels=labels, kinds=kinds)
        if kind == "childcare":
            result = _with_childcare(result)
    shown = {part for m in result.matches for part in (m.bundle.parts() if m.bundle else [m.opportunity_id])}
    records = {i: found for i in shown if (found := index.records[index.row_of[i]]) is not None}
    summary = _Summaries(records, await partner_names(db, {found.partner_id for found in records.values()}))
    items = [_item(match, summary) for match in result.matches]
    await record(db, actor, "matches.read", "survivor", survivor.id, detail=f"count={len(items)} kind={kind or 'any'}")
    return MatchList(
        survivor_id=survivor.id,
        items=items,
        excluded_reasons=result.excluded,
        profile_reasons=result.reasons,
        weights_version=result.weights_version,
    )
