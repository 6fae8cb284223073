"""Weekly timetables: packing, night shifts across midnight, widening for travel."""

from __future__ import annotations

import numpy as np

from matching.schedule import (
    SLOTS,
    days_of,
    dilate,
    from_words,
    night_words,
    pack_week,
    popcount,
    to_words,
    unpack_week,
    week_from_ranges,
)


def test_ranges_pack_to_half_hour_slots() -> None:
    week = week_from_ranges([(1, "09:00", "10:30")])
    assert np.flatnonzero(unpack_week(week)).tolist() == [48 + 18, 48 + 19, 48 + 20]


def test_overnight_range_runs_into_next_day_and_sunday_wraps() -> None:
    week = week_from_ranges([(6, "23:00", "01:00")])
    assert np.flatnonzero(unpack_week(week)).tolist() == [0, 1, SLOTS - 2, SLOTS - 1]


def test_pack_unpack_and_words_round_trip() -> None:
    bits = np.random.default_rng(3).random(SLOTS) < 0.3
    week = pack_week(bits)
    assert (unpack_week(week) == bits).all()
    words = to_words(week)
    assert from_words(words) == week
    assert int(popcount(words)) == int(bits.sum())


def test_night_is_22_to_06_every_day() -> None:
    night = unpack_week(from_words(night_words())).reshape(7, 48)
    assert night[:, :12].all() and night[:, 44:].all() and not night[:, 12:44].any()


def test_dilate_widens_both_sides_and_single_equals_stacked() -> None:
    words = to_words(week_from_ranges([(2, "09:00", "10:00"), (6, "23:30", "24:00")]))
    once = dilate(words, 2)
    slots = np.flatnonzero(unpack_week(from_words(once))).tolist()
    assert slots == [0, 1, 96 + 16, 96 + 17, 96 + 18, 96 + 19, 96 + 20, 96 + 21, SLOTS - 3, SLOTS - 2, SLOTS - 1]
    assert (dilate(np.stack([words, words]), 2)[1] == once).all()


def test_days_of_names_busy_days() -> None:
    assert days_of(to_words(week_from_ranges([(1, "18:00", "20:00"), (3, "18:00", "20:00")]))) == [
        "Tuesday",
        "Thursday",
    ]
