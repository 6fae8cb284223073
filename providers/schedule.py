"""Weekly schedules of listings: 7 days x 48 half-hour slots, Monday first.

A listing's week is stored as 7 strings of 48 ``'0'``/``'1'`` characters (the same form as a
survivor's availability), so it reads the same in JSON, in the database and in matching.
Partners may instead send blocks (``{"day": "mon", "start": "09:00", "end": "13:00"}``); a block
must lie within one day (a night shift is two blocks), start before it ends and not overlap
another block, because a self-overlapping or inverted schedule is a typo we refuse to guess at.

Every problem is reported as ``(field, message)`` so that the API and the importer can name it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

SLOTS_PER_DAY = 48
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_DAY = (1 << SLOTS_PER_DAY) - 1
EMPTY_WEEK: tuple[str, ...] = ("0" * SLOTS_PER_DAY,) * len(DAYS)
_TIME = re.compile(r"^([01][0-9]|2[0-4]):([0-5][0-9])$")
_DAY_MASK = re.compile(r"^[01]{48}$")
_TEXT_BLOCK = re.compile(r"^\s*([a-z]{3})\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


class ScheduleError(ValueError):
    """A schedule that cannot be accepted; ``field`` names where (``blocks[2].end``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def slot_of(hhmm: str, field: str) -> int:
    """The half-hour slot a time starts (``"09:30"`` -> 19); ``"24:00"`` is 48, the day's end."""
    match = _TIME.match(hhmm)
    if match is None:
        raise ScheduleError(field, "expected a time HH:MM")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes not in (0, 30) or (hours == 24 and minutes != 0):
        raise ScheduleError(field, "times are on the hour or the half hour, 00:00 to 24:00")
    return hours * 2 + minutes // 30


def week_from_blocks(blocks: Iterable[tuple[str, str, str]], field: str = "blocks") -> tuple[str, ...]:
    """Turn ``(day, start, end)`` blocks into the 7-string week, refusing bad or overlapping blocks."""
    bits = [[False] * SLOTS_PER_DAY for _ in DAYS]
    owner: dict[tuple[int, int], int] = {}
    for index, (day, start, end) in enumerate(blocks):
        where = f"{field}[{index}]"
        if day not in DAYS:
            raise ScheduleError(f"{where}.day", f"expected one of {', '.join(DAYS)}")
        first, last = slot_of(start, f"{where}.start"), slot_of(end, f"{where}.end")
        if first == SLOTS_PER_DAY:
            raise ScheduleError(f"{where}.start", "a block cannot start at 24:00")
        if last <= first:
            raise ScheduleError(f"{where}.end", "ends before it starts (split a night shift at midnight)")
        day_index = DAYS.index(day)
        for slot in range(first, last):
            if bits[day_index][slot]:
                other = owner[(day_index, slot)]
                raise ScheduleError(where, f"overlaps {field}[{other}]")
            bits[day_index][slot] = True
            owner[(day_index, slot)] = index
    return tuple("".join("1" if on else "0" for on in day) for day in bits)


def parse_week(days: Sequence[str], field: str = "schedule") -> tuple[str, ...]:
    """Check a 7-string week (each 48 ``0``/``1``) and return it as a tuple."""
    if len(days) != len(DAYS):
        raise ScheduleError(field, "expected 7 days, Monday first")
    for index, day in enumerate(days):
        if not _DAY_MASK.match(day):
            raise ScheduleError(f"{field}[{index}]", "expected 48 characters of 0 or 1")
    return tuple(days)


def parse_text_blocks(text: str, field: str = "schedule") -> tuple[str, ...]:
    """The CSV form: ``"mon 09:00-13:00; wed 14:00-18:00"`` (empty text is an empty week)."""
    blocks: list[tuple[str, str, str]] = []
    for index, part in enumerate(piece for piece in text.split(";") if piece.strip()):
        match = _TEXT_BLOCK.match(part.lower())
        if match is None:
            raise ScheduleError(f"{field}[{index}]", 'expected "day HH:MM-HH:MM", e.g. "mon 09:00-13:00"')
        day, start, end = match.groups()
        blocks.append((day, start.zfill(5), end.zfill(5)))
    return week_from_blocks(blocks, field)


def day_masks(week: Sequence[str]) -> tuple[int, ...]:
    """Each day as a 48-bit integer (bit i = slot i), for bitwise search in SQL."""
    return tuple(sum(1 << slot for slot, on in enumerate(day) if on == "1") for day in week)


def as_booleans(week: Sequence[str]) -> tuple[tuple[bool, ...], ...]:
    """The week as 7 x 48 booleans, the form :func:`providers.screening.screen` reads."""
    return tuple(tuple(on == "1" for on in day) for day in week)


def is_empty(week: Sequence[str]) -> bool:
    """True when no slot is set (the listing did not say when)."""
    return all("1" not in day for day in week)


def overlap(first: Sequence[str], second: Sequence[str]) -> float:
    """Jaccard overlap of two weeks' slots, 1.0 for two empty weeks (both "unspecified")."""
    a = [bit for bit, on in enumerate("".join(first)) if on == "1"]
    b = [bit for bit, on in enumerate("".join(second)) if on == "1"]
    if not a and not b:
        return 1.0
    union = len(set(a) | set(b))
    return len(set(a) & set(b)) / union
