"""Outcome model: default weights until labels suffice, then a versioned learned model."""

from __future__ import annotations

import numpy as np
import pytest

from matching.engine import rank
from matching.features import FEATURES
from matching.index import build_index
from matching.model import feature_matrix, fit_outcome_model, synthetic_outcomes, validate_on_synthetic
from matching.scoring import DEFAULT


def test_too_few_labels_fall_back_to_default_weights() -> None:
    x, y, _ = synthetic_outcomes(80, seed=1)
    model = fit_outcome_model(x, y)
    assert not model.learned and model.weights is DEFAULT
    assert model.reason.startswith("default weights: 80 labelled outcomes")


def test_one_sided_labels_fall_back_even_when_many() -> None:
    x, _, _ = synthetic_outcomes(500, seed=1)
    model = fit_outcome_model(x, np.zeros(500, dtype=bool))
    assert not model.learned and model.weights is DEFAULT


def test_learned_model_exposes_coefficients_by_feature_and_a_version() -> None:
    x, y, _ = synthetic_outcomes(3000, seed=2)
    model = fit_outcome_model(x, y)
    assert model.learned and model.weights.logistic
    coefficients = model.coefficients()
    assert list(coefficients) == list(FEATURES)
    # the hidden rule weighs commute most and pay slightly negative; the fit should see that
    assert max(coefficients, key=lambda k: coefficients[k]) == "commute"
    assert coefficients["pay"] < 0.5
    assert model.weights.version.startswith("logreg-")
    assert fit_outcome_model(x, y).weights.version == model.weights.version  # same data, same version


def test_learning_recovers_the_hidden_rule_better_than_defaults() -> None:
    report = validate_on_synthetic(n_labels=2000, n_ranked=1500, seed=3)
    assert report.cv_auc > 0.75
    assert report.kendall_learned > 0.85 > report.kendall_default
    assert report.spearman_learned > report.spearman_default
    assert len(report.lines()) == 3


def test_wrong_feature_shape_is_rejected() -> None:
    with pytest.raises(ValueError, match="FEATURES order"):
        fit_outcome_model(np.zeros((300, 3)), np.zeros(300, dtype=bool))


def test_feature_matrix_of_past_referrals_matches_engine_features(
    similarity, town, make_opportunity, make_survivor
) -> None:
    job, survivor = make_opportunity(), make_survivor()
    matrix = feature_matrix([(survivor, job), (survivor, job)], similarity)
    (ranked,) = rank(survivor, build_index(similarity, [job]), as_of=town.today).ranked
    assert matrix.shape == (2, len(FEATURES))
    assert matrix[0] == pytest.approx(ranked.features)
