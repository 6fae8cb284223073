"""Adding a person from the caseload: the short first-meeting form.

How she wants to be called, her languages, her region (by name), how to reach her safely and
which counsellor: the rest of the profile is filled in over later visits. Before a second
record with the same name and birth year is created in the organisation, the page warns and
asks to confirm (`intake.possible_duplicates`); nothing is written until then. The record is
created by `intake.register` over `SurvivorService.create_for`, as the JSON API does.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.survivors import intake
from service.domain.survivors.models import Survivor
from service.domain.survivors.schemas import SurvivorCreate
from service.domain.survivors.services import SurvivorService, provide_survivor_service
from service.kernel.actor import Actor
from service.kernel.deps import ActorDep
from service.kernel.roles import STAFF, Role
from service.web.i18n import translate
from service.web.profile_forms import CHOOSE, TOO_LONG, YEAR, Errors, display_name, language_row, region, text, whole
from service.web.profile_words import CEFR_NAMES, all_languages, common_languages
from service.web.regions import region_choices
from service.web.rendering import Page, PageDep, see_other

LANGUAGE_ROWS = ("language_1", "language_2")


async def recorded_languages(db: AsyncSession, actor: Actor, limit: int = 400) -> list[str]:
    """Languages recorded in her organisation, most frequent first (no names are read)."""
    if actor.organisation_id is None:
        return []
    rows = await db.scalars(
        select(Survivor.languages).where(Survivor.organisation_id == actor.organisation_id).limit(limit)
    )
    counts: dict[str, int] = {}
    for entries in rows:
        for entry in entries or []:
            code = entry.get("code") if isinstance(entry, dict) else None
            if code:
                counts[code] = counts.get(code, 0) + 1
    return sorted(counts, key=lambda code: -counts[code])


async def language_picker(db: AsyncSession, actor: Actor, language: str) -> dict[str, Any]:
    """The language picker's lists: the common ones, every language (for the search), levels."""
    return {
        "common_languages": common_languages(await recorded_languages(db, actor), language),
        "all_languages": all_languages(language),
        "levels": [(code, translate(language, name)) for code, name in CEFR_NAMES.items()],
    }


class IntakePages(Controller):
    """The first-meeting form."""

    dependencies = {"survivors": Provide(provide_survivor_service)}

    @staticmethod
    async def _context(page: Page, db: AsyncSession, actor: Actor) -> dict[str, Any]:
        return {
            "regions": region_choices(page.language),
            "counsellors": await intake.counsellors_of(db, actor.organisation_id)
            if actor.role is Role.COORDINATOR
            else [],
            **await language_picker(db, actor, page.language),
        }

    @get("/people/new", opt=STAFF)
    async def form(self, page: PageDep, db_session: NamedDependency[AsyncSession], actor: ActorDep) -> Any:
        """The empty form (her first language defaults to "native")."""
        context = await self._context(page, db_session, actor)
        values = {"language_1_level": "native", "language_2_level": "A2"}
        return page.render("counsellor/intake.html", values=values, errors={}, duplicates=0, **context)

    @post("/people/new", opt=STAFF, status_code=303)
    async def create(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
    ) -> Any:
        """Create her, or show the errors by field, or ask to confirm a possible duplicate."""
        form = await request.form()
        errors: Errors = {}
        name = display_name(form, errors)
        birth_year = whole(form, "birth_year", 1930, 2012, YEAR, errors)
        home = region(form, "region", errors)
        spoken = [entry for prefix in LANGUAGE_ROWS if (entry := language_row(form, prefix, page.language, errors))]
        contact = text(form, "contact")
        if len(contact) > 200:
            errors["contact"] = TOO_LONG
        counsellor_id = self._counsellor(form, actor, errors)
        values = {key: text(form, key) for key in form}
        context = await self._context(page, db_session, actor)
        if counsellor_id is not None and actor.role is Role.COORDINATOR:
            if counsellor_id not in dict(context["counsellors"]):
                errors["counsellor"] = CHOOSE
        if errors:
            return page.render(
                "counsellor/intake.html", status=400, values=values, errors=errors, duplicates=0, **context
            )
        duplicates = await intake.possible_duplicates(db_session, actor, name, birth_year)
        if duplicates and text(form, "confirm_duplicate") != "yes":
            return page.render(
                "counsellor/intake.html", status=409, values=values, errors={}, duplicates=duplicates, **context
            )
        data = msgspec.convert(
            {
                "display_name": name,
                "region": home,
                "birth_year": birth_year,
                "contact": contact or None,
                "languages": list({entry["code"]: entry for entry in spoken}.values()),
            },
            SurvivorCreate,
        )
        created = await intake.register(survivors, actor, data, counsellor_id)
        return see_other(f"/people/{created.id}?saved=created")

    @staticmethod
    def _counsellor(form: Any, actor: Actor, errors: Errors) -> UUID | None:
        """A coordinator picks a counsellor (or none yet); a counsellor is the counsellor."""
        if actor.role is not Role.COORDINATOR:
            return actor.user_id
        chosen = text(form, "counsellor")
        if not chosen:
            return None
        try:
            return UUID(chosen)
        except ValueError:
            errors["counsellor"] = CHOOSE
            return None


__all__ = ["IntakePages"]

CONTROLLERS = (IntakePages,)
