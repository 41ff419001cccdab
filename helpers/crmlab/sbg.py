"""Contractual retention: the shifted-beta-geometric (sBG) model of a cohort.

Fader & Hardie (2007, "How to project customer retention"): each customer
renews at the end of every period with her own constant probability
``1 - theta``, so her lifetime is (shifted) geometric,
``P(T = t | theta) = theta (1-theta)^(t-1)``, and ``theta ~ Beta(alpha, beta)``
across customers. The cohort's churn probability ``P(T = t)``, survival ``S(t)``
and retention rate ``r_t`` follow in closed form (:func:`churn_probability`,
:func:`survival`, :func:`retention_curve`, each with its formula), and
:func:`fit_sbg` maximises, for the numbers ``n_0, ..., n_T`` still active
(``n_{t-1} - n_t`` churned in period ``t``, ``n_T`` right-censored),

.. math::
    \\ell(\\alpha, \\beta) = \\sum_{t=1}^{T} (n_{t-1}-n_t)\\ln P(T=t) + n_T \\ln S(T).

:func:`derl` (Fader & Hardie 2010, "Customer-base valuation in a contractual
setting") is the discounted expected residual lifetime of a customer active at
tenure ``n``, in the timing conventions of :func:`crmlab.finance.retention_clv`
(``first_margin_at=0`` counts the current period, ``=1`` starts at the next):

.. math::
    \\mathrm{DERL}_0 = \\sum_{k\\ge 0}\\frac{S(n+k)}{S(n)(1+d)^k}
    = {}_2F_1\\Big(1, \\beta+n; \\alpha+\\beta+n; \\frac{1}{1+d}\\Big),\\qquad
    \\mathrm{DERL}_1 = \\mathrm{DERL}_0 - 1.

Fader & Hardie's own DERL (the renewal at hand undiscounted) is
``(1+d) * DERL_1``; a margin ``m`` per period makes the CLV ``m * DERL``.
The intervals of :class:`SBGFit` are delta-method intervals
(:func:`crmlab.mle.delta_interval`) on the covariance of
``(log alpha, log beta)``: parameter uncertainty only, not the binomial noise
of a cohort's future counts. The retention "paradox" (``r_t`` rises although
no customer's retention changes, :func:`plot_retention_paradox`) and the
constant-retention closed form, its no-heterogeneity limit
(:func:`constant_retention_comparison`), are taught in lessons/06_retention_metrics.md.

Examples
--------
>>> cohorts = load_cohorts()
>>> fit = fit_sbg(cohorts["regular"].loc[0:7])
>>> fit.params.round(3).tolist()
[0.704, 1.182]
>>> round(fit.retention(8), 3)          # the model's retention rate in year 8
0.921
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from crmlab.btyd import _log_hyp2f1_1bc  # all-positive series, no scipy hyp2f1
from crmlab.errors import DataError, ParameterError
from crmlab.finance import _out, present_value, retention_clv  # _out: a float for scalar input
from crmlab.mle import _log_start, _LogScaleFit, maximize
from crmlab.validation import as_float_array, check_choice, check_discount, check_number

__all__ = [
    "PARAM_NAMES",
    "load_cohorts",
    "validate_survivors",
    "fit_sbg",
    "SBGFit",
    "survival",
    "retention_curve",
    "churn_probability",
    "derl",
    "constant_retention_comparison",
    "plot_retention_paradox",
]

#: Parameter names of the sBG model, in the order used everywhere.
PARAM_NAMES: tuple[str, str] = ("alpha", "beta")

#: Smallest discount rate per period handled by the DERL series (0 is handled in closed form).
MIN_DISCOUNT = 1e-3
_SERIES_ZMAX = 1.0 / (1.0 + MIN_DISCOUNT) + 1e-12  # z = 1/(1+d) of the smallest rate the series sums


def load_cohorts(path: Any = None) -> pd.DataFrame:
    """The regular and high-end cohorts of Fader & Hardie (2007), 1,000 customers each.

    Customers still active at the start of years 0..12 (``datasets/sbg_cohorts.csv``).

    >>> load_cohorts().loc[[0, 7, 12]].values.tolist()
    [[1000, 1000], [241, 491], [173, 394]]
    """
    from crmlab.datasets import data_dir

    df = pd.read_csv(data_dir(path) / "sbg_cohorts.csv", comment="#")
    return df.set_index("year")


def validate_survivors(survivors: Any, *, what: str = "survivors") -> np.ndarray:
    """Check a survivor curve ``n_0, n_1, ..., n_T`` and return it as floats.

    Rules: at least 3 values (two parameters need two periods); whole numbers
    >= 0; ``n_0`` > 0 (the cohort at acquisition); never increasing (a
    contractual customer who left does not come back in this model); no NaN.
    The first violation is named with its period and value.

    Examples
    --------
    >>> validate_survivors([1000, 631, 468]).tolist()
    [1000.0, 631.0, 468.0]
    >>> validate_survivors([1000, 631, 640])
    Traceback (most recent call last):
    ...
    crmlab.errors.DataError: survivors increase from 631 at period 1 to 640 at period 2; ...
    """
    if isinstance(survivors, pd.DataFrame):
        raise DataError(f"{what} must be one column of counts (a Series or list), got a DataFrame "
                        f"with columns {list(survivors.columns)}; pick one, e.g. df['regular']")
    labels = list(survivors.index) if isinstance(survivors, pd.Series) else None
    raw = survivors.to_numpy() if isinstance(survivors, pd.Series) else survivors
    n = as_float_array(raw, what, allow_nan=True)
    if sum(d > 1 for d in n.shape) > 1:
        raise DataError(f"{what} must be one curve of counts, got an array of shape {n.shape}; "
                        "fit each cohort separately")
    n = n.ravel()

    def at(i: int) -> str:
        lab = labels[i] if labels is not None else i
        if isinstance(lab, np.generic):
            lab = lab.item()
        return f"period {lab}"

    if n.size < 3:
        raise DataError(f"{what} has {n.size} value(s); the sBG model needs the cohort at t = 0 "
                        "and at least two more periods (n_0, n_1, n_2, ...)")
    with np.errstate(invalid="ignore"):  # NaN is named by the first check
        checks = [
            (~np.isfinite(n), lambda i: f"{what} at {at(i)} is {n[i]}; every count must be a finite number"),
            (n < 0, lambda i: f"{what} at {at(i)} is {n[i]:g}; counts of active customers cannot be "
                              "negative"),
            (n != np.round(n), lambda i: f"{what} at {at(i)} is {n[i]:g}, not a whole number of "
                                         "customers (for shares, multiply by the cohort size)"),
            (np.r_[n[0] <= 0, np.zeros(n.size - 1, bool)],
             lambda i: f"{what}: the cohort at {at(0)} has {n[0]:g} customers; it must be > 0"),
            (np.r_[np.diff(n) > 0, False],
             lambda i: f"{what} increase from {n[i]:g} at {at(i)} to {n[i + 1]:g} at {at(i + 1)}; a "
                       "survivor curve counts the customers of one cohort still active, so it can "
                       "only fall or stay (re-acquired customers are a new cohort)"),
        ]
    for mask, msg in checks:
        if mask.any():
            raise DataError(msg(int(np.argmax(mask))))
    return n


# --------------------------------------------------------------------------- model quantities
def _check_ab(alpha: Any, beta: Any) -> tuple[float, float]:
    a = check_number(alpha, "alpha", low=0, low_inclusive=False)
    b = check_number(beta, "beta", low=0, low_inclusive=False)
    return float(a), float(b)


def _t_array(t: Any, name: str = "t", low: int = 0) -> np.ndarray:
    return as_float_array(t, name, low=low, integer=True)  # whole periods


def _log_survival(a: float, b: float, t: np.ndarray) -> np.ndarray:
    return special.betaln(a, b + t) - special.betaln(a, b)


def survival(alpha: Any, beta: Any, t: Any) -> Any:
    """S(t) = B(alpha, beta+t) / B(alpha, beta): share of the cohort still active after t periods.

    >>> survival(1.0, 1.0, [0, 1, 3]).round(4).tolist()   # Beta(1,1): S(t) = 1/(t+1)
    [1.0, 0.5, 0.25]
    """
    a, b = _check_ab(alpha, beta)
    return _out(np.exp(_log_survival(a, b, _t_array(t))))


def retention_curve(alpha: Any, beta: Any, t: Any) -> Any:
    """r_t = S(t)/S(t-1) = (beta+t-1)/(alpha+beta+t-1), t >= 1: it rises with t.

    >>> retention_curve(1.0, 1.0, [1, 2, 9]).round(3).tolist()
    [0.5, 0.667, 0.9]
    """
    a, b = _check_ab(alpha, beta)
    tt = _t_array(t, low=1)
    return _out((b + tt - 1) / (a + b + tt - 1))


def churn_probability(alpha: Any, beta: Any, t: Any) -> Any:
    """P(T = t) = B(alpha+1, beta+t-1)/B(alpha, beta): share of the cohort churning in period t >= 1.

    >>> churn_probability(1.0, 1.0, [1, 2]).round(4).tolist()   # 1/(t(t+1))
    [0.5, 0.1667]
    """
    a, b = _check_ab(alpha, beta)
    tt = _t_array(t, low=1)
    return _out(np.exp(special.betaln(a + 1, b + tt - 1) - special.betaln(a, b)))


def derl(alpha: Any, beta: Any, discount: Any, *, tenure: Any = 0, first_margin_at: int = 1) -> Any:
    """Discounted expected residual lifetime of a customer active at ``tenure``.

    The expected number of future periods (discounted at ``discount`` per
    period) in which a customer who has survived ``tenure`` renewal decisions
    will still be active: ``sum_{k>=k0} S(n+k)/S(n) / (1+d)^k`` with
    ``k0 = first_margin_at`` (see the module docstring). Multiply by the
    margin per period for the customer's expected residual value; with
    ``tenure=0`` and ``first_margin_at=0`` it is the expected discounted
    lifetime of a newly acquired customer (Fader & Hardie's DEL).

    ``discount = 0`` is allowed when ``alpha > 1`` (closed form
    ``(beta+n)/(alpha-1)`` future periods); for ``alpha <= 1`` the undiscounted
    expected lifetime is infinite. Rates between 0 and 0.1 % per period are
    refused (the series would need millions of terms).

    Examples
    --------
    >>> round(derl(0.704, 1.182, 0.10, tenure=7), 3)
    6.221
    >>> from crmlab.finance import retention_clv   # no heterogeneity: the chapter 3 closed form
    >>> round(derl(1e7 * 0.2, 1e7 * 0.8, 0.1), 4), round(retention_clv(1, 0.8, 0.1), 4)
    (2.6667, 2.6667)
    """
    a, b = _check_ab(alpha, beta)
    d = check_discount(check_number(discount, "discount"))  # one rate
    check_choice(first_margin_at, "first_margin_at", [0, 1])
    n = _t_array(tenure, "tenure")
    if d == 0:
        if a <= 1:
            raise ParameterError(f"with alpha = {a:.3g} <= 1 the expected lifetime is infinite; "
                                 "give a discount rate > 0")
        res = (b + n) / (a - 1) + (1 - first_margin_at)
        return _out(res)
    if d < MIN_DISCOUNT:
        raise ParameterError(f"discount must be 0 or >= {MIN_DISCOUNT} per period, got {d!r}")
    res = np.exp(_log_hyp2f1_1bc(b + n, a + b + n, 1.0 / (1.0 + d), _SERIES_ZMAX)) - first_margin_at
    return _out(res)


# --------------------------------------------------------------------------- fitting
def _loglik(a: float, b: float, n: np.ndarray) -> float:
    T = len(n) - 1
    t = np.arange(1, T + 1)
    lp = special.betaln(a + 1, b + t - 1) - special.betaln(a, b)
    lost = n[:-1] - n[1:]
    ll = float(np.sum(np.where(lost > 0, lost * lp, 0.0)))
    if n[-1] > 0:
        ll += float(n[-1] * _log_survival(a, b, np.array(float(T))))
    return ll


@dataclass(frozen=True)
class SBGFit(_LogScaleFit):
    """A maximum-likelihood fit of the shifted-beta-geometric model to one cohort.

    Attributes
    ----------
    params : Series
        ``alpha``, ``beta`` of the Beta distribution of churn probabilities.
    se : Series
        Standard errors (inverse observed information, delta method from the log scale).
    cov : DataFrame
        Covariance of ``params``.
    cov_log : ndarray
        Covariance of ``(log alpha, log beta)``: the input of the intervals.
    loglik : float
        Maximised log-likelihood.
    survivors : ndarray
        The survivor counts ``n_0..n_T`` fitted.
    iterations : int
        Optimiser iterations.
    """

    params: pd.Series
    cov_log: np.ndarray
    loglik: float
    survivors: np.ndarray
    iterations: int

    # ------------------------------------------------------------ basics
    @property
    def cohort_size(self) -> float:
        """``n_0``, the customers acquired."""
        return float(self.survivors[0])

    @property
    def periods(self) -> int:
        """``T``, the last period observed in the fit."""
        return len(self.survivors) - 1

    def mean_churn(self) -> float:
        """E[theta] = alpha/(alpha+beta): the churn probability of a random new customer."""
        a, b = self._theta()
        return float(a / (a + b))

    def survival(self, t: Any) -> Any:
        """Projected share of the cohort still active after ``t`` periods."""
        return survival(*self._theta(), t)

    def retention(self, t: Any) -> Any:
        """Projected retention rate from period ``t-1`` to ``t`` (t >= 1)."""
        return retention_curve(*self._theta(), t)

    def derl(self, discount: float, *, tenure: Any = None, first_margin_at: int = 1) -> Any:
        """:func:`derl` at the fitted parameters; ``tenure`` defaults to the last period fitted."""
        n = self.periods if tenure is None else tenure
        return derl(*self._theta(), discount, tenure=n, first_margin_at=first_margin_at)

    # ------------------------------------------------------------ intervals
    def projection(self, horizon: int, *, observed: Any = None, level: float = 0.95) -> pd.DataFrame:
        """Survival and retention projected to ``horizon`` periods, with intervals.

        Parameters
        ----------
        horizon : int
            Last period to project (>= 1).
        observed : sequence, optional
            Observed survivors ``n_0, n_1, ...`` (e.g. including the holdout
            years) to set side by side; default the fitted counts.
        level : float
            Coverage of the delta-method intervals (parameter uncertainty).

        Returns
        -------
        DataFrame
            Index ``period`` 0..horizon: ``survival`` with ``survival_low`` /
            ``survival_high`` (logit scale), ``expected_active`` = n_0 S(t) with
            ``active_low`` / ``active_high``, ``retention`` with
            ``retention_low`` / ``retention_high`` (NaN at t = 0),
            ``observed`` (NaN where unknown), ``observed_retention``,
            ``fitted`` (True for periods used in the fit).

        Examples
        --------
        >>> c = load_cohorts()
        >>> p = fit_sbg(c["regular"].loc[0:7]).projection(12, observed=c["regular"])
        >>> p.loc[12, ["expected_active", "observed"]].round(1).tolist()
        [170.0, 173.0]
        """
        h = int(check_number(horizon, "horizon", low=1, integer=True))
        t = np.arange(h + 1, dtype=float)
        s = self._interval(lambda th: survival(*th, t), "logit", level)  # S(0) = 1: the interval [1, 1]
        r = self._interval(lambda th: retention_curve(*th, t[1:]), "logit", level)
        obs = np.full(h + 1, np.nan)
        src = self.survivors if observed is None else validate_survivors(observed, what="observed")
        k = min(len(src), h + 1)
        obs[:k] = src[:k]
        n0 = self.cohort_size
        with np.errstate(all="ignore"):
            obs_ret = np.r_[np.nan, obs[1:] / obs[:-1]]
        out = pd.DataFrame(
            {
                "survival": s["estimate"].to_numpy(),
                "survival_low": s["ci_low"].to_numpy(),
                "survival_high": s["ci_high"].to_numpy(),
                "expected_active": n0 * s["estimate"].to_numpy(),
                "active_low": n0 * s["ci_low"].to_numpy(),
                "active_high": n0 * s["ci_high"].to_numpy(),
                "retention": np.r_[np.nan, r["estimate"].to_numpy()],
                "retention_low": np.r_[np.nan, r["ci_low"].to_numpy()],
                "retention_high": np.r_[np.nan, r["ci_high"].to_numpy()],
                "observed": obs,
                "observed_retention": obs_ret,
                "fitted": t <= self.periods,
            },
            index=pd.Index(np.arange(h + 1), name="period"),
        )
        return out

    def derl_interval(self, discount: float, *, tenure: Any = None, first_margin_at: int = 1,
                      level: float = 0.95) -> pd.DataFrame:
        """:meth:`derl` with a delta-method interval (log scale), one row per tenure."""
        n = np.atleast_1d(_t_array(self.periods if tenure is None else tenure, "tenure"))
        return self._interval(lambda th: derl(*th, discount, tenure=n, first_margin_at=first_margin_at),
                              "log", level, index=pd.Index(n.astype(int), name="tenure"))

    def cohort_value(self, margin: float, discount: float, *, tenure: Any = None,
                     active: float | None = None, first_margin_at: int = 1,
                     level: float = 0.95) -> pd.Series:
        """Expected residual value of the cohort's active customers, with an interval.

        ``active`` customers (default: the last fitted count ``n_T``) at
        ``tenure`` (default ``T``) are each worth ``margin * DERL``; with
        ``tenure=0`` and ``active=n_0`` this is the CLV of the whole cohort at
        acquisition. Returns ``active``, ``derl``, ``value``, ``value_low``,
        ``value_high``, ``value_per_customer``.

        Examples
        --------
        >>> fit = fit_sbg(load_cohorts()["regular"].loc[0:7])
        >>> round(float(fit.cohort_value(100.0, 0.10)["value"]), -2)   # 241 customers x 100 x 6.22
        149900.0
        """
        m = float(check_number(margin, "margin"))
        n = self.periods if tenure is None else int(check_number(tenure, "tenure", low=0,
                                                                  integer=True))
        k = float(self.survivors[-1]) if active is None else float(
            check_number(active, "active", low=0))
        dr = self.derl_interval(discount, tenure=n, first_margin_at=first_margin_at,
                                level=level).iloc[0]
        lo, hi = sorted([m * k * dr["ci_low"], m * k * dr["ci_high"]])
        return pd.Series({"active": k, "derl": dr["estimate"], "value": m * k * dr["estimate"],
                          "value_low": lo, "value_high": hi,
                          "value_per_customer": m * dr["estimate"]}, name="cohort_value")


def fit_sbg(survivors: Any, *, init: Any = None, gtol: float = 1e-8) -> SBGFit:
    """Fit the shifted-beta-geometric model to one cohort's survivor counts by maximum likelihood.

    Parameters
    ----------
    survivors : sequence or Series
        Customers still active at ``t = 0, 1, ..., T`` (``n_0`` = acquired);
        see :func:`validate_survivors` for the rules.
    init : (alpha, beta), optional
        Starting values (default (1, 1)).
    gtol : float
        Largest gradient of the mean log-likelihood in log-parameters at convergence.

    Raises
    ------
    DataError
        Invalid counts (increasing, negative, a cohort of 0, fewer than 3 values).
    DataError
        Also when nobody churns or everybody churns in period 1 (no interior maximum).
    ConvergenceError
        The optimiser found no interior maximum.

    Examples
    --------
    >>> fit = fit_sbg(load_cohorts()["high_end"].loc[0:7])
    >>> fit.params.round(3).to_dict(), round(fit.loglik, 1)
    ({'alpha': 0.668, 'beta': 3.806}, -1611.2)
    """
    n = validate_survivors(survivors)
    if n[-1] == n[0]:
        raise DataError(f"survivors: nobody churned in {len(n) - 1} periods ({n[0]:g} active "
                        "throughout); the churn distribution cannot be estimated")
    if n[1] == 0:
        raise DataError(f"survivors: all {n[0]:g} customers churned in period 1; with no survivor "
                        "the spread of churn probabilities cannot be estimated")
    z0 = _log_start(init, [1.0, 1.0], PARAM_NAMES)
    res = maximize(lambda z: _loglik(math.exp(z[0]), math.exp(z[1]), n), z0, PARAM_NAMES,
                   label="sBG", n=float(n[0]), gtol=gtol)
    return SBGFit(params=res.params, cov_log=res.cov_log, loglik=res.loglik, survivors=n,
                  iterations=res.iterations)


def constant_retention_comparison(fit: SBGFit, margin: float, discount: float, *,
                                  tenure: int | None = None, horizon: int | None = None,
                                  first_margin_at: int = 1) -> pd.DataFrame:
    """Value per active customer: sBG against the constant-retention closed form.

    The constant-retention CLV (:func:`crmlab.finance.retention_clv`) is the sBG
    value when every customer has the same churn probability. A manager who
    plugs in an *observed* rate treats the cohort as homogeneous. Rows:

    * ``sBG`` - :func:`derl` times ``margin`` at ``tenure`` (default: last fitted period);
    * ``constant: first-year retention`` - the cohort's observed ``n_1/n_0``;
    * ``constant: mean retention`` - the mean of the observed rates ``n_t/n_{t-1}``;
    * ``constant: latest retention`` - the last observed rate ``n_T/n_{T-1}``;
    * ``constant: model's next retention`` - the sBG rate for period ``tenure+1``.

    ``horizon`` (whole periods, default infinite) limits both valuations
    alike. Columns ``retention`` (rate used; NaN for sBG), ``value``,
    ``vs_sbg_pct`` (error of the closed form relative to sBG, %).

    Examples
    --------
    >>> fit = fit_sbg(load_cohorts()["regular"].loc[0:7])
    >>> t = constant_retention_comparison(fit, 100.0, 0.10)
    >>> bool((t["vs_sbg_pct"].iloc[1:] < 0).all())      # every constant rate under-values
    True
    """
    m = float(check_number(margin, "margin"))
    n = fit.periods if tenure is None else int(check_number(tenure, "tenure", low=0, integer=True))
    obs = fit.survivors
    rates = obs[1:] / obs[:-1]
    if horizon is None:
        sbg_val = m * fit.derl(discount, tenure=n, first_margin_at=first_margin_at)
    else:
        H = int(check_number(horizon, "horizon", low=1, integer=True))
        k = np.arange(first_margin_at, H + first_margin_at)
        a, b = fit._theta()
        surv = np.exp(_log_survival(a, b, n + k) - _log_survival(a, b, np.array(float(n))))
        sbg_val = m * present_value(surv, k, discount)
    rows = {
        "sBG": (np.nan, sbg_val),
    }
    for label, r in [("constant: first-year retention", rates[0]),
                     ("constant: mean retention", float(np.mean(rates))),
                     ("constant: latest retention", rates[-1]),
                     ("constant: model's next retention", fit.retention(n + 1))]:
        rows[label] = (r, float(retention_clv(m, r, discount, horizon, first_margin_at)))
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["retention", "value"])
    out["vs_sbg_pct"] = 100 * (out["value"] / sbg_val - 1)
    out.index.name = "valuation"
    return out


def plot_retention_paradox(fit: SBGFit, horizon: int = 12, *, observed: Any = None,
                           quantiles: Any = (0.1, 0.5, 0.9), ax: Any = None,
                           title: str | None = None) -> Any:
    """The retention-rate "paradox": the aggregate rate rises while every customer's is flat.

    Draws the model's aggregate retention rate ``r_t`` for t = 1..``horizon``
    (with its interval), the observed rates ``n_t/n_{t-1}`` (from ``observed``
    or the fitted counts) and, as flat dotted lines, the constant retention
    ``1 - theta`` of customers at the given quantiles of the Beta churn
    distribution. Returns the Axes.
    """
    import matplotlib.pyplot as plt
    from scipy import stats

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    p = fit.projection(horizon, observed=observed)
    t = p.index[1:]
    ax.plot(t, p["retention"].iloc[1:], "-", color="tab:red", lw=2, label="sBG aggregate retention")
    ax.fill_between(t, p["retention_low"].iloc[1:], p["retention_high"].iloc[1:], color="tab:red",
                    alpha=0.2, lw=0, label="95% interval (parameters)")
    ok = p["observed_retention"].notna()
    ax.plot(p.index[ok], p.loc[ok, "observed_retention"], "o", color="black",
            label="observed n_t / n_(t-1)")
    a, b = fit._theta()
    for q in quantiles:
        theta = float(stats.beta.ppf(q, a, b))
        ax.axhline(1 - theta, color="grey", ls=":", lw=1)
        ax.text(t[-1], 1 - theta, f" customer at churn quantile {q:g}: 1-theta = {1 - theta:.2f}",
                va="bottom", ha="right", fontsize=8, color="grey")
    ax.axvline(fit.periods + 0.5, color="grey", ls="--", lw=0.8)
    ax.set_xlabel("period (year of tenure)")
    ax.set_ylabel("retention rate")
    ax.set_ylim(0, 1.02)
    ax.set_title(title or "Aggregate retention rises though no customer's retention changes")
    ax.legend(loc="lower right", fontsize=8)
    return ax
