"""What the matches and referrals pages show, as plain values in the page's language.

Plain values (not ORM rows) because a refused action re-renders the page after the request's
session was rolled back, which expires every row it had loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from providers.models import Opportunity
from service.domain.accounts.models import Organisation
from service.domain.matches.schemas import MatchItem, MatchList, OpportunitySummary
from service.domain.referrals import lifecycle
from service.domain.referrals import services as referral_services
from service.domain.referrals.models import Referral
from service.domain.survivors import consents
from service.domain.survivors.models import ConsentPurpose, Survivor
from service.domain.survivors.sharing import in_force
from service.domain.taxonomy.labels import Label
from service.kernel.actor import Actor, now_utc
from service.web.forms import N_
from service.web.i18n import translate
from service.web.matches_words import STATUS_NAMES, STEP_NAMES, exclusion, is_travel, phrase, schedule
from service.web.proposals import Timetable, is_skill_line, skill_sentences, teaching, timetable

KIND_FILTERS = ("job", "course", "language_class", "childcare")
FILTER_NAMES = {
    None: N_("All"),
    "job": N_("Jobs"),
    "course": N_("Courses"),
    "language_class": N_("Language classes"),
    "childcare": N_("With childcare"),
}
STEP_KEYS = frozenset(STEP_NAMES)


@dataclass(frozen=True)
class Person:
    id: UUID
    name: str
    paused: bool


def person_view(row: Survivor) -> Person:
    return Person(id=row.id, name=row.display_name, paused=row.readiness != "ready")


@dataclass(frozen=True)
class Listing:
    id: UUID
    kind: str
    title: str
    partner: str
    region: str
    hours: str


def _listing(summary: OpportunitySummary, language: str) -> Listing:
    return Listing(
        id=summary.id,
        kind=summary.kind,
        title=summary.title,
        partner=summary.partner,
        region=summary.region,
        hours=schedule(summary.schedule, language),
    )


@dataclass(frozen=True)
class Suggestion:
    listing: Listing
    fit: int
    travel: str | None
    met: list[str]
    missing: list[str]
    bridges: list[str]
    together: list[Listing]
    """The other parts of its bundle (a childcare place, a language class)."""
    status: str | None
    """Its referral's status if it was already proposed to her."""
    week: Timetable | None = None
    """A bundle's week: when each of its parts takes place."""


def _said(lines: list[str], language: str, kind: str, skip: str | None = None) -> list[str]:
    """matching's sentences in the page's language, its skill sentences left to ``proposals``."""
    return [phrase(line, language) for line in lines if line != skip and not is_skill_line(line, kind)]


def _suggestion(
    item: MatchItem,
    proposed: dict[UUID, str],
    language: str,
    names: Mapping[str, Label],
    courses: list[OpportunitySummary],
    free: list[str] | None,
) -> Suggestion:
    travel = next((line for line in item.met if is_travel(line)), None)
    parts = item.bundle.parts if item.bundle is not None else []
    others = [part for part in parts if part.id != item.opportunity.id]
    skills = skill_sentences(item, courses, names, language)
    kind = item.opportunity.kind
    tally = _said(item.met, language, kind, travel)
    return Suggestion(
        listing=_listing(item.opportunity, language),
        fit=max(0, min(100, round(item.score * 100))),
        travel=phrase(travel, language) if travel else None,
        met=[*tally[:1], *skills.met, *tally[1:]],
        missing=[*skills.missing, *_said(item.missing, language, kind)],
        bridges=[*_said(item.bridges, language, kind), *skills.bridges],
        together=[_listing(part, language) for part in others],
        status=proposed.get(item.opportunity.id),
        week=timetable([item.opportunity, *others], language, free) if others else None,
    )


def match_views(
    found: MatchList,
    proposed: dict[UUID, str],
    language: str,
    names: Mapping[str, Label] | None = None,
    free: list[str] | None = None,
) -> dict[str, Any]:
    """The suggestions, why the list is empty or short, and what her filters ruled out;
    ``names`` are the skills' names (the label service) for the skills the suggestions cite,
    ``free`` her availability (drawn under a bundle's week)."""
    excluded = sorted(found.excluded_reasons.items(), key=lambda pair: (-pair[1], pair[0]))
    courses = teaching(found.items)
    return {
        "suggestions": [_suggestion(item, proposed, language, names or {}, courses, free) for item in found.items],
        "reasons": [phrase(reason, language) for reason in found.profile_reasons],
        "excluded": [(exclusion(reason, language), count) for reason, count in excluded if count > 0],
        "filter_names": {key: translate(language, name) for key, name in FILTER_NAMES.items()},
        "status_names": {key: translate(language, name) for key, name in STATUS_NAMES.items()},
    }


@dataclass(frozen=True)
class Permission:
    id: UUID
    fields: list[str]
    expires_at: datetime | None


@dataclass(frozen=True)
class Event:
    at: datetime
    status: str
    reason: str


@dataclass
class ReferralView:
    id: UUID
    title: str
    kind: str
    partner: str
    status: str
    status_name: str
    steps: list[tuple[str, str]]
    """(target status, button label) for every step the lifecycle allows next (sharing aside)."""
    can_share: bool
    permissions: list[Permission] = field(default_factory=list)
    shared_under: Permission | None = None
    history: list[Event] = field(default_factory=list)
    proposal_id: UUID | None = None
    created: datetime | None = None


@dataclass(frozen=True)
class Proposal:
    """Referrals proposed together (one bundle), or a referral proposed alone."""

    id: UUID
    items: list[ReferralView]
    created: datetime | None


def proposals_of(views: list[ReferralView]) -> list[Proposal]:
    """The referrals grouped as they were proposed, newest proposal first; within one, its parts
    in the order they were proposed (the job or course first, then what makes it possible)."""
    groups: dict[UUID, list[ReferralView]] = {}
    for view in views:  # newest first
        groups.setdefault(view.proposal_id or view.id, []).append(view)
    first = {"job": 0, "course": 0, "language_class": 1, "childcare": 2}
    return [
        Proposal(id=key, items=sorted(items, key=lambda view: first.get(view.kind, 3)), created=items[-1].created)
        for key, items in groups.items()
    ]


def next_steps(status: str, kind: str) -> list[str]:
    """The statuses a counsellor may record next, in lifecycle order; `shared` goes through
    the share action, and a job is placed while courses, classes and childcare are enrolled."""
    allowed = lifecycle.NEXT.get(status, frozenset()) - {"shared"}
    allowed -= {"enrolled"} if kind == "job" else {"placed"}
    return [step for step in lifecycle.ORDER if step in allowed]


async def _listings(db: AsyncSession, referrals: list[Referral]) -> dict[UUID, tuple[str, str, str]]:
    """(title, kind, partner name) of the listings her referrals point to, open or since closed:
    the referrals were read in her scope, so their listings' names are hers to see."""
    ids = {referral.opportunity_id for referral in referrals}
    if not ids:
        return {}
    rows = await db.execute(
        select(Opportunity.id, Opportunity.title, Opportunity.kind, Organisation.name)
        .join(Organisation, Organisation.id == Opportunity.organisation_id)
        .where(Opportunity.id.in_(ids))
    )
    return {row[0]: (row[1], row[2], row[3]) for row in rows.all()}


async def referral_views(
    db: AsyncSession, actor: Actor, survivor: Survivor, referrals: list[Referral], language: str
) -> list[ReferralView]:
    """Newest first, each with its history, next steps and her permissions for its partner."""
    listings = await _listings(db, referrals)
    now = now_utc()
    permissions: dict[UUID, list[Permission]] = {}
    every: dict[UUID, Permission] = {}
    if referrals:
        for consent in await consents.list_consents(db, actor, survivor):
            view = Permission(id=consent.id, fields=list(consent.fields), expires_at=consent.expires_at)
            every[consent.id] = view
            if consent.purpose == ConsentPurpose.SHARE_WITH_PARTNER.value and in_force(consent, now):
                permissions.setdefault(consent.partner_id, []).append(view)  # type: ignore[arg-type]
    views = []
    for referral in sorted(referrals, key=lambda row: row.created_at, reverse=True):
        title, kind, partner = listings.get(referral.opportunity_id, ("", "", ""))
        read = await referral_services.to_read(db, referral)
        views.append(
            ReferralView(
                id=referral.id,
                title=title,
                kind=kind,
                partner=partner,
                status=referral.status,
                status_name=translate(language, STATUS_NAMES.get(referral.status, N_("Proposed"))),
                steps=[(step, translate(language, STEP_NAMES[step])) for step in next_steps(referral.status, kind)],
                can_share=referral.status == "interested",
                permissions=permissions.get(referral.partner_id, []),
                shared_under=every.get(referral.consent_id) if referral.consent_id else None,
                history=[
                    Event(
                        at=event.at,
                        status=translate(language, STATUS_NAMES.get(event.to_status, N_("Proposed"))),
                        reason=event.reason,
                    )
                    for event in reversed(read.events)
                ],
                proposal_id=referral.proposal_id,
                created=referral.created_at,
            )
        )
    return views
