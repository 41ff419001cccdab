"""Churn models (客户流失预测): features from a log, a logit model, ROC, AUC and calibration.

The target is non-contractual churn: a customer who bought on or before
``calibration_end`` and not in ``(calibration_end, holdout_end]`` churned.
Features are columns of the customer summary (:func:`crmlab.summary.customer_summary`).
The period metrics are in :mod:`crmlab.retention`, lifetimes and
Kaplan–Meier in :mod:`crmlab.survival`.

Examples
--------
>>> auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
0.75
>>> roc_curve([0, 1], [0.2, 0.9])["tpr"].tolist()
[0.0, 1.0, 1.0]
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmlab.errors import ConvergenceError, DataError, ParameterError, warn
from crmlab.finance import _series_index
from crmlab.summary import customer_summary
from crmlab.survival import _check_events
from crmlab.validation import (
    as_finite_vector,
    check_date,
    check_number,
    check_numeric_column,
    require_columns,
    validate_transactions,
)

__all__ = [
    "churn_features",
    "fit_churn_logit",
    "odds_ratio_table",
    "roc_curve",
    "auc",
    "calibration_table",
    "plot_roc",
    "plot_calibration",
]

def churn_features(transactions: Any, calibration_end: Any, holdout_end: Any) -> pd.DataFrame:
    """Summary features from the calibration period and the churn target from the holdout.

    The features are columns of the one customer summary on ``calibration_end``
    (:func:`crmlab.summary.customer_summary`, full view, same names and
    meanings): customers with a purchase day on or before ``calibration_end``
    are included (the summary announces those it leaves out).

    Returns
    -------
    DataFrame indexed by ``customer_id``
        ``recency_days`` (calibration_end - last purchase), ``repeat_purchases``
        (purchase days - 1), ``monetary_mean`` (``total_spend`` per purchase
        day, as in the RFM view), ``tenure_days`` (calibration_end - first
        purchase), ``total_spend`` (net money up to calibration_end) and the
        target ``churn`` = 1.0 if no purchase day in ``(calibration_end,
        holdout_end]``, else 0.0.

    Raises
    ------
    ParameterError
        Unparseable dates, ``holdout_end`` not after ``calibration_end``.
    DataError
        Invalid log, or no purchase on or before ``calibration_end``.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2, 1], "amount": [10.0, 20.0, 5.0, 9.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-31", "2024-01-15", "2024-03-31"])})
    >>> f = churn_features(log, "2024-01-31", "2024-03-31")
    >>> f[["recency_days", "repeat_purchases", "monetary_mean", "churn"]].to_numpy().tolist()
    [[0.0, 1.0, 15.0, 0.0], [16.0, 0.0, 5.0, 1.0]]
    """
    c_end = check_date(calibration_end, "calibration_end")
    h_end = check_date(holdout_end, "holdout_end")
    if h_end <= c_end:
        raise ParameterError(
            f"holdout_end ({h_end.date()}) must be after calibration_end ({c_end.date()})"
        )
    tx = validate_transactions(transactions)
    if c_end < tx["date"].min().normalize():
        raise DataError(f"calibration_end {c_end.date()} is before every purchase: the log starts on "
                        f"{tx['date'].min().date()}; choose a later calibration_end")
    summary = customer_summary(tx, c_end, holdout_end=h_end)
    log_end = tx["date"].max().normalize()
    if log_end < h_end:
        warn(f"the log ends {log_end.date()}, before holdout_end={h_end.date()}: "
            "churn is judged on a shorter holdout")
    out = summary[["recency_days", "repeat_purchases", "tenure_days", "total_spend"]].copy()
    out.insert(2, "monetary_mean", summary["total_spend"] / summary["purchases"])
    out["churn"] = (summary["holdout_purchases"] == 0).astype(float)
    return out


def fit_churn_logit(
    features: pd.DataFrame, columns: Sequence[str], *, target: str = "churn"
) -> Any:
    """Logistic regression (statsmodels ``Logit``) of ``target`` on ``columns`` plus a constant.

    Returns the fitted statsmodels results object (``.params``, ``.conf_int()``,
    ``.predict(exog)``, ``.summary()``).

    Raises
    ------
    DataError
        Missing columns, non-numeric or missing values (named by column and row), a
        target that is not 0/1.
    ConvergenceError
        The fit did not converge or the data are perfectly separated.
    """
    import statsmodels.api as sm

    cols = list(columns)
    require_columns(features, [*cols, target], what="features")
    y = _check_events(features[target]).astype(float)
    if y.min() == y.max():
        raise DataError(f"target {target!r} has only one class; a logistic model needs both")
    X = pd.DataFrame({c: check_numeric_column(features, c, what="features") for c in cols})
    X = sm.add_constant(X, has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("error", category=RuntimeWarning)
        try:
            warnings.simplefilter("ignore", category=FutureWarning)
            res = sm.Logit(y, X).fit(disp=0, maxiter=200)
        except Exception as exc:  # statsmodels raises several types here
            raise ConvergenceError(f"logistic regression failed: {exc}") from None
    if not res.mle_retvals.get("converged", True):
        raise ConvergenceError("logistic regression did not converge in 200 iterations")
    return res


def odds_ratio_table(result: Any, *, alpha: float = 0.05) -> pd.DataFrame:
    """Odds ratios exp(beta) with their confidence intervals and p-values.

    An odds ratio of 1.2 for ``recency_days`` means each extra day since the
    last purchase multiplies the odds of churning by 1.2.
    """
    check_number(alpha, "alpha", low=0, high=0.5, low_inclusive=False, high_inclusive=False)
    ci = np.exp(result.conf_int(alpha=alpha))
    lvl = int(round(100 * (1 - alpha)))
    return pd.DataFrame(
        {
            "coef": result.params,
            "odds_ratio": np.exp(result.params),
            f"or_lower_{lvl}": ci.iloc[:, 0],
            f"or_upper_{lvl}": ci.iloc[:, 1],
            "p_value": result.pvalues,
        }
    )


def _check_scores(y: Any, score: Any, *, name: str = "score",
                  both_classes: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The 0/1 outcome and a score (or probability) of the same length, as arrays."""
    _series_index({"y": y, name: score}, DataError)
    yy = _check_events(y)
    s = as_finite_vector(score, name)
    if s.shape != yy.shape:
        raise DataError(f"{name} has {len(s)} entries but y has {len(yy)}")
    if both_classes and yy.min() == yy.max():
        raise DataError("y has only one class: ROC/AUC need both positives and negatives")
    return yy, s


def auc(y: Any, score: Any) -> float:
    """Area under the ROC curve by the rank (Mann–Whitney) formula, ties counted 1/2.

    AUC = (R+ - n+(n+ + 1)/2) / (n+ n-), R+ = sum of the mid-ranks of the positives:
    the probability that a random positive scores above a random negative.

    >>> auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    from scipy.stats import rankdata

    yy, s = _check_scores(y, score)
    ranks = rankdata(s)
    n_pos = yy.sum()
    n_neg = len(yy) - n_pos
    return float((ranks[yy == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def roc_curve(y: Any, score: Any) -> pd.DataFrame:
    """ROC curve: false- and true-positive rate at each score threshold (score >= threshold = positive).

    >>> roc_curve([0, 1], [0.2, 0.9])[["fpr", "tpr"]].to_numpy().tolist()
    [[0.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    """
    yy, s = _check_scores(y, score)
    order = np.argsort(-s, kind="mergesort")
    s_sorted, y_sorted = s[order], yy[order]
    distinct = np.r_[np.flatnonzero(np.diff(s_sorted)), len(s_sorted) - 1]
    tp = np.cumsum(y_sorted)[distinct]
    fp = (distinct + 1) - tp
    return pd.DataFrame(
        {
            "threshold": np.r_[np.inf, s_sorted[distinct]],
            "fpr": np.r_[0.0, fp / (len(yy) - yy.sum())],
            "tpr": np.r_[0.0, tp / yy.sum()],
        }
    )


def calibration_table(y: Any, prob: Any, *, bins: int = 10) -> pd.DataFrame:
    """Observed churn rate against mean predicted probability in quantile bins.

    Returns ``n``, ``predicted`` (mean probability), ``observed`` (share of
    events) and a 95% Wilson interval ``lower``/``upper`` per bin.

    >>> t = calibration_table([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], bins=2)
    >>> t[["n", "observed"]].to_numpy().tolist()
    [[2.0, 0.0], [2.0, 1.0]]
    """
    check_number(bins, "bins", low=1, integer=True)
    yy, p = _check_scores(y, prob, name="prob", both_classes=False)
    if ((p < 0) | (p > 1)).any():
        raise DataError("prob must hold probabilities in [0, 1]")
    q = pd.qcut(pd.Series(p).rank(method="first"), q=min(int(bins), len(p)), labels=False)
    df = pd.DataFrame({"bin": q.to_numpy(), "y": yy, "p": p})
    g = df.groupby("bin")
    n = g.size().astype(float)
    obs = g["y"].mean()
    z = 1.959963984540054
    centre = (obs + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(obs * (1 - obs) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return pd.DataFrame(
        {"n": n, "predicted": g["p"].mean(), "observed": obs, "lower": centre - half, "upper": centre + half}
    )


def plot_roc(y: Any, score: Any, *, ax: Any = None, label: str = "model") -> Any:
    """ROC curve with the diagonal and the AUC in the legend; returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    r = roc_curve(y, score)
    ax.plot(r["fpr"], r["tpr"], label=f"{label} (AUC = {auc(y, score):.3f})")
    ax.plot([0, 1], [0, 1], color="grey", ls="--", lw=0.8, label="chance (AUC = 0.5)")
    ax.set_xlabel("false-positive rate (stayers flagged as churners)")
    ax.set_ylabel("true-positive rate (churners caught)")
    ax.set_title("ROC curve")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_aspect("equal")
    return ax


def plot_calibration(y: Any, prob: Any, *, bins: int = 10, ax: Any = None) -> Any:
    """Calibration plot: observed against predicted churn per bin with Wilson intervals."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    t = calibration_table(y, prob, bins=bins)
    ax.errorbar(
        t["predicted"], t["observed"],
        yerr=[t["observed"] - t["lower"], t["upper"] - t["observed"]],
        fmt="o-", capsize=3, label="bins (95% Wilson CI)",
    )
    ax.plot([0, 1], [0, 1], color="grey", ls="--", lw=0.8, label="perfect calibration")
    ax.set_xlabel("mean predicted churn probability")
    ax.set_ylabel("observed churn rate")
    ax.set_title("Calibration")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.legend(loc="upper left", fontsize=8)
    return ax
