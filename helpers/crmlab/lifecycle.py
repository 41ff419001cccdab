"""Customer lifecycle theory, computed: the stage-model figure, stylised curves, stage
assignment from purchase data, exit patterns, the accumulation effect (chapter 1;
the revenue identity is in :mod:`crmlab.finance`, the customer ladder is a few lines of
pandas in notebook 01).

The lecture tables (the stage models of the literature, strategy by stage)
are data, not code: ``crmlab.datasets.load_seed_table("stage_models")`` and
``load_seed_table("strategy_by_stage")``.

The working model is Chen Mingliang's four stages (exploration 考察期,
formation 形成期, stability 稳定期, decline 退化期) plus the end state
``terminated``, the labels of :data:`STAGES`.

Examples
--------
>>> from crmlab.lifecycle import accumulation_table
>>> accumulation_table(lost=(0, 10))["ratio"].round(2).tolist()
[1.0, 1.22]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmlab.errors import DataError, ParameterError
from crmlab.retention import _quiet_summary
from crmlab.summary import to_occasions
from crmlab.validation import (
    MAX_DAYS,
    as_float_array,
    check_date,
    check_number,
    require_columns,
)

__all__ = [
    "STAGES",
    "PATTERNS",
    "LIVE_STAGES",
    "stylised_curves",
    "pattern_curves",
    "StageRules",
    "stage_features",
    "assign_stages",
    "stage_mix",
    "classify_patterns",
    "score_stages",
    "accumulation_table",
    "plot_stage_models",
    "cjk_font",
]

#: Lifecycle stages of Chen Mingliang's four-stage model, plus the end state.
STAGES: tuple[str, ...] = ("exploration", "formation", "stability", "decline", "terminated")
#: Exit patterns I-IV (seed 000 ch. 9).
PATTERNS: tuple[str, ...] = ("I", "II", "III", "IV")
#: The four live stages of Chen's model (``STAGES`` without ``terminated``).
LIVE_STAGES: tuple[str, ...] = tuple(s for s in STAGES if s != "terminated")

# --------------------------------------------------------------------------- stage models
_CJK_FONTS = ("WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Source Han", "SimHei",
              "Microsoft YaHei", "PingFang", "Heiti", "Hiragino Sans GB", "Arial Unicode")


def cjk_font() -> str | None:
    """Name of an installed font that can draw Chinese, or None.

    Use it as a fallback, e.g. ``plt.rcParams["font.family"] = ["DejaVu Sans", cjk_font()]``.

    >>> cjk_font() is None or isinstance(cjk_font(), str)
    True
    """
    from matplotlib import font_manager

    for f in font_manager.fontManager.ttflist:
        if any(k in f.name for k in _CJK_FONTS):
            return str(f.name)
    return None


def plot_stage_models(models: pd.DataFrame, ax: Any = None, *, chinese: bool | None = None) -> Any:
    """Timeline figure of the stage models side by side: one row of bars per model.

    ``models`` is the lecture table ``load_seed_table("stage_models")`` (one
    row per stage: ``model``, ``order``, ``stage``, ``stage_zh``, ``start``,
    ``end`` on a common timeline with Chen's stages at 0-1-2-3-4), or your
    own table with those columns. ``chinese=None`` adds the Chinese stage
    names when a CJK font is installed (see :func:`cjk_font`); without one
    they are left out rather than drawn as empty boxes. Returns the
    matplotlib ``Axes``.

    >>> from crmlab.datasets import load_seed_table
    >>> ax = plot_stage_models(load_seed_table("stage_models"))
    >>> len(ax.get_yticklabels())
    5
    """
    import matplotlib.pyplot as plt

    t = require_columns(models, ["model", "order", "stage", "stage_zh", "start", "end"], what="models")
    font = cjk_font()
    if chinese is None:
        chinese = font is not None
    family = ["DejaVu Sans", font] if (chinese and font) else ["DejaVu Sans"]
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 3.8))
    models = list(dict.fromkeys(t["model"]))
    cmap = plt.get_cmap("tab10")
    for y, model in enumerate(models):
        sub = t[t["model"] == model]
        for _, r in sub.iterrows():
            ax.barh(y, r["end"] - r["start"], left=r["start"], height=0.6,
                    color=cmap((r["order"] - 1) % 10), edgecolor="white", alpha=0.85)
            label = f"{r['stage']}\n{r['stage_zh']}" if chinese else r["stage"]
            ax.text((r["start"] + r["end"]) / 2, y, label, ha="center", va="center",
                    fontsize=7, family=family)
    ax.set_yticks(range(len(models)), models if chinese else [re.sub(r" \([^)]*[\u4e00-\u9fff][^)]*\)", "", m) for m in models],
                  family=family)
    ax.invert_yaxis()
    for x in (0, 1, 2, 3, 4):
        ax.axvline(x, color="grey", lw=0.6, ls=":")
    ax.set_xticks([-0.5, 0.5, 1.5, 2.5, 3.5],
                  ["before first\npurchase", "exploration", "formation", "stability", "decline"])
    ax.set_xlabel("relationship time, aligned to Chen's four stages (no units: stylised)")
    ax.set_title("Customer lifecycle stage models side by side")
    return ax


# --------------------------------------------------------------------------- curves
def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def stylised_curves(
    t: Any,
    *,
    bounds: Sequence[float] = (1.0, 2.0, 4.0, 5.0),
    start_level: float = 0.15,
    end_level: float = 0.1,
    investment: float = 0.35,
    margin: float = 0.6,
) -> pd.DataFrame:
    """Stylised lifecycle curves over exploration -> formation -> stability -> decline.

    With ``b1 < b2 < b3 < b4`` the ends of the four stages and ``s`` the
    smoothstep ``3x^2 - 2x^3`` on [0, 1]:

    * relationship level ``L(t)`` = ``start_level`` rising slowly in exploration
      and steeply in formation to 1, flat at 1 through stability, falling to
      ``end_level`` through decline (it does **not** rise in decline — the slip
      in seed 000's text);
    * transaction volume ``V(t) = L(t)^1.5`` (volume lags the relationship:
      little trade while uncertainty is high);
    * profit ``P(t) = margin * V(t) - c(t)`` where the relationship cost
      ``c(t) = investment * exp(-3 t / b1)`` is high early (the firm invests
      in exploration) and fades, so profit is negative at first.

    Parameters
    ----------
    t : array-like
        Times (any unit; the same unit as ``bounds``). Values past ``b4`` give
        the end levels; negative values are treated as 0.
    bounds : 4 increasing positive numbers
        Ends of exploration, formation, stability and decline.
    start_level, end_level : float
        Relationship level at the start and at the end of decline (0-1).
    investment, margin : float
        Initial relationship cost and margin on volume (same scale as volume).

    Returns
    -------
    DataFrame
        ``t``, ``stage``, ``relationship``, ``volume``, ``profit``.

    Examples
    --------
    >>> c = stylised_curves([0.5, 3.0, 4.9])
    >>> c["stage"].tolist()
    ['exploration', 'stability', 'decline']
    >>> bool(c["relationship"].iloc[1] == 1.0)
    True
    """
    tt = as_float_array(t, "t").ravel()
    b = as_float_array(bounds, "bounds").ravel()
    if b.shape != (4,) or b[0] <= 0 or np.any(np.diff(b) <= 0):
        raise ParameterError(f"bounds must be 4 increasing positive numbers, got {list(b)}")
    for name, v in (("start_level", start_level), ("end_level", end_level)):
        check_number(v, name, low=0.0, high=1.0)
    check_number(investment, "investment", low=0.0)
    check_number(margin, "margin", low=0.0)
    b1, b2, b3, b4 = b
    x = np.maximum(tt, 0.0)
    r1 = start_level + 0.2 * (1.0 - start_level)  # level reached at the end of exploration
    lvl_exp = start_level + (r1 - start_level) * (x / b1)
    lvl_form = r1 + (1.0 - r1) * _smoothstep((x - b1) / (b2 - b1))
    lvl_dec = 1.0 - (1.0 - end_level) * _smoothstep((x - b3) / (b4 - b3))
    level = np.select([x < b1, x < b2, x < b3], [lvl_exp, lvl_form, np.ones_like(x)], lvl_dec)
    volume = level**1.5
    profit = margin * volume - investment * np.exp(-3.0 * x / b1)
    stage = np.select([x < b1, x < b2, x < b3], list(LIVE_STAGES[:3]), "decline")
    return pd.DataFrame(
        {"t": tt, "stage": stage, "relationship": level, "volume": volume, "profit": profit}
    )


#: Where each exit pattern ends, as a fraction of the way through a stage:
#: I in exploration, II in formation, III early in stability, IV never (full path).
_PATTERN_EXIT = {"I": (0, 0.8), "II": (1, 0.6), "III": (2, 0.2), "IV": None}


def pattern_curves(
    t: Any,
    *,
    bounds: Sequence[float] = (1.0, 2.0, 4.0, 5.0),
    exit_days: float = 0.5,
    **kwargs: Any,
) -> pd.DataFrame:
    """Transaction-volume curves of the four exit patterns I-IV (seed 000 §9.1).

    Each pattern follows :func:`stylised_curves` until its exit point and then
    falls to zero over ``exit_days`` (a short decline): I exits 80% of the
    way through exploration (early abort), II 60% through formation (midway
    abort), III 20% into stability (early exit), IV keeps the full path with a
    long stability (long-lasting).

    Returns
    -------
    DataFrame
        ``t`` and one volume column per pattern ``I``..``IV``.

    Examples
    --------
    >>> c = pattern_curves([0.5, 3.0])
    >>> c.loc[1, ["I", "II", "IV"]].tolist()
    [0.0, 0.0, 1.0]
    """
    tt = as_float_array(t, "t").ravel()
    check_number(exit_days, "exit_days", low=0.0, low_inclusive=False, high=MAX_DAYS)
    base = stylised_curves(tt, bounds=bounds, **kwargs)
    b = np.concatenate([[0.0], np.asarray(bounds, dtype=float)])
    out = pd.DataFrame({"t": tt})
    for pat in PATTERNS:
        spec = _PATTERN_EXIT[pat]
        vol = base["volume"].to_numpy().copy()
        if spec is not None:
            k, frac = spec
            te = b[k] + frac * (b[k + 1] - b[k])
            v_exit = float(stylised_curves([te], bounds=bounds, **kwargs)["volume"].iloc[0])
            fall = v_exit * (1.0 - _smoothstep((tt - te) / exit_days))
            vol = np.where(tt < te, vol, fall)
        out[pat] = vol
    return out


# --------------------------------------------------------------------------- stage rules
@dataclass(frozen=True)
class StageRules:
    """Thresholds of :func:`assign_stages` (days unless noted).

    The rules are applied in this order; the first that matches wins:

    1. ``tenure < exploration_days`` -> **exploration** (too new to judge).
    2. ``recency >= max(terminated_silence * rhythm, min_terminated_days)``
       -> **terminated** (silent far longer than the customer's own rhythm).
    3. ``recency >= max(decline_silence * rhythm, min_decline_days)``, or
       ``tenure >= formation_days`` and the spend in the last ``window_days``
       is below ``decline_trend`` times what the customer's earlier pace
       predicts -> **decline**.
    4. ``tenure < formation_days`` -> **formation**.
    5. otherwise -> **stability**.

    ``rhythm`` is the customer's own mean inter-purchase time, shrunk toward
    ``prior_gap_days`` with the weight of ``prior_weight`` pseudo-gaps:
    ``(last - first + prior_weight * prior_gap) / (n - 1 + prior_weight)``, so
    a one-purchase customer gets the prior gap. ``prior_gap_days=None`` uses
    the pooled mean gap of all repeat customers in the log.

    The defaults were tuned on ``simulate_transactions(3000, seed=1)`` at
    eight half-yearly dates (see chapter 1); for real data rescale them to the
    category's purchase cycle.
    """

    exploration_days: float = 90.0
    formation_days: float = 240.0
    terminated_silence: float = 3.0
    min_terminated_days: float = 120.0
    decline_silence: float = 2.5
    min_decline_days: float = 90.0
    window_days: float = 90.0
    decline_trend: float = 0.0  # 0 switches the trend rule off (it did not help on seed 1)
    prior_gap_days: float | None = 90.0
    prior_weight: float = 1.0

    def validate(self) -> StageRules:
        """Check every threshold; return self."""
        for name in ("exploration_days", "formation_days", "window_days", "terminated_silence",
                     "decline_silence"):
            # the window becomes a date offset; the other thresholds may be huge ("never")
            check_number(getattr(self, name), name, low=0.0, low_inclusive=False,
                         high=MAX_DAYS if name == "window_days" else None)
        for name in ("min_terminated_days", "min_decline_days", "decline_trend", "prior_weight"):
            check_number(getattr(self, name), name, low=0.0)
        if self.prior_gap_days is not None:
            check_number(self.prior_gap_days, "prior_gap_days", low=0.0, low_inclusive=False)
        if self.formation_days < self.exploration_days:
            raise ParameterError(
                f"formation_days ({self.formation_days}) must be >= exploration_days "
                f"({self.exploration_days}): formation follows exploration"
            )
        if self.terminated_silence < self.decline_silence:
            raise ParameterError(
                f"terminated_silence ({self.terminated_silence}) must be >= decline_silence "
                f"({self.decline_silence}): a customer declines before the relationship ends"
            )
        return self


def _rules(rules: Any, thresholds: dict[str, Any]) -> StageRules:
    if rules is None:
        rules = StageRules()
    if not isinstance(rules, StageRules):
        raise ParameterError(f"rules must be a crmlab.lifecycle.StageRules, got {type(rules).__name__}")
    if thresholds:
        unknown = set(thresholds) - set(StageRules.__dataclass_fields__)
        if unknown:
            raise ParameterError(
                f"unknown threshold(s) {sorted(unknown)}; valid: {list(StageRules.__dataclass_fields__)}"
            )
        rules = StageRules(**{**rules.__dict__, **thresholds})
    return rules.validate()


def _features(transactions: Any, occ: pd.DataFrame, ref: pd.Timestamp, rules: StageRules) -> pd.DataFrame:
    """:func:`stage_features` from the summary on ``ref`` and the purchase occasions ``occ``."""
    s = _quiet_summary(transactions, ref)  # its notes would repeat at every date of stage_mix
    n = s["purchases"]
    tenure = s["tenure_days"].astype(float)
    recency = s["recency_days"].astype(float)
    span = s["span_days"].astype(float)
    spend = s["purchase_spend"]
    if rules.prior_gap_days is None:
        rep = n > 1
        prior_gap = float(span[rep].sum() / (n[rep] - 1).sum()) if rep.any() else rules.formation_days
    else:
        prior_gap = float(rules.prior_gap_days)
    rhythm = (span + rules.prior_weight * prior_gap) / (n - 1 + rules.prior_weight)
    # spend in the window: the purchase days' net amounts, as in ``purchase_spend``
    w0 = ref - pd.Timedelta(days=rules.window_days)
    in_window = occ[(occ["date"] > w0) & (occ["date"] <= ref)]
    recent = in_window.groupby("customer_id")["amount"].sum().reindex(s.index, fill_value=0.0)
    before = spend - recent
    earlier_days = (tenure - rules.window_days).clip(lower=0.0)
    expected = before / earlier_days.where(earlier_days > 0) * rules.window_days
    trend = (recent / expected).where(tenure >= rules.window_days * 2)
    return pd.DataFrame(
        {
            "first_purchase": s["first_purchase"],
            "last_purchase": s["last_purchase"],
            "purchases": n,
            "purchase_spend": spend,
            "tenure_days": tenure,
            "recency_days": recency,
            "span_days": span,
            "rhythm_days": rhythm,
            "silence": recency / rhythm,
            "spend_trend": trend,
        }
    )


def stage_features(transactions: Any, as_of: Any, *, rules: StageRules | None = None) -> pd.DataFrame:
    """The observable behaviour :func:`assign_stages` uses, one row per customer.

    The counts and days are the customer summary's on ``as_of``
    (:func:`crmlab.summary.customer_summary`, same names): purchases are
    purchase days and only those on or before ``as_of`` are seen.

    Returns
    -------
    DataFrame indexed by ``customer_id``
        From the summary: ``first_purchase``, ``last_purchase``,
        ``purchases``, ``purchase_spend`` (net money of the purchase days),
        ``tenure_days``, ``recency_days``, ``span_days`` (days as floats);
        lifecycle's own: ``rhythm_days`` (own mean gap, shrunk to the prior),
        ``silence`` (recency / rhythm) and ``spend_trend`` (purchase spend in
        the last ``window_days`` / the spend the earlier pace predicts; NaN
        when tenure < 2 windows).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 1], "amount": [10.0, 10.0, 10.0],
    ...                     "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-02"])})
    >>> f = stage_features(log, "2024-04-01", rules=StageRules(prior_weight=0))
    >>> f[["purchases", "tenure_days", "recency_days", "rhythm_days"]].iloc[0].tolist()
    [3.0, 91.0, 30.0, 30.5]
    """
    rules = _rules(rules, {})
    occ = to_occasions(transactions, purchases_only=True)
    return _features(transactions, occ, check_date(as_of, "as_of"), rules)


def _classify(f: pd.DataFrame, rules: StageRules) -> pd.Series:
    r = rules
    stage = np.full(len(f), "stability", dtype=object)
    tenure = f["tenure_days"].to_numpy()
    recency = f["recency_days"].to_numpy()
    rhythm = f["rhythm_days"].to_numpy()
    trend = f["spend_trend"].to_numpy()
    stage[tenure < r.formation_days] = "formation"
    falling = (tenure >= r.formation_days) & (np.nan_to_num(trend, nan=np.inf) < r.decline_trend)
    dec = (recency >= np.maximum(r.decline_silence * rhythm, r.min_decline_days)) | falling
    stage[dec] = "decline"
    term = recency >= np.maximum(r.terminated_silence * rhythm, r.min_terminated_days)
    stage[term] = "terminated"
    stage[tenure < r.exploration_days] = "exploration"
    return pd.Series(pd.Categorical(stage, categories=list(STAGES), ordered=True),
                     index=f.index, name="stage")


def assign_stages(
    transactions: Any,
    as_of: Any,
    *,
    rules: StageRules | None = None,
    return_features: bool = False,
    **thresholds: Any,
) -> pd.Series | pd.DataFrame:
    """Each customer's lifecycle stage on ``as_of``, from observable behaviour.

    Stages: exploration, formation, stability, decline, terminated (Chen's
    four stages plus the end state). The rules (see :class:`StageRules`) use
    tenure, purchase count, recency measured against the customer's own
    purchase rhythm, and the recent spend trend::

        tenure < exploration_days                      -> exploration
        recency >= max(3 x rhythm, 120 d)              -> terminated
        recency >= max(2.5 x rhythm, 90 d) or spend trend
            below decline_trend after formation_days   -> decline
        tenure < formation_days                        -> formation
        otherwise                                      -> stability

    Parameters
    ----------
    transactions : DataFrame
        crmlab schema (``customer_id``, ``date``, ``amount``); same-day rows
        are one purchase occasion.
    as_of : date-like
        The date at which stages are judged; later purchases are ignored and
        customers whose first purchase is later are not returned.
    rules : StageRules, optional
        Thresholds; keyword ``thresholds`` override single fields, e.g.
        ``assign_stages(log, "1998-01-01", exploration_days=60)``.
    return_features : bool
        Return the :func:`stage_features` table with a ``stage`` column.

    Returns
    -------
    Series (ordered categorical, index ``customer_id``) or DataFrame

    Raises
    ------
    DataError
        A log without a ``date`` column, unparseable dates or amounts, or no
        purchase on or before ``as_of``.
    ParameterError
        A bad ``as_of`` or threshold.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 2, 2, 2, 2, 3],
    ...     "date": pd.to_datetime(["2024-05-20", "2023-01-01", "2023-04-01", "2023-07-01",
    ...                             "2024-05-01", "2023-01-05"]),
    ...     "amount": 20.0})
    >>> assign_stages(log, "2024-06-01").astype(str).tolist()
    ['exploration', 'stability', 'terminated']
    """
    base = _rules(rules, thresholds)
    f = stage_features(transactions, as_of, rules=base)
    stage = _classify(f, base)
    if return_features:
        return f.assign(stage=stage)
    return stage


def stage_mix(
    transactions: Any,
    dates: Any,
    *,
    rules: StageRules | None = None,
    share: bool = False,
    **thresholds: Any,
) -> pd.DataFrame:
    """Number (or share) of customers in each stage at each date.

    Returns a DataFrame indexed by date with one column per stage (the
    input of a stacked-area plot).

    >>> log = pd.DataFrame({"customer_id": [1, 1], "amount": 5.0,
    ...                     "date": pd.to_datetime(["2024-01-01", "2024-01-20"])})
    >>> stage_mix(log, ["2024-02-01", "2025-01-01"])[["exploration", "terminated"]].values.tolist()
    [[1, 0], [0, 1]]
    """
    base = _rules(rules, thresholds)
    occ = to_occasions(transactions, purchases_only=True)
    refs = [check_date(d, "as_of") for d in np.atleast_1d(np.asarray(dates, dtype=object))]
    if not refs:
        raise ParameterError("dates is empty: give at least one date")
    rows = []  # one row per date given, in order (a date given twice is a row twice)
    for ref in refs:
        seen = (occ["date"] <= ref).any()
        st = _classify(_features(transactions, occ, ref, base), base) if seen else pd.Series([], dtype=object)
        rows.append(st.value_counts().reindex(list(STAGES), fill_value=0))
    out = pd.DataFrame(rows, index=pd.DatetimeIndex(refs, name="date")).astype("int64")
    if share:
        tot = out.sum(axis=1).replace(0, np.nan)
        return out.div(tot, axis=0).fillna(0.0)
    return out


def classify_patterns(
    transactions: Any,
    as_of: Any,
    *,
    cutoffs: Sequence[float] = (120.0, 350.0, 700.0),
    rules: StageRules | None = None,
) -> pd.DataFrame:
    """Exit pattern I-IV of every relationship that has ended by ``as_of``.

    A relationship has ended when :func:`assign_stages` calls it
    ``terminated``. Its pattern is read from the active span (first to last
    purchase), the time the relationship lasted before falling silent:
    ``span < cutoffs[0]`` -> I early abort (never left exploration);
    ``< cutoffs[1]`` -> II midway abort (ended in formation);
    ``< cutoffs[2]`` -> III early exit (reached stability, left early);
    otherwise IV long-lasting. The default cutoffs (days) were tuned on
    ``simulate_transactions(3000, seed=1)`` at 2023-12-31 (82% correct on
    seed 2); rescale them to your own category's stage lengths.

    Returns
    -------
    DataFrame indexed by ``customer_id``
        ``span_days``, ``purchases`` and ``pattern`` (ordered categorical).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2, 2], "amount": 9.0,
    ...     "date": pd.to_datetime(["2020-01-01", "2020-02-01", "2020-01-01", "2022-01-01"])})
    >>> classify_patterns(log, "2026-01-01")["pattern"].astype(str).tolist()
    ['I', 'IV']
    """
    c = as_float_array(cutoffs, "cutoffs").ravel()
    if c.shape != (3,) or c[0] <= 0 or np.any(np.diff(c) <= 0):
        raise ParameterError(f"cutoffs must be 3 increasing positive day counts, got {list(c)}")
    f = assign_stages(transactions, as_of, rules=rules, return_features=True)
    ended = f[f["stage"] == "terminated"]
    idx = np.searchsorted(c, ended["span_days"].to_numpy(), side="right")
    pattern = pd.Categorical(np.asarray(PATTERNS)[idx], categories=list(PATTERNS), ordered=True)
    return pd.DataFrame(
        {"span_days": ended["span_days"], "purchases": ended["purchases"], "pattern": pattern},
        index=ended.index,
    )


def score_stages(predicted: pd.Series, truth: pd.Series, *, labels: Sequence[str] = STAGES) -> dict[str, Any]:
    """Confusion matrix and accuracies of predicted vs true labels.

    Customers are matched on the index; those missing from either side or
    with a missing truth (not yet acquired) are left out.

    Returns
    -------
    dict
        ``confusion`` (DataFrame, rows = truth, columns = predicted),
        ``accuracy`` (all labels), ``live_accuracy`` (customers whose true
        stage is one of the four live stages; a live customer called
        ``terminated`` counts as wrong), ``n`` and ``recall`` per label.

    >>> s = score_stages(pd.Series(["formation", "decline"]), pd.Series(["formation", "stability"]))
    >>> s["accuracy"], s["live_accuracy"]
    (0.5, 0.5)
    """
    if not isinstance(predicted, pd.Series) or not isinstance(truth, pd.Series):
        raise ParameterError("predicted and truth must be pandas Series indexed by customer")
    if not (predicted.index.is_unique and truth.index.is_unique):  # align would pair every copy
        raise DataError("predicted and truth must name each customer once (duplicate index labels)")
    p, t = predicted.astype(object).align(truth.astype(object), join="inner")
    keep = t.notna() & p.notna()
    p, t = p[keep].astype(str), t[keep].astype(str)
    if len(p) == 0:
        raise DataError("no customer is in both predicted and truth (check the indexes)")
    labs = list(labels)
    conf = pd.crosstab(pd.Categorical(t, categories=labs), pd.Categorical(p, categories=labs),
                       dropna=False).reindex(index=labs, columns=labs, fill_value=0)
    conf.index.name, conf.columns.name = "true", "predicted"
    live = t.isin(LIVE_STAGES)
    diag = pd.Series(np.diag(conf.to_numpy()), index=labs)
    recall = (diag / conf.sum(axis=1).replace(0, np.nan)).rename("recall")
    return {
        "confusion": conf,
        "accuracy": float((p == t).mean()),
        "live_accuracy": float((p[live] == t[live]).mean()) if live.any() else float("nan"),
        "n": int(len(p)),
        "recall": recall,
    }


# --------------------------------------------------------------------------- accumulation
def accumulation_table(
    initial: float = 100,
    lost: Sequence[float] = (0, 1, 2, 10, 25, 50),
    profit_per_customer: float = 10,
) -> pd.DataFrame:
    """The customer accumulation effect (顾客累加效应, seed 002).

    Two stores A and B start with ``initial`` customers each; every customer
    A loses goes to B. After losing ``k`` customers A has ``initial - k``, B
    has ``initial + k``: the gap B - A is ``2k`` (each lost customer counts
    twice — one fewer for A *and* one more for the rival) and the ratio
    ``(initial + k) / (initial - k)`` grows faster than linearly.

    Returns unrounded values; the seed prints shares to 2 d.p. (%) and the
    ratio to 2 d.p.

    Returns
    -------
    DataFrame
        ``lost``, ``a_customers``, ``a_share_pct``, ``b_customers``,
        ``b_share_pct``, ``difference``, ``ratio``, ``a_profit``,
        ``b_profit``, ``profit_difference`` (the columns of
        ``load_seed_table("accumulation")``).

    Examples
    --------
    >>> t = accumulation_table()
    >>> t["b_customers"].tolist(), t["ratio"].round(2).tolist()[-2:]
    ([100, 101, 102, 110, 125, 150], [1.67, 3.0])
    """
    n0 = check_number(initial, "initial", low=0.0, low_inclusive=False)
    p = check_number(profit_per_customer, "profit_per_customer")
    k = as_float_array(lost, "lost").ravel()
    if k.size == 0:
        raise ParameterError("lost is empty: give the numbers of customers A loses")
    if (k < 0).any() or (k >= n0).any():
        bad = k[(k < 0) | (k >= n0)][0]
        raise ParameterError(f"lost must lie in [0, initial) = [0, {n0:g}); got {bad:g}")
    a = n0 - k
    b = n0 + k

    def num(x: np.ndarray) -> np.ndarray:  # whole numbers as int64, when int64 holds them exactly
        return x.astype("int64") if np.all((x == np.round(x)) & (np.abs(x) < 2**53)) else x

    return pd.DataFrame(
        {
            "lost": num(k),
            "a_customers": num(a),
            "a_share_pct": 100 * a / (a + b),
            "b_customers": num(b),
            "b_share_pct": 100 * b / (a + b),
            "difference": num(b - a),
            "ratio": b / a,
            "a_profit": num(a * p),
            "b_profit": num(b * p),
            "profit_difference": num((b - a) * p),
        }
    )
