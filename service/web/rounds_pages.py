"""Allocation round review for coordinators (part of the `followups` area of pages).

Over `matches.rounds`, as the JSON API: list, read, create and accept, scoped to the
coordinator's organisation (another organisation's round answers the same 404 page as an
unknown id). Survivors appear as short codes of their ids, as the API shows ids only; a
listing by its title and kind, as the coordinator may see it (`opportunities.visible_to`).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from providers.models import Opportunity
from service.domain.matches import rounds
from service.domain.matches.profiles import HOME_UNKNOWN, PAUSED
from service.domain.matches.published_index import published_index_of
from service.domain.matches.schemas import RoundCreate, RoundRead
from service.domain.opportunities.services import OpportunityService
from service.domain.opportunities.services import visible_to as listings_visible_to
from service.kernel.actor import Actor
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import Role, roles
from service.web.forms import N_, FormField, read_form
from service.web.navigation import NavItem
from service.web.rendering import PageDep

COORDINATOR = roles(Role.COORDINATOR)
ROUND_LIMIT = 50
KIND_CHOICES = ("job", "course", "language_class")
UNPLACED_NAMES = {
    PAUSED: N_("She asked for no suggestions for now."),
    "no suggestion passes her filters": N_("No suggestion fits her needs and limits (hours, safety, languages)."),
    "her options went to a higher total fit elsewhere or had no places left": N_(
        "Her options went to a better overall fit elsewhere, or had no places left."
    ),
}
HOME_UNKNOWN_PREFIX = HOME_UNKNOWN.split(":", 1)[0]
UNPLACED_HOME = N_("Her home area is not yet known to the catalogue.")
UNPLACED_OTHER = N_("No place this round.")

ROUND_FIELDS = (
    FormField("kinds", "optional_text", N_("Please choose among the kinds offered.")),
    FormField("prioritise_waiting", "bool"),
)


def participant_code(survivor_id: UUID | str) -> str:
    """A short code for a survivor in a round (the API shows ids only; so do we, shortened)."""
    return str(survivor_id).replace("-", "")[:6].upper()


def unplaced_reason(reason: str) -> str:
    if reason in UNPLACED_NAMES:
        return UNPLACED_NAMES[reason]
    if reason.startswith(HOME_UNKNOWN_PREFIX):
        return UNPLACED_HOME
    return UNPLACED_OTHER


async def _listing_titles(db: AsyncSession, actor: Actor, found: RoundRead) -> dict[UUID, tuple[str, str]]:
    """Title and kind of the listings a round names, as the coordinator may see them."""
    ids = {
        opp_id
        for a in found.assignments
        for opp_id in (a.opportunity_id, a.childcare_id, a.language_class_id)
        if opp_id is not None
    }
    if not ids:
        return {}
    rows = await OpportunityService(session=db).get_many(Opportunity.id.in_(ids), listings_visible_to(actor))
    return {row.id: (row.title, row.kind) for row in rows}


def read_round_form(form: Any) -> tuple[RoundCreate | None, dict[str, Any], dict[str, str]]:
    values, errors = read_form(form, ROUND_FIELDS)
    kinds = [value for value in form.getall("kinds", []) if value]
    if any(kind not in KIND_CHOICES for kind in kinds):
        errors["kinds"] = ROUND_FIELDS[0].message
    values["kinds"] = kinds or None
    if errors:
        return None, values, errors
    return msgspec.convert(values, RoundCreate), values, errors


class RoundPages(Controller):
    """Coordinators review, start and accept allocation rounds of their organisation."""

    @get("/rounds", opt=COORDINATOR)
    async def rounds_list(self, page: PageDep, db_session: NamedDependency[AsyncSession], actor: ActorDep) -> Any:
        """Her organisation's rounds, newest first, and the form to start one."""
        rows = await rounds.list_rounds(db_session, actor, ROUND_LIMIT)
        return page.render("followups/rounds.html", rounds=rows, values={}, errors={}, kind_choices=KIND_CHOICES)

    @post("/rounds", opt=COORDINATOR, status_code=303)
    async def start_round(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        state: State,
    ) -> Any:
        """Compute a proposed round (matches.rounds.create_round); nothing else changes until accepted."""
        data, values, errors = read_round_form(await request.form())
        if data is None:
            rows = await rounds.list_rounds(db_session, actor, ROUND_LIMIT)
            return page.render(
                "followups/rounds.html",
                status=400,
                rounds=rows,
                values=values,
                errors=errors,
                kind_choices=KIND_CHOICES,
            )
        created = await rounds.create_round(db_session, actor, data, alchemy, published_index_of(state))
        return Response(content="", status_code=303, headers={"Location": f"/rounds/{created.id}"})

    async def _render(
        self, page: Any, db: AsyncSession, actor: Actor, found: RoundRead, *, status: int = 200, conflict: bool = False
    ) -> Any:
        titles = await _listing_titles(db, actor, found)
        unplaced = sorted(
            ((participant_code(sid), UUID(sid), unplaced_reason(reason)) for sid, reason in found.unplaced.items()),
            key=lambda row: row[0],
        )
        return page.render(
            "followups/round.html",
            status=status,
            round=found,
            titles=titles,
            unplaced=unplaced,
            code=participant_code,
            conflict=conflict,
        )

    @get("/rounds/{allocation_round_id:uuid}", opt=COORDINATOR)
    async def round_detail(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        allocation_round_id: FromPath[UUID],
    ) -> Any:
        """One round of her organisation: who gets which place and why, who gets nothing and why."""
        found = await rounds.read_round(db_session, actor, allocation_round_id, alchemy)
        return await self._render(page, db_session, actor, found)

    @post("/rounds/{allocation_round_id:uuid}/accept", opt=COORDINATOR, status_code=303)
    async def accept(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        allocation_round_id: FromPath[UUID],
    ) -> Any:
        """Accept (matches.rounds.accept_round): a suggested referral for every part; a round
        already accepted is refused (409) with a sentence saying so."""
        try:
            await rounds.accept_round(db_session, actor, allocation_round_id, alchemy)
        except rounds.Conflict:
            found = await rounds.read_round(db_session, actor, allocation_round_id, alchemy)
            return await self._render(page, db_session, actor, found, status=409, conflict=True)
        return Response(content="", status_code=303, headers={"Location": f"/rounds/{allocation_round_id}"})


CONTROLLERS = (RoundPages,)
NAV = (NavItem(frozenset({"coordinator"}), "/rounds", N_("Allocation rounds"), 40),)
