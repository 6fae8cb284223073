"""The milestone chart's layout: dates on the axis, what is ahead after today, RTL mirrored."""

from __future__ import annotations

from datetime import date

from service.web.followups_chart import AHEAD_X, AXIS_END, AXIS_START, WIDTH, ChartRow, chart
from service.web.followups_pages import plan_days

LABELS = {"today": "Today", "ahead": "Still ahead"}
TODAY = date(2026, 11, 28)


def test_reached_dots_sit_on_their_dates_and_ahead_ones_after_today() -> None:
    rows = [ChartRow("Bank account opened", [date(2025, 1, 1)]), ChartRow("Own housing", [], ahead=True)]
    drawn = chart(rows, since=date(2025, 1, 1), today=TODAY, rtl=False, labels=LABELS)
    reached, ahead = drawn.dots
    assert (reached.x, reached.filled) == (AXIS_START, True)
    assert (ahead.x, ahead.filled) == (AHEAD_X, False)
    assert drawn.today is not None and drawn.today.x1 == AXIS_END
    assert drawn.ticks[0].text == "2025-01"


def test_right_to_left_is_the_mirror_image() -> None:
    rows = [ChartRow("Bank account opened", [date(2026, 6, 1)]), ChartRow("Own housing", [], ahead=True)]
    ltr = chart(rows, since=date(2026, 1, 1), today=TODAY, rtl=False, labels=LABELS)
    rtl = chart(rows, since=date(2026, 1, 1), today=TODAY, rtl=True, labels=LABELS)
    assert [round(a.x + b.x, 1) for a, b in zip(ltr.dots, rtl.dots, strict=True)] == [WIDTH, WIDTH]
    assert [a.x + b.x for a, b in zip(ltr.rows, rtl.rows, strict=True)] == [WIDTH, WIDTH]
    assert (ltr.direction, rtl.direction) == ("ltr", "rtl")


def test_a_short_history_still_spans_two_months_with_day_ticks() -> None:
    drawn = chart([ChartRow("Savings buffer", [TODAY])], since=TODAY, today=TODAY, rtl=False, labels=LABELS)
    assert drawn.ticks[0].text == "2026-09-29" and drawn.ticks[-1].text == "2026-11-28"


def test_plan_kinds_name_their_days() -> None:
    assert (plan_days("plan_30d"), plan_days("permit_expiry")) == (30, None)
