"""Her own space: what is kept about her, who may see what until when, and her pace.

Calm and short on purpose: one page, three sections, every change one tap. Her record is found
through the session (never an id in the URL), exactly as GET /api/me/profile finds it.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.survivors import consents
from service.domain.survivors.models import Survivor
from service.domain.survivors.schemas import PreferencesUpdate
from service.domain.survivors.services import NOT_FOUND, SurvivorService, provide_survivor_service, visible_to
from service.kernel.actor import Actor
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import Role, roles
from service.web.consent_form import empty_form
from service.web.forms import N_
from service.web.navigation import NavItem
from service.web.rendering import PageDep
from service.web.staff_pages import consent_views

SURVIVOR = roles(Role.SURVIVOR)
PACES = ("ready", "not_now")


async def own_record(survivors: SurvivorService, actor: Actor) -> Survivor:
    """Her profile, through the same scope clause as every other read."""
    row = await survivors.get_one_or_none(visible_to(actor))
    if row is None:
        raise NotFoundException(detail=NOT_FOUND)
    return row


class MySpacePages(Controller):
    """GET /my and the pause toggle."""

    dependencies = {"survivors": Provide(provide_survivor_service)}

    @get("/my", opt=SURVIVOR)
    async def my_space(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
    ) -> Any:
        """Her summary, her consents and her pace, on one page."""
        row = await survivors.read(actor, (await own_record(survivors, actor)).id, alchemy)
        rows = await consents.list_consents(db_session, actor, row)
        views = await consent_views(db_session, rows)
        form = await empty_form(db_session, row)
        return page.render("my/space.html", survivor=row, consents=views, consent_form=form)

    @post("/my/pace", opt=SURVIVOR, status_code=303)
    async def set_pace(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
    ) -> Response[Any]:
        """Her pace: "not now" pauses suggestions, "ready" resumes them (SurvivorService.update_for)."""
        pace = (await request.form()).get("readiness")
        if pace not in PACES:
            return page.render("error.html", status=400)
        own = await own_record(survivors, actor)
        await survivors.update_for(actor, own.id, PreferencesUpdate(readiness=pace), alchemy)  # type: ignore[arg-type]
        return Response(content="", status_code=303, headers={"Location": "/my"})


CONTROLLERS = (MySpacePages,)
NAV = (NavItem(frozenset({"survivor"}), "/my", N_("My page"), 10),)
