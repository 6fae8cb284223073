"""Benchmark: does outcome learning earn its place, and when? (synthetic outcomes, documented rule)

Two worlds from :mod:`matching.outcome_world` (base rate near 30 %, several referrals per woman
with her own effect, 5 % wrongly recorded outcomes):

- ``hidden``: the documented hidden rule, which weighs commute and hours more than the defaults;
- ``defaults``: outcomes drawn from the default weights themselves (calibrated), where learning
  has nothing to add and the model should switch itself off.

For each size N (several seeds each): the fitted model's and the defaults' AUC on fresh held-out
outcomes, Kendall tau of their rankings toward the world's true log-odds, and whether the use
rule (matching.model.UsePolicy) switched the model on. A learning curve over small N shows
where a fitted model starts to beat the defaults reliably (the derivation of MIN_PER_CLASS).
Last lines, one per N of the hidden world:
``outcomes <n> auc <x> tau <y> (defaults <z>) used <yes|no>`` (z is the defaults' tau).

    python bench/outcome_model.py --seeds 10
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import scipy
import sklearn
from scipy.stats import kendalltau
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine_info import describe
from matching.features import FEATURES
from matching.model import MIN_PER_CLASS, _fit, calibrated_prior, choose_strength, fit_outcome_model
from matching.outcome_world import synthetic_world
from matching.scoring import DEFAULT

SIZES = (100, 300, 1000, 5000)
CURVE = (30, 60, 100, 150, 200, 300)


def defaults_world() -> dict[str, float]:
    """A rule that is the default weights, scaled to log-odds like the hidden rule."""
    return {name: 12.0 * DEFAULT.coefficients.get(name, 0.0) for name in FEATURES}


def evaluate(n: int, seed: int, world: str) -> dict[str, float]:
    rule = defaults_world() if world == "defaults" else None
    x, y, groups, _ = synthetic_world(n, seed, rule=rule)
    fresh, fresh_y, _, truth = synthetic_world(5000, 10_000 + seed, rule=rule)
    started = time.perf_counter()
    model = fit_outcome_model(x, y, groups)
    seconds = time.perf_counter() - started
    fitted = model.candidate or model.weights
    used = model.weights
    return {
        "auc_fit": float(roc_auc_score(fresh_y, fitted.score(fresh))),
        "auc_used": float(roc_auc_score(fresh_y, used.score(fresh))),
        "auc_default": float(roc_auc_score(fresh_y, DEFAULT.score(fresh))),
        "tau_fit": float(kendalltau(fitted.score(fresh), truth).statistic),
        "tau_used": float(kendalltau(used.score(fresh), truth).statistic),
        "tau_default": float(kendalltau(DEFAULT.score(fresh), truth).statistic),
        "used": float(model.learned),
        "seconds": seconds,
        "rarer": float(min(int(y.sum()), n - int(y.sum()))),
    }


def curve(seeds: int) -> None:
    """How often a fit (before the use rule) beats, or costs, the defaults on fresh data, by N."""
    print("\nlearning curve: a fitted model (prior strength chosen by grouped CV) against the defaults on fresh data")
    for n in CURVE:
        better, harmless, rarer = 0, 0, []
        for seed in range(seeds):
            x, y, groups, _ = synthetic_world(n, seed)
            fresh, fresh_y, _, _ = synthetic_world(5000, 20_000 + seed)
            count = min(int(y.sum()), n - int(y.sum()))
            rarer.append(count)
            fitted = _fitted(x, y, groups)
            better += roc_auc_score(fresh_y, fitted(fresh)) > roc_auc_score(fresh_y, DEFAULT.score(fresh))
            # where the defaults are right, a fit must not cost ranking quality
            x, y, groups, _ = synthetic_world(n, seed, rule=defaults_world())
            fresh, fresh_y, _, _ = synthetic_world(5000, 20_000 + seed, rule=defaults_world())
            fitted = _fitted(x, y, groups)
            cost = roc_auc_score(fresh_y, DEFAULT.score(fresh)) - roc_auc_score(fresh_y, fitted(fresh))
            harmless += cost <= 0.01
        print(
            f"  N {n:>5}: rarer class about {statistics.fmean(rarer):.0f}; hidden world: better in {better}/{seeds}; "
            f"defaults world: within 0.01 AUC of the defaults in {harmless}/{seeds}"
        )
    print(f"  MIN_PER_CLASS = {MIN_PER_CLASS}: from about there at least 90 % of seeds improve where the defaults")
    print("  are wrong and lose at most 0.01 AUC where they are right")


def _fitted(x: np.ndarray, y: np.ndarray, groups: np.ndarray):  # type: ignore[no-untyped-def]
    if min(int(y.sum()), len(y) - int(y.sum())) < 5:
        return DEFAULT.score
    params = _fit(x, y, calibrated_prior(x, y), choose_strength(x, y, groups))
    return lambda rows: rows @ params[:-1] + params[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    print(describe(f"numpy {np.__version__}", f"scipy {scipy.__version__}", f"scikit-learn {sklearn.__version__}"))
    curve(max(args.seeds, 20))
    last: list[str] = []
    for world in ("defaults", "hidden"):
        print(f"\nworld: {world}")
        print(
            f"{'N':>6} {'used':>6} {'AUC fit':>8} {'AUC used':>9} {'AUC dflt':>9} "
            f"{'tau fit':>8} {'tau used':>9} {'tau dflt':>9} {'fit s':>6}"
        )
        for n in SIZES:
            rows = [evaluate(n, seed, world) for seed in range(args.seeds)]

            def mean(key: str, rows: list[dict[str, float]] = rows) -> float:
                return statistics.fmean(row[key] for row in rows)

            print(
                f"{n:>6} {mean('used'):>6.0%} {mean('auc_fit'):>8.3f} {mean('auc_used'):>9.3f} "
                f"{mean('auc_default'):>9.3f} {mean('tau_fit'):>8.3f} {mean('tau_used'):>9.3f} "
                f"{mean('tau_default'):>9.3f} {mean('seconds'):>6.2f}"
            )
            if world == "hidden":
                used = "yes" if mean("used") >= 0.5 else "no"
                last.append(
                    f"outcomes {n} auc {mean('auc_used'):.3f} tau {mean('tau_used'):.3f} "
                    f"(defaults {mean('tau_default'):.3f}) used {used}"
                )
    print()
    for line in last:
        print(line)


if __name__ == "__main__":
    main()
