"""The milestone timeline as an SVG chart, laid out on the server (no script, no styles).

One row per milestone of the catalogue (and one for answered check-ins, one for referral
steps): a reached milestone is a filled dot at its date on a time axis that ends today; one
still ahead is a hollow dot in the column after today. Right-to-left pages get the mirror
image: every x is flipped here and the text direction set on the chart, so the same text
anchors read correctly in both directions. Pure functions of the timeline: easy to test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

WIDTH = 720
LABEL_END = 230
"""Labels end here (left-to-right), the time axis starts just after."""
AXIS_START = 245
AXIS_END = 580
AHEAD_X = 650
"""The column of milestones still ahead, after today."""
TOP = 56
ROW = 30
TICKS = 4
MIN_SPAN_DAYS = 60
DAY_TICKS_UNTIL = 370


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    filled: bool
    when: date | None
    label: str
    small: bool = False


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass
class Chart:
    """Everything the template draws, in user units of a WIDTH x height view box."""

    height: float
    direction: str
    rows: list[Label] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    ticks: list[Label] = field(default_factory=list)
    grid: list[Line] = field(default_factory=list)
    axis: Line | None = None
    today: Line | None = None
    today_label: Label | None = None
    ahead_label: Label | None = None


@dataclass(frozen=True, slots=True)
class ChartRow:
    """One row: its label, the dates reached on it, and whether it is still ahead."""

    label: str
    dates: Sequence[date]
    ahead: bool = False
    small: bool = False


def _span(rows: Sequence[ChartRow], since: date, today: date) -> tuple[date, date]:
    dates = [when for row in rows for when in row.dates]
    start = min([since, *dates])
    if (today - start).days < MIN_SPAN_DAYS:
        start = today - timedelta(days=MIN_SPAN_DAYS)
    return start, max(today, *dates) if dates else today


def chart(rows: Sequence[ChartRow], *, since: date, today: date, rtl: bool, labels: dict[str, str]) -> Chart:
    """Lay out the rows; `labels` holds the translated words "today" and "still ahead"."""
    start, end = _span(rows, since, today)
    days = max((end - start).days, 1)

    def flip(x: float) -> float:
        return round(WIDTH - x if rtl else x, 1)

    def at(when: date) -> float:
        return AXIS_START + (AXIS_END - AXIS_START) * (when - start).days / days

    # a short span shows days (months would repeat), a long one months
    tick_format = "%Y-%m-%d" if days < DAY_TICKS_UNTIL else "%Y-%m"
    bottom = TOP + ROW * len(rows)
    drawn = Chart(height=bottom + 40, direction="rtl" if rtl else "ltr")
    drawn.axis = Line(flip(AXIS_START), bottom, flip(AXIS_END), bottom)
    drawn.today = Line(flip(at(today)), TOP - 14, flip(at(today)), bottom)
    drawn.today_label = Label(flip(at(today)), TOP - 20, labels["today"], "middle")
    drawn.ahead_label = Label(flip(AHEAD_X), TOP - 20, labels["ahead"], "middle")
    for index in range(TICKS + 1):
        when = start + timedelta(days=round(days * index / TICKS))
        x = flip(at(when))
        drawn.grid.append(Line(x, TOP - 6, x, bottom))
        drawn.ticks.append(Label(x, bottom + 20, when.strftime(tick_format), "middle"))
    for index, row in enumerate(rows):
        y = TOP + ROW * index + ROW / 2
        drawn.rows.append(Label(flip(LABEL_END), y + 5, row.label, "end"))
        for when in row.dates:
            drawn.dots.append(Dot(flip(at(when)), y, True, when, row.label, row.small))
        if row.ahead:
            drawn.dots.append(Dot(flip(AHEAD_X), y, False, None, row.label))
    return drawn
