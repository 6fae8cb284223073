"""What the review and report pages show, prepared from service results (no queries here).

Screening flags become a rule name the reviewer can read in her language plus the partner's
own words, found again in the listing's text so the page can mark them (as text segments:
the template escapes every segment, so a listing can never inject markup). Reports become
tables with translated headings where a suppressed cell is a word, never a number, and bar
charts drawn server-side as inline SVG (no script, nothing fetched from another host).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from providers.regions import region_name
from providers.rules import default_rulebook
from service.domain.reports.services import Report, Table
from service.domain.reports.svg import bar_chart
from service.web.forms import N_

Translate = Callable[[str], str]

#: Each screening rule's reader-facing name (an ILO forced-labour indicator or a red flag).
RULE_NAMES = {
    "abuse_of_vulnerability": N_("ILO indicator 1: abuse of vulnerability"),
    "deception": N_("ILO indicator 2: deception"),
    "restriction_of_movement": N_("ILO indicator 3: restriction of movement"),
    "isolation": N_("ILO indicator 4: isolation"),
    "violence": N_("ILO indicator 5: physical and sexual violence"),
    "intimidation_threats": N_("ILO indicator 6: intimidation and threats"),
    "document_retention": N_("ILO indicator 7: retention of identity documents"),
    "wage_withholding": N_("ILO indicator 8: withholding of wages"),
    "debt_bondage": N_("ILO indicator 9: debt bondage"),
    "abusive_conditions": N_("ILO indicator 10: abusive working and living conditions"),
    "excessive_overtime": N_("ILO indicator 11: excessive overtime"),
    "high_risk_setting": N_("Red flag: high-risk setting"),
    "appearance_requirements": N_("Red flag: recruitment on looks, age or marital status"),
    "tied_accommodation": N_("Red flag: accommodation tied to the job"),
    "below_minimum_wage": N_("Red flag: pay below the legal minimum"),
    "cash_no_contract": N_("Red flag: cash pay or no contract"),
    "night_only": N_("Red flag: night-only shifts"),
    "vague_high_pay": N_("Red flag: vague duties with unusually high pay"),
    "travel_arranged": N_("Red flag: travel abroad arranged by the employer"),
    "messaging_only": N_("Red flag: contact only through messaging apps"),
}
REVIEW_REASON_NAMES = {
    "first_listings": N_("One of the partner's first three listings: a person reads each of them."),
    "earlier_held_or_rejected": N_(
        "The partner had a listing held by screening or rejected: a person reads all of theirs."
    ),
    "high_risk_sector": N_("A sector where trafficking is common: a person reads every listing in it."),
}
SEVERITY_NAMES = {"high": N_("High concern"), "medium": N_("Some concern"), "low": N_("Low concern")}
DECISION_NAMES = {"approve": N_("Approved"), "return": N_("Returned to the partner"), "reject": N_("Rejected")}

TABLE_TITLES = {
    "activity": N_("Participants supported, referrals, placements and enrolments"),
    "referrals": N_("Referrals by kind and outcome"),
    "retention": N_("Still in work after 3, 6 and 12 months"),
    "milestones": N_("Milestones reached"),
}
COLUMN_NAMES = {
    "survivors_supported": N_("Participants supported"),
    "referrals": N_("Referrals"),
    "placements": N_("Placements in work"),
    "enrolments": N_("Enrolments"),
    "open": N_("Open"),
    "declined": N_("Declined"),
    "started": N_("Started"),
    "completed": N_("Completed"),
    "dropped": N_("Ended early"),
    "eligible_3m": N_("Placed 3 months ago or more"),
    "retained_3m": N_("Still in work at 3 months"),
    "eligible_6m": N_("Placed 6 months ago or more"),
    "retained_6m": N_("Still in work at 6 months"),
    "eligible_12m": N_("Placed 12 months ago or more"),
    "retained_12m": N_("Still in work at 12 months"),
}
MILESTONE_NAMES = {
    "right_to_work": N_("Right to work"),
    "bank_account": N_("Bank account opened"),
    "language_level": N_("Language level reached"),
    "course_completed": N_("Course completed"),
    "first_formal_contract": N_("First formal contract"),
    "employed_3_months": N_("Three months employed"),
    "employed_6_months": N_("Six months employed"),
    "income_covers_needs": N_("Income covers her needs"),
    "own_housing": N_("Own housing"),
    "no_longer_relies_on_support": N_("No longer relies on support"),
    "savings_buffer": N_("Savings buffer"),
}
GROUP_NAMES = {"organisation": N_("Organisation"), "region": N_("Region"), "period": N_("Intake quarter")}
#: The charts drawn on the reports page: (table, column, title).
CHARTS = (
    ("activity", "survivors_supported", N_("Participants supported")),
    ("activity", "placements", N_("Placements in work")),
    ("referrals", "started", N_("Referrals that started, by kind")),
    ("retention", "retained_6m", N_("Still in work at 6 months")),
)
_QUOTED = re.compile(r'"([^"]{1,200})"')


# --- screening flags ---------------------------------------------------------------------


@dataclass(frozen=True)
class FlagView:
    rule_id: str
    name: str
    severity: str
    evidence: str
    kind: str


def review_reason_names(flags: Iterable[dict[str, Any]] | None) -> list[str]:
    """Why a person must read the listing whatever its text (providers.review_policy), as names."""
    return [
        REVIEW_REASON_NAMES[str(flag.get("rule_id"))]
        for flag in flags or ()
        if flag.get("kind") == "review_reason" and flag.get("rule_id") in REVIEW_REASON_NAMES
    ]


def flag_views(flags: Iterable[dict[str, Any]] | None) -> list[FlagView]:
    """The stored flags, highest concern first, each with its rule's name and kind."""
    rules = default_rulebook().rules
    views = []
    for flag in flags or ():
        if flag.get("kind") == "review_reason":
            continue  # why it waits, not what it says: see review_reason_names
        rule_id = str(flag.get("rule_id", ""))
        spec = rules.get(rule_id)
        views.append(
            FlagView(
                rule_id=rule_id,
                name=RULE_NAMES.get(rule_id, rule_id),
                severity=str(flag.get("severity", "medium")),
                evidence=_shown_evidence(str(flag.get("evidence", ""))),
                kind="ilo" if spec is not None and spec.indicator.startswith("ILO") else "red_flag",
            )
        )
    order = {"high": 0, "medium": 1, "low": 2}
    return sorted(views, key=lambda view: order.get(view.severity, 3))


def _shown_evidence(evidence: str) -> str:
    """The partner's quoted words only: a co-occurrence names internal signals
    (`high_pay "5000 EUR" + vague_duties "easy work"`), which mean nothing to a reviewer."""
    quoted = _QUOTED.findall(evidence)
    return " + ".join(f'"{phrase}"' for phrase in quoted) if quoted else evidence


def matched_phrases(flags: Iterable[FlagView]) -> list[str]:
    """The partner's words each text rule quoted as its evidence (ellipsis cut)."""
    phrases = []
    for flag in flags:
        for found in _QUOTED.findall(flag.evidence):
            phrase = found.rstrip("…").strip()
            if phrase and phrase not in phrases:
                phrases.append(phrase)
    return phrases


def highlight(text: str, phrases: Iterable[str]) -> list[tuple[str, bool]]:
    """`text` cut into (segment, matched) pairs: matched where one of `phrases` occurs (any
    case, any run of spaces). Segments are plain text; the template escapes them."""
    patterns = [r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases if phrase.split()]
    if not text or not patterns:
        return [(text, False)] if text else []
    # Longest first, so "5000 EUR a week" wins over "5000 EUR".
    pattern = re.compile("|".join(sorted(patterns, key=len, reverse=True)), re.IGNORECASE)
    segments: list[tuple[str, bool]] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            segments.append((text[position : match.start()], False))
        segments.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        segments.append((text[position:], False))
    return segments


# --- reports -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableView:
    """A report table ready to show: headings translated, `None` = suppressed."""

    name: str
    title: str
    corner: str
    rows: list[str]
    columns: list[str]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    grand_total: int | None
    has_row_totals: bool
    has_column_totals: bool


def group_label(code: str, by: str, language: str) -> str:
    """A group as a heading: a region by its name (never its code); names and quarters as they are."""
    return region_name(code, language) if by == "region" else code


def _label(table: str, axis: str, code: str, by: str, t: Translate, kinds: dict[str, str], language: str) -> str:
    """A row or column heading: kinds, milestones and columns in words, groups by name."""
    if table == "referrals":
        return kinds.get(code, code) if axis == "row" else t(COLUMN_NAMES.get(code, code))
    if table == "milestones":
        return t(MILESTONE_NAMES.get(code, code)) if axis == "row" else group_label(code, by, language)
    return group_label(code, by, language) if axis == "row" else t(COLUMN_NAMES.get(code, code))


def table_views(report: Report, t: Translate, kinds: dict[str, str], language: str = "en") -> list[TableView]:
    group_name = t(GROUP_NAMES.get(report.by, report.by))
    corners = {"referrals": t(N_("Kind")), "milestones": t(N_("Milestone"))}
    views = []
    for table in report.tables:
        views.append(
            TableView(
                name=table.name,
                title=t(TABLE_TITLES.get(table.name, table.name)),
                corner=corners.get(table.name, group_name),
                rows=[_label(table.name, "row", row, report.by, t, kinds, language) for row in table.rows],
                columns=[_label(table.name, "column", c, report.by, t, kinds, language) for c in table.columns],
                cells=table.cells,
                row_totals=table.row_totals,
                column_totals=table.column_totals,
                grand_total=table.grand_total,
                has_row_totals=bool(table.row_totals),
                has_column_totals=bool(table.column_totals),
            )
        )
    return views


def _find(report: Report, name: str) -> Table | None:
    return next((table for table in report.tables if table.name == name), None)


def charts(report: Report, t: Translate, kinds: dict[str, str], language: str = "en") -> list[Markup]:
    """Inline SVG bar charts of a few columns, from the already-suppressed tables."""
    drawn = []
    for table_name, column, title in CHARTS:
        table = _find(report, table_name)
        if table is None or column not in table.columns or not table.rows:
            continue
        position = table.columns.index(column)
        values = [cells[position] for cells in table.cells]
        labels = [_label(table_name, "row", row, report.by, t, kinds, language) for row in table.rows]
        # bar_chart escapes every label and the title itself.
        drawn.append(Markup(bar_chart(t(title), labels, values, suppressed=t(N_("withheld")))))  # noqa: S704
    return drawn
