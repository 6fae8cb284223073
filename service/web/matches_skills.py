"""Her skills, target occupations and languages: the editor with autocomplete.

Skills and occupations are stored as ESCO URIs, never as free text. The counsellor writes what
she says in her own words; with JavaScript, htmx asks `/people/{id}/skills/suggest` for the
concepts that match and shows them as a choice of radio buttons; without it, the text is
normalised on submit with the same skills normaliser (``service.domain.taxonomy.services.suggest``)
and "no good match" comes back as a field error. Suggestions are asked for with POST so the
words she used never appear in a URL or an access log line.

Saving goes through ``SurvivorService.update_for`` with the same ``SurvivorUpdate`` schema as the
JSON API; existing entries are named by their stored URI and only those can be kept, so a form
cannot slip in a concept it did not offer except through the normaliser or the taxonomy check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.survivors.models import Survivor
from service.domain.survivors.schemas import SurvivorUpdate
from service.domain.survivors.services import SurvivorService, provide_survivor_service
from service.domain.taxonomy import services as skill_services
from service.domain.taxonomy.her_words import WordSearch, suggest_in_languages
from service.domain.taxonomy.labels import concept_labels, her_languages
from service.kernel.audit import record_now
from service.kernel.deps import ActorDep, AlchemyDep
from service.web.forms import N_
from service.web.i18n import LANGUAGES
from service.web.matches_words import CEFR_LEVELS, SKILL_LEVELS, language_name, level_name
from service.web.rendering import Page, PageDep, see_other
from service.web.staff_pages import STAFF
from skills.languages import ISO_639_1
from skills.normalise_records import Kind

MAX_TEXT = 200
SUGGESTIONS = 6
SUGGEST_MIN_CONFIDENCE = 0.05
"""As the autocomplete API: while she is still typing, a prefix scores low."""
ACCEPT_MIN_CONFIDENCE = 0.2
"""As the batch normalisation API: below this, a text is "no good match", not a guess."""
NO_MATCH = N_("No good match for these words. Try other words, or pick one of the suggestions.")
TOO_LONG = N_("This text is too long.")
CHOOSE_LANGUAGE = N_("Please choose a language from the list.")
CHOOSE_LEVEL = N_("Please choose a level from the list.")
TOO_MANY = N_("There are too many entries here; please remove some first.")
FIELDS = {"skill": "new_skill", "occupation": "new_occupation"}


@dataclass(frozen=True)
class Entry:
    """One stored entry as the form shows it."""

    key: str
    """The stored URI (skills, occupations) or language code."""
    label: str
    level: str


async def _suggest(
    db: AsyncSession, row: Survivor, text: str, language: str, kind: Kind, limit: int, floor: float
) -> WordSearch:
    """Her words searched in the page's language, her languages and English together."""
    also = her_languages(row.languages)
    return await suggest_in_languages(
        db, text, language, also, kind=kind, limit=limit, min_confidence=floor, then=tuple(LANGUAGES)
    )


def _form_text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


class SkillPages(Controller):
    """The skills, occupations and languages editor."""

    dependencies = {"survivors": Provide(provide_survivor_service)}

    @staticmethod
    async def _context(db: AsyncSession, row: Survivor, page: Page) -> dict[str, Any]:
        language = page.language
        stored = [entry["uri"] for entry in row.skills or [] if entry.get("uri")]
        targets = list((row.goals or {}).get("target_occupations") or [])
        names = await concept_labels(db, [*stored, *targets], language, her_languages(row.languages))
        skills = [
            Entry(entry["uri"], names[entry["uri"]].text, str(entry.get("level") or 2))
            for entry in row.skills or []
            if entry.get("uri")
        ]
        occupations = [Entry(uri, names[uri].text, "") for uri in targets if uri in names]
        languages = [
            Entry(entry["code"], language_name(entry["code"], language), entry["level"])
            for entry in row.languages or []
            if entry.get("code")
        ]
        return {
            "person": {"id": row.id, "name": row.display_name},
            "skills": skills,
            "occupations": occupations,
            "spoken": languages,
            "skill_levels": [(str(level), page.t(name)) for level, name in SKILL_LEVELS.items()],
            "cefr_levels": [(level, level_name(level, language)) for level in CEFR_LEVELS],
            "language_choices": sorted(
                ((code, language_name(code, language)) for code in ISO_639_1), key=lambda pair: pair[1].casefold()
            ),
        }

    @get("/people/{survivor_id:uuid}/skills", opt=STAFF)
    async def form(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """The editor, filled with what is stored."""
        row = await survivors.read(actor, survivor_id, alchemy)
        context = await self._context(db_session, row, page)
        return page.render("matches/skills.html", **context, values={}, errors={})

    @post("/people/{survivor_id:uuid}/skills", opt=STAFF, status_code=303)
    async def save(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """Keep, re-level or remove entries and add new ones; every wrong field is named."""
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        form = await request.form()
        errors: dict[str, str] = {}
        skills = await self._skills(db_session, row, form, page.language, errors)
        occupations = await self._occupations(db_session, row, form, page.language, errors)
        # (both search her words in the page's language, hers and English: _new_concept)
        languages = self._languages(row, form, errors)
        update = None
        if not errors:
            goals = {**(row.goals or {}), "target_occupations": occupations}
            try:
                update = msgspec.convert(
                    {"skills": skills, "languages": languages, "goals": goals}, SurvivorUpdate, from_attributes=True
                )
            except msgspec.ValidationError as problem:
                where = str(problem).rsplit("$.", 1)[-1].split(".")[0].split("[")[0]
                field = {"skills": "new_skill", "languages": "new_language"}.get(where, "new_occupation")
                errors[field] = TOO_MANY
        if update is None:
            context = await self._context(db_session, row, page)
            values = {name: _form_text(form, name) for name in ("new_skill", "new_occupation", "new_language")}
            await record_now(alchemy, actor, "survivor.read", "survivor", survivor_id, outcome="allowed", detail="form")
            return page.render("matches/skills.html", status=400, **context, values=values, errors=errors)
        unchanged = (
            skills == list(row.skills or [])
            and languages == list(row.languages or [])
            and occupations == list((row.goals or {}).get("target_occupations") or [])
        )
        if not unchanged:
            await survivors.update_for(actor, survivor_id, update, alchemy)
        return see_other(f"/people/{survivor_id}")

    async def _skills(
        self, db: AsyncSession, row: Survivor, form: Any, language: str, errors: dict[str, str]
    ) -> list[dict[str, Any]]:
        kept: list[dict[str, Any]] = []
        for number, entry in enumerate(row.skills or []):
            if form.get(f"skill_remove_{number}") is not None or not entry.get("uri"):
                continue
            level = form.get(f"skill_level_{number}")
            chosen = int(level) if level in ("1", "2", "3", "4") else int(entry.get("level") or 2)
            kept.append({**entry, "level": chosen})
        uri = await self._new_concept(db, row, form, "skill", language, errors)
        if uri is not None and uri not in {entry["uri"] for entry in kept}:
            level = form.get("new_skill_level")
            kept.append({"uri": uri, "level": int(level) if level in ("1", "2", "3", "4") else 2, "evidence": None})
        return kept

    async def _occupations(
        self, db: AsyncSession, row: Survivor, form: Any, language: str, errors: dict[str, str]
    ) -> list[str]:
        stored = list((row.goals or {}).get("target_occupations") or [])
        kept = [uri for number, uri in enumerate(stored) if form.get(f"occupation_remove_{number}") is None]
        uri = await self._new_concept(db, row, form, "occupation", language, errors)
        if uri is not None and uri not in kept:
            kept.append(uri)
        return kept

    @staticmethod
    async def _new_concept(
        db: AsyncSession, row: Survivor, form: Any, kind: Kind, language: str, errors: dict[str, str]
    ) -> str | None:
        """The concept picked from the suggestions, else the best match for the words written."""
        field = FIELDS[kind]
        picked = _form_text(form, f"{field}_uri")
        if picked:
            index = await skill_services.current_index(db)
            concept = index.concept(picked)
            if concept is not None and concept.kind == kind:
                return concept.uri
        text = _form_text(form, field)
        if not text:
            return None
        if len(text) > MAX_TEXT:
            errors[field] = TOO_LONG
            return None
        found = await _suggest(db, row, text, language, kind, 1, ACCEPT_MIN_CONFIDENCE)
        if not found.matches:
            errors[field] = NO_MATCH
            return None
        return found.matches[0].uri

    @staticmethod
    def _languages(row: Survivor, form: Any, errors: dict[str, str]) -> list[dict[str, str]]:
        kept: list[dict[str, str]] = []
        for number, entry in enumerate(row.languages or []):
            if form.get(f"language_remove_{number}") is not None or not entry.get("code"):
                continue
            level = form.get(f"language_level_{number}")
            kept.append({"code": entry["code"], "level": level if level in CEFR_LEVELS else entry["level"]})
        code = _form_text(form, "new_language")
        if not code:
            return kept
        level = form.get("new_language_level")
        if code not in ISO_639_1:
            errors["new_language"] = CHOOSE_LANGUAGE
        elif level not in CEFR_LEVELS:
            errors["new_language_level"] = CHOOSE_LEVEL
        else:
            kept = [entry for entry in kept if entry["code"] != code] + [{"code": code, "level": str(level)}]
        return kept

    @post("/people/{survivor_id:uuid}/skills/suggest", opt=STAFF, status_code=200)
    async def suggest(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """The suggestion list (an htmx fragment) for the skill or occupation being typed."""
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        form = await request.form()
        kind: Kind = "occupation" if form.get("suggest") == "occupation" else "skill"
        field = FIELDS[kind]
        text = _form_text(form, field)
        found = (
            await _suggest(db_session, row, text, page.language, kind, SUGGESTIONS, SUGGEST_MIN_CONFIDENCE)
            if (text and len(text) <= MAX_TEXT)
            else None
        )
        return page.render(
            "matches/suggestions.html",
            field=field,
            options=found.matches if found else [],
            searched=[language_name(code, page.language) for code in (found.searched if found else ())],
            without_labels=[language_name(code, page.language) for code in (found.without_labels if found else ())],
            asked=bool(text),
        )


__all__ = ["SkillPages"]
