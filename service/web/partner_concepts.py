"""Occupation and skills on the partner's form, by name in her language.

Names come from the shared label service (service/domain/taxonomy/labels.py) where a listing
is shown, and from the taxonomy index's labels in the page language while she types. The
partner writes the occupation in her own words; htmx offers matching terms to
pick, and without JavaScript the best match above ``ACCEPT_MIN_CONFIDENCE`` is taken on submit,
or "no good match" comes back on the field. The skills ESCO lists for the chosen occupation
are offered as ticks (needed / helps); only skills the taxonomy knows are kept, so a form
cannot slip in anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.taxonomy import services as skill_services
from service.domain.taxonomy.labels import concept_labels
from service.web.partner_forms import MESSAGES
from skills.normalise import Kind
from skills.taxonomy import TaxonomyIndex

SUGGESTIONS = 6
SUGGEST_MIN_CONFIDENCE = 0.05
ACCEPT_MIN_CONFIDENCE = 0.2
MAX_TEXT = 200
MAX_OFFERED = 40
MAX_SKILLS = 50


@dataclass(frozen=True)
class OfferedSkill:
    uri: str
    label: str
    needed: bool
    helps: bool
    essential_in_esco: bool


def _language(index: TaxonomyIndex, language: str) -> str:
    return language if language in index.languages else "en"


def _known(index: TaxonomyIndex, uri: str, kind: str) -> bool:
    concept = index.concept(uri)
    return concept is not None and concept.kind == kind


async def suggestions(db: AsyncSession, text: str, language: str, kind: Kind) -> list[tuple[str, str, str]]:
    """(uri, label, matched words) of the concepts matching what she is typing."""
    if not text or len(text) > MAX_TEXT:
        return []
    index = await skill_services.current_index(db)
    found = await skill_services.suggest(
        index, [text], _language(index, language), kind, SUGGESTIONS, SUGGEST_MIN_CONFIDENCE
    )
    return [(item.concept.uri, item.label, item.matched_label) for item in found[0]]


async def _resolve(db: AsyncSession, index: TaxonomyIndex, form: Any, name: str, kind: Kind, language: str) -> Any:
    """The concept picked, kept or written for one field: a URI, None (empty), or False (no match)."""
    picked = _text(form, f"{name}_pick")
    if picked and _known(index, picked, kind):
        return picked
    text = _text(form, f"{name}_text")
    if not text:
        return None
    current = _text(form, f"{name}_current")
    if current and _known(index, current, kind) and index.label(current, language) == text:
        return current
    if len(text) > MAX_TEXT:
        return False
    found = await skill_services.suggest(index, [text], _language(index, language), kind, 1, ACCEPT_MIN_CONFIDENCE)
    return found[0][0].concept.uri if found[0] else False


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _ticked(form: Any, name: str, index: TaxonomyIndex) -> list[str]:
    values = form.getall(name, []) if hasattr(form, "getall") else []
    kept: list[str] = []
    for uri in values:
        if isinstance(uri, str) and _known(index, uri, "skill") and uri not in kept:
            kept.append(uri)
    return kept


async def read_concepts(
    db: AsyncSession, form: Any, language: str, values: dict[str, Any], shown: dict[str, Any], errors: dict[str, str]
) -> None:
    """Fill the occupation and both skill lists into ``values`` (and ``shown``, ``errors``)."""
    index = await skill_services.current_index(db)
    occupation = await _resolve(db, index, form, "occupation", "occupation", language)
    shown["occupation_text"] = _text(form, "occupation_text")
    if occupation is False:
        errors["occupation_uri"] = MESSAGES["occupation_uri"]
        occupation = None
    else:
        shown["occupation_text"] = index.label(occupation, language) if occupation else ""
    values["occupation_uri"] = shown["occupation_uri"] = occupation
    needed = _ticked(form, "essential_skills", index)
    helps = [uri for uri in _ticked(form, "optional_skills", index) if uri not in needed]
    extra = await _resolve(db, index, form, "skill", "skill", language)
    shown["skill_text"] = _text(form, "skill_text") if extra is False else ""
    if extra is False:
        errors["skill_text"] = MESSAGES["occupation_uri"]
    elif extra and extra not in needed:
        needed.append(extra)
        helps = [uri for uri in helps if uri != extra]
    if len(needed) > MAX_SKILLS:
        errors["essential_skills"] = MESSAGES["essential_skills"]
    if len(helps) > MAX_SKILLS:
        errors["optional_skills"] = MESSAGES["optional_skills"]
    values["essential_skills"], values["optional_skills"] = needed, helps
    shown["essential_skills"], shown["optional_skills"] = needed, helps


async def concept_context(db: AsyncSession, language: str, shown: dict[str, Any]) -> dict[str, Any]:
    """The occupation's name and the skills to offer as ticks (ESCO's for it, and those ticked)."""
    index = await skill_services.current_index(db)
    occupation = shown.get("occupation_uri") or None
    needed = list(shown.get("essential_skills") or [])
    helps = list(shown.get("optional_skills") or [])
    essential, optional = index.occupation_skills(occupation) if occupation else ([], [])
    order = [*needed, *helps, *essential, *optional]
    seen: list[str] = []
    for uri in order:
        if uri not in seen and (uri in needed or uri in helps or len(seen) < MAX_OFFERED):
            seen.append(uri)
    offered = [
        OfferedSkill(uri, index.label(uri, language), uri in needed, uri in helps, uri in essential) for uri in seen
    ]
    return {
        "occupation_label": index.label(occupation, language) if occupation else "",
        "offered_skills": sorted(offered, key=lambda s: (not s.essential_in_esco, s.label.casefold())),
    }


async def concept_names(db: AsyncSession, uris: set[str], language: str) -> dict[str, str]:
    """Names in the page's language through the shared label service (issue 13), never addresses."""
    if not uris:
        return {}
    return {uri: label.text for uri, label in (await concept_labels(db, uris, language)).items()}
