"""Pure pieces of follow-ups and referrals: early-warning rules, quiet hours, the state machine."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.domain.followups.plans import permit_due_at
from service.domain.followups.rules import evaluate, missed_in_a_row
from service.domain.referrals.lifecycle import NEXT, TransitionRefused, check
from service.messaging.mailer import message_id
from service.messaging.outbox import after_quiet_hours, parse_quiet_hours


def test_job_lost_and_informal_work_are_derived_from_the_answers() -> None:
    assert evaluate({"still_there": False}, [], in_work=True) == ["job_lost"]
    assert evaluate({"still_there": False}, [], in_work=False) == []
    assert evaluate({"contract": "informal"}, [], in_work=True) == ["informal_work"]
    assert evaluate({"still_there": True, "contract": "formal"}, [], in_work=True) == []


def test_ticked_signals_become_flags_and_unknown_ones_are_ignored() -> None:
    flags = evaluate({}, ["employer_housing", "new_debt", "former_exploiter_contact", "made_up"], in_work=True)
    assert flags == ["employer_housing", "former_exploiter_contact", "new_debt"]


def test_missed_checkins_are_counted_from_the_newest() -> None:
    assert missed_in_a_row(["missed", "missed", "done"]) == 2
    assert missed_in_a_row(["done", "missed", "missed"]) == 0
    assert missed_in_a_row([]) == 0


def test_quiet_hours_wrap_midnight_and_defer_to_their_end() -> None:
    assert parse_quiet_hours("21-8") == (21, 8)
    assert parse_quiet_hours("") is None and parse_quiet_hours("0-0") is None
    late_evening = datetime(2026, 6, 1, 20, 30, tzinfo=UTC)  # 22:30 in Berlin (summer time)
    assert after_quiet_hours(late_evening, "21-8", "Europe/Berlin") == datetime(2026, 6, 2, 6, 0, tzinfo=UTC)
    early = datetime(2026, 6, 2, 4, 0, tzinfo=UTC)  # 06:00 in Berlin
    assert after_quiet_hours(early, "21-8", "Europe/Berlin") == datetime(2026, 6, 2, 6, 0, tzinfo=UTC)
    noon = datetime(2026, 6, 2, 10, 0, tzinfo=UTC)
    assert after_quiet_hours(noon, "21-8", "Europe/Berlin") == noon
    assert after_quiet_hours(late_evening, "", "Europe/Berlin") == late_evening


def test_permit_followup_is_sixty_days_before_or_at_once() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert permit_due_at(datetime(2026, 6, 1).date(), now) == datetime(2026, 4, 2, 9, tzinfo=UTC)
    assert permit_due_at(datetime(2026, 1, 20).date(), now) == now


def test_message_ids_are_stable_per_key_and_neutral() -> None:
    first = message_id("followup:1:reminder:email:u", "Notifications <n@mail.example>")
    assert first == message_id("followup:1:reminder:email:u", "Notifications <n@mail.example>")
    assert first.endswith("@mail.example>") and "followup" not in first


@pytest.mark.parametrize(
    ("current", "target"),
    [(current, target) for current, targets in NEXT.items() for target in sorted(targets) if target != "shared"],
)
def test_every_listed_step_is_allowed(current: str, target: str) -> None:
    kind = "course" if target == "enrolled" else "job"
    check(current, target, kind)


def test_steps_off_the_path_are_refused_with_a_reason() -> None:
    with pytest.raises(TransitionRefused, match="cannot go from suggested to placed"):
        check("suggested", "placed", "job")
    with pytest.raises(TransitionRefused, match="consent"):
        check("interested", "shared", "job")
    with pytest.raises(TransitionRefused, match="final status"):
        check("completed", "dropped", "job")
    with pytest.raises(TransitionRefused, match="enrolled"):
        check("accepted", "placed", "course")
    with pytest.raises(TransitionRefused, match="unknown"):
        check("accepted", "hired", "job")
