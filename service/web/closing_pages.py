"""Closing and reopening a case, and her data rights within reach.

`/people/{id}/close` asks for the reason and closes through `datarights.closing.close`
(follow-ups cancelled, partner permissions ended, retention clock started); `/reopen` reopens
until retention has run. Her data as JSON is the data-rights API's download
(`/api/survivors/{id}/export`, `/api/me/export`); an erasure request is recorded from her
profile (by her counsellor, on her behalf) or from her own page (`datarights.erasure`).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.datarights import closing
from service.domain.datarights.erasure import request_erasure
from service.domain.survivors.services import SurvivorService, provide_survivor_service
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import STAFF
from service.web.forms import N_
from service.web.profile_words import CLOSE_REASON_NAMES as REASON_NAMES
from service.web.rendering import PageDep, see_other
from service.web.survivor_pages import SURVIVOR, own_record

CHOOSE_REASON = N_("Please choose why the case is closed.")


class ClosingPages(Controller):
    """Closing, reopening, and an erasure request recorded on her behalf."""

    dependencies = {"survivors": Provide(provide_survivor_service)}

    @get("/people/{survivor_id:uuid}/close", opt=STAFF)
    async def form(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """The reasons, and what closing ends."""
        row = await survivors.read(actor, survivor_id, alchemy)
        return page.render("counsellor/close.html", survivor=row, reasons=REASON_NAMES, errors={}, chosen=None)

    @post("/people/{survivor_id:uuid}/close", opt=STAFF, status_code=303)
    async def close(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """Close with the reason chosen, or name the missing reason (nothing is changed)."""
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        reason = (await request.form()).get("reason")
        if reason not in closing.CLOSE_REASONS or row.closed_at is not None:
            errors = {"reason": CHOOSE_REASON} if reason not in closing.CLOSE_REASONS else {}
            status = 400 if errors else 409
            context = {"survivor": row, "reasons": REASON_NAMES, "errors": errors, "chosen": reason}
            return page.render("counsellor/close.html", status=status, **context)
        await closing.close(db_session, actor, row, str(reason))
        return see_other(f"/people/{survivor_id}?saved=closed")

    @post("/people/{survivor_id:uuid}/reopen", opt=STAFF, status_code=303)
    async def reopen(
        self,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """Reopen (409 once retention has anonymised her, or when the case is open)."""
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        await closing.reopen(db_session, actor, row)
        return see_other(f"/people/{survivor_id}?saved=reopened")

    @post("/people/{survivor_id:uuid}/erasure-request", opt=STAFF, status_code=303)
    async def erasure_request(
        self,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """Her request to be erased, recorded by her counsellor; a coordinator acts on it."""
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        await request_erasure(db_session, actor, row)
        return see_other(f"/people/{survivor_id}?saved=erasure")


class MyDataPages(Controller):
    """Her erasure request from her own page."""

    dependencies = {"survivors": Provide(provide_survivor_service)}

    @post("/my/erasure-request", opt=SURVIVOR, status_code=303)
    async def erasure_request(
        self,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
    ) -> Any:
        """She asks to be erased; her organisation's coordinators see the request."""
        await request_erasure(db_session, actor, await own_record(survivors, actor))
        return see_other("/my?saved=erasure")


__all__ = ["ClosingPages", "MyDataPages"]

CONTROLLERS = (ClosingPages, MyDataPages)
