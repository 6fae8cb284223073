"""A suggestion explained: skill sentences by name, course bridges, and a bundle's timetable."""

from __future__ import annotations

from uuid import uuid4

from service.domain.matches.schemas import MatchItem, OpportunitySummary
from service.domain.taxonomy.labels import Label
from service.web.proposals import names_list, skill_sentences, teaching, timetable

MORNINGS = ["0" * 18 + "1" * 8 + "0" * 22] * 5 + ["0" * 48] * 2
DAYTIME = ["0" * 14 + "1" * 20 + "0" * 14] * 5 + ["0" * 48] * 2
NAMES = {
    uri: Label(text, "en") for uri, text in (("s:cook", "cooking"), ("s:clean", "cleaning"), ("s:iron", "ironing"))
}


def _summary(
    kind: str, title: str, week: list[str] | None = None, skills: list[str] | None = None
) -> OpportunitySummary:
    return OpportunitySummary(
        id=uuid4(),
        kind=kind,
        title=title,
        partner="P",
        region="DE30",
        schedule="",
        week=week or [],
        skills=skills or [],
    )


def _item(opportunity: OpportunitySummary, **skills: list[str]) -> MatchItem:
    return MatchItem(
        opportunity=opportunity, score=0.5, features={}, contributions={}, met=[], missing=[], bridges=[], bundle=None,
        **skills,
    )  # fmt: skip


def test_skills_are_named_in_sentences_and_a_course_bridges_what_is_missing() -> None:
    job = _item(_summary("job", "Kitchen helper"), skills_held=["s:cook"], skills_to_learn=["s:clean", "s:iron"])
    course = _item(_summary("course", "Cleaning basics", skills=["s:clean"]))
    said = skill_sentences(job, teaching([job, course]), NAMES, "en")
    assert said.met == ["She already has: cooking."]
    assert said.missing == ["Still to learn: cleaning and ironing."]
    assert said.bridges == ["The course “Cleaning basics” in these suggestions teaches cleaning."]
    german = skill_sentences(job, [], NAMES, "de")
    assert german.missing == ["Noch zu lernen: cleaning und ironing."]


def test_long_lists_are_counted_and_unknown_names_never_show_an_address() -> None:
    uris = [f"s:{n}" for n in range(8)]
    said = names_list(uris, {}, "en")
    assert "s:" not in said and said.endswith("and 3 more")


def test_a_bundles_week_marks_each_part_by_hour_and_day() -> None:
    parts = [_summary("job", "Kitchen helper", MORNINGS), _summary("childcare", "Nursery", DAYTIME)]
    week = timetable(parts, "en")
    assert week is not None and week.days[0] == "Mon" and len(week.days) == 7
    assert [row.hour for row in week.rows] == [f"{hour:02d}:00" for hour in range(7, 17)]
    nine = next(row for row in week.rows if row.hour == "09:00")
    assert nine.cells[0] == [1, 2] and nine.cells[5] == []
    assert nine.free == [False] * 7
    seven = next(row for row in week.rows if row.hour == "07:00")
    assert seven.cells[0] == [2]
    assert timetable([_summary("job", "Flexible")], "en") is None


def test_a_course_says_what_she_will_learn_not_what_she_lacks() -> None:
    course = _item(_summary("course", "Kitchen course"), skills_held=["s:cook"], skills_to_learn=["s:clean"])
    said = skill_sentences(course, [], NAMES, "en")
    assert said.met == ["She already knows part of it: cooking.", "She will learn: cleaning."]
    assert said.missing == [] and said.bridges == []


def test_the_week_shades_the_hours_she_is_free() -> None:
    parts = [_summary("job", "Kitchen helper", MORNINGS), _summary("childcare", "Nursery", DAYTIME)]
    week = timetable(parts, "en", free=MORNINGS)
    assert week is not None
    rows = {row.hour: row for row in week.rows}
    assert rows["09:00"].free == [True] * 5 + [False] * 2 and rows["14:00"].free == [False] * 7
