"""Bundles: a job or course made possible by a childcare place and/or a language class.

For a mother whose children need care, a primary opportunity is only offered with a childcare
place that takes all of those children and covers its hours plus travel either side. Where a
requirement is one CEFR level above hers, a language class teaching across that level, held in
her free hours and clear of the primary's hours plus travel, bridges it. Each check is a bitwise
operation over every candidate childcare place or class at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from matching.features import SurvivorContext, language_gaps
from matching.filters import FilterOutcome
from matching.index import KIND_CODE, OpportunityIndex
from matching.schedule import WORDS, WordWeek, days_of, dilate
from matching.types import CEFR_NAMES, Bundle

CLASS_PENALTY = 0.02
"""A bundle with a class asks more of her week than the primary alone."""
CHILDCARE_COMMUTE_PENALTY = 0.05
"""Scaled by the childcare trip against her maximum commute: a near place is worth more."""
SCORE_DECIMALS = 9

NO_CHILDCARE = "no childcare place fits"
NO_CLASS = "no language class bridges the gap"


@dataclass
class BundleParts:
    """Candidate childcare places and language classes for one survivor, found once per request."""

    childcare: npt.NDArray[np.int64]
    classes: npt.NDArray[np.int64]
    needs_childcare: bool
    care_patterns: npt.NDArray[np.uint64] = field(default_factory=lambda: np.zeros((0, WORDS), dtype=np.uint64))
    """The distinct timetables among ``childcare`` (nearest first, see :func:`bundle_parts`)."""
    care_pattern: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Per childcare place, its row in ``care_patterns``."""
    nearest: dict[bytes, int | None] = field(default_factory=dict)
    """Per needed week (as bytes), the childcare place found for it in this request."""


def bundle_parts(index: OpportunityIndex, ctx: SurvivorContext, outcome: FilterOutcome) -> BundleParts:
    """Childcare places taking all her children, and classes inside her availability, that pass filters."""
    ok = outcome.ok
    kind = index.col("kind")[ok]
    ages = ctx.profile.children_needing_care()
    childcare = np.zeros(0, dtype=np.int64)
    if ages:
        care = ok[kind == KIND_CODE["childcare"]]
        fits = (index.col("age_min")[care] <= min(ages)) & (index.col("age_max")[care] >= max(ages))
        childcare = care[fits]
        # nearest first, then in catalogue order: the first place that covers a week is the one to offer
        childcare = childcare[np.lexsort((index.col("seq")[childcare], outcome.minutes[childcare]))]
    classes = ok[kind == KIND_CODE["language_class"]]
    inside = ~np.any(index.schedule[classes] & ~ctx.availability, axis=1) & (index.col("n_slots")[classes] > 0)
    codes, which = np.unique(index.col("pattern")[childcare], return_inverse=True)
    return BundleParts(childcare, classes[inside], bool(ages), index.patterns()[codes], which.reshape(-1))


def travel_slots(minutes: float) -> int:
    """Half-hour slots needed to get there (and, symmetrically, back)."""
    return max(0, math.ceil(minutes / 30.0))


def needs_bundle(index: OpportunityIndex, parts: BundleParts, outcome: FilterOutcome, row: int) -> bool:
    """Whether a primary row can only be offered as a bundle."""
    return parts.needs_childcare or bool(outcome.bridge[row])


def build_bundle(
    index: OpportunityIndex,
    ctx: SurvivorContext,
    outcome: FilterOutcome,
    parts: BundleParts,
    row: int,
    primary_score: float,
) -> Bundle | str:
    """The best bundle around primary ``row``, or the reason none exists.

    Choice is deterministic: classes and childcare places nearest to her home first, then in catalogue order.
    """
    busy = dilate(index.schedule[row], travel_slots(float(outcome.minutes[row])))
    class_rows: list[int | None] = [None]
    if outcome.bridge[row]:
        class_rows = _fitting_classes(index, ctx, outcome, parts, row, busy)
        if not class_rows:
            return NO_CLASS
    for class_row in class_rows:
        need = busy
        if class_row is not None:
            need = need | dilate(index.schedule[class_row], travel_slots(float(outcome.minutes[class_row])))
        care_row: int | None = None
        if parts.needs_childcare:
            care_row = _nearest(parts, need)
            if care_row is None:
                continue
        return _assemble(index, ctx, outcome, row, class_row, care_row, primary_score)
    return NO_CHILDCARE if parts.needs_childcare else NO_CLASS


def _fitting_classes(
    index: OpportunityIndex,
    ctx: SurvivorContext,
    outcome: FilterOutcome,
    parts: BundleParts,
    row: int,
    busy: WordWeek,
) -> list[int | None]:
    lang, required, hers = _gap(index, ctx, row)
    c = parts.classes
    fits = (
        (index.col("class_language")[c] == lang)
        & (index.col("class_from")[c] <= hers)
        & (index.col("class_to")[c] >= required)
        & ~np.any(index.schedule[c] & busy, axis=1)
    )
    chosen = c[fits]
    order = np.lexsort((index.col("seq")[chosen], outcome.minutes[chosen]))
    return [int(r) for r in chosen[order]]


def _gap(index: OpportunityIndex, ctx: SurvivorContext, row: int) -> tuple[int, int, int]:
    """(language code, required level, her level) of the one requirement she is a level short of."""
    gaps = language_gaps(index, np.array([row]), ctx)[0]
    slot = int(np.flatnonzero(gaps == 1)[0])
    lang = int(index.col("lang")[row, slot])
    return lang, int(index.col("lang_level")[row, slot]), int(ctx.language_level[lang])


def _nearest(parts: BundleParts, need: WordWeek) -> int | None:
    """The nearest childcare place whose hours cover ``need`` (places are sorted nearest first)."""
    key = need.tobytes()
    if key not in parts.nearest:
        covers = np.all((parts.care_patterns & need) == need, axis=1)[parts.care_pattern]
        first = int(np.argmax(covers)) if len(covers) else 0
        parts.nearest[key] = int(parts.childcare[first]) if len(covers) and covers[first] else None
    return parts.nearest[key]


def bundle_score(primary_score: float, with_class: bool, care_minutes: float | None, max_minutes: int) -> float:
    """Primary score less the small costs of the extra parts (see the penalty constants)."""
    score = primary_score - (CLASS_PENALTY if with_class else 0.0)
    if care_minutes is not None:
        score -= CHILDCARE_COMMUTE_PENALTY * min(care_minutes / max(max_minutes, 1), 1.0)
    return round(score, SCORE_DECIMALS)


def _assemble(
    index: OpportunityIndex,
    ctx: SurvivorContext,
    outcome: FilterOutcome,
    row: int,
    class_row: int | None,
    care_row: int | None,
    primary_score: float,
) -> Bundle:
    care_minutes = float(outcome.minutes[care_row]) if care_row is not None else None
    score = bundle_score(primary_score, class_row is not None, care_minutes, ctx.profile.safety.max_commute_minutes)
    return Bundle(
        primary_id=_id(index, row),
        childcare_id=_id(index, care_row) if care_row is not None else None,
        language_class_id=_id(index, class_row) if class_row is not None else None,
        score=score,
        notes=[],  # filled by describe_bundle for the bundles that make the final list
    )


def describe_bundle(index: OpportunityIndex, ctx: SurvivorContext, bundle: Bundle) -> list[str]:
    """What each extra part of a bundle is for, e.g. "needs B1 de, has A2: the Tuesday/Thursday class
    'German A2-B1' fits"."""
    notes: list[str] = []
    if bundle.language_class_id is not None:
        class_row = index.row_of[bundle.language_class_id]
        lang, required, hers = _gap(index, ctx, index.row_of[bundle.primary_id])
        days = "/".join(days_of(index.schedule[class_row])) or "flexible"
        notes.append(
            f"needs {CEFR_NAMES[required]} {index.languages.names[lang]}, has {CEFR_NAMES[hers]}: "
            f"the {days} class '{index.titles[class_row]}' fits"
        )
    if bundle.childcare_id is not None:
        ages = ", ".join(str(a) for a in sorted(ctx.profile.children_needing_care()))
        notes.append(
            f"childcare '{index.titles[index.row_of[bundle.childcare_id]]}' takes children aged {ages}"
            " and covers the hours plus travel"
        )
    return notes


def _id(index: OpportunityIndex, row: int) -> str:
    found = index.ids[row]
    assert found is not None  # rows handed here passed the alive filter
    return found
