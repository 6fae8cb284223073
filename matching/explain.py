"""Explanations a counsellor can read: contributions, what is met, missing, and what bridges it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import numpy as np
import numpy.typing as npt

from matching.features import FEATURES, NEUTRAL, SurvivorContext
from matching.index import OpportunityIndex
from matching.reference import commute_estimate, failing_filters
from matching.scoring import Weights
from matching.types import CEFR_ORDER, Bundle, Contribution, Explanation, Opportunity, SurvivorProfile

SHOWN_SKILLS = 5
"""Long skill lists drown the message; name the first few and count the rest."""


def explain(
    index: OpportunityIndex,
    ctx: SurvivorContext,
    row: int,
    features: npt.NDArray[np.float64],
    weights: Weights,
    minutes: float,
    bundle: Bundle | None = None,
    labels: Mapping[str, str] | None = None,
) -> Explanation:
    """Explain one scored opportunity; ``labels`` maps skill URIs to readable names if given."""
    record = index.records[row]
    assert record is not None
    terms = weights.contributions(features[None, :])[0]
    contributions = [
        Contribution(name, round(float(v), 4), weights.coefficients.get(name, 0.0), round(float(t), 4))
        for name, v, t in zip(FEATURES, features, terms, strict=True)
    ]
    met: list[str] = []
    missing: list[str] = []
    bridges: list[str] = list(bundle.notes) if bundle else []
    label: Callable[[str], str] = (lambda uri: labels.get(uri, uri)) if labels is not None else (lambda uri: uri)
    skills = _skills(index, record, ctx, (met, missing, bridges), label)
    _languages(record, ctx, met, missing)
    value = dict(zip(FEATURES, features, strict=True))
    safety = ctx.profile.safety
    met.append(f"about {round(minutes)} min by {safety.travel_mode} (her limit {safety.max_commute_minutes})")
    share = round(100 * value["timetable"])
    (met if share == 100 else missing).append(f"{share}% of its hours fall in her availability")
    if value["goal"] == 1.0:
        met.append("matches a target occupation")
    elif value["goal"] > 0 and value["goal"] != NEUTRAL:
        met.append("in a target sector")
    elif value["goal"] == 0.0:
        missing.append("outside her target occupations and sectors")
    if record.kind == "job" and record.pay and ctx.profile.goals.monthly_income_target:
        target = ctx.profile.goals.monthly_income_target
        line = f"pays {record.pay.monthly:.0f} {record.pay.currency}/month against a target of {target:.0f}"
        (met if value["pay"] >= 1.0 else missing).append(line)
    held, related, to_learn = skills
    return Explanation(
        contributions=contributions,
        met=met,
        missing=missing,
        bridges=bridges,
        skills_held=held,
        skills_related=related,
        skills_to_learn=to_learn,
    )


def _skills(
    index: OpportunityIndex,
    record: Opportunity,
    ctx: SurvivorContext,
    lines: tuple[list[str], list[str], list[str]],
    label: Callable[[str], str],
) -> tuple[list[str], list[str], list[str]]:
    """Writes the skill lines; returns the (held, related, to learn) essential skill URIs."""
    met, missing, bridges = lines
    has = ctx.profile.skills
    exact = [s for s in record.essential_skills if s in has]
    lacking = [s for s in record.essential_skills if s not in has]
    if record.essential_skills:
        tally = f"has {len(exact)} of {len(record.essential_skills)} essential skills"
        (met if exact else missing).append(tally)
    if exact:
        met.append("essential skills held: " + _listing([label(s) for s in exact]))
    if not lacking:
        return exact, [], []
    # partial credit comes only from related skills, so a positive credit here names a bridge
    credit = [float(ctx.credit[code]) if (code := index.skills.lookup(s)) >= 0 else 0.0 for s in lacking]
    related = [s for s, c in zip(lacking, credit, strict=True) if c > 0]
    absent = [s for s, c in zip(lacking, credit, strict=True) if c == 0]
    if related:
        bridges.append("related experience counts towards: " + _listing([label(s) for s in related]))
    if absent:
        missing.append("essential skills to learn: " + _listing([label(s) for s in absent]))
    return exact, related, absent


def _languages(record: Opportunity, ctx: SurvivorContext, met: list[str], missing: list[str]) -> None:
    for req in record.languages:
        hers = ctx.profile.languages.get(req.language)
        have = CEFR_ORDER[hers] if hers else 0
        line = f"needs {req.level} {req.language}, has {hers or 'none'}"
        (met if have >= CEFR_ORDER[req.level] else missing).append(line)


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:SHOWN_SKILLS])
    return shown + (f" and {len(items) - SHOWN_SKILLS} more" if len(items) > SHOWN_SKILLS else "")


def why_not(profile: SurvivorProfile, opportunity: Opportunity, as_of: date) -> list[str]:
    """Every reason ``opportunity`` is not suggested to her, for a counsellor asking about one listing.

    Lists all failing hard filters (not only the first); if none fail, says what a bundle would
    still need. It checks the single record directly, so it needs no index.
    """
    if profile.readiness_paused:
        return ["readiness paused: she asked for no suggestions for now"]
    if opportunity.kind == "childcare":
        return ["childcare places are offered only as part of a bundle"]
    reasons = failing_filters(opportunity, profile, as_of, commute_estimate(opportunity, profile))
    if reasons:
        return reasons
    needs = []
    if profile.children_needing_care():
        needs.append("needs a childcare place that takes her children and covers the hours plus travel")
    for req in opportunity.languages:
        have = CEFR_ORDER.get(profile.languages.get(req.language, ""), 0)
        if CEFR_ORDER[req.level] - have == 1:
            needs.append(f"needs a {req.language} class from her level to {req.level} outside its hours")
    return needs or ["passes every filter; it may rank below the top of her list"]
