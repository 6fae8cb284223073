"""A synthetic world of referral outcomes, for validating outcome learning (tests and bench).

The hidden rule (documented so a result can be checked against it): a placement lasts when the
commute is short and the hours fit (more than the default weights assume), skills and goals
help, language a little, and pay barely matters (slightly negative: the best-paid offers in
this world are the hardest to keep). Realistic noise on top of it:

- a base rate near 30 % (most referrals do not become a lasting placement);
- each woman has several referrals and her own circumstances shift all of them together (a
  survivor effect, sd ``SURVIVOR_SD`` on the log-odds), which is why validation groups by her;
- 5 % of recorded outcomes are wrong (a counsellor's or a partner's mistake).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from matching.features import FEATURES

HIDDEN_RULE: dict[str, float] = {
    "essential_skills": 2.0,
    "optional_skills": 0.0,
    "language": 1.0,
    "timetable": 3.0,
    "commute": 4.0,
    "goal": 1.5,
    "pay": -0.5,
    "level": 0.0,
}
HIDDEN_INTERCEPT = -6.6
"""With features uniform in [0, 1] this puts the base rate near 30 %."""
SURVIVOR_SD = 0.5
LABEL_NOISE = 0.05
REFERRALS_PER_SURVIVOR = 3


def synthetic_world(
    n: int,
    seed: int = 0,
    *,
    rule: dict[str, float] | None = None,
    intercept: float = HIDDEN_INTERCEPT,
    label_noise: float = LABEL_NOISE,
    survivor_sd: float = SURVIVOR_SD,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """``n`` referrals: (features, recorded outcome, survivor of each row, the rule's log-odds).
    ``rule`` replaces :data:`HIDDEN_RULE` (e.g. a world where the defaults are right)."""
    rule = rule or HIDDEN_RULE
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=(n, len(FEATURES)))
    groups = np.arange(n, dtype=np.int64) // REFERRALS_PER_SURVIVOR
    effect = rng.normal(0.0, survivor_sd, size=int(groups.max(initial=0)) + 1)[groups]
    logit = x @ np.array([rule.get(f, 0.0) for f in FEATURES]) + intercept
    truth = rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-(logit + effect)))
    flipped = rng.uniform(size=n) < label_noise
    return x, truth ^ flipped, groups, logit


def synthetic_outcomes(
    n: int, seed: int = 0
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    """Features, recorded outcomes and the rule's log-odds, without the grouping."""
    x, y, _, logit = synthetic_world(n, seed)
    return x, y, logit
