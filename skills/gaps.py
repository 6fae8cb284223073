"""A profile against an occupation: which of its skills she has, partly has, or lacks.

Partial credit comes from the taxonomy's hierarchy (a narrower or broader skill, a sibling
under a small group) and, for language skills, from her CEFR level.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from skills.languages import CefrLevel, parse_language
from skills.taxonomy import TaxonomyIndex

LEVEL_CREDIT = {1: 0.7, 2: 0.8, 3: 0.9, 4: 1.0}
"""Credit for a skill she has at level 1..4 (the scale ``matching`` uses): even a beginner's
skill counts most of the way. No stated level counts as level 3."""
NARROWER_CREDIT = (0.8, 0.6)
"""She has a more specific skill one or two steps below the requirement: most of it."""
BROADER_CREDIT = 0.6
"""She has the broader skill the requirement specialises: a good part of it."""
SIBLING_CREDIT = 0.4
MAX_SIBLING_GROUP = 40
"""Siblings only count under small groups; a group of hundreds says little about a pair."""
CEFR_LEVEL = {CefrLevel.A1: 1, CefrLevel.A2: 1, CefrLevel.B1: 2, CefrLevel.B2: 3}
"""Language skills earn credit from her CEFR level: A1-A2 basic (1) ... C1 and above expert (4)."""


@dataclass(frozen=True, slots=True)
class SkillCredit:
    """How far one required skill is covered: 1.0 fully, 0 not at all."""

    uri: str
    credit: float
    how: str | None = None
    """exact | language | narrower | broader | sibling, or None when nothing counts."""
    via: str | None = None
    """The skill of hers that earned the credit."""
    level: int | None = None


@dataclass(frozen=True, slots=True)
class GapReport:
    """A profile against an occupation: what she meets, what she lacks, and coverage.

    A skill is met only by the skill itself (or its language at a CEFR level); related skills
    add partial credit to a missing skill, shown in its ``credit``, ``how`` and ``via``.
    """

    occupation_uri: str
    met_essential: tuple[SkillCredit, ...]
    missing_essential: tuple[SkillCredit, ...]
    met_optional: tuple[SkillCredit, ...]
    missing_optional: tuple[SkillCredit, ...]
    essential_met_share: float
    """Share of essential skills met outright (1.0 when the occupation lists none)."""
    optional_met_share: float
    essential_coverage: float
    """Mean credit over essential skills, related skills included."""
    optional_coverage: float
    coverage: float
    """Essential coverage weighs twice optional coverage."""


def _credit_map(
    index: TaxonomyIndex, have: Iterable[tuple[str, int | None]], languages: dict[str, str]
) -> dict[str, SkillCredit]:
    """Credit for every concept her skills reach, keeping the best per concept."""
    credit: dict[str, SkillCredit] = {}

    def offer(uri: str, value: float, how: str, via: str, level: int | None) -> None:
        if value > 0 and (uri not in credit or value > credit[uri].credit):
            credit[uri] = SkillCredit(uri, round(value, 4), how, via, level)

    own: list[tuple[str, int | None, float]] = [
        (uri, level, LEVEL_CREDIT.get(level or 3, LEVEL_CREDIT[3])) for uri, level in have
    ]
    for uri, level, value in own:
        for parent in index.broader_of(uri):
            offer(parent, value * NARROWER_CREDIT[0], "narrower", uri, level)
            for grandparent in index.broader_of(parent):
                offer(grandparent, value * NARROWER_CREDIT[1], "narrower", uri, level)
            siblings = index.narrower_of(parent)
            if len(siblings) <= MAX_SIBLING_GROUP:
                for sibling in siblings:
                    offer(sibling, value * SIBLING_CREDIT, "sibling", uri, level)
        for child in index.narrower_of(uri):
            offer(child, value * BROADER_CREDIT, "broader", uri, level)
    for code, cefr in languages.items():
        try:
            iso, mastery = parse_language(code), CefrLevel.parse(cefr)
        except ValueError:
            continue  # the profile schema validates languages; an odd entry earns nothing here
        level = CEFR_LEVEL.get(mastery, 4)
        for skill in index.language_skills(iso):
            offer(skill, LEVEL_CREDIT[level], "language", skill, level)
    # Her own skills last, so an exact match always wins over any related credit.
    for uri, level, value in own:
        credit[uri] = SkillCredit(uri, round(value, 4), "exact", uri, level)
    return credit


def _split(required: list[str], credit: dict[str, SkillCredit]) -> tuple[list[SkillCredit], list[SkillCredit]]:
    met, missing = [], []
    for uri in required:
        found = credit.get(uri)
        if found is not None and found.how in ("exact", "language"):
            met.append(found)
        else:
            missing.append(found or SkillCredit(uri, 0.0))
    return met, missing


def _mean(values: list[float], when_none: float) -> float:
    return round(sum(values) / len(values), 4) if values else when_none


def gap_analysis(
    index: TaxonomyIndex,
    occupation_uri: str,
    have: Iterable[tuple[str, int | None]],
    languages: dict[str, str] | None = None,
) -> GapReport:
    """Compare her skills (URI, level 1..4 or None) and languages (ISO 639-1 -> CEFR, e.g.
    {"de": "B1"}) with an occupation.

    Raises ``KeyError`` for an occupation the index does not know.
    """
    concept = index.concept(occupation_uri)
    if concept is None or concept.kind != "occupation":
        raise KeyError(occupation_uri)
    essential, optional = index.occupation_skills(occupation_uri)
    credit = _credit_map(index, have, languages or {})
    met_e, missing_e = _split(essential, credit)
    met_o, missing_o = _split(optional, credit)
    essential_coverage = _mean([c.credit for c in met_e + missing_e], 1.0)
    optional_coverage = _mean([c.credit for c in met_o + missing_o], 1.0)
    if essential and optional:
        coverage = round((2 * essential_coverage + optional_coverage) / 3, 4)
    else:
        coverage = essential_coverage if essential else optional_coverage
    return GapReport(
        occupation_uri=occupation_uri,
        met_essential=tuple(met_e),
        missing_essential=tuple(missing_e),
        met_optional=tuple(met_o),
        missing_optional=tuple(missing_o),
        essential_met_share=_mean([1.0] * len(met_e) + [0.0] * len(missing_e), 1.0),
        optional_met_share=_mean([1.0] * len(met_o) + [0.0] * len(missing_o), 1.0),
        essential_coverage=essential_coverage,
        optional_coverage=optional_coverage,
        coverage=coverage,
    )
