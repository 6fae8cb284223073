"""The catalogue of financial-independence milestones (codes and English labels).

Codes are stable (stored in achievements); labels are for display. A repeatable milestone
(a language level, a course) is told apart by its qualifier (`de:B1`, the course's id).
"""

from __future__ import annotations

from typing import NamedTuple


class Milestone(NamedTuple):
    code: str
    label: str
    repeatable: bool = False


CATALOGUE: tuple[Milestone, ...] = (
    Milestone("right_to_work", "Right to work"),
    Milestone("bank_account", "Bank account opened"),
    Milestone("language_level", "Language level reached", repeatable=True),
    Milestone("course_completed", "Course completed", repeatable=True),
    Milestone("first_formal_contract", "First formal contract"),
    Milestone("employed_3_months", "Three months employed"),
    Milestone("employed_6_months", "Six months employed"),
    Milestone("income_covers_needs", "Income covers her needs"),
    Milestone("own_housing", "Own housing"),
    Milestone("no_longer_relies_on_support", "No longer relies on support"),
    Milestone("savings_buffer", "Savings buffer"),
)
BY_CODE = {milestone.code: milestone for milestone in CATALOGUE}
THREE_MONTHS_DAYS = 91
SIX_MONTHS_DAYS = 182
