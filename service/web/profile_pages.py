"""The whole profile in plain inputs: one form per part, each saved on its own.

`/people/{id}/profile/{part}` shows one part of her profile (service/web/profile_sections.py)
filled with what is stored; posting it saves through `SurvivorService.update_for` (the JSON
API's service and schema), or answers 400 with the errors by field and writes nothing. After a
save the profile page says "Saved" next to that part.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.survivors.models import Survivor
from service.domain.survivors.schemas import SurvivorUpdate
from service.domain.survivors.services import SurvivorService, provide_survivor_service
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import STAFF
from service.web.forms import CHECK_FIELD
from service.web.intake_pages import language_picker
from service.web.profile_sections import SECTIONS, choices
from service.web.rendering import Page, PageDep, see_other

NOT_FOUND = "profile part: not found"


async def section_context(db: AsyncSession, actor: Any, row: Survivor, page: Page, key: str) -> dict[str, Any]:
    return {
        "survivor": row,
        "section": key,
        **await choices(db, row, page.language),
        **await language_picker(db, actor, page.language),
    }


def _section(key: str) -> str:
    if key not in SECTIONS:
        raise NotFoundException(detail=NOT_FOUND)
    return key


class ProfileSectionPages(Controller):
    """One part of her profile at a time."""

    dependencies = {"survivors": Provide(provide_survivor_service)}

    @get("/people/{survivor_id:uuid}/profile/{section:str}", opt=STAFF)
    async def form(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
        section: FromPath[str],
    ) -> Any:
        """The part's form, filled with what is stored."""
        key = _section(section)
        row = await survivors.read(actor, survivor_id, alchemy)
        context = await section_context(db_session, actor, row, page, key)
        return page.render(f"counsellor/section_{key}.html", values={}, errors={}, **context)

    @post("/people/{survivor_id:uuid}/profile/{section:str}", opt=STAFF, status_code=303)
    async def save(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
        section: FromPath[str],
    ) -> Any:
        """Save the part, or show it again with its errors by field (nothing written)."""
        key = _section(section)
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        form = await request.form()
        errors: dict[str, str] = {}
        changes = await SECTIONS[key].read(db_session, form, row, page.language, errors)
        update: SurvivorUpdate | None = None
        if not errors:
            try:
                update = msgspec.convert(changes, SurvivorUpdate)
            except msgspec.ValidationError:
                errors["__all__"] = CHECK_FIELD
        if update is None:
            context = await section_context(db_session, actor, row, page, key)
            values = {name: form.getall(name) if len(form.getall(name)) > 1 else form.get(name) for name in form}
            return page.render(f"counsellor/section_{key}.html", status=400, values=values, errors=errors, **context)
        await survivors.update_for(actor, survivor_id, update, alchemy)
        return see_other(f"/people/{survivor_id}?saved={key}#part-{key}")


__all__ = ["ProfileSectionPages"]

CONTROLLERS = (ProfileSectionPages,)
