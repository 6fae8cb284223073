"""A printable CV, built from her profile in the language she chooses.

Only what an employer needs: the name she chose, her languages, skills, work and education
(what, in which country, when). Nothing about what she went through, her shelter, where she
lives, her contact or the organisation supporting her is ever put on it: the CV is built from
an explicit list of parts (`cv_of`), not by leaving things out of the whole profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.survivors.models import Survivor
from service.domain.survivors.services import SurvivorService, provide_survivor_service
from service.domain.taxonomy.labels import concept_labels, her_languages
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import STAFF
from service.web.forms import N_
from service.web.i18n import LANGUAGES, direction, translate
from service.web.profile_words import EDUCATION_LEVELS, LEVEL_WORDS, country_name, language_name
from service.web.rendering import Page, PageDep
from service.web.survivor_pages import SURVIVOR, own_record

CvLanguage = Annotated[str | None, QueryParameter(name="language", max_length=8)]
HEADINGS = {
    "title": N_("Curriculum vitae"),
    "languages": N_("Languages"),
    "skills": N_("Skills"),
    "work": N_("Work experience"),
    "education": N_("Education"),
    "completed": N_("completed"),
    "not_completed": N_("not completed"),
}


@dataclass(frozen=True, slots=True)
class CvLine:
    what: str
    detail: str
    when: str


def _years(start: Any, end: Any) -> str:
    if start and end:
        return f"{start}–{end}"
    return str(start or end or "")


async def cv_of(db: AsyncSession, row: Survivor, language: str) -> dict[str, Any]:
    """Her CV's parts in ``language``: the name she chose, languages, skills, work, education."""
    uris = [entry["uri"] for entry in row.skills or [] if entry.get("uri")]
    names = await concept_labels(db, uris, reader=language, also=her_languages(row.languages))
    skills = [names[uri].text for uri in uris if names[uri].known]
    work = [
        CvLine(
            str(entry.get("title") or ""),
            country_name(entry.get("country"), language),
            _years(entry.get("year_from"), entry.get("year_to")),
        )
        for entry in row.work_history or []
    ]
    education = [_education(entry, language) for entry in row.education or []]
    spoken = [_spoken(entry, language) for entry in row.languages or []]
    return {
        "name": row.display_name,
        "languages": spoken,
        # A skill the taxonomy no longer holds is left out (never shown as an address).
        "skills": skills,
        "work": work,
        "education": education,
        "words": {key: translate(language, text) for key, text in HEADINGS.items()},
        "cv_language": language,
        "cv_dir": direction(language),
    }


def _words(language: str, message: str | None) -> str:
    # Never gettext(""): it answers with the catalogue's header.
    return translate(language, message) if message else ""


def _education(entry: dict[str, Any], language: str) -> CvLine:
    level = _words(language, EDUCATION_LEVELS.get(int(entry.get("isced_level") or 0)))
    done = HEADINGS["completed" if entry.get("completed", True) else "not_completed"]
    detail = ", ".join(
        part for part in (level, country_name(entry.get("country"), language), _words(language, done)) if part
    )
    return CvLine(str(entry.get("field") or level), detail, str(entry.get("year_to") or ""))


def _spoken(entry: dict[str, Any], language: str) -> tuple[str, str]:
    return language_name(str(entry.get("code")), language), _words(language, LEVEL_WORDS.get(str(entry.get("level"))))


def _language(asked: str | None, page: Page) -> str:
    return asked if asked in LANGUAGES else page.language


class CvPages(Controller):
    """Her CV, for her counsellor to print with her, and for her."""

    dependencies = {"survivors": Provide(provide_survivor_service)}

    @get("/people/{survivor_id:uuid}/cv", opt=STAFF)
    async def for_her(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
        language: CvLanguage = None,
    ) -> Any:
        """The CV in the language chosen (the page's by default)."""
        row = await survivors.read(actor, survivor_id, alchemy)
        cv = await cv_of(db_session, row, _language(language, page))
        back = f"/people/{row.id}"
        return page.render("counsellor/cv.html", cv=cv, action=f"/people/{row.id}/cv", back=back)

    @get("/my/cv", opt=SURVIVOR)
    async def mine(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        language: CvLanguage = None,
    ) -> Any:
        """Her own CV, in the language she chooses."""
        row = await survivors.read(actor, (await own_record(survivors, actor)).id, alchemy)
        cv = await cv_of(db_session, row, _language(language, page))
        return page.render("counsellor/cv.html", cv=cv, action="/my/cv", back="/my")


__all__ = ["CvPages"]

CONTROLLERS = (CvPages,)
