"""Hard filters over the whole catalogue, each with the reason it states when it excludes.

Filters run as boolean columns over every row; an opportunity's reason is the first failing
filter in :data:`REASONS` order (the order a counsellor would check them: is it real, is it
allowed, is it safe, can she get there, can she do it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from matching.features import (
    DETOUR_FACTOR,
    EARTH_RADIUS_KM,
    OVERHEAD_MINUTES,
    SPEED_KMH,
    LanguageFit,
    SurvivorContext,
    commute_minutes,
    language_fit,
    timetable_overlap,
)
from matching.index import KIND_CODE, NO_PLACES, NOT_PUBLISHED, NOT_VETTED, OpenRows, OpportunityIndex

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
MIN_TIMETABLE_OVERLAP = 0.5
"""Below half of the hours inside her availability an opportunity is not realistic this week."""
KM_PER_RADIAN = EARTH_RADIUS_KM
BOX_MARGIN = 1.01
"""The bounding box only pre-selects rows for the exact haversine, so it errs on the wide side."""

assert REASONS[NOT_PUBLISHED] == "not published" and REASONS[NOT_VETTED] == "partner not vetted"
assert REASONS[NO_PLACES] == "no places left"


@dataclass
class FilterOutcome:
    """Rows that pass every filter, and what later stages reuse.

    ``ok`` holds rows of every kind (bundle parts included); ``primary`` those of primary kinds.
    ``minutes``, ``overlap`` and ``bridge`` are full-length but only meaningful on ``ok`` rows;
    ``bridge`` marks rows that pass only if a language class bridges a one-level gap.
    ``excluded`` counts excluded primary opportunities per first failing reason.
    """

    ok: npt.NDArray[np.int64]
    primary: npt.NDArray[np.int64]
    minutes: npt.NDArray[np.float64]
    overlap: npt.NDArray[np.float64]
    bridge: npt.NDArray[np.bool_]
    excluded: dict[str, int]
    languages: LanguageFit | None = None
    """Her language checks per requirement set, reused by scoring."""


class _Cascade:
    """Rows still in the running; each filter drops its failures and counts the primary ones."""

    def __init__(self, open_rows: OpenRows, lo: int, hi: int) -> None:
        # slices of the latitude-sorted open rows: views, nothing copied yet
        self.rows = open_rows.rows[lo:hi]
        # carried alongside the rows so counting a failure is a mask AND, not a gather
        self.primary = open_rows.primary[lo:hi]
        self.lat: npt.NDArray[np.float64] | None = open_rows.lat[lo:hi]
        self.lon: npt.NDArray[np.float64] | None = open_rows.lon[lo:hi]
        self.region = open_rows.region[lo:hi]
        self.counts = {REASONS[code]: n for code, n in open_rows.counts.items()}

    def add(self, reason: str, n: int) -> None:
        """Count ``n`` primary rows excluded for ``reason`` outside the rows carried here."""
        if n:
            self.counts[reason] = self.counts.get(reason, 0) + n

    def drop(self, failing: npt.NDArray[np.bool_], reason: str | None) -> None:
        """Remove failing rows, counting the primary ones under ``reason`` (None: counted already)."""
        if reason is not None:
            self.add(reason, int(np.count_nonzero(failing & self.primary)))
        keep = ~failing
        self.rows = self.rows[keep]
        self.primary = self.primary[keep]
        self.region = self.region[keep]
        if self.lat is not None and self.lon is not None:
            self.lat, self.lon = self.lat[keep], self.lon[keep]

    def forget_coordinates(self) -> None:
        """Stop carrying coordinates once the distance filters are done."""
        self.lat = self.lon = None


def _reach_box(ctx: SurvivorContext) -> tuple[float, float]:
    """Half-widths in degrees of a box holding every place within her commute limit."""
    safety = ctx.profile.safety
    mode = safety.travel_mode
    reach_km = max(safety.max_commute_minutes - OVERHEAD_MINUTES[mode], 0.0) * SPEED_KMH[mode] / 60.0
    angle = reach_km / DETOUR_FACTOR / KM_PER_RADIAN * BOX_MARGIN
    dlat = math.degrees(angle)
    cos_home = math.cos(math.radians(ctx.profile.home_lat))
    ratio = math.sin(min(angle, math.pi / 2)) / cos_home if cos_home > 1e-9 else 2.0
    dlon = math.degrees(math.asin(ratio)) * BOX_MARGIN if ratio < 1.0 else 360.0
    return dlat, dlon


def hard_filters(index: OpportunityIndex, ctx: SurvivorContext, as_of: date) -> FilterOutcome:
    """Apply every hard filter for a survivor, cheapest first, on a shrinking set of rows.

    The counts follow first-failure semantics in :data:`REASONS` order, exactly as if every
    filter had run on every row.
    """
    open_rows = index.static_ok()
    profile, safety = ctx.profile, ctx.profile.safety
    dlat, dlon = _reach_box(ctx)
    # her latitude band is one slice of the latitude-sorted open rows
    lo = int(np.searchsorted(open_rows.lat, profile.home_lat - dlat, side="left"))
    hi = int(np.searchsorted(open_rows.lat, profile.home_lat + dlat, side="right"))
    cascade = _Cascade(open_rows, lo, hi)
    # counts as if filters ran on every row: excluded regions first, then everything outside the band
    excluded_total = int(open_rows.region_primary[ctx.region_excluded].sum()) if safety.exclusion_regions else 0
    cascade.add("excluded region", excluded_total)
    if safety.exclusion_regions:
        cascade.drop(ctx.region_excluded[cascade.region], None)
    cascade.add("commute too long", open_rows.n_primary - excluded_total - int(np.count_nonzero(cascade.primary)))
    assert cascade.lon is not None
    cascade.drop(np.abs((cascade.lon - profile.home_lon + 180.0) % 360.0 - 180.0) > dlon, "commute too long")
    assert cascade.lat is not None and cascade.lon is not None
    minutes = np.zeros(index.n_rows)
    trip = commute_minutes(cascade.lat, cascade.lon, profile.home_lat, profile.home_lon, safety.travel_mode)
    minutes[cascade.rows] = trip
    cascade.forget_coordinates()
    cascade.drop(trip > safety.max_commute_minutes, "commute too long")
    # the remaining filters look at each row on its own: evaluate them all on the rows left and
    # drop once, counting each primary row under its first failing reason (as sequential drops would)
    rows = cascade.rows
    kind = index.col("kind")[rows]
    is_job = kind == KIND_CODE["job"]
    checks: list[tuple[npt.NDArray[np.bool_], str]] = [(is_job & index.col("informal")[rows], "informal work")]
    rtw = profile.right_to_work
    if rtw.permit_kind is None:
        checks.append((is_job, "no right to work"))
    elif rtw.valid_until is not None:
        # a job already under way is judged from today, a future one from its start
        start = np.maximum(index.col("start_day")[rows], as_of.toordinal())
        checks.append((is_job & (start > rtw.valid_until.toordinal()), "permit ends before start"))
    if safety.women_only:
        checks.append((is_job & ~index.col("women_only")[rows], "not a women-only workplace"))
    if safety.no_night_work:
        checks.append((index.col("night")[rows] & (kind != KIND_CODE["childcare"]), "night work"))
    fit = language_fit(index, ctx)
    reqset = index.col("reqset")[rows]
    checks.append((fit.too_far[reqset], "language level too far below requirement"))
    share = timetable_overlap(index, rows, ctx.availability)
    checks.append((cascade.primary & (share < MIN_TIMETABLE_OVERLAP), "outside her availability"))
    failed = np.zeros(len(rows), dtype=bool)
    for mask, reason in checks:
        cascade.add(reason, int(np.count_nonzero(mask & cascade.primary & ~failed)))
        failed |= mask
    keep = ~failed
    ok = rows[keep]
    bridge = np.zeros(index.n_rows, dtype=bool)
    bridge[ok[fit.bridgeable[reqset[keep]]]] = True
    overlap = np.zeros(index.n_rows)
    overlap[ok] = share[keep]
    is_primary = cascade.primary[keep]
    primary = ok[is_primary]
    return FilterOutcome(ok, primary, minutes, overlap, bridge, cascade.counts, fit)
