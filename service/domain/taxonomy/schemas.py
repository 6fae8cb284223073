"""Taxonomy shapes in and out. The request body forbids unknown fields (SECURITY S5)."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

MAX_TEXT = 200
MAX_TEXTS = 100


class Concept(Struct, kw_only=True):
    """A proposed concept with the label to show and how sure we are."""

    id: str
    """The last segment of the URI (the ESCO UUID for skills and occupations)."""
    uri: str
    kind: str
    label: str
    """Its label in the requested language (English when it has none there)."""
    matched_label: str
    """The label the text matched, which may be an alternative or another language's."""
    matched_lang: str
    confidence: Annotated[float, Meta(ge=0, le=1)]
    score: float
    label_lang: str | None = None
    """The language ``label`` is in, when asked across languages (``also``)."""


class NormaliseRequest(Struct, forbid_unknown_fields=True, kw_only=True):
    """Texts written by a person, to map to concepts; checked one by one in the handler so an
    error can name the text at fault."""

    texts: list[str]
    kind: str | None = None
    lang: str | None = None
    limit: Annotated[int, Meta(ge=1, le=20)] = 5


class NormalisedText(Struct, kw_only=True):
    """The ranked concepts for ``texts[index]`` (empty: no good match)."""

    index: int
    concepts: list[Concept]


class NormaliseResponse(Struct, kw_only=True):
    lang: str
    results: list[NormalisedText]


class SkillRef(Struct, kw_only=True):
    id: str
    uri: str
    label: str
    skill_type: str | None = None


class OccupationSkills(Struct, kw_only=True):
    """What an occupation asks for, labelled in ``lang``."""

    id: str
    uri: str
    label: str
    lang: str
    isco_group: str | None
    essential: list[SkillRef]
    optional: list[SkillRef]
