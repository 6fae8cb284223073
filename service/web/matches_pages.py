"""Counsellors' pages for one participant's suggestions and referrals.

`/people/{id}/matches`: her ranked suggestions (``read_matches``, the JSON API's service) with
each explanation in the page's language, bundles shown as one suggestion, a kind filter and a
"propose to her" action (``referrals.services.create``, every part of a bundle at once).
`/people/{id}/referrals`: her referrals with the steps the lifecycle allows next, sharing under
one of her permissions for that partner, and a readable sentence when a step is refused.

Scope, audit and consent checks stay in the services. A refused or malformed action re-renders
the page (409/400) after rolling the request's work back; the page it shows is still a read
of her record, so that read is traced with one committed audit row (``record_now``), as the
request's own rows are rolled back with the error status.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID, uuid4

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.matches.published_index import published_index_of
from service.domain.matches.schemas import Kind
from service.domain.matches.services import read_matches
from service.domain.referrals import services as referral_services
from service.domain.referrals.services import Conflict
from service.domain.survivors.services import SurvivorService, provide_survivor_service
from service.domain.taxonomy.labels import concept_labels, her_languages
from service.kernel.actor import Actor
from service.kernel.audit import record_now
from service.kernel.deps import ActorDep, AlchemyDep, SettingsDep
from service.web.forms import N_
from service.web.matches_skills import SkillPages
from service.web.matches_views import (
    KIND_FILTERS,
    STEP_KEYS,
    match_views,
    person_view,
    proposals_of,
    referral_views,
)
from service.web.matches_words import refusal
from service.web.proposals import skill_uris
from service.web.rendering import Page, PageDep, see_other
from service.web.staff_pages import STAFF

MATCH_LIMIT = 20
MAX_BUNDLE_PARTS = 3
KindFilter = Annotated[Kind | None, QueryParameter(description="job, course, language_class or childcare")]
CHOOSE_LISTING = N_("Please choose a suggestion from the list.")
REASON_NEEDED = N_("Please write a short reason (at most 500 characters); it is kept in the history.")
CHOOSE_STEP = N_("Please choose one of the steps shown.")
CHOOSE_PERMISSION = N_("Please choose one of her permissions for this partner.")


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _matches_path(survivor_id: UUID, kind: str | None) -> str:
    return f"/people/{survivor_id}/matches" + (f"?kind={kind}" if kind in KIND_FILTERS else "")


async def _traced_read(alchemy: Any, actor: Actor, action: str, survivor_id: UUID, why: str) -> None:
    """The read behind a re-rendered page, committed although the request ends in 400/409.

    ``record_now`` first rolls the request's work back (the refused change and the page's own
    audit rows), then commits this one row.
    """
    await record_now(alchemy, actor, action, "survivor", survivor_id, outcome="allowed", detail=why)


class MatchPages(Controller):
    """Her suggestions, and proposing one (with its bundle) to her."""

    dependencies = {"survivors": Provide(provide_survivor_service)}

    async def _context(
        self,
        page: Page,
        survivors: SurvivorService,
        db: AsyncSession,
        actor: Actor,
        alchemy: Any,
        state: State,
        survivor_id: UUID,
        kind: Kind | None,
    ) -> dict[str, Any]:
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        person = person_view(row)
        found = await read_matches(db, actor, alchemy, published_index_of(state), row, kind=kind, limit=MATCH_LIMIT)
        referrals = await referral_services.list_for(db, actor, row)
        proposed = {referral.opportunity_id: referral.status for referral in referrals}
        names = await concept_labels(db, skill_uris(found.items), page.language, her_languages(row.languages))
        return {
            "person": person,
            "kind": kind,
            "filters": KIND_FILTERS,
            **match_views(found, proposed, page.language, names, list(row.availability or [])),
        }

    @get("/people/{survivor_id:uuid}/matches", opt=STAFF)
    async def matches(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        state: State,
        survivor_id: FromPath[UUID],
        kind: KindFilter = None,
    ) -> Any:
        """Her ranked suggestions with their reasons, or why there are none."""
        context = await self._context(page, survivors, db_session, actor, alchemy, state, survivor_id, kind)
        return page.render("matches/matches.html", **context, message=None)

    @post("/people/{survivor_id:uuid}/matches/propose", opt=STAFF, status_code=303)
    async def propose(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        state: State,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """A `suggested` referral for the suggestion and every part of its bundle, in one go."""
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        form = await request.form()
        raw_kind = form.get("kind")
        kind: Kind | None = raw_kind if raw_kind in KIND_FILTERS else None  # type: ignore[assignment]
        primary = _uuid(form.get("opportunity_id"))
        parts = [_uuid(value) for value in form.getall("part", [])][:MAX_BUNDLE_PARTS]
        if primary is None or None in parts:
            return await self._refused(page, survivors, db_session, actor, alchemy, state, row.id, kind, None, 400)
        # A childcare place or class may already be proposed with another suggestion: only the
        # parts not yet proposed are added; the suggestion itself proposed twice is refused.
        existing = {referral.opportunity_id for referral in await referral_services.list_for(db_session, actor, row)}
        wanted = [primary, *(part for part in dict.fromkeys(parts) if part not in existing and part != primary)]
        # the parts of a bundle stay one proposal afterwards (one group id on their referrals)
        proposal = uuid4() if len(wanted) > 1 else None
        try:
            for opportunity_id in wanted:
                await referral_services.create(db_session, actor, row.id, opportunity_id, alchemy, proposal)  # type: ignore[arg-type]
        except (Conflict, NotFoundException) as refused:
            if isinstance(refused, NotFoundException) and not (refused.detail or "").startswith("opportunity_id"):
                raise
            return await self._refused(
                page, survivors, db_session, actor, alchemy, state, row.id, kind, refused.detail, 409
            )
        return see_other(_matches_path(row.id, kind))

    async def _refused(
        self,
        page: Page,
        survivors: SurvivorService,
        db: AsyncSession,
        actor: Actor,
        alchemy: Any,
        state: State,
        survivor_id: UUID,
        kind: Kind | None,
        detail: str | None,
        status: int,
    ) -> Any:
        """The suggestions again, saying why nothing was proposed (400: the form; 409: the service)."""
        message = page.t(CHOOSE_LISTING) if status == 400 else refusal(detail, page.language)
        await record_now(
            alchemy, actor, "referral.create", "survivor", survivor_id, outcome="denied", detail=str(status)
        )
        context = await self._context(page, survivors, db, actor, alchemy, state, survivor_id, kind)
        await _traced_read(alchemy, actor, "matches.read", survivor_id, "page shown again after a refused proposal")
        return page.render("matches/matches.html", status=status, **context, message=message)


class ReferralPages(Controller):
    """Her referrals, their next steps, and sharing under her permission."""

    dependencies = {"survivors": Provide(provide_survivor_service)}

    async def _context(
        self, page: Page, survivors: SurvivorService, db: AsyncSession, actor: Actor, alchemy: Any, survivor_id: UUID
    ) -> dict[str, Any]:
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        person = person_view(row)
        referrals = await referral_services.list_for(db, actor, row)
        views = await referral_views(db, actor, row, referrals, page.language)
        return {"person": person, "referrals": views, "proposals": proposals_of(views)}

    @get("/people/{survivor_id:uuid}/referrals", opt=STAFF)
    async def referrals(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """Each referral with its status, history and allowed next steps."""
        context = await self._context(page, survivors, db_session, actor, alchemy, survivor_id)
        return page.render("matches/referrals.html", **context, message=None, errors={}, focus=None)

    async def _again(
        self,
        page: Page,
        survivors: SurvivorService,
        db: AsyncSession,
        actor: Actor,
        alchemy: Any,
        survivor_id: UUID,
        referral_id: UUID,
        status: int,
        message: str | None = None,
        errors: dict[str, str] | None = None,
    ) -> Any:
        context = await self._context(page, survivors, db, actor, alchemy, survivor_id)
        await _traced_read(alchemy, actor, "referral.list", survivor_id, "page shown again after a refused step")
        return page.render(
            "matches/referrals.html", status=status, **context, message=message, errors=errors or {}, focus=referral_id
        )

    @post("/referrals/{referral_id:uuid}/transition", opt=STAFF, status_code=303)
    async def transition(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        referral_id: FromPath[UUID],
    ) -> Any:
        """One step along the lifecycle, with the reason she or her counsellor gave."""
        _, survivor = await referral_services.visible_referral(db_session, actor, referral_id, alchemy)
        survivor_id = survivor.id
        form = await request.form()
        target, reason = form.get("to"), form.get("reason")
        reason = reason.strip() if isinstance(reason, str) else ""
        errors: dict[str, str] = {}
        if target not in STEP_KEYS:
            errors["to"] = CHOOSE_STEP
        if not reason or len(reason) > 500:
            errors["reason"] = REASON_NEEDED
        if errors:
            return await self._again(
                page, survivors, db_session, actor, alchemy, survivor_id, referral_id, 400, None, errors
            )
        try:
            await referral_services.transition(db_session, actor, referral_id, str(target), reason, alchemy)
        except Conflict as refused:
            message = refusal(refused.detail, page.language)
            return await self._again(
                page, survivors, db_session, actor, alchemy, survivor_id, referral_id, 409, message
            )
        return see_other(f"/people/{survivor_id}/referrals#r-{referral_id}")

    @post("/referrals/{referral_id:uuid}/share", opt=STAFF, status_code=303)
    async def share(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        settings: SettingsDep,
        referral_id: FromPath[UUID],
    ) -> Any:
        """Share her profile with the listing's partner under the permission chosen."""
        _, survivor = await referral_services.visible_referral(db_session, actor, referral_id, alchemy)
        survivor_id = survivor.id
        consent_id = _uuid((await request.form()).get("consent_id"))
        if consent_id is None:
            errors = {"consent_id": CHOOSE_PERMISSION}
            return await self._again(
                page, survivors, db_session, actor, alchemy, survivor_id, referral_id, 400, None, errors
            )
        try:
            await referral_services.share(db_session, actor, referral_id, consent_id, alchemy, settings.worker)
        except Conflict as refused:
            message = refusal(refused.detail, page.language)
            return await self._again(
                page, survivors, db_session, actor, alchemy, survivor_id, referral_id, 409, message
            )
        return see_other(f"/people/{survivor_id}/referrals#r-{referral_id}")


CONTROLLERS = (MatchPages, ReferralPages, SkillPages)
