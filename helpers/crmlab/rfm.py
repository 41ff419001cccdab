"""RFM analysis: recency, frequency and monetary value per customer, scored and segmented.

What counts as a purchase
-------------------------
:func:`rfm_table` is the RFM view of the one customer summary,
:func:`crmlab.summary.customer_summary`, which defines occasions (one per
customer and calendar day, its net amount), purchases and ``as_of``.

Columns of :func:`rfm_table`
----------------------------
``recency``  whole days from the last occasion to ``as_of`` (0 = bought on ``as_of``)
``frequency`` number of purchase occasions (>= 1)
``monetary``  total net amount; ``monetary_mean`` = monetary / frequency
``tenure``   whole days from the first occasion to ``as_of`` (the ``T`` of BTYD models)
``first_purchase``, ``last_purchase`` the occasion dates

For a one-time buyer ``recency == tenure`` and ``monetary_mean == monetary``.
The BTYD convention of :mod:`lifetimes` is ``frequency - 1`` (repeat purchases),
``tenure - recency`` (its "recency": last minus first) and ``tenure`` (its ``T``).

Scoring
-------
* :func:`quantile_scores` / :func:`rfm_scores`: 1-5 rank scores that keep ties
  together (equal values always get equal scores) and report, never hide, the
  scores left empty by heavy ties.
* :func:`airline_scores`: the rule table of seed 004 (airline example) with its
  gaps closed by stated conventions (:func:`airline_rule_table`).

Examples
--------
>>> import pandas as pd
>>> log = pd.DataFrame({"customer_id": [1, 1, 1, 2],
...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-20", "2024-01-10"]),
...     "amount": [10.0, 5.0, 20.0, 8.0]})
>>> rfm_table(log)[["recency", "frequency", "monetary", "tenure"]]
             recency  frequency  monetary  tenure
customer_id
1                  0          2      35.0      19
2                 10          1       8.0      10
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab import errors
from crmlab.errors import DataError, ParameterError
from crmlab.summary import _purchases_until, customer_summary
from crmlab.validation import (
    MAX_DAYS,
    as_finite_vector,
    as_float_array,
    check_choice,
    check_number,
    check_numeric_column,
    describe_row,
    require_columns,
)

__all__ = [
    "rfm_table",
    "quantile_scores",
    "rfm_scores",
    "DEFAULT_SEGMENTS",
    "segment_map_grid",
    "rfm_segments",
    "segment_profile",
    "rf_heatmap_table",
    "plot_rf_heatmap",
    "airline_rule_table",
    "airline_scores",
    "score_by_bounds",
]


def rfm_table(
    transactions: pd.DataFrame,
    as_of: Any = None,
    *,
    window_days: int | None = None,
    purchase_rule: str = "net_positive",
) -> pd.DataFrame:
    """One row per customer with recency, frequency, monetary value and tenure.

    The RFM view of :func:`crmlab.summary.customer_summary` (see there for
    ``purchase_rule``: by default a day whose net amount is not positive is
    not a purchase, though its money counts in ``monetary``).

    Parameters
    ----------
    transactions : DataFrame
        crmlab schema (``customer_id``, ``date``, ``amount``); validated.
    as_of : date-like, optional
        The analysis day. Default: the **last day in the log** (the summary's
        rule; when that day has a purchase, the most recent buyer has recency
        0). Purchases on days after ``as_of`` are excluded; their row count is
        given in a :class:`CrmlabWarning` and in
        ``attrs["rfm"]["rows_after_as_of"]``. Customers whose every purchase is
        after ``as_of`` are not in the table (``customers_after_as_of``).
    window_days : int, optional
        Also count ``frequency_window`` and ``monetary_window``: occasions and
        spend in the last ``window_days`` days up to and including ``as_of``
        (days ``as_of - window_days + 1`` ... ``as_of``), e.g. 730 for
        "purchases in the past 24 months".

    Returns
    -------
    DataFrame
        Index ``customer_id`` (sorted), columns ``recency``, ``frequency``,
        ``monetary``, ``monetary_mean``, ``tenure`` (int64 days / counts,
        float64 money), ``first_purchase``, ``last_purchase``, ``n_rows`` (raw
        rows merged into the occasions) and, with ``window_days``, the window
        columns. ``attrs["rfm"]`` records ``as_of`` and the row counts.

    Raises
    ------
    DataError
        Empty log, a missing column or bad value (see
        :func:`~crmlab.validation.validate_transactions`), or ``as_of`` before
        the first purchase.

    Notes
    -----
    Same-day rows of one customer are one occasion (as in
    :func:`crmlab.summary.to_occasions`). Money is summed in integer cents
    when every amount is a whole number of cents, so totals are exact to the
    cent. Runs in O(n log n) with one sort of a 64-bit key, no Python-level
    loop over customers: 10 million rows take seconds (see ``benchmarks/``).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": ["a", "b", "a"],
    ...     "date": ["2024-03-01", "2024-03-05", "2024-03-09"], "amount": [0.1, 5, 0.2]})
    >>> t = rfm_table(log, as_of="2024-03-10")
    >>> t.loc["a", "monetary"] == 0.3, int(t.loc["a", "recency"]), int(t.loc["b", "tenure"])
    (np.True_, 1, 5)
    """
    return customer_summary(transactions, as_of, view="rfm", window_days=window_days,
                            purchase_rule=purchase_rule)


# --------------------------------------------------------------------------- quantile scores
def quantile_scores(
    values: Any,
    q: int = 5,
    *,
    higher_is_better: bool = True,
    method: Literal["lower", "midrank"] = "lower",
    name: str = "values",
    warn: bool = True,
) -> pd.Series:
    """Rank scores 1..q (q = best) that keep tied values together.

    Each customer's position is its rank among ``n`` customers, ties sharing
    one block of ranks ``r_min .. r_min + t - 1``:

    * ``method="lower"`` (default): the block gets the score of its first rank,
      ``1 + floor(q * (r_min - 1) / n)``. The worst value always scores 1.
    * ``method="midrank"``: the block gets the score of its mid-distribution
      percentile ``p = (r_min - 1 + t / 2) / n`` (Parzen), ``max(1, ceil(q p))``.

    Without ties both give equal-sized bins (``n`` a multiple of ``q``). With
    heavy ties (51% of CDNOW customers buy on one occasion only) some scores stay empty: that is
    reported in ``attrs["scores"]`` (count per score, ``empty`` list,
    ``effective`` number of scores) and by a :class:`CrmlabWarning` rather than
    hidden by splitting equal customers at random (``rank(method="first")``)
    or by silently dropping bins (``qcut(duplicates="drop")``).

    Parameters
    ----------
    values : array-like or Series
        Finite numbers; a Series keeps its index.
    q : int
        Number of scores (2..100).
    higher_is_better : bool
        False for recency (fewer days since the last purchase is better).
    method : {"lower", "midrank"}
    name : str
        Used in messages.
    warn : bool
        Warn when a score is empty.

    Examples
    --------
    >>> s = quantile_scores([1, 1, 1, 1, 1, 1, 2, 2, 3, 7], warn=False)
    >>> s.tolist(), s.attrs["scores"]["empty"]
    ([1, 1, 1, 1, 1, 1, 4, 4, 5, 5], [2, 3])
    >>> quantile_scores([1, 1, 1, 1, 1, 1, 2, 2, 3, 7], method="midrank", warn=False).tolist()
    [2, 2, 2, 2, 2, 2, 4, 4, 5, 5]
    """
    q = check_number(q, "q", low=2, high=100, integer=True)
    check_choice(method, "method", ["lower", "midrank"])
    index = values.index if isinstance(values, pd.Series) else None
    x = as_finite_vector(values, name, empty_hint="nothing to score")
    n = len(x)
    key = x if higher_is_better else -x
    uniq, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
    start = np.cumsum(counts) - counts  # r_min - 1 of each block
    if method == "lower":
        block_score = 1 + (q * start) // n
    else:
        block_score = np.maximum(1, np.ceil(q * (start + counts / 2.0) / n - 1e-12)).astype(np.int64)
    block_score = np.minimum(block_score, q).astype(np.int64)
    scores = block_score[inv.ravel()]
    out = pd.Series(scores, index=index, name=getattr(values, "name", None), dtype="int64")
    per_score = np.bincount(scores, minlength=q + 1)[1:]
    empty = [int(s) for s in np.flatnonzero(per_score == 0) + 1]
    out.attrs["scores"] = {
        "method": method,
        "q": q,
        "counts": {int(s): int(c) for s, c in zip(range(1, q + 1), per_score)},
        "empty": empty,
        "effective": int(q - len(empty)),
        "largest_tie_share": float(counts.max() / n),
    }
    if empty and warn:
        why = (
            f"because tied values are kept together (largest tie: {counts.max() / n:.1%} of "
            "customers share one value)" if counts.max() > 1 else f"with only {n} values for {q} scores"
        )
        errors.warn(f"quantile_scores({name}): score(s) {empty} are empty {why}; "
            f"{q - len(empty)} effective scores")
    return out


def rfm_scores(
    rfm: pd.DataFrame,
    q: int = 5,
    *,
    method: Literal["lower", "midrank"] = "lower",
    monetary: str = "monetary",
    warn: bool = True,
) -> pd.DataFrame:
    """Quantile R, F, M scores (1..q, q best), the cell code and the score sum.

    Parameters
    ----------
    rfm : DataFrame
        From :func:`rfm_table` (needs ``recency``, ``frequency`` and ``monetary``).
    q : int
        Scores per dimension (cell codes use one digit, so q <= 9).
    method : {"lower", "midrank"}
        Tie handling, see :func:`quantile_scores`.
    monetary : str
        Column used for M: ``"monetary"`` (total, default) or ``"monetary_mean"``.
    warn : bool
        Warn about empty scores (always recorded in ``attrs["score_report"]``).

    Returns
    -------
    DataFrame
        ``R``, ``F``, ``M`` (int), ``cell`` (e.g. ``"545"``), ``score`` (R+F+M),
        same index. ``attrs["score_report"]`` is a DataFrame: customers per
        score and dimension.

    Examples
    --------
    >>> rfm = pd.DataFrame({"recency": [1, 50, 9, 300, 20], "frequency": [5, 1, 3, 1, 2],
    ...                     "monetary": [500.0, 20, 90, 15, 60]})
    >>> rfm_scores(rfm, warn=False)["cell"].tolist()
    ['555', '212', '444', '111', '333']
    """
    q = check_number(q, "q", low=2, high=9, integer=True)
    require_columns(rfm, ["recency", "frequency", monetary], what="rfm table")
    out = pd.DataFrame(index=rfm.index)
    report = {}
    for dim, col, hib in [("R", "recency", False), ("F", "frequency", True), ("M", monetary, True)]:
        s = quantile_scores(rfm[col], q, higher_is_better=hib, method=method, name=col, warn=warn)
        out[dim] = s.to_numpy()
        report[dim] = s.attrs["scores"]["counts"]
    out["cell"] = out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)
    out["score"] = out["R"] + out["F"] + out["M"]
    rep = pd.DataFrame(report)
    rep.index.name = "score"
    out.attrs["score_report"] = rep
    return out


# --------------------------------------------------------------------------- segments
#: Named segments on the R x F score grid (regex on the two-digit "RF" code).
#: Every one of the 25 cells matches exactly one pattern (checked).
DEFAULT_SEGMENTS: dict[str, str] = {
    r"5[4-5]": "champions",
    r"[3-4][4-5]": "loyal",
    r"[4-5][2-3]": "potential loyalists",
    r"51": "new customers",
    r"41": "promising",
    r"33": "need attention",
    r"3[1-2]": "about to sleep",
    r"[1-2][3-4]": "at risk",
    r"[1-2]5": "cannot lose them",
    r"2[1-2]|12": "hibernating",
    r"11": "lost",
}


def _compile_map(segment_map: Mapping[str, str], q: int) -> dict[str, str]:
    if not isinstance(segment_map, Mapping) or not segment_map:
        raise ParameterError("segment_map must be a non-empty dict {regex on 'RF' code: name}")
    cells = [f"{r}{f}" for r in range(1, q + 1) for f in range(1, q + 1)]
    assign: dict[str, str] = {}
    for pattern, label in segment_map.items():
        try:
            rx = re.compile(pattern)
        except re.error as exc:
            raise ParameterError(f"segment_map: pattern {pattern!r} is not a valid regex ({exc})") from None
        for c in cells:
            if rx.fullmatch(c):
                if c in assign:
                    raise ParameterError(
                        f"segment_map: cell R={c[0]} F={c[1]} matches both {assign[c]!r} and "
                        f"{label!r}; each cell needs exactly one segment"
                    )
                assign[c] = label
    missing = [c for c in cells if c not in assign]
    if missing:
        raise ParameterError(
            f"segment_map leaves {len(missing)} R-F cell(s) without a segment: "
            f"{', '.join('R' + c[0] + 'F' + c[1] for c in missing[:8])}"
        )
    return assign


def segment_map_grid(segment_map: Mapping[str, str] | None = None, q: int = 5) -> pd.DataFrame:
    """The segment name of every R x F cell (rows R = q..1, columns F = 1..q).

    >>> segment_map_grid().loc[5, 5]
    'champions'
    """
    q = check_number(q, "q", low=2, high=9, integer=True)
    assign = _compile_map(DEFAULT_SEGMENTS if segment_map is None else segment_map, q)
    grid = pd.DataFrame(
        [[assign[f"{r}{f}"] for f in range(1, q + 1)] for r in range(q, 0, -1)],
        index=pd.Index(range(q, 0, -1), name="R"),
        columns=pd.Index(range(1, q + 1), name="F"),
    )
    return grid


def rfm_segments(
    scores: pd.DataFrame, segment_map: Mapping[str, str] | None = None, *, q: int = 5
) -> pd.Series:
    """Named segment of each customer from its R and F scores.

    Parameters
    ----------
    scores : DataFrame
        Holding integer ``R`` and ``F`` columns (e.g. from :func:`rfm_scores`).
    segment_map : dict, optional
        ``{regex on the "RF" code: segment name}``; must give every one of the
        q x q cells exactly one name (a ParameterError says which cells are
        missing or doubly assigned). Default :data:`DEFAULT_SEGMENTS`.

    Returns
    -------
    Series
        Categorical segment names (categories in map order), same index.

    Examples
    --------
    >>> sc = pd.DataFrame({"R": [5, 1, 2], "F": [5, 1, 4]})
    >>> rfm_segments(sc).tolist()
    ['champions', 'lost', 'at risk']
    """
    q = check_number(q, "q", low=2, high=9, integer=True)
    sc = _rf_scores(scores, q)
    assign = _compile_map(DEFAULT_SEGMENTS if segment_map is None else segment_map, q)
    lut = np.empty((q + 1, q + 1), dtype=object)
    for c, lab in assign.items():
        lut[int(c[0]), int(c[1])] = lab
    labels = lut[sc["R"].to_numpy(), sc["F"].to_numpy()]
    used = set(assign.values())  # categories: the map's names in map order, those given to a cell
    cats = [c for c in dict.fromkeys((DEFAULT_SEGMENTS if segment_map is None else segment_map).values())
            if c in used]
    return pd.Series(pd.Categorical(labels, categories=cats), index=scores.index, name="segment")


def _rf_scores(scores: pd.DataFrame, q: int) -> pd.DataFrame:
    """The ``R`` and ``F`` columns of ``scores`` as int64, each a whole score in 1..q, or a DataError."""
    r, f = (check_numeric_column(scores, c, what="scores") for c in ("R", "F"))
    bad = ~(r.between(1, q) & f.between(1, q) & (r % 1 == 0) & (f % 1 == 0)).to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        raise DataError(f"scores {describe_row(scores, i)}: R={r.iloc[i]:g}, F={f.iloc[i]:g} is not a whole "
                        f"score in 1..{q}")
    return pd.DataFrame({"R": r.astype("int64"), "F": f.astype("int64")}, index=scores.index)


def _aligned(values: Any, index: pd.Index, name: str) -> pd.Series:
    """``values`` as a Series (or frame) on ``index``: Series and frames by label, arrays by position."""
    if isinstance(values, (pd.Series, pd.DataFrame)):
        if values.index.equals(index):
            return values
        if len(values) == len(index) and values.index.is_unique and values.index.isin(index).all():
            return values.reindex(index)
        raise DataError(f"{name} is indexed by other customers than the rfm table")
    arr = np.asarray(values)
    if len(arr) != len(index):
        raise DataError(f"{name} has {len(arr)} rows but the rfm table has {len(index)}")
    return pd.Series(arr, index=index)


def segment_profile(
    rfm: pd.DataFrame, segments: pd.Series, *, value: str = "monetary"
) -> pd.DataFrame:
    """Size, value share and mean R/F/M of each segment.

    Returns one row per segment: ``customers``, ``customer_share``,
    ``value`` (sum of ``value``), ``value_share``, mean ``recency``,
    ``frequency``, ``monetary`` and ``monetary_mean``; sorted by value share.

    >>> rfm = pd.DataFrame({"recency": [1, 9], "frequency": [3, 1], "monetary": [30.0, 10.0],
    ...                     "monetary_mean": [10.0, 10.0]})
    >>> segment_profile(rfm, pd.Series(["a", "b"]))["value_share"].tolist()
    [0.75, 0.25]
    """
    require_columns(rfm, ["recency", "frequency", value], what="rfm table")
    seg = _aligned(segments, rfm.index, "segments")
    cols = [c for c in ["recency", "frequency", "monetary", "monetary_mean"] if c in rfm.columns]
    g = rfm.assign(segment=seg.to_numpy()).groupby("segment", observed=True)
    prof = g[cols].mean()
    prof.insert(0, "customers", g.size())
    prof.insert(1, "customer_share", prof["customers"] / len(rfm))
    total = rfm[value].sum()
    prof.insert(2, "value", g[value].sum())
    prof.insert(3, "value_share", prof["value"] / total if total != 0 else np.nan)
    return prof.sort_values("value_share", ascending=False)


def rf_heatmap_table(rfm: pd.DataFrame, scores: pd.DataFrame, *, value: str = "monetary",
                     stat: Literal["mean", "count", "sum"] = "mean", q: int = 5) -> pd.DataFrame:
    """R x F table (rows R = q..1, columns F = 1..q) of mean ``value`` (or count/sum).

    Every cell of the q x q grid is present; cells without customers are NaN
    (so scores left empty by ties show up as an empty row or column).

    >>> rfm = pd.DataFrame({"monetary": [10.0, 30.0, 5.0]})
    >>> sc = pd.DataFrame({"R": [2, 2, 1], "F": [1, 1, 2]})
    >>> rf_heatmap_table(rfm, sc).loc[2, 1]
    np.float64(20.0)
    """
    check_choice(stat, "stat", ["mean", "count", "sum"])
    q = check_number(q, "q", low=2, high=9, integer=True)
    require_columns(rfm, [value], what="rfm table")
    df = _aligned(_rf_scores(scores, q), rfm.index, "scores").assign(v=rfm[value].to_numpy())
    tab = df.pivot_table(index="R", columns="F", values="v", aggfunc=stat)
    return tab.reindex(index=pd.Index(range(q, 0, -1), name="R"),
                       columns=pd.Index(range(1, q + 1), name="F"))


def plot_rf_heatmap(table: pd.DataFrame, *, ax: Any = None, title: str | None = None,
                    unit: str = "US$", fmt: str = ".0f") -> Any:
    """Heatmap of an :func:`rf_heatmap_table` (empty cells left blank); returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    data = table.to_numpy(dtype=float)
    im = ax.imshow(np.ma.masked_invalid(data), cmap="viridis", aspect="auto")
    ax.set_xticks(range(data.shape[1]), [str(c) for c in table.columns])
    ax.set_yticks(range(data.shape[0]), [str(i) for i in table.index])
    ax.set_xlabel("F score (frequency, 5 = most occasions)")
    ax.set_ylabel("R score (recency, 5 = most recent)")
    vmax = np.nanmax(data) if np.isfinite(data).any() else 1.0
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            if np.isfinite(data[i, j]):
                ax.text(j, i, format(data[i, j], fmt), ha="center", va="center",
                        color="white" if data[i, j] < 0.6 * vmax else "black", fontsize=9)
    ax.grid(False)
    ax.figure.colorbar(im, ax=ax, label=f"mean monetary value ({unit})")
    ax.set_title(title or "Mean monetary value by R and F score")
    return ax


# --------------------------------------------------------------------------- rule tables
def score_by_bounds(values: Any, bounds: Any, *, closed: Literal["right", "left"] = "right",
                    name: str = "values") -> np.ndarray:
    """Band number 1..len(bounds)+1 of each value for increasing cut points.

    ``closed="right"``: band k is ``(bounds[k-2], bounds[k-1]]`` (a value equal
    to a cut point stays in the lower band); ``"left"``: ``[bounds[k-2], bounds[k-1])``.

    >>> score_by_bounds([500, 500.5, 1000, 5000, 5000.01], [500, 1000, 3000, 5000]).tolist()
    [1, 2, 2, 4, 5]
    >>> score_by_bounds([100_000, 199_999, 200_000], [100_000, 200_000, 300_000], closed="left").tolist()
    [2, 2, 3]
    """
    check_choice(closed, "closed", ["right", "left"])
    b = as_float_array(bounds, "bounds")
    if b.ndim != 1 or len(b) == 0 or not np.all(np.diff(b) > 0):
        raise ParameterError(f"bounds must be strictly increasing numbers, got {b.tolist()}")
    x = as_finite_vector(values, name, empty_hint="nothing to band")
    side = "left" if closed == "right" else "right"
    return (np.searchsorted(b, x, side=side) + 1).astype(np.int64)


#: crmlab's reading of each printed band of the seed table ``airline_rfm`` (in its row order).
_AIRLINE_INTERVALS = (
    "more than 12 months", "(6, 12] months", "(3, 6] months", "(1, 3] months", "[0, 1] month",
    "0-1", "2-5", "6-10", "11-23", "24 and more",
    "[0, 500]", "(500, 1000]", "(1000, 3000]", "(3000, 5000)", "5000 and over",
)
#: Cut points of the airline table (right-closed, except that band 5 of money starts at 5000
#: itself: 以上 includes the number); recency in calendar months.
AIRLINE_RECENCY_MONTHS = (1, 3, 6, 12)
AIRLINE_FREQUENCY_BOUNDS = (1, 5, 10, 23)
AIRLINE_MONETARY_BOUNDS = (500, 1000, 3000, 5000)


def airline_rule_table() -> pd.DataFrame:
    """The airline RFM table of seed 004 as printed and as implemented.

    The printed bands have gaps and an overlap; crmlab closes them with one
    convention, **every band is right-closed at its printed upper bound and
    starts just above the band below**, except where the table says 以上
    ("and over"), which includes the number itself (the same reading as the
    bank tiers of :func:`crmlab.segmentation.deposit_tiers`):

    * Recency: the printed points (12, 6, 3, 1 months ago) become intervals of
      calendar months before ``as_of``: 5 = within 1 month (last purchase on or
      after ``as_of`` minus 1 month), 4 = (1, 3], 3 = (3, 6], 2 = (6, 12],
      1 = more than 12 months. "Exactly 1 month ago" scores 5 ("不超过" = not
      more than).
    * Frequency (occasions in the 24 months up to ``as_of``): the gap at
      exactly 24 ("11~23" then "多于24") is closed upwards: 24 scores 5.
    * Monetary (average spend per occasion, CNY): 500 < m <= 1000 is band 2,
      so 500 itself is band 1 and 500.5 band 2 (the printed "501" assumes
      whole yuan); the overlap at 5000 (in "3001~5000" and "5000以上") goes
      to band 5, because 以上 includes 5000.

    >>> airline_rule_table().query("dimension == 'monetary'")["interval"].tolist()[:2]
    ['[0, 500]', '(500, 1000]']
    """
    from crmlab.datasets import load_seed_table

    seed = load_seed_table("airline_rfm").rename(columns={"text_zh": "printed_zh", "text_en": "printed_en"})
    return seed[["dimension", "score", "printed_zh", "printed_en"]].assign(interval=list(_AIRLINE_INTERVALS))


def airline_scores(transactions: pd.DataFrame, as_of: Any = None, *,
                   window_months: int = 24) -> pd.DataFrame:
    """Score customers with the seed's airline RFM table (see :func:`airline_rule_table`).

    Parameters
    ----------
    transactions : DataFrame
        crmlab schema, amounts in CNY.
    as_of : date-like, optional
        Default: the last day in the log (as in :func:`rfm_table`).
    window_months : int
        Frequency counts occasions in the last ``window_months`` calendar
        months (``as_of`` minus 24 months, exclusive, to ``as_of``, inclusive).

    Returns
    -------
    DataFrame
        Index ``customer_id``: ``last_purchase``, ``frequency_window``,
        ``monetary_mean`` (average spend per occasion over the whole history),
        ``R``, ``F``, ``M``, ``cell``, ``score``.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [400.0, 600.0, 5000.0],
    ...     "date": pd.to_datetime(["2023-03-31", "2024-02-29", "2023-01-15"])})
    >>> airline_scores(log, as_of="2024-03-31")[["R", "F", "M"]].values.tolist()
    [[5, 2, 1], [1, 1, 5]]
    """
    window_months = check_number(window_months, "window_months", low=1, integer=True, high=MAX_DAYS // 31)
    as_of_ts = _purchases_until(transactions, as_of)[1]  # the summary's as_of, to turn months into days
    start = as_of_ts - pd.DateOffset(months=window_months)
    # frequency_window: purchases on the days after start, up to as_of
    rfm = rfm_table(transactions, as_of_ts, window_days=(as_of_ts - start).days)
    last = rfm["last_purchase"]
    fw = rfm["frequency_window"]
    cut = np.array([(as_of_ts - pd.DateOffset(months=m)).value for m in AIRLINE_RECENCY_MONTHS])
    lastv = last.to_numpy(dtype="datetime64[ns]").view("int64")
    # number of cut dates strictly after the last purchase = months bands passed
    r = 5 - (lastv[:, None] < cut[None, :]).sum(axis=1)
    f = score_by_bounds(fw.to_numpy(), AIRLINE_FREQUENCY_BOUNDS, name="frequency_window")
    mean = rfm["monetary_mean"].to_numpy()
    m = score_by_bounds(mean, AIRLINE_MONETARY_BOUNDS, name="monetary_mean")
    m = np.where(mean >= AIRLINE_MONETARY_BOUNDS[-1], 5, m)  # "5000元以上" includes 5000
    out = pd.DataFrame(
        {
            "last_purchase": last,
            "frequency_window": fw.astype("int64"),
            "monetary_mean": rfm["monetary_mean"],
            "R": r.astype("int64"),
            "F": f,
            "M": m,
        },
        index=rfm.index,
    )
    out["cell"] = out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)
    out["score"] = out["R"] + out["F"] + out["M"]
    out.attrs["rfm"] = dict(rfm.attrs["rfm"], as_of_default=as_of is None, window_start_exclusive=start)
    return out

