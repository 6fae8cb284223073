"""Outcome model: default weights until labels suffice, then a versioned learned model."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import kendalltau

from matching.engine import rank
from matching.features import FEATURES
from matching.index import build_index
from matching.model import feature_matrix, fit_outcome_model, group_shift, survivor_folds, validate_on_synthetic
from matching.outcome_world import synthetic_outcomes, synthetic_world
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


def test_where_the_defaults_are_right_a_model_is_fitted_but_not_used() -> None:
    rule = {name: 12.0 * DEFAULT.coefficients[name] for name in FEATURES}
    x, y, groups, _ = synthetic_world(1500, seed=4, rule=rule)
    model = fit_outcome_model(x, y, groups)
    assert not model.learned and model.weights is DEFAULT
    assert model.candidate is not None and model.cv_auc is not None and model.cv_auc_default is not None
    assert "not clearly above" in model.reason


def test_where_the_defaults_are_wrong_the_model_is_used_with_its_evidence() -> None:
    x, y, groups, _ = synthetic_world(1500, seed=5)
    model = fit_outcome_model(x, y, groups)
    assert model.learned and model.weights is model.candidate
    assert model.cv_auc is not None and model.cv_auc_default is not None
    assert model.cv_auc >= model.cv_auc_default + 0.02
    assert model.folds_won >= 4
    assert set(model.calibration) == {"brier", "mean_predicted", "observed_rate"}


def test_a_strong_prior_keeps_the_fit_at_the_default_ranking() -> None:
    x, y, groups, _ = synthetic_world(400, seed=6)
    fresh, _, _, _ = synthetic_world(2000, seed=7)
    strong = fit_outcome_model(x, y, groups, strength=1e6)
    weak = fit_outcome_model(x, y, groups, strength=0.1)
    assert strong.candidate is not None and weak.candidate is not None
    tau_strong = kendalltau(strong.candidate.score(fresh), DEFAULT.score(fresh)).statistic
    tau_weak = kendalltau(weak.candidate.score(fresh), DEFAULT.score(fresh)).statistic
    assert tau_strong > 0.99 > tau_weak
    assert strong.shrinkage is not None and weak.shrinkage is not None and strong.shrinkage < weak.shrinkage


def test_one_womans_referrals_never_sit_on_both_sides_of_a_fold() -> None:
    _, y, groups, _ = synthetic_world(600, seed=8)
    for train, test in survivor_folds(y, groups):
        assert not set(groups[train]) & set(groups[test])


def test_group_shift_says_which_group_a_model_moves_down() -> None:
    default = np.arange(8, dtype=float)
    model = np.array([7, 6, 5, 4, 0, 1, 2, 3], dtype=float)  # the first four move up, the others down
    shift = group_shift(default, model, ["a"] * 4 + ["b"] * 4)
    assert shift["a"] > 0 > shift["b"]


def test_sign_changes_name_the_features_that_turned_against_the_defaults() -> None:
    x, y, groups, _ = synthetic_world(3000, seed=9)  # the hidden rule weighs pay slightly negative
    model = fit_outcome_model(x, y, groups)
    assert "pay" in model.sign_changes()
    assert "essential_skills" not in model.sign_changes()
