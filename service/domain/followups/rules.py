"""Early-warning rules: pure functions from a follow-up answer to risk flags.

A flag means "a person should look at this now": every flag raises an alert to her
counsellor and the organisation's coordinators. The rules are deliberately simple and
explainable; each flag names the rule that raised it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

RISK_SIGNALS = ("job_lost", "informal_work", "employer_housing", "new_debt", "former_exploiter_contact")
"""Signals a counsellor (or she herself) can tick on the follow-up form."""
MISSED_CHECKINS = "missed_checkins"
MISSED_LIMIT = 2
"""Two missed check-ins in a row raise an alert."""


def evaluate(answers: Mapping[str, Any], signals: Iterable[str], *, in_work: bool) -> list[str]:
    """The risk flags for one answer, sorted; `in_work` is true when she was placed in a job."""
    flags = {signal for signal in signals if signal in RISK_SIGNALS}
    if in_work and answers.get("still_there") is False:
        flags.add("job_lost")
    if answers.get("contract") == "informal":
        flags.add("informal_work")
    return sorted(flags)


def missed_in_a_row(statuses_newest_first: Iterable[str]) -> int:
    """How many of her most recent due check-ins were missed, counting back from the newest."""
    count = 0
    for status in statuses_newest_first:
        if status != "missed":
            break
        count += 1
    return count
