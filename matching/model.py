"""Outcome learning: a logistic regression over the same named features, used only when it has
earned it.

The model is a thin adapter in the sense of STYLE 9: features are :data:`matching.features.FEATURES`,
the fit hands back :class:`matching.scoring.Weights`, so ranking and explanations work unchanged.
What makes it safe on an NGO's few hundred outcomes:

- **a prior, not zero**: the coefficients are shrunk toward the default weights (calibrated to
  the outcome scale by a one-feature logistic fit on the default score), not toward zero; with
  few outcomes the model *is* the default ranking, and it moves away only as far as the data
  carry it (``shrinkage`` says how far);
- **grouped cross-validation by survivor**: one woman's referrals are never split across
  training and validation folds, and the default weights are scored on the very same folds;
- **a rule for using it** (:class:`UsePolicy`): enough outcomes of each class, a cross-validated
  AUC clearly above the defaults' on the same folds, in most folds, else the default weights and
  the reason. Whether the coefficients' signs are accepted, and whether it demotes a group
  (:func:`group_shift`), are decided where people and groups are known (the service).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize
from scipy.stats import kendalltau, spearmanr
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from matching.features import FEATURES
from matching.reference import pair_features
from matching.scoring import DEFAULT, Weights
from matching.similarity import SkillSimilarity
from matching.types import Opportunity, SurvivorProfile

MIN_PER_CLASS = 70
"""Outcomes of the rarer class below which no model is fitted. Derived from the learning curve in
``bench/outcome_model.py`` on the synthetic worlds of :mod:`matching.outcome_world` (20 seeds per
size; base rate near 30 %): a fit beats the defaults on fresh data in 20 of 20 seeds from about
20 outcomes of the rarer class where the defaults are wrong, but where the defaults are right
it stays within 0.01 AUC of them in at least 90 % of seeds only from about 70 (N = 200: 18/20;
N = 150, rarer class about 50: 16/20). The use rule below then asks the fit to beat the defaults."""
MIN_LABELS = 2 * MIN_PER_CLASS
AUC_MARGIN = 0.02
"""How far the model's cross-validated AUC must exceed the defaults' on the same folds."""
STRENGTHS = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
"""Gaussian prior precisions toward the calibrated defaults (in units of one outcome's log-loss)
from which grouped cross-validation picks: the data decide how far to trust the defaults."""
FOLDS = 5


@dataclass(frozen=True)
class UsePolicy:
    """When a learned model replaces the default weights."""

    min_per_class: int = MIN_PER_CLASS
    auc_margin: float = AUC_MARGIN
    folds_won: int = 4
    """Of FOLDS folds, in how many the model must beat the defaults."""


@dataclass
class OutcomeModel:
    """Learned weights if they earned it, else the default weights, with the evidence either way."""

    weights: Weights
    learned: bool
    reason: str
    n_labels: int
    positives: int = 0
    cv_auc: float | None = None
    """The fitted model's AUC, grouped folds, pooled."""
    cv_auc_default: float | None = None
    """The default weights' AUC on the same folds."""
    folds_won: int = 0
    shrinkage: float | None = None
    """Distance of the fit from the prior, relative to the prior's size (0: it is the prior)."""
    prior: Weights | None = None
    """The calibrated default weights the fit was shrunk toward."""
    candidate: Weights | None = None
    """The fitted weights, also when they were not used (for the review page)."""
    calibration: dict[str, float] = field(default_factory=dict)
    """Brier score and mean predicted against observed rate, on the validation folds."""
    strength: float | None = None
    """The prior's strength cross-validation chose (high: the data mostly confirmed the defaults)."""

    def coefficients(self) -> dict[str, float]:
        """Coefficient per feature name (log-odds per unit of feature for a learned model)."""
        return dict(self.weights.coefficients)

    def sign_changes(self) -> list[str]:
        """Features whose learned coefficient has the opposite sign of the default weight."""
        fitted = self.candidate or self.weights
        return [
            name for name in FEATURES if DEFAULT.coefficients.get(name, 0.0) * fitted.coefficients.get(name, 0.0) < 0
        ]


def _loss(
    params: npt.NDArray[np.float64],
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    mean: npt.NDArray[np.float64],
    strength: float,
) -> tuple[float, npt.NDArray[np.float64]]:
    """Log-loss plus a Gaussian prior around ``mean`` (intercept last, lightly held), and its gradient."""
    linear = x @ params[:-1] + params[-1]
    p = 1.0 / (1.0 + np.exp(-linear))
    eps = 1e-12
    loss = -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
    delta = params - mean
    penalty = np.full(len(params), strength)
    penalty[-1] = 1e-3
    loss += 0.5 * float(np.sum(penalty * delta**2))
    residual = p - y
    gradient = np.concatenate([x.T @ residual, [residual.sum()]]) + penalty * delta
    return float(loss), gradient


def calibrated_prior(features: npt.NDArray[np.float64], labels: npt.NDArray[np.bool_]) -> Weights:
    """The default weights on the outcome scale: ``logit = a + b * default_score`` fitted by one
    feature, then ``b * weight_i`` per feature and ``a`` as intercept (same ranking as defaults)."""
    score = DEFAULT.score(features).reshape(-1, 1)
    y = labels.astype(np.float64)
    result = minimize(_loss, np.zeros(2), args=(score, y, np.zeros(2), 1e-3), jac=True, method="L-BFGS-B")
    slope, intercept = float(result.x[0]), float(result.x[1])
    coefficients = {name: slope * DEFAULT.coefficients.get(name, 0.0) for name in FEATURES}
    return Weights(coefficients, intercept, logistic=True, version="prior")


def _fit(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.bool_], prior: Weights, strength: float
) -> npt.NDArray[np.float64]:
    mean = np.concatenate([prior.vector(), [prior.intercept]])
    result = minimize(_loss, mean.copy(), args=(x, y.astype(np.float64), mean, strength), jac=True, method="L-BFGS-B")
    return np.asarray(result.x, dtype=np.float64)


def _weights(params: npt.NDArray[np.float64], n: int) -> Weights:
    coefficients = {name: float(c) for name, c in zip(FEATURES, params[:-1], strict=True)}
    intercept = float(params[-1])
    fingerprint = hashlib.sha256(repr((sorted(coefficients.items()), intercept, n)).encode()).hexdigest()[:12]
    return Weights(coefficients, intercept, logistic=True, version=f"logreg-{fingerprint}")


def survivor_folds(
    labels: npt.NDArray[np.bool_], groups: npt.NDArray[np.int64] | None, *, folds: int = FOLDS, seed: int = 0
) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """(train, test) row indices: stratified by outcome, and one woman's rows never on both sides."""
    ids = np.arange(len(labels)) if groups is None else np.asarray(groups)
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return [(train, test) for train, test in splitter.split(np.zeros(len(labels)), labels, ids)]


def choose_strength(
    features: npt.NDArray[np.float64],
    labels: npt.NDArray[np.bool_],
    groups: npt.NDArray[np.int64] | None = None,
    *,
    folds: int = FOLDS,
    seed: int = 0,
) -> float:
    """The prior strength with the lowest grouped cross-validated log-loss."""
    y = np.asarray(labels, dtype=bool)
    splits = survivor_folds(y, groups, folds=folds, seed=seed + 1)
    losses = []
    for strength in STRENGTHS:
        total = 0.0
        for train, test in splits:
            params = _fit(features[train], y[train], calibrated_prior(features[train], y[train]), strength)
            p = 1.0 / (1.0 + np.exp(-(features[test] @ params[:-1] + params[-1])))
            total -= float(np.sum(np.where(y[test], np.log(p + 1e-12), np.log(1 - p + 1e-12))))
        losses.append(total)
    return STRENGTHS[int(np.argmin(losses))]


def grouped_cv(
    features: npt.NDArray[np.float64],
    labels: npt.NDArray[np.bool_],
    groups: npt.NDArray[np.int64] | None = None,
    *,
    strength: float,
    folds: int = FOLDS,
    seed: int = 0,
) -> tuple[float, float, int, dict[str, float]]:
    """(model AUC, defaults' AUC, folds the model won, calibration) on survivor-grouped folds."""
    y = np.asarray(labels, dtype=bool)
    predicted = np.zeros(len(y))
    won = 0
    for train, test in survivor_folds(y, groups, folds=folds, seed=seed):
        prior = calibrated_prior(features[train], y[train])
        params = _fit(features[train], y[train], prior, strength)
        predicted[test] = 1.0 / (1.0 + np.exp(-(features[test] @ params[:-1] + params[-1])))
        if len(set(y[test])) == 2:
            won += roc_auc_score(y[test], predicted[test]) > roc_auc_score(y[test], DEFAULT.score(features[test]))
    calibration = {
        "brier": float(np.mean((predicted - y) ** 2)),
        "mean_predicted": float(predicted.mean()),
        "observed_rate": float(y.mean()),
    }
    auc = float(roc_auc_score(y, predicted))
    auc_default = float(roc_auc_score(y, DEFAULT.score(features)))
    return auc, auc_default, int(won), calibration


def fit_outcome_model(
    features: npt.NDArray[np.float64],
    labels: npt.NDArray[np.bool_],
    groups: npt.NDArray[np.int64] | None = None,
    *,
    policy: UsePolicy | None = None,
    strength: float | None = None,
) -> OutcomeModel:
    """Fit on rows of FEATURES (``features`` is n x len(FEATURES)), boolean outcomes and the
    survivor each row belongs to; return it only if it earned it under ``policy``."""
    policy = policy or UsePolicy()
    y = np.asarray(labels, dtype=bool)
    n, positives = len(y), int(y.sum())
    if features.shape != (n, len(FEATURES)):
        raise ValueError(f"features must be n x {len(FEATURES)} in FEATURES order")
    rarer = min(positives, n - positives)
    if rarer < policy.min_per_class:
        reason = (
            f"default weights: {n} labelled outcomes ({positives} positive); a model needs at least "
            f"{policy.min_per_class} of each"
        )
        return OutcomeModel(DEFAULT, False, reason, n, positives)
    strength = strength if strength is not None else choose_strength(features, y, groups)
    auc, auc_default, won, calibration = grouped_cv(features, y, groups, strength=strength)
    prior = calibrated_prior(features, y)
    params = _fit(features, y, prior, strength)
    candidate = _weights(params, n)
    prior_vector = np.concatenate([prior.vector(), [prior.intercept]])
    shrinkage = float(np.linalg.norm(params - prior_vector)) / max(float(np.linalg.norm(prior_vector)), 1e-9)
    evidence = {
        "cv_auc": auc,
        "cv_auc_default": auc_default,
        "folds_won": won,
        "shrinkage": shrinkage,
        "prior": prior,
        "candidate": candidate,
        "calibration": calibration,
        "positives": positives,
        "strength": strength,
    }
    if auc < auc_default + policy.auc_margin or won < policy.folds_won:
        reason = (
            f"default weights: the model's AUC {auc:.3f} is not clearly above the defaults' {auc_default:.3f} "
            f"(needs +{policy.auc_margin:.2f}, better in {policy.folds_won} of {FOLDS} folds; it was in {won})"
        )
        return OutcomeModel(DEFAULT, False, reason, n, **evidence)  # type: ignore[arg-type]
    reason = f"learned from {n} labelled outcomes (AUC {auc:.3f} against {auc_default:.3f} for the defaults)"
    return OutcomeModel(candidate, True, reason, n, **evidence)  # type: ignore[arg-type]


def group_shift(
    default_scores: npt.NDArray[np.float64], model_scores: npt.NDArray[np.float64], groups: Iterable[str]
) -> dict[str, float]:
    """Mean change of each group's percentile rank when the model replaces the defaults
    (negative: the group moves down the lists). Groups are the service's (region, language
    group, has children); none is a feature of the model."""
    labels = np.array(list(groups))
    before = _percentiles(default_scores)
    after = _percentiles(model_scores)
    return {str(g): float(np.mean(after[labels == g] - before[labels == g])) for g in sorted(set(labels))}


def _percentiles(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    order = np.argsort(np.argsort(scores, kind="stable"), kind="stable")
    return order / max(len(scores) - 1, 1)


def feature_matrix(
    pairs: Iterable[tuple[SurvivorProfile, Opportunity]], similarity: SkillSimilarity
) -> npt.NDArray[np.float64]:
    """Training rows (FEATURES order) for past referrals, computed as the engine would score them."""
    rows = [pair_features(opp, profile, similarity) for profile, opp in pairs]
    return np.array([[row[name] for name in FEATURES] for row in rows], dtype=np.float64).reshape(-1, len(FEATURES))


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
            f"Kendall tau with the hidden rule: learned {self.kendall_learned:.3f}, default {self.kendall_default:.3f}",
            f"Spearman with the hidden rule: learned {self.spearman_learned:.3f}, default {self.spearman_default:.3f}",
        ]


def validate_on_synthetic(n_labels: int = 2000, n_ranked: int = 2000, seed: int = 0) -> ValidationReport:
    """Fit on synthetic outcomes and compare rankings of fresh opportunities with the hidden rule."""
    from matching.outcome_world import synthetic_outcomes

    x, y, _ = synthetic_outcomes(n_labels, seed)
    model = fit_outcome_model(x, y)
    fresh, _, truth = synthetic_outcomes(n_ranked, seed + 1)
    learned = (model.candidate or model.weights).score(fresh)
    default = DEFAULT.score(fresh)
    return ValidationReport(
        n_labels=n_labels,
        cv_auc=model.cv_auc or 0.0,
        kendall_learned=float(kendalltau(learned, truth).statistic),
        kendall_default=float(kendalltau(default, truth).statistic),
        spearman_learned=float(spearmanr(learned, truth).statistic),
        spearman_default=float(spearmanr(default, truth).statistic),
    )
