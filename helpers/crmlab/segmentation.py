"""Customer segmentation beyond RFM: ABC/Pareto, Lorenz and Gini, tiers, two-axis grids, profiles.

* :func:`abc_analysis`, :func:`lorenz_curve`, :func:`gini`, :func:`top_share`,
  :func:`plot_pareto` — how concentrated is customer value? (seed 004 §2.1; ABC: §2.3)
* :func:`deposit_tiers` — the fixed-threshold bank deposit tiers of seed 003
  No. 1, with an explicit boundary convention (bands: :func:`crmlab.rfm.score_by_bounds`).
* :func:`value_activity_segments` — the HSBC-style grid (seed 004 case):
  actual customers split into inactive and active, active ones by value x activity.
* :func:`customer_360` — one behavioural profile row per customer with tags.

Examples
--------
>>> round(gini([1, 1, 1, 1]), 6), round(gini([0, 0, 0, 10]), 6)
(0.0, 0.75)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab.errors import DataError, ParameterError
from crmlab.rfm import score_by_bounds
from crmlab.validation import MAX_DAYS, as_finite_vector, as_float_array, check_choice, check_number

__all__ = [
    "lorenz_curve",
    "gini",
    "top_share",
    "abc_analysis",
    "plot_pareto",
    "deposit_tiers",
    "value_activity_segments",
    "customer_360",
]


def _values(values: Any, name: str = "values") -> np.ndarray:
    """Finite values >= 0 with a positive sum, as every concentration measure needs."""
    x = as_finite_vector(values, name)
    if (x < 0).any():
        i = int(np.argmax(x < 0))
        raise DataError(
            f"{name}[{i}] = {x[i]} is negative; concentration measures need values >= 0 "
            "(net out refunds per customer or clip them first)"
        )
    if x.sum() <= 0:
        raise DataError(f"{name} sum to zero: no value to distribute")
    return x


# --------------------------------------------------------------------------- concentration
def lorenz_curve(values: Any) -> pd.DataFrame:
    """Points of the Lorenz curve: customers sorted from smallest to largest value.

    Returns ``customer_share`` (0, 1/n, ..., 1) and ``value_share`` (cumulative
    share of total value held by the poorest ``customer_share``), starting at (0, 0).

    >>> lorenz_curve([1, 3])["value_share"].tolist()
    [0.0, 0.25, 1.0]
    """
    x = np.sort(_values(values))
    n = len(x)
    cum = np.concatenate([[0.0], np.cumsum(x)])
    return pd.DataFrame({"customer_share": np.arange(n + 1) / n, "value_share": cum / cum[-1]})


def gini(values: Any) -> float:
    """Gini coefficient of customer value, 0 (all equal) .. (n-1)/n (one customer has all).

    ``G = sum_i (2 i - n - 1) x_(i) / (n sum x)`` with ``x_(i)`` sorted
    ascending; equals one minus twice the area under the Lorenz curve.

    >>> gini([1, 2, 3, 4])
    0.25
    """
    x = np.sort(_values(values))
    n = len(x)
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * x) / (n * x.sum()))


def top_share(values: Any, share: float = 0.2) -> float:
    """Share of total value held by the top ``share`` of customers.

    When ``share * n`` is not whole, the Lorenz curve is interpolated linearly
    (the next customer counts with the fractional part). Ties do not matter.

    >>> top_share([1, 1, 1, 7], 0.25)
    0.7
    >>> top_share([1, 1, 1, 7], 0.5)
    0.8
    """
    share = check_number(share, "share", low=0, high=1)
    x = np.sort(_values(values))[::-1]
    n = len(x)
    k = share * n
    whole = int(np.floor(k + 1e-9))
    s = x[:whole].sum()
    if whole < n:
        s += (k - whole) * x[whole] if k - whole > 1e-9 else 0.0
    return float(s / x.sum())


def abc_analysis(
    values: pd.Series | Any,
    thresholds: Sequence[float] = (0.8, 0.95),
    labels: Sequence[str] = ("A", "B", "C"),
    *,
    basis: Literal["value", "customers"] = "value",
) -> pd.DataFrame:
    """ABC classes of customers by contribution.

    Customers are sorted by value, largest first. With ``basis="value"`` (Pareto
    convention) a customer is class A if the value of the customers ranked
    above it is below ``thresholds[0]`` of the total, so class A is the
    smallest group of top customers reaching 80% of value; B likewise up to
    95%; C the rest. With ``basis="customers"`` the thresholds are shares of
    customers, e.g. ``(0.2, 0.5)``: A = top 20% of customers, B the next 30%.
    Customers with equal value always get the same class (the class of the
    first of them), so the result does not depend on row order.

    Parameters
    ----------
    values : Series or array-like
        Non-negative value per customer (e.g. ``rfm_table(...)["monetary"]``).
    thresholds : increasing numbers in (0, 1)
        Cumulative cut points; ``len(labels) == len(thresholds) + 1``.
    labels : sequence of str
        Class names, best first (e.g. key / large / medium / small).
    basis : {"value", "customers"}

    Returns
    -------
    DataFrame
        Sorted by value (descending): ``value``, ``rank``, ``customer_share``
        (cumulative, including this customer), ``value_share`` (cumulative),
        ``abc_class`` (categorical). Index as the input Series.

    Examples
    --------
    >>> abc_analysis(pd.Series([60, 25, 8, 4, 3], index=list("abcde")))["abc_class"].tolist()
    ['A', 'A', 'B', 'B', 'C']
    """
    check_choice(basis, "basis", ["value", "customers"])
    labels = list(labels)  # a string such as "ABC" names one class per character
    t = as_float_array(thresholds, "thresholds")
    if t.ndim != 1 or len(t) == 0 or np.any(t <= 0) or np.any(t >= 1) or np.any(np.diff(t) <= 0):
        raise ParameterError(f"thresholds must be increasing numbers in (0, 1), got {list(thresholds)}")
    if len(labels) != len(t) + 1:
        raise ParameterError(
            f"labels needs {len(t) + 1} names for {len(t)} threshold(s), got {list(labels)}"
        )
    index = values.index if isinstance(values, pd.Series) else pd.RangeIndex(len(np.asarray(values)))
    x = _values(values)
    order = np.argsort(-x, kind="stable")
    xs = x[order]
    n = len(xs)
    cum = np.cumsum(xs)
    total = cum[-1]
    before = (cum - xs) / total if basis == "value" else np.arange(n) / n
    # ties: every member of a block of equal values takes the first member's position
    block_start = np.r_[True, xs[1:] != xs[:-1]]
    first_pos = np.maximum.accumulate(np.where(block_start, np.arange(n), 0))
    before = before[first_pos]
    # before < t[0] -> class 0 (A); t[0] <= before < t[1] -> 1 (B); ...
    cls = np.searchsorted(t, before, side="right")
    out = pd.DataFrame(
        {
            "value": xs,
            "rank": np.arange(1, n + 1),
            "customer_share": np.arange(1, n + 1) / n,
            "value_share": cum / total,
            "abc_class": pd.Categorical(np.asarray(labels, dtype=object)[cls], categories=list(labels)),
        },
        index=index[order],
    )
    return out


def plot_pareto(values: Any, *, ax: Any = None, mark: float = 0.2, unit: str = "US$",
                title: str | None = None) -> Any:
    """Pareto curve: cumulative value share against customer share (largest first).

    Marks the share held by the top ``mark`` of customers and the 80/20 point;
    returns the Axes.
    """
    import matplotlib.pyplot as plt

    x = _values(values)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    # the Pareto curve is the Lorenz curve seen from the other end (largest customers first)
    lorenz = lorenz_curve(x).iloc[::-1]
    ax.plot((1 - lorenz["customer_share"]) * 100, (1 - lorenz["value_share"]) * 100, color="C0", lw=2,
            label="customers ranked by value")
    ax.plot([0, 100], [0, 100], color="grey", ls=":", label="equal value (no concentration)")
    ts = top_share(x, mark)
    ax.axvline(mark * 100, color="C3", ls="--", lw=1)
    ax.axhline(ts * 100, color="C3", ls="--", lw=1)
    ax.plot([mark * 100], [ts * 100], "o", color="C3",
            label=f"top {mark:.0%} of customers hold {ts:.1%}")
    ax.plot([20], [80], "s", color="k", ms=5, label="the 80/20 rule")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_xlabel("customers, ranked by value (cumulative %)")
    ax.set_ylabel(f"value ({unit}), cumulative % of total")
    ax.set_title(title or f"Pareto curve (Gini = {gini(x):.2f})")
    ax.legend(loc="lower right", fontsize=8)
    return ax


# --------------------------------------------------------------------------- tiers
def deposit_tiers(balances: Any) -> pd.Categorical:
    """Bank deposit tier of each customer (seed 003 No. 1), balances in CNY.

    The seed's bands "10-20万", "20-30万", "30万以上" share their end points.
    Convention: tiers are **left-closed**, ``[100k, 200k)`` quality,
    ``[200k, 300k)`` key maintenance, ``[300k, inf)`` VIP, because Chinese
    usage (and the Civil Code, art. 1259) reads "以上" (and over) as including
    the number itself, so 300,000 is VIP, and the lower bands then stop just
    below the next band's start. Below 100,000 (not named by the seed) is
    "ordinary".

    >>> list(deposit_tiers([99_999.99, 100_000, 200_000, 299_999, 300_000]))
    ['ordinary', 'quality', 'key maintenance', 'key maintenance', 'VIP']
    """
    band = score_by_bounds(as_finite_vector(balances, "balances"), (100_000, 200_000, 300_000),
                           closed="left", name="balances")
    labels = ["ordinary", "quality", "key maintenance", "VIP"]
    return pd.Categorical(np.asarray(labels, dtype=object)[band - 1], categories=labels, ordered=True)


def value_activity_segments(
    value: pd.Series,
    activity: pd.Series,
    *,
    value_cut: float | None = None,
    activity_cut: float | None = None,
    inactive_at: float = 0.0,
) -> pd.DataFrame:
    """HSBC-style two-axis segmentation of actual customers.

    A customer whose ``activity <= inactive_at`` is ``inactive``. Active
    customers are split at ``value_cut`` and ``activity_cut`` (default: the
    medians among active customers; a value equal to the cut counts as high)
    into top (high value, high activity), large-medium (high value, low
    activity), small-medium (low value, high activity) and small.

    Parameters
    ----------
    value, activity : Series
        Same index (customers), e.g. spend and occasions in the last 12 months.

    Returns
    -------
    DataFrame
        ``value``, ``activity``, ``value_level``, ``activity_level``, ``segment``;
        ``attrs["cuts"]`` holds the cut points used.

    Examples
    --------
    >>> v = pd.Series([900.0, 800, 10, 20, 0]); a = pd.Series([9, 1, 8, 1, 0])
    >>> value_activity_segments(v, a)["segment"].tolist()
    ['top', 'large-medium', 'small-medium', 'small', 'inactive']
    """
    if not isinstance(value, pd.Series) or not isinstance(activity, pd.Series):
        raise DataError("value and activity must be pandas Series indexed by customer")
    if not value.index.equals(activity.index):
        raise DataError("value and activity must have the same index (the same customers, same order)")
    v = as_finite_vector(value, "value")
    a = as_finite_vector(activity, "activity")
    inactive_at = check_number(inactive_at, "inactive_at")
    active = a > inactive_at
    if not active.any():
        raise DataError(f"no customer has activity above inactive_at={inactive_at}")
    vc = float(np.median(v[active])) if value_cut is None else check_number(value_cut, "value_cut")
    ac = float(np.median(a[active])) if activity_cut is None else check_number(activity_cut, "activity_cut")
    vl = np.where(v >= vc, "high", "low")
    al = np.where(a >= ac, "high", "low")
    cats = ["top", "large-medium", "small-medium", "small", "inactive"]
    grid = 2 * (vl == "low") + (al == "low")  # value x activity: top, large-medium, small-medium, small
    seg = np.asarray(cats, dtype=object)[np.where(active, grid, 4)]
    out = pd.DataFrame(
        {"value": v, "activity": a, "value_level": vl, "activity_level": al,
         "segment": pd.Categorical(seg, categories=cats)},
        index=value.index,
    )
    out.loc[~active, ["value_level", "activity_level"]] = "-"
    out.attrs["cuts"] = {"value_cut": vc, "activity_cut": ac, "inactive_at": inactive_at}
    return out


# --------------------------------------------------------------------------- customer 360
def customer_360(
    transactions: pd.DataFrame,
    as_of: Any = None,
    *,
    basic: pd.DataFrame | None = None,
    attitudes: pd.DataFrame | None = None,
    lapsed_days: int = 365,
    recent_days: int = 90,
) -> pd.DataFrame:
    """A customer-360 table: behavioural facts from the log plus tags.

    The three kinds of customer information of seed 004 §1 are **basic**
    (who: demographics, optional ``basic`` frame indexed by ``customer_id``),
    **behavioural** (what they do: computed here from the log) and
    **attitudinal** (what they think: optional ``attitudes`` frame, e.g. survey
    scores). Behavioural columns: the :func:`crmlab.rfm.rfm_table` columns,
    ``mean_gap_days`` (mean days between occasions; NaN for one-time buyers),
    ``quantity`` (total units, if the log has ``quantity``), ``top_weekday``
    and ``tags``, a comma-separated list of:

    * ``one-time buyer`` / ``repeat buyer`` / ``frequent buyer`` (frequency in the top 10%);
    * ``new`` (first purchase less than ``recent_days`` ago), otherwise ``active``
      (last purchase less than ``recent_days`` ago); ``lapsed`` (no purchase
      for ``lapsed_days`` or more);
    * ``big spender`` (total in the top 10%), ``big basket`` (mean per occasion
      in the top 10%).

    >>> log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 30.0, 5.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2023-01-01"])})
    >>> customer_360(log)["tags"].tolist()
    ['repeat buyer, frequent buyer, new, big spender, big basket', 'one-time buyer, lapsed']
    """
    from crmlab.rfm import rfm_table
    from crmlab.validation import validate_transactions

    lapsed_days = check_number(lapsed_days, "lapsed_days", low=1, integer=True, high=MAX_DAYS)
    recent_days = check_number(recent_days, "recent_days", low=1, integer=True, high=MAX_DAYS)
    rfm = rfm_table(transactions, as_of)
    as_of_ts = rfm.attrs["rfm"]["as_of"]
    out = rfm.copy()
    out["mean_gap_days"] = np.where(
        out["frequency"] > 1,
        (out["tenure"] - out["recency"]) / (out["frequency"] - 1).clip(lower=1),
        np.nan,
    )
    tx = validate_transactions(transactions)
    tx = tx[tx["date"].dt.normalize() <= as_of_ts]
    if "quantity" in tx.columns:
        out["quantity"] = tx.groupby("customer_id")["quantity"].sum().reindex(out.index)
    wd = tx.assign(wd=tx["date"].dt.day_of_week).groupby(["customer_id", "wd"]).size()
    top_wd = wd.sort_values(ascending=False, kind="stable").groupby(level=0).head(1)
    names = np.array(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
                     dtype=object)
    out["top_weekday"] = pd.Series(names[top_wd.index.get_level_values(1).to_numpy()],
                                   index=top_wd.index.get_level_values(0)).reindex(out.index)
    fr = out["frequency"].to_numpy()
    rec = out["recency"].to_numpy()
    ten = out["tenure"].to_numpy()
    mon = out["monetary"].to_numpy()
    mm = out["monetary_mean"].to_numpy()
    rules = [
        (fr == 1, "one-time buyer"),
        (fr > 1, "repeat buyer"),
        ((fr > 1) & (fr >= np.quantile(fr, 0.9)), "frequent buyer"),
        (ten < recent_days, "new"),
        ((ten >= recent_days) & (rec < recent_days), "active"),
        (rec >= lapsed_days, "lapsed"),
        (mon >= np.quantile(mon, 0.9), "big spender"),
        (mm >= np.quantile(mm, 0.9), "big basket"),
    ]
    tags = np.full(len(out), "", dtype=object)
    for mask, label in rules:
        tags = tags + np.where(mask, label + ", ", "").astype(object)
    tags = pd.Series(tags, index=out.index).str.slice(0, -2)
    out["tags"] = tags
    for extra, what in [(basic, "basic"), (attitudes, "attitudes")]:
        if extra is not None:
            if not isinstance(extra, pd.DataFrame):
                raise DataError(f"{what} must be a DataFrame indexed by customer_id")
            if extra.index.has_duplicates:  # a join would repeat that customer's row
                dup = extra.index[extra.index.duplicated()].tolist()[0]
                raise DataError(f"{what} has more than one row for customer_id {dup!r}; keep one per customer")
            out = out.join(extra, how="left", suffixes=("", f"_{what}"))
    return out
