"""JSON API over the taxonomy: autocomplete, batch normalisation, an occupation's skills.

Open to every logged-in role (the taxonomy is public ESCO data plus our curation), never to
anonymous callers. Parameters are checked here so that each 4xx names the parameter at fault;
the texts themselves are never logged or echoed (they may describe a survivor's past).
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, QueryParameter, RequestBody
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.taxonomy import services
from service.domain.taxonomy.her_words import suggest_in_languages
from service.domain.taxonomy.schemas import (
    MAX_TEXT,
    MAX_TEXTS,
    Concept,
    NormalisedText,
    NormaliseRequest,
    NormaliseResponse,
    OccupationSkills,
    SkillRef,
)
from service.kernel.actor import Actor
from skills.languages import parse_language
from skills.normalise_records import KINDS, Kind
from skills.taxonomy import Suggestion, TaxonomyIndex

Text = Annotated[str | None, QueryParameter(description=f"what she typed (1 to {MAX_TEXT} characters)")]
KindParam = Annotated[str | None, QueryParameter(description="occupation | skill | isco_group (all when absent)")]
Lang = Annotated[
    str | None, QueryParameter(description="ISO 639-1 language of the text and of the labels (default: the account's)")
]
Limit = Annotated[int, QueryParameter(ge=1, le=50, description="at most this many concepts")]
Also = Annotated[
    str | None,
    QueryParameter(
        description="other ISO 639-1 languages (comma separated, e.g. her languages) searched together with lang;"
        " each answer says which language it matched and which its label is in",
        max_length=60,
    ),
]
SUGGEST_MIN_CONFIDENCE = 0.05
"""Autocomplete shows weak candidates too (a prefix scores low); batch normalisation does not."""
NORMALISE_MIN_CONFIDENCE = 0.2


def _check_text(value: str | None, name: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationException(detail=f"{name}: must not be empty")
    if len(text) > MAX_TEXT:
        raise ValidationException(detail=f"{name}: at most {MAX_TEXT} characters")
    return text


def _check_kind(value: str | None) -> Kind | None:
    if value is None or value == "":
        return None
    if value not in KINDS:
        raise ValidationException(detail=f"kind: must be one of {', '.join(KINDS)}")
    return value  # type: ignore[return-value]


async def _check_lang(value: str | None, index: TaxonomyIndex, db: AsyncSession, actor: Actor) -> str:
    """The requested language, or the caller's; it must be one the taxonomy has labels in."""
    if value is not None:
        try:
            lang = parse_language(value)
        except ValueError:
            raise ValidationException(detail="lang: must be an ISO 639-1 code such as 'de' or 'fr'") from None
    else:
        lang = await services.caller_language(db, actor)
    known = index.languages
    if lang not in known:
        if value is None and "en" in known:
            return "en"  # her account's language has no labels yet: answer in English
        listing = ", ".join(sorted(known)) or "none loaded"
        raise ValidationException(detail=f"lang: the taxonomy has no labels in {lang!r} (it has: {listing})")
    return lang


def _check_also(value: str) -> list[str]:
    try:
        return [parse_language(code) for code in value.split(",") if code.strip()]
    except ValueError:
        raise ValidationException(detail="also: must be ISO 639-1 codes separated by commas, such as 'de,ro'") from None


async def _across(
    db: AsyncSession, index: TaxonomyIndex, text: str, lang: str, also: list[str], kind: Kind | None, limit: int
) -> list[Concept]:
    found = await suggest_in_languages(
        db, text, lang, also, kind=kind, limit=limit, min_confidence=SUGGEST_MIN_CONFIDENCE
    )
    concepts = []
    for match in found.matches:
        concept = index.concepts[match.uri]
        concepts.append(
            Concept(
                id=concept.id,
                uri=concept.uri,
                kind=concept.kind,
                label=match.label.text,
                label_lang=match.label.lang,
                matched_label=match.matched,
                matched_lang=match.matched_lang,
                confidence=match.confidence,
                score=match.confidence,
            )
        )
    return concepts


def _concept(found: Suggestion) -> Concept:
    return Concept(
        id=found.concept.id,
        uri=found.concept.uri,
        kind=found.concept.kind,
        label=found.label,
        matched_label=found.matched_label,
        matched_lang=found.matched_lang,
        confidence=round(found.confidence, 4),
        score=round(found.score, 4),
    )


class SkillController(Controller):
    path = "/api/skills"
    tags = ["skills"]

    @get("/suggest", operation_id="SuggestConcepts")
    async def suggest(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: NamedDependency[Actor],
        q: Text = None,
        kind: KindParam = None,
        lang: Lang = None,
        limit: Limit = 10,
        also: Also = None,
    ) -> list[Concept]:
        """Autocomplete: concepts whose labels in ``lang`` (and the languages of ``also``) best
        match ``q``, best first."""
        text = _check_text(q, "q")
        wanted = _check_kind(kind)
        index = await services.current_index(db_session)
        language = await _check_lang(lang, index, db_session, actor)
        if also:
            return await _across(db_session, index, text, language, _check_also(also), wanted, limit)
        found = await services.suggest(index, [text], language, wanted, limit, SUGGEST_MIN_CONFIDENCE)
        return [_concept(item) for item in found[0]]

    @post("/normalise", operation_id="NormaliseTexts", status_code=200)
    async def normalise(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: NamedDependency[Actor],
        data: RequestBody[NormaliseRequest],
    ) -> NormaliseResponse:
        """Map up to 100 texts to ranked concepts with a confidence each (no good match: [])."""
        if not data.texts:
            raise ValidationException(detail="texts: must hold at least one text")
        if len(data.texts) > MAX_TEXTS:
            raise ValidationException(detail=f"texts: at most {MAX_TEXTS} texts per request")
        texts = [_check_text(text, f"texts[{i}]") for i, text in enumerate(data.texts)]
        wanted = _check_kind(data.kind)
        index = await services.current_index(db_session)
        language = await _check_lang(data.lang, index, db_session, actor)
        found = await services.suggest(index, texts, language, wanted, data.limit, NORMALISE_MIN_CONFIDENCE)
        return NormaliseResponse(
            lang=language,
            results=[NormalisedText(index=i, concepts=[_concept(c) for c in row]) for i, row in enumerate(found)],
        )


class OccupationController(Controller):
    path = "/api/occupations"
    tags = ["skills"]

    @get("/{occupation_id:str}/skills", operation_id="GetOccupationSkills")
    async def occupation_skills(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: NamedDependency[Actor],
        occupation_id: FromPath[str],
        lang: Lang = None,
    ) -> OccupationSkills:
        """The essential and optional skills of an occupation, labelled in ``lang``."""
        index = await services.current_index(db_session)
        occupation = index.by_id(occupation_id, kind="occupation") if len(occupation_id) <= 64 else None
        if occupation is None:
            raise NotFoundException(detail="occupation: not found")
        language = await _check_lang(lang, index, db_session, actor)
        essential, optional = index.occupation_skills(occupation.uri)

        def refs(uris: list[str]) -> list[SkillRef]:
            rows = [index.concept(uri) for uri in uris]
            items = [
                SkillRef(id=c.id, uri=c.uri, label=index.label(c.uri, language), skill_type=c.skill_type)
                for c in rows
                if c is not None
            ]
            return sorted(items, key=lambda item: item.label.casefold())

        return OccupationSkills(
            id=occupation.id,
            uri=occupation.uri,
            label=index.label(occupation.uri, language),
            lang=language,
            isco_group=occupation.isco_group,
            essential=refs(essential),
            optional=refs(optional),
        )


ROUTE_HANDLERS = [SkillController, OccupationController]
