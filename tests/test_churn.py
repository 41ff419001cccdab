"""Tests for crmlab.churn: hand-computed cases, published results, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import churn as C
from crmlab.errors import DataError, ParameterError
from crmlab.summary import customer_summary


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
    assert (f["recency_days"] >= 0).all() and (f["repeat_purchases"] >= 0).all()
    assert (f["recency_days"] <= f["tenure_days"]).all()
    # the summary's columns, with the summary's meanings
    s = customer_summary(tx, "2022-06-30", holdout_end="2023-06-30")
    pd.testing.assert_frame_equal(f[["recency_days", "repeat_purchases", "tenure_days", "total_spend"]],
                                  s[["recency_days", "repeat_purchases", "tenure_days", "total_spend"]])
    assert f["monetary_mean"].tolist() == pytest.approx((s["total_spend"] / s["purchases"]).tolist())
    assert f["churn"].tolist() == (s["holdout_purchases"] == 0).astype(float).tolist()
    res = C.fit_churn_logit(f, ["recency_days", "repeat_purchases"])
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


def test_churn_features_hand_case_and_errors():
    log = pd.DataFrame({"customer_id": [1, 1, 2, 1, 3], "amount": [10.0, 20.0, 5.0, 9.0, 4.0],
                        "date": pd.to_datetime(["2024-01-01", "2024-01-31", "2024-01-15",
                                                "2024-03-31", "2024-02-10"])})
    f = C.churn_features(log, "2024-01-31", "2024-03-31")
    assert f.index.tolist() == [1, 2]  # customer 3 was acquired after calibration_end
    assert f["repeat_purchases"].tolist() == [1, 0] and f["monetary_mean"].tolist() == [15.0, 5.0]
    assert f["churn"].tolist() == [0.0, 1.0]
    with pytest.warns(UserWarning, match="before holdout_end=2024-06-30"):
        C.churn_features(log, "2024-01-31", "2024-06-30")
    with pytest.raises(DataError, match="before every purchase"):
        C.churn_features(log, "2023-12-31", "2024-03-31")


def test_logit_features_named_by_column_and_row():
    f = pd.DataFrame({"x": [1.0, np.nan, 3.0, 4.0], "churn": [0, 1, 0, 1]}, index=list("abcd"))
    with pytest.raises(DataError, match=r"features: column 'x', row 1 \(index 'b'\): value is missing"):
        C.fit_churn_logit(f, ["x"])
    with pytest.raises(DataError, match=r"features: column 'x', row 0 \(index 'a'\): 'high' is not a number"):
        C.fit_churn_logit(f.assign(x=["high", 1, 2, 3]), ["x"])


def test_scores_on_another_index_are_refused():
    # y indexed a..d, the score d..a: paired by position the AUC was 0.75 instead of 0.25
    y = pd.Series([0, 0, 1, 1], index=list("abcd"))
    score = pd.Series([0.1, 0.4, 0.35, 0.8], index=list("dcba"))
    with pytest.raises(DataError, match="y and score are Series with different indexes"):
        C.auc(y, score)
    assert C.auc(y, score.reindex(y.index)) == 0.25
    with pytest.raises(DataError, match="y and prob are Series"):
        C.calibration_table(y, score)
