"""Recording a permission from a page: POST /people/{id}/consents (her counsellor, with her
agreement) and POST /my/consents (she herself). The form and its rules: service/web/consent_form.py.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.survivors import consents
from service.domain.survivors.services import SurvivorService, provide_survivor_service
from service.kernel.deps import ActorDep, AlchemyDep
from service.web.consent_form import grant_from_form
from service.web.rendering import PageDep
from service.web.staff_pages import STAFF, consent_views
from service.web.survivor_pages import SURVIVOR, own_record


class ConsentGrantPages(Controller):
    """A permission recorded from a page; a refusal re-renders the page it came from (400)."""

    dependencies = {"survivors": Provide(provide_survivor_service)}

    @post("/people/{survivor_id:uuid}/consents", opt=STAFF, status_code=303)
    async def grant_for_her(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """Recorded by her counsellor on her behalf (the audit row names who recorded it)."""
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        done, form = await grant_from_form(request, db_session, actor, row)
        if done:
            return Response(content="", status_code=303, headers={"Location": f"/people/{survivor_id}/consents"})
        rows = await consents.list_consents(db_session, actor, row)
        views = await consent_views(db_session, rows)
        return page.render("staff/consents.html", status=400, survivor=row, consents=views, consent_form=form)

    @post("/my/consents", opt=SURVIVOR, status_code=303)
    async def grant_myself(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
    ) -> Any:
        """She gives the permission herself, from her page."""
        row = await survivors.read(actor, (await own_record(survivors, actor)).id, alchemy)
        done, form = await grant_from_form(request, db_session, actor, row)
        if done:
            return Response(content="", status_code=303, headers={"Location": "/my"})
        views = await consent_views(db_session, await consents.list_consents(db_session, actor, row))
        return page.render("my/space.html", status=400, survivor=row, consents=views, consent_form=form)


CONTROLLERS = (ConsentGrantPages,)
