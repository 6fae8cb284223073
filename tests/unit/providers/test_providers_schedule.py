"""Weekly schedules: blocks to masks, and the mistakes we refuse to guess at."""

from __future__ import annotations

import pytest

from providers.schedule import (
    EMPTY_WEEK,
    FULL_DAY,
    ScheduleError,
    as_booleans,
    day_masks,
    overlap,
    parse_text_blocks,
    parse_week,
    week_from_blocks,
)


def test_blocks_become_half_hour_masks_monday_first() -> None:
    week = week_from_blocks([("mon", "09:00", "12:30"), ("sun", "22:00", "24:00")])
    assert week[0] == "0" * 18 + "1" * 7 + "0" * 23
    assert week[6] == "0" * 44 + "1" * 4
    assert week[1:6] == EMPTY_WEEK[1:6]


def test_adjacent_blocks_are_fine_but_overlapping_ones_name_both() -> None:
    assert week_from_blocks([("tue", "08:00", "10:00"), ("tue", "10:00", "12:00")])[1].count("1") == 8
    with pytest.raises(ScheduleError) as error:
        week_from_blocks([("tue", "08:00", "10:00"), ("tue", "09:30", "12:00")])
    assert (error.value.field, error.value.message) == ("blocks[1]", "overlaps blocks[0]")


@pytest.mark.parametrize(
    ("block", "field"),
    [
        (("wed", "18:00", "09:00"), "blocks[0].end"),
        (("wed", "10:00", "10:00"), "blocks[0].end"),
        (("wed", "09:15", "10:00"), "blocks[0].start"),
        (("wed", "24:00", "24:00"), "blocks[0].start"),
        (("wed", "9:00", "25:00"), "blocks[0].start"),
        (("xyz", "09:00", "10:00"), "blocks[0].day"),
    ],
)
def test_bad_blocks_name_the_field(block: tuple[str, str, str], field: str) -> None:
    with pytest.raises(ScheduleError) as error:
        week_from_blocks([block])
    assert error.value.field == field


def test_seven_strings_are_checked() -> None:
    assert parse_week(["0" * 48] * 7) == EMPTY_WEEK
    with pytest.raises(ScheduleError, match="7 days"):
        parse_week(["0" * 48] * 6)
    with pytest.raises(ScheduleError) as error:
        parse_week(["0" * 48] * 6 + ["2" * 48])
    assert error.value.field == "schedule[6]"


def test_csv_text_form() -> None:
    assert parse_text_blocks("Mon 9:00-10:00; fri 14:00 - 15:30")[4] == "0" * 28 + "1" * 3 + "0" * 17
    assert parse_text_blocks("") == EMPTY_WEEK
    with pytest.raises(ScheduleError) as error:
        parse_text_blocks("mon 9-10")
    assert error.value.field == "schedule[0]"


def test_masks_booleans_and_overlap() -> None:
    week = week_from_blocks([("mon", "00:00", "00:30"), ("mon", "23:30", "24:00")])
    assert day_masks(week)[0] == 1 | (1 << 47)
    assert day_masks(["1" * 48] * 7)[3] == FULL_DAY
    assert as_booleans(week)[0][0] and not as_booleans(week)[0][1]
    assert overlap(EMPTY_WEEK, EMPTY_WEEK) == 1.0
    assert overlap(week, EMPTY_WEEK) == 0.0
    assert overlap(week, week_from_blocks([("mon", "00:00", "00:30")])) == 0.5
