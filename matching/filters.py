"""Hard filters over the whole catalogue, each with the reason it states when it excludes.

Filters run as boolean columns over every row; an opportunity's reason is the first failing
filter in :data:`REASONS` order (the order a counsellor would check them: is it real, is it
allowed, is it safe, can she get there, can she do it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from matching.features import SurvivorContext, commute_minutes, language_gaps, timetable_overlap
from matching.index import KIND_CODE, OpportunityIndex
from matching.schedule import night_words, popcount

REASONS: tuple[str, ...] = (
    "not published",
    "partner not vetted",
    "no places left",
    "excluded region",
    "commute too long",
    "informal work",
    "no right to work",
    "permit ends before start",
    "not a women-only workplace",
    "night work",
    "language level too far below requirement",
    "outside her availability",
)
REASON_CODE = {reason: code for code, reason in enumerate(REASONS)}
PASS = -1
MIN_TIMETABLE_OVERLAP = 0.5
"""Below half of the hours inside her availability an opportunity is not realistic this week."""
PRIMARY_KINDS = (KIND_CODE["job"], KIND_CODE["course"], KIND_CODE["language_class"])
"""Childcare is never suggested on its own; it enters as part of a bundle."""

NIGHT = night_words()


@dataclass
class FilterOutcome:
    """Per-row results over ``index.n_rows``: first failing reason (or PASS) and shared columns.

    ``bridge`` marks rows that pass only if a language class bridges a one-level gap;
    ``minutes`` and ``overlap`` are reused by features so they are computed once.
    """

    reason: npt.NDArray[np.int8]
    bridge: npt.NDArray[np.bool_]
    minutes: npt.NDArray[np.float64]
    overlap: npt.NDArray[np.float64]
    night: npt.NDArray[np.bool_]
    primary: npt.NDArray[np.bool_]

    def passing(self) -> npt.NDArray[np.int64]:
        """Rows of primary kinds that pass every filter (bridged ones included)."""
        return np.flatnonzero((self.reason == PASS) & self.primary)

    def counts(self) -> dict[str, int]:
        """Excluded primary opportunities per reason."""
        codes = self.reason[self.primary & (self.reason != PASS)]
        tally = np.bincount(codes, minlength=len(REASONS))
        return {REASONS[i]: int(n) for i, n in enumerate(tally) if n}


def _first_failure(reason: npt.NDArray[np.int8], failing: npt.NDArray[np.bool_], name: str) -> None:
    # earlier filters win: only rows still passing take this reason
    reason[(reason == PASS) & failing] = REASON_CODE[name]


def base_filters(index: OpportunityIndex, ctx: SurvivorContext) -> tuple[npt.NDArray[np.int8], np.ndarray]:
    """Filters every part of a bundle must pass too: real, vetted, open, allowed region, reachable."""
    n = index.n_rows
    reason = np.full(n, PASS, dtype=np.int8)
    alive = index.col("alive")
    reason[~alive] = REASON_CODE["not published"]
    _first_failure(reason, ~index.col("published"), "not published")
    _first_failure(reason, ~index.col("vetted"), "partner not vetted")
    _first_failure(reason, index.col("capacity") <= 0, "no places left")
    _first_failure(reason, ctx.region_excluded[index.col("region")], "excluded region")
    safety = ctx.profile.safety
    minutes = commute_minutes(
        index.col("lat"), index.col("lon"), ctx.profile.home_lat, ctx.profile.home_lon, safety.travel_mode
    )
    _first_failure(reason, minutes > safety.max_commute_minutes, "commute too long")
    return reason, minutes


def hard_filters(index: OpportunityIndex, ctx: SurvivorContext, as_of: date) -> FilterOutcome:
    """Apply every hard filter for a survivor to the whole catalogue at once."""
    reason, minutes = base_filters(index, ctx)
    kind = index.col("kind")
    is_job = kind == KIND_CODE["job"]
    _first_failure(reason, is_job & index.col("informal"), "informal work")
    rtw = ctx.profile.right_to_work
    if rtw.permit_kind is None:
        _first_failure(reason, is_job, "no right to work")
    elif rtw.valid_until is not None:
        # a job already under way is judged from today, a future one from its start
        start = np.maximum(index.col("start_day"), as_of.toordinal())
        _first_failure(reason, is_job & (start > rtw.valid_until.toordinal()), "permit ends before start")
    safety = ctx.profile.safety
    if safety.women_only:
        _first_failure(reason, is_job & ~index.col("women_only"), "not a women-only workplace")
    night = popcount(index.schedule[: index.n_rows] & NIGHT) > 0
    if safety.no_night_work:
        _first_failure(reason, night & (kind != KIND_CODE["childcare"]), "night work")
    # language and timetable only matter for rows still in the running; compute them there
    rows = np.flatnonzero(reason == PASS)
    gaps = language_gaps(index, rows, ctx)
    too_far = (gaps >= 2).any(axis=1) | ((gaps == 1).sum(axis=1) > 1)
    reason[rows[too_far]] = REASON_CODE["language level too far below requirement"]
    bridge = np.zeros(index.n_rows, dtype=bool)
    bridge[rows[~too_far & (gaps == 1).any(axis=1)]] = True
    overlap = np.zeros(index.n_rows)
    overlap[rows] = timetable_overlap(index, rows, ctx.availability)
    primary = np.isin(kind, PRIMARY_KINDS) & index.col("alive")
    _first_failure(reason, primary & (overlap < MIN_TIMETABLE_OVERLAP), "outside her availability")
    return FilterOutcome(reason, bridge, minutes, overlap, night, primary)
