"""Tests for crmlab.churn: hand-computed cases, published results, errors."""

from __future__ import annotations

import numpy as np
import pytest

from crmlab import churn as C
from crmlab.errors import DataError, ParameterError


# --------------------------------------------------------------------------- churn model
def test_auc_rank_formula_and_roc():
    assert C.auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    assert C.auc([0, 1], [0.5, 0.5]) == 0.5
    assert C.auc([1, 1, 0], [3, 2, 1]) == 1.0
    roc = C.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    assert roc["fpr"].tolist() == [0, 0, 0.5, 0.5, 1]
    assert roc["tpr"].tolist() == [0, 0.5, 0.5, 1, 1]
    # trapezoid area of the ROC equals the rank AUC
    assert np.trapezoid(roc["tpr"], roc["fpr"]) == pytest.approx(0.75)
    with pytest.raises(DataError, match="only one class"):
        C.auc([1, 1], [0.2, 0.3])


def test_auc_matches_trapezoid_with_ties():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    s = np.round(rng.normal(y, 1.0), 1)  # many ties
    roc = C.roc_curve(y, s)
    assert C.auc(y, s) == pytest.approx(np.trapezoid(roc["tpr"], roc["fpr"]))


def test_churn_features_and_logit():
    from crmlab.simulate import simulate_transactions

    tx, _ = simulate_transactions(600, seed=2)
    f = C.churn_features(tx, "2022-06-30", "2023-06-30")
    assert set(f["churn"].unique()) <= {0.0, 1.0}
    assert (f["recency_days"] >= 0).all() and (f["frequency"] >= 0).all()
    assert (f["recency_days"] <= f["tenure_days"]).all()
    res = C.fit_churn_logit(f, ["recency_days", "frequency"])
    ort = C.odds_ratio_table(res)
    assert ort.loc["recency_days", "odds_ratio"] > 1  # longer silence, more churn
    assert (ort["or_lower_95"] <= ort["odds_ratio"]).all()
    p = res.predict()
    assert 0.6 < C.auc(f["churn"], p) <= 1
    cal = C.calibration_table(f["churn"], p, bins=5)
    assert cal["n"].sum() == len(f)
    # logit is calibrated in the large: mean prediction = churn rate
    assert (cal["n"] * cal["predicted"]).sum() / len(f) == pytest.approx(f["churn"].mean(), abs=1e-6)
    with pytest.raises(DataError, match="missing column"):
        C.fit_churn_logit(f, ["recency"])
    with pytest.raises(ParameterError, match="holdout_end"):
        C.churn_features(tx, "2022-06-30", "2022-01-01")
