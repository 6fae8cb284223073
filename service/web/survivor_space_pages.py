"""Her opportunities and her milestones, in her own space (area `survivor_space`).

What her counsellor suggested and what matches her profile (published listings of vetted
partners only, through the same matching service as GET /api/survivors/{id}/matches), each with
plain reasons and two answers: "I'm interested" and "Not for me" (`referrals.answer_listing`:
audited, one transaction, idempotent). Her milestones in her own words, and what may come next.

Her record is found through the session, never an id in the URL; the only query string is the
kind filter, a fixed word. Answering shares nothing with any partner: that stays a separate step
that needs her consent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from babel import Locale
from babel.dates import format_date
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.matches.published_index import published_index_of
from service.domain.matches.schemas import Kind, MatchItem, OpportunitySummary
from service.domain.matches.services import published_summaries, read_matches
from service.domain.milestones.kinds import CATALOGUE
from service.domain.referrals import services as referrals
from service.domain.referrals.timeline import timeline
from service.domain.survivors.models import Survivor
from service.domain.survivors.services import SurvivorService, provide_survivor_service
from service.kernel.actor import Actor
from service.kernel.deps import ActorDep, AlchemyDep
from service.web.forms import N_
from service.web.navigation import NavItem
from service.web.rendering import PageDep
from service.web.survivor_pages import SURVIVOR, own_record

KINDS = ("job", "course", "language_class", "childcare")
ANSWERS = {"interested": "interested", "not_for_me": "declined"}
MATCH_LIMIT = 12
MOST_REASONS = 4
SAID_YES = ("interested", "shared", "applied", "accepted", "placed", "enrolled", "completed")
LISTING_FIELD = N_("Please choose one of the opportunities shown.")
ANSWER_FIELD = N_("Please choose “I'm interested” or “Not for me”.")
KIND_FIELD = N_("Please choose one of the kinds listed.")

# What a match has going for it, said plainly (never scores or percentages).
CLOSE = N_("Close to you")
CHILDCARE = N_("Childcare available")
LANGUAGES = N_("Fits your languages")
HOURS = N_("Fits the times you are free")
GOAL = N_("The work you are looking for")
SECTOR = N_("In an area of work you like")
SKILLS = N_("Uses skills you have")
LEVEL = N_("At the right level for you")
LANGUAGE_CLASS = N_("A language class comes with it")
PAY = N_("Pay meets your goal")

# Where her answer stands, in her words.
STATUS_WORDS = {
    "interested": N_("You said you are interested. Your contact person will talk with you about the next step."),
    "shared": N_("Shared with your permission."),
    "applied": N_("Your application has been sent."),
    "accepted": N_("You were accepted."),
    "placed": N_("You have started."),
    "enrolled": N_("You have started."),
    "completed": N_("Completed."),
}
DAY_WORDS = {
    "Mon": N_("Mon"),
    "Tue": N_("Tue"),
    "Wed": N_("Wed"),
    "Thu": N_("Thu"),
    "Fri": N_("Fri"),
    "Sat": N_("Sat"),
    "Sun": N_("Sun"),
}
FLEXIBLE = N_("flexible hours")
_DAY = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")

# Her milestones: reached (first person, her words) and still ahead (gently).
REACHED = {
    "right_to_work": N_("I have the right to work"),
    "bank_account": N_("I opened my own bank account"),
    "language_level": N_("I reached a new language level"),
    "course_completed": N_("I completed a course"),
    "first_formal_contract": N_("I signed my first formal work contract"),
    "employed_3_months": N_("Three months in my job"),
    "employed_6_months": N_("Six months in my job"),
    "income_covers_needs": N_("My income covers what I need"),
    "own_housing": N_("I have a home of my own"),
    "no_longer_relies_on_support": N_("I manage on my own"),
    "savings_buffer": N_("I have some savings put aside"),
}
AHEAD = {
    "right_to_work": N_("The right to work"),
    "bank_account": N_("A bank account of my own"),
    "language_level": N_("A new language level"),
    "course_completed": N_("Completing a course"),
    "first_formal_contract": N_("A first formal work contract"),
    "employed_3_months": N_("Three months in a job"),
    "employed_6_months": N_("Six months in a job"),
    "income_covers_needs": N_("An income that covers what I need"),
    "own_housing": N_("A home of my own"),
    "no_longer_relies_on_support": N_("Managing on my own"),
    "savings_buffer": N_("Some savings put aside"),
}
LANGUAGE_REACHED = N_("I reached level %(level)s in %(tongue)s")
NEXT_SHOWN = 3


@dataclass
class Card:
    """One opportunity as she sees it: what it is, why it may suit her, where her answer stands."""

    listing: OpportunitySummary
    hours: str
    reasons: list[str] = field(default_factory=list)
    parts: list[OpportunitySummary] = field(default_factory=list)
    """The childcare place or language class that come with it (a bundle)."""
    status: str | None = None


def plain_reasons(item: MatchItem) -> list[str]:
    """The few reasons a match may suit her, as message ids, strongest first."""
    features, bundle = item.features, item.bundle
    kinds = {part.kind for part in bundle.parts[1:]} if bundle else set()
    reasons: list[str] = []
    if features.get("goal") == 1.0:
        reasons.append(GOAL)
    elif features.get("goal") == 0.6:
        reasons.append(SECTOR)
    if "childcare" in kinds:
        reasons.append(CHILDCARE)
    if features.get("commute", 0.0) >= 0.5:
        reasons.append(CLOSE)
    if features.get("language") == 1.0 and any(line.startswith("needs ") for line in item.met):
        reasons.append(LANGUAGES)
    if any(line.startswith("has ") and not line.startswith("has 0 ") for line in item.met):
        reasons.append(SKILLS)
    if features.get("timetable") == 1.0:
        reasons.append(HOURS)
    if item.opportunity.kind in ("course", "language_class") and features.get("level", 0.0) >= 0.7:
        reasons.append(LEVEL)
    if "language_class" in kinds:
        reasons.append(LANGUAGE_CLASS)
    if item.opportunity.kind == "job" and features.get("pay", 0.0) >= 1.0 and any("target" in m for m in item.met):
        reasons.append(PAY)
    return reasons[:MOST_REASONS]


def hours_in_words(page: PageDep, schedule: str) -> str:
    """The listing's hours with the day names in her language."""
    if schedule == "flexible hours":
        return page.t(FLEXIBLE)
    return _DAY.sub(lambda found: page.t(DAY_WORDS[found.group(1)]), schedule)


def chosen_kind(kind: str | None) -> tuple[str | None, bool]:
    """(the kind to filter by, whether the request named one we know); empty means every kind."""
    if not kind:
        return None, True
    return (kind, True) if kind in KINDS else (None, False)


def back_to(kind: str | None) -> str:
    return f"/my/opportunities?kind={kind}" if kind in KINDS else "/my/opportunities"


async def opportunities_context(
    page: PageDep,
    db: AsyncSession,
    actor: Actor,
    alchemy: SQLAlchemyAsyncConfig,
    state: State,
    survivor: Survivor,
    kind: str | None,
) -> dict[str, Any]:
    """Suggested (by her counsellor), matched (for her profile) and answered (yes) opportunities."""
    rows = await referrals.list_for(db, actor, survivor)
    summaries = await published_summaries(db, [row.opportunity_id for row in rows])
    referred = {row.opportunity_id for row in rows}
    paused = survivor.readiness == "not_now"
    suggested = [
        Card(summaries[row.opportunity_id], hours_in_words(page, summaries[row.opportunity_id].schedule))
        for row in rows
        if row.status == "suggested" and row.opportunity_id in summaries
    ]
    answered = [
        Card(
            summaries[row.opportunity_id],
            hours_in_words(page, summaries[row.opportunity_id].schedule),
            status=row.status,
        )
        for row in reversed(rows)
        if row.status in SAID_YES and row.opportunity_id in summaries
    ]
    matched: list[Card] = []
    if not paused:
        found = await read_matches(
            db,
            actor,
            alchemy,
            published_index_of(state),
            survivor,
            kind=cast(Kind | None, kind),
            limit=MATCH_LIMIT,
        )
        matched = [
            Card(
                item.opportunity,
                hours_in_words(page, item.opportunity.schedule),
                plain_reasons(item),
                item.bundle.parts[1:] if item.bundle else [],
            )
            for item in found.items
            if item.opportunity.id not in referred
        ]
    if kind is not None:
        suggested = [card for card in suggested if card.listing.kind == kind]
    return {
        "paused": paused,
        "suggested": [] if paused else suggested,
        "matched": matched,
        "answered": answered,
        "kinds": KINDS,
        "kind": kind,
        "status_words": STATUS_WORDS,
    }


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


class OpportunityPages(Controller):
    """GET /my/opportunities (filter by kind) and her answer to one of them."""

    dependencies = {"survivors": Provide(provide_survivor_service)}

    @get("/my/opportunities", opt=SURVIVOR)
    async def opportunities(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        state: State,
        kind: FromQuery[str | None] = None,
    ) -> Any:
        """Calm cards: suggested for her, matching her profile, and what she said yes to."""
        own = await own_record(survivors, actor)
        wanted, known = chosen_kind(kind)
        context = await opportunities_context(page, db_session, actor, alchemy, state, own, wanted)
        errors = {} if known else {"kind": KIND_FIELD}
        return page.render("survivor_space/opportunities.html", status=200 if known else 400, errors=errors, **context)

    @post("/my/opportunities/answer", opt=SURVIVOR, status_code=303)
    async def answer(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        state: State,
    ) -> Any:
        """ "I'm interested" (with the places that come with it) or "Not for me"; nothing is shared."""
        own = await own_record(survivors, actor)
        form = await request.form()
        wanted, _ = chosen_kind(form.get("kind") if isinstance(form.get("kind"), str) else None)
        listing = _uuid(form.get("listing"))
        answer = ANSWERS.get(str(form.get("answer")))
        parts = [_uuid(value) for value in form.getall("with", [])][:2]
        errors: dict[str, str] = {}
        if listing is None:
            errors["listing"] = LISTING_FIELD
        if answer is None:
            errors["answer"] = ANSWER_FIELD
        if any(part is None for part in parts):
            errors["listing"] = LISTING_FIELD
        if errors or listing is None or answer is None:
            context = await opportunities_context(page, db_session, actor, alchemy, state, own, wanted)
            return page.render("survivor_space/opportunities.html", status=400, errors=errors, **context)
        await referrals.answer_listing(db_session, actor, listing, answer, alchemy)
        if answer == "interested":  # the places that make it possible come with her yes, not with a no
            for part in (part for part in parts if part is not None):
                await referrals.answer_listing(db_session, actor, part, answer, alchemy)
        return Response(content="", status_code=303, headers={"Location": back_to(wanted)})


@dataclass(frozen=True)
class Step:
    """One milestone in her words: reached on a date, or still ahead."""

    words: str
    on: str = ""


def language_words(page: PageDep, qualifier: str) -> str:
    """`de:B1` → "I reached level B1 in German" (the language named in her language)."""
    code, _, level = qualifier.partition(":")
    names: Mapping[str, str] = Locale.parse(page.language).languages
    if not code or not level:
        return page.t(REACHED["language_level"])
    return page.t(LANGUAGE_REACHED, level=level, tongue=names.get(code, code))


class MilestonePages(Controller):
    """GET /my/milestones: what she reached, and what may come next."""

    dependencies = {"survivors": Provide(provide_survivor_service)}

    @get("/my/milestones", opt=SURVIVOR)
    async def milestones(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
    ) -> Any:
        """Her milestones oldest first (a path), then a few that may come next."""
        own = await own_record(survivors, actor)
        found = await timeline(db_session, actor, own.id)
        reached_codes = {row.milestone for row in found.achievements}
        reached = [
            Step(
                language_words(page, row.qualifier)
                if row.milestone == "language_level"
                else page.t(REACHED[row.milestone]),
                format_date(row.achieved_on, format="long", locale=page.language),
            )
            for row in found.achievements
            if row.milestone in REACHED
        ]
        ahead = [
            Step(page.t(AHEAD[milestone.code]))
            for milestone in CATALOGUE
            if milestone.code in AHEAD and (milestone.repeatable or milestone.code not in reached_codes)
        ][:NEXT_SHOWN]
        return page.render("survivor_space/milestones.html", reached=reached, ahead=ahead)


CONTROLLERS = (OpportunityPages, MilestonePages)
NAV = (
    NavItem(frozenset({"survivor"}), "/my/opportunities", N_("Opportunities"), 20),
    NavItem(frozenset({"survivor"}), "/my/milestones", N_("My steps"), 30),
)
