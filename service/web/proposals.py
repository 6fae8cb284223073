"""A suggestion explained to the woman in front of her: skills by name, what would bridge a
gap, and a bundle's week drawn as a small timetable.

`matching` returns the essential skills a listing asks for in three groups (she has them,
related experience counts towards them, still to learn) as ESCO URIs; here they become short
sentences with the skills' names from the label service (the page's language, then hers, then
English). A skill still to learn that another suggestion in her list (a course) teaches is
named with that course: that is the bridge a counsellor can propose.

A bundle (a job or course with the childcare place and language class that make it possible)
is one proposal: :func:`timetable` lays its parts over the week, hour by hour, Monday first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.dates import get_day_names
from babel.lists import format_list

from service.domain.matches.schemas import MatchItem, OpportunitySummary
from service.domain.taxonomy.labels import Label
from service.web.forms import N_
from service.web.i18n import translate

SHOWN = 5
"""Skills named in one sentence; the rest are counted."""
HELD = N_("She already has: %(skills)s.")
RELATED = N_("Her experience in related work counts towards: %(skills)s.")
TO_LEARN = N_("Still to learn: %(skills)s.")
TAUGHT = N_("The course “%(title)s” in these suggestions teaches %(skills)s.")
WILL_LEARN = N_("She will learn: %(skills)s.")
KNOWS_PART = N_("She already knows part of it: %(skills)s.")
MORE = N_("%(items)s and %(count)s more")
SKILL_LINES = ("essential skills held: ", "related experience counts towards: ", "essential skills to learn: ")
"""matching's own skill sentences (with names in one language), replaced by the ones here."""
TALLY = re.compile(r"^has \d+ of \d+ essential skills$")
"""matching's count of essential skills: for a course, what it teaches, not what she lacks."""
COURSES = frozenset({"course", "language_class"})


def is_skill_line(text: str, kind: str = "job") -> bool:
    return text.startswith(SKILL_LINES) or (kind in COURSES and TALLY.match(text) is not None)


def names_list(uris: Sequence[str], names: Mapping[str, Label], language: str) -> str:
    """ "a, b and c" in the page's language, the first few named and the rest counted."""
    shown = [names[uri].text if uri in names else "—" for uri in uris[:SHOWN]]
    try:
        joined = format_list(shown, locale=language)
    except (ValueError, LookupError):
        joined = ", ".join(shown)
    if len(uris) > SHOWN:
        return translate(language, MORE, items=", ".join(shown), count=str(len(uris) - SHOWN))
    return joined


@dataclass(frozen=True)
class SkillSentences:
    met: list[str]
    bridges: list[str]
    missing: list[str]


def skill_sentences(
    item: MatchItem, courses: Sequence[OpportunitySummary], names: Mapping[str, Label], language: str
) -> SkillSentences:
    """Her essential skills for one suggestion as sentences, and the courses that bridge a gap
    (a course's skills are what it teaches: what she will learn, not what she lacks)."""
    if item.opportunity.kind in COURSES:
        known = [translate(language, KNOWS_PART, skills=names_list(item.skills_held, names, language))]
        taught = [*item.skills_related, *item.skills_to_learn]
        learn = [translate(language, WILL_LEARN, skills=names_list(taught, names, language))]
        said = (known if item.skills_held else []) + (learn if taught else [])
        return SkillSentences(met=said, bridges=[], missing=[])
    met = [translate(language, HELD, skills=names_list(item.skills_held, names, language))] if item.skills_held else []
    bridges = []
    if item.skills_related:
        bridges.append(translate(language, RELATED, skills=names_list(item.skills_related, names, language)))
    missing = []
    if item.skills_to_learn:
        missing.append(translate(language, TO_LEARN, skills=names_list(item.skills_to_learn, names, language)))
        lacking = set(item.skills_to_learn) | set(item.skills_related)
        for course in courses:
            taught = [uri for uri in course.skills if uri in lacking]
            if course.id != item.opportunity.id and taught:
                bridges.append(
                    translate(language, TAUGHT, title=course.title, skills=names_list(taught, names, language))
                )
                lacking -= set(taught)
    return SkillSentences(met=met, bridges=bridges, missing=missing)


def skill_uris(items: Sequence[MatchItem]) -> set[str]:
    """Every skill a page of suggestions may name (one label look-up for the page)."""
    uris: set[str] = set()
    for item in items:
        uris.update(item.skills_held, item.skills_related, item.skills_to_learn, item.opportunity.skills)
    return uris


def teaching(items: Sequence[MatchItem]) -> list[OpportunitySummary]:
    """Courses and classes among the suggestions, best first (the bridges on offer to her)."""
    return [item.opportunity for item in items if item.opportunity.kind in COURSES]


@dataclass(frozen=True)
class Part:
    number: int
    kind: str
    title: str


@dataclass(frozen=True)
class Row:
    hour: str
    cells: list[list[int]]
    """Per day (Monday first), the numbers of the parts taking place in this hour."""
    free: list[bool]
    """Per day, whether she is available for the whole hour."""


@dataclass(frozen=True)
class Timetable:
    days: list[str]
    rows: list[Row]
    parts: list[Part]


@lru_cache(maxsize=8)
def _day_names(language: str) -> tuple[str, ...]:
    names = get_day_names("abbreviated", locale=Locale.parse(language))
    return tuple(names[day] for day in range(7))


def timetable(
    parts: Sequence[OpportunitySummary], language: str, free: Sequence[str] | None = None
) -> Timetable | None:
    """The hours each part takes, per day and hour (None when no part has fixed hours), with
    the hours she is free (``free``: her availability, seven strings of 48 half-hours)."""
    available = list(free) if free and len(free) == 7 else ["0" * 48] * 7
    numbered = [(number, part) for number, part in enumerate(parts, start=1) if len(part.week) == 7]
    busy: dict[tuple[int, int], list[int]] = {}
    for number, part in numbered:
        for day, slots in enumerate(part.week):
            for hour in range(24):
                if "1" in slots[2 * hour : 2 * hour + 2]:
                    busy.setdefault((day, hour), []).append(number)
    if not busy:
        return None
    hours = sorted({hour for _, hour in busy})
    rows = [
        Row(
            hour=f"{hour:02d}:00",
            cells=[busy.get((day, hour), []) for day in range(7)],
            free=[available[day][2 * hour : 2 * hour + 2] == "11" for day in range(7)],
        )
        for hour in range(hours[0], hours[-1] + 1)
    ]
    return Timetable(
        days=list(_day_names(language)),
        rows=rows,
        parts=[Part(number, part.kind, part.title) for number, part in enumerate(parts, start=1)],
    )
