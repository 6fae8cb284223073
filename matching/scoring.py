"""Scores from named features: transparent default weights, or a learned logistic model.

Both forms are linear in the features, so every score splits into per-feature contributions
that explanations can show: ``score = link(intercept + sum(weight_i * feature_i))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.features import FEATURES

DEFAULT_WEIGHTS: dict[str, float] = {
    "essential_skills": 0.28,  # can she do the core of it
    "optional_skills": 0.07,
    "language": 0.12,
    "timetable": 0.12,  # fits the week she actually has
    "commute": 0.10,
    "goal": 0.13,  # what she asked for
    "pay": 0.10,
    "level": 0.08,
}
"""Sum to 1, so a default score is a weighted average in [0, 1] that a counsellor can recompute."""

SCORE_DECIMALS = 9
"""Scores are rounded before ranking so that summation order never reorders near-ties."""


@dataclass(frozen=True)
class Weights:
    """Linear weights over :data:`FEATURES`; ``logistic`` applies a sigmoid (learned models)."""

    coefficients: dict[str, float]
    intercept: float = 0.0
    logistic: bool = False
    version: str = "default-1"

    def vector(self) -> npt.NDArray[np.float64]:
        """Coefficients in FEATURES order (missing features weigh 0)."""
        return np.array([self.coefficients.get(name, 0.0) for name in FEATURES])

    def score(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Scores for a feature matrix (rows x FEATURES), rounded to SCORE_DECIMALS."""
        linear = features @ self.vector() + self.intercept
        if self.logistic:
            linear = 1.0 / (1.0 + np.exp(-linear))
        return np.round(linear, SCORE_DECIMALS)

    def contributions(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Per-feature terms ``weight_i * feature_i`` (on the log-odds scale for learned models)."""
        return features * self.vector()


DEFAULT = Weights(DEFAULT_WEIGHTS)


def score_one(features: dict[str, float], weights: Weights) -> float:
    """Score of a single feature mapping, computed term by term (the per-pair reference uses it)."""
    linear = weights.intercept
    for name in FEATURES:
        linear += weights.coefficients.get(name, 0.0) * features[name]
    if weights.logistic:
        linear = 1.0 / (1.0 + float(np.exp(-linear)))
    return round(linear, SCORE_DECIMALS)
