"""Outcome learning: a logistic regression over the same named features, when labels allow.

The model is a thin adapter: it fits scikit-learn's LogisticRegression on rows of
:data:`matching.features.FEATURES` with outcome labels (placed and still there, say) and hands
back :class:`matching.scoring.Weights`, so ranking and explanations work unchanged. With too few
labels, or too few of either outcome, it hands back the default weights and says why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import kendalltau, spearmanr
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

from matching.features import FEATURES
from matching.reference import pair_features
from matching.scoring import DEFAULT, Weights
from matching.similarity import SkillSimilarity
from matching.types import Opportunity, SurvivorProfile

MIN_LABELS = 200
MIN_PER_CLASS = 30
"""Below these a fitted coefficient is mostly noise; the documented defaults are safer."""

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
HIDDEN_INTERCEPT = -5.0
"""The rule behind synthetic outcomes: placements last when the commute is short and the hours fit
(more than the defaults assume), skills and goals help, and pay barely matters (slightly negative:
the best-paid offers in the synthetic world are the hardest to keep)."""


@dataclass
class OutcomeModel:
    """Learned weights if there are enough labelled outcomes, else the default weights."""

    weights: Weights
    learned: bool
    reason: str
    n_labels: int

    def coefficients(self) -> dict[str, float]:
        """Coefficient per feature name (log-odds per unit of feature for a learned model)."""
        return dict(self.weights.coefficients)


def fit_outcome_model(
    features: npt.NDArray[np.float64],
    labels: npt.NDArray[np.bool_],
    *,
    min_labels: int = MIN_LABELS,
    min_per_class: int = MIN_PER_CLASS,
    regularisation: float = 1.0,
) -> OutcomeModel:
    """Fit on rows of FEATURES (``features`` is n x len(FEATURES)) and boolean outcomes."""
    y = np.asarray(labels, dtype=bool)
    n, positives = len(y), int(y.sum())
    if features.shape != (n, len(FEATURES)):
        raise ValueError(f"features must be n x {len(FEATURES)} in FEATURES order")
    if n < min_labels or min(positives, n - positives) < min_per_class:
        reason = f"{n} labelled outcomes ({positives} positive): below {min_labels} / {min_per_class} per class"
        return OutcomeModel(DEFAULT, False, f"default weights: {reason}", n)
    estimator = LogisticRegression(C=regularisation, max_iter=1000)
    estimator.fit(features, y)
    coefficients = {name: float(c) for name, c in zip(FEATURES, estimator.coef_[0], strict=True)}
    intercept = float(estimator.intercept_[0])
    fingerprint = hashlib.sha256(repr((sorted(coefficients.items()), intercept, n)).encode()).hexdigest()[:12]
    weights = Weights(coefficients, intercept, logistic=True, version=f"logreg-{fingerprint}")
    return OutcomeModel(weights, True, f"learned from {n} labelled outcomes", n)


def feature_matrix(
    pairs: Iterable[tuple[SurvivorProfile, Opportunity]], similarity: SkillSimilarity
) -> npt.NDArray[np.float64]:
    """Training rows (FEATURES order) for past referrals, computed as the engine would score them."""
    rows = [pair_features(opp, profile, similarity) for profile, opp in pairs]
    return np.array([[row[name] for name in FEATURES] for row in rows], dtype=np.float64).reshape(-1, len(FEATURES))


def cross_validated_auc(
    features: npt.NDArray[np.float64], labels: npt.NDArray[np.bool_], folds: int = 5, seed: int = 0
) -> float:
    """Mean ROC AUC of the same estimator over stratified folds."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    scores = cross_val_score(LogisticRegression(max_iter=1000), features, labels, cv=splitter, scoring="roc_auc")
    return float(np.mean(scores))


def synthetic_outcomes(
    n: int, seed: int = 0
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    """Features uniform in [0, 1], outcomes drawn from :data:`HIDDEN_RULE`; returns (X, y, rule logit)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=(n, len(FEATURES)))
    logit = x @ np.array([HIDDEN_RULE[f] for f in FEATURES]) + HIDDEN_INTERCEPT
    y = rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-logit))
    return x, y, logit


@dataclass
class ValidationReport:
    """How well learning recovers the hidden rule, next to what the defaults achieve."""

    n_labels: int
    cv_auc: float
    kendall_learned: float
    kendall_default: float
    spearman_learned: float
    spearman_default: float

    def lines(self) -> list[str]:
        """Human-readable summary."""
        return [
            f"labelled outcomes: {self.n_labels}, cross-validated AUC {self.cv_auc:.3f}",
            f"Kendall tau with the hidden rule: learned {self.kendall_learned:.3f}, "
            f"default {self.kendall_default:.3f}",
            f"Spearman with the hidden rule: learned {self.spearman_learned:.3f}, "
            f"default {self.spearman_default:.3f}",
        ]


def validate_on_synthetic(n_labels: int = 2000, n_ranked: int = 2000, seed: int = 0) -> ValidationReport:
    """Fit on synthetic outcomes and compare rankings of fresh opportunities with the hidden rule."""
    x, y, _ = synthetic_outcomes(n_labels, seed)
    model = fit_outcome_model(x, y)
    fresh, _, truth = synthetic_outcomes(n_ranked, seed + 1)
    learned = model.weights.score(fresh)
    default = DEFAULT.score(fresh)
    return ValidationReport(
        n_labels=n_labels,
        cv_auc=cross_validated_auc(x, y, seed=seed),
        kendall_learned=float(kendalltau(learned, truth).statistic),
        kendall_default=float(kendalltau(default, truth).statistic),
        spearman_learned=float(spearmanr(learned, truth).statistic),
        spearman_default=float(spearmanr(default, truth).statistic),
    )
