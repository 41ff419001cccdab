"""Customer delivered value (客户让渡价值), chapter 2.

The delivered-value model (Kotler; seed 000 slides 44-48, seed 002) splits what a
customer gets from an offer into four **values** (:data:`VALUE_COMPONENTS`) and
what they give up into four **costs** (:data:`COST_COMPONENTS`); the table with
their Chinese names is ``crmlab.datasets.load_seed_table("value_components")``.

.. math::

    TCV = \\sum_k w_k v_k, \\qquad TCC = \\sum_j w_j c_j, \\qquad
    TCDV = TCV - TCC \\ (\\text{absolute}) \\quad\\text{or}\\quad TCV / TCC \\ (\\text{relative}).

The seeds leave the aggregator unspecified; crmlab uses the weighted sum above
with every weight 1 unless you pass ``weights``. All eight components are in one
common unit and >= 0 (a disbenefit is a cost, not a negative value). Lesson 02
explains the sensitivity tools and the bridge model to chapter 3; its other
lecture tables are ``value_properties``, ``value_drivers`` and ``value_directions``.

Examples
--------
>>> import pandas as pd
>>> offers = pd.DataFrame(
...     {"product": [10, 6], "service": [2, 1], "personnel": [1, 0], "image": [1, 1],
...      "monetary": [8, 3], "time": [1, 1], "energy": [0, 0], "physical": [1, 0]},
...     index=["premium", "budget"])
>>> delivered_value(offers).tolist()
[4.0, 4.0]
>>> delivered_value(offers, form="relative").round(3).tolist()
[1.4, 2.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from crmlab.errors import DataError, ParameterError, warn
from crmlab.finance import _series_index, discount_factor, retention_clv
from crmlab.validation import (
    as_float_array,
    check_broadcast,
    check_choice,
    check_discount,
    check_number,
    check_numeric_column,
    describe_row,
    require_columns,
)

__all__ = [
    "VALUE_COMPONENTS",
    "COST_COMPONENTS",
    "COMPONENTS",
    "FORMS",
    "delivered_value",
    "delivered_value_table",
    "marginal_effects",
    "required_change",
    "sensitivity",
    "plot_tornado",
    "logit_choice",
    "retention_from_value",
    "bridge_clv",
    "simulate_bridge",
]

#: The four value components of total customer value (TCV).
VALUE_COMPONENTS: tuple[str, ...] = ("product", "service", "personnel", "image")
#: The four cost components of total customer cost (TCC).
COST_COMPONENTS: tuple[str, ...] = ("monetary", "time", "energy", "physical")
COMPONENTS: tuple[str, ...] = VALUE_COMPONENTS + COST_COMPONENTS
FORMS: tuple[str, ...] = ("absolute", "relative")

# Accepted spellings of each component (after lower-casing, spaces/hyphens -> "_",
# and dropping a trailing "_value" / "_cost").
_ALIASES: dict[str, str] = {
    "product": "product", "产品价值": "product", "产品": "product",
    "service": "service", "服务价值": "service", "服务": "service",
    "personnel": "personnel", "staff": "personnel", "people": "personnel",
    "人员价值": "personnel", "人员": "personnel",
    "image": "image", "brand": "image", "形象价值": "image", "形象": "image",
    "monetary": "monetary", "money": "monetary", "price": "monetary",
    "货币成本": "monetary", "货币价格": "monetary", "货币": "monetary",
    "time": "time", "时间成本": "time", "时间": "time",
    "energy": "energy", "mental": "energy", "psychic": "energy",
    "精力成本": "energy", "精神成本": "energy", "精力": "energy",
    "physical": "physical", "体力成本": "physical", "体力": "physical",
}


def _normalise(name: Any) -> str:
    key = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    for suffix in ("_value", "_cost"):
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
    return key


def _component_of(name: Any) -> str | None:
    return _ALIASES.get(_normalise(name))


# --------------------------------------------------------------------------- input handling
def _as_frame(obj: Any, what: str) -> tuple[pd.DataFrame, bool]:
    """DataFrame -> (itself, False); one offer (Series / dict of numbers) -> (1-row, True)."""
    if isinstance(obj, pd.DataFrame):
        if len(obj) == 0:
            raise DataError(f"{what} is empty: at least one row (offer or customer) is needed")
        return obj, False
    if isinstance(obj, pd.Series):
        return obj.to_frame().T.reset_index(drop=True), True
    if isinstance(obj, Mapping):
        if all(np.ndim(v) == 0 for v in obj.values()):
            return pd.DataFrame([dict(obj)]), True
        try:
            frame = pd.DataFrame(dict(obj))
        except (TypeError, ValueError) as exc:
            raise DataError(f"{what} could not be read as a table: {exc}") from None
        return _as_frame(frame, what)
    raise DataError(
        f"{what} must be a pandas DataFrame (one row per offer or customer), a Series or a "
        f"dict of component -> number; got {type(obj).__name__}"
    )


def _components(
    df: pd.DataFrame, components: tuple[str, ...], what: str, single: bool
) -> pd.DataFrame:
    """The ``components`` of ``df`` as numbers >= 0, one column each; raise if missing, ambiguous or bad."""
    found: dict[str, list[Any]] = {}
    for col in df.columns:
        comp = _component_of(col)
        if comp in components:
            found.setdefault(comp, []).append(col)
    for comp, cols in found.items():
        if len(cols) > 1:
            raise DataError(
                f"{what}: columns {[str(c) for c in cols]} all name the {comp!r} component; "
                "keep exactly one"
            )
    missing = [c for c in components if c not in found]
    if missing:
        try:
            require_columns(df, missing, what=what)  # the one home of the "did you mean" hint
        except DataError as exc:
            raise DataError(
                str(exc).replace("missing column(s)", "missing component column(s)", 1)
                + f". The model needs {list(components)}; if a component truly does not apply, "
                "add it as a column of zeros"
            ) from None
    out = {}
    for comp, (col,) in found.items():
        try:
            out[comp] = check_numeric_column(df, col, what=what, min_value=0.0)
        except DataError as exc:
            msg = str(exc)
            if single:
                msg = msg.replace(f"column {col!r}, row 0:", f"component {col!r}:")
            if "out of range" in msg:
                msg += " (components are amounts of value or cost and cannot be negative)"
            raise DataError(msg) from None
    return pd.DataFrame(out, index=df.index)


def _align(
    left: pd.DataFrame, right: pd.DataFrame, lname: str, rname: str
) -> pd.DataFrame:
    """Return ``right`` reindexed to ``left``'s rows, or raise naming the mismatch."""
    if left.index.equals(right.index):
        return right
    if left.index.has_duplicates or right.index.has_duplicates:
        raise DataError(
            f"{lname} and {rname} have different row labels and at least one has duplicated "
            "labels, so rows cannot be matched; give both the same unique index"
        )
    only_left = left.index.difference(right.index)
    only_right = right.index.difference(left.index)
    if len(only_left) or len(only_right):
        raise DataError(
            f"{lname} and {rname} describe different rows: in {lname} only "
            f"{list(only_left[:5])}{' ...' if len(only_left) > 5 else ''}; in {rname} only "
            f"{list(only_right[:5])}{' ...' if len(only_right) > 5 else ''}"
        )
    return right.loc[left.index]


def _weights(weights: Any, index: pd.Index) -> pd.DataFrame:
    """Weights for all eight components, one row per offer (default 1)."""
    w = pd.DataFrame(1.0, index=index, columns=list(COMPONENTS))
    if weights is None:
        return w
    per_row = isinstance(weights, pd.DataFrame)
    if not per_row and not isinstance(weights, (Mapping, pd.Series)):
        raise ParameterError(
            "weights must be None, a dict/Series of component -> weight, or a DataFrame of "
            f"per-row weights; got {type(weights).__name__}"
        )
    if per_row and len(weights) == 0:
        raise ParameterError("weights is an empty DataFrame")
    given = weights if per_row else dict(weights)
    named: dict[str, Any] = {}  # component -> the column or key naming it
    for key in (weights.columns if per_row else given):
        comp = _component_of(key)
        shown = f"column {str(key)!r}" if per_row else repr(key)
        if comp is None:
            raise ParameterError(
                f"weights: {shown} is not a component; expected some of {list(COMPONENTS)}"
            )
        if comp in named:
            raise ParameterError(
                f"weights: {'columns' if per_row else 'keys'} {str(named[comp])!r} and {str(key)!r} "
                f"both name {comp!r}"
            )
        named[comp] = key
    if per_row:
        given = _align(w, weights, "values", "weights")
    for comp, key in named.items():
        w[comp] = (check_numeric_column(given, key, what="weights", min_value=0.0).to_numpy() if per_row
                   else check_number(given[key], f"weights[{key!r}]", low=0.0))
    return w


def _prepare(values: Any, costs: Any, weights: Any) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """The 8 weighted components, their weights (one row per offer) and 'was a single offer'."""
    vdf, vsingle = _as_frame(values, "values")
    cdf, csingle = (vdf, vsingle) if costs is None else _as_frame(costs, "costs")
    frames = {"values": vdf} if costs is None else {"values": vdf, "costs": cdf}
    v = _components(vdf, VALUE_COMPONENTS, "values", vsingle)
    c = _components(cdf, COST_COMPONENTS, "values" if costs is None else "costs", csingle)
    for name, frame in frames.items():
        ignored = [
            str(col)
            for col in frame.columns
            if _component_of(col) is None
            and not _normalise(col).endswith("id")
            and pd.api.types.is_numeric_dtype(frame[col])
            and not pd.api.types.is_bool_dtype(frame[col])
        ]
        if ignored:
            warn(f"{name}: numeric column(s) {ignored} are not components of the "
                "delivered-value model and were ignored")
    if costs is not None:
        if csingle and not vsingle:
            c = pd.DataFrame(np.repeat(c.to_numpy(), len(v), axis=0), index=v.index,
                             columns=c.columns)
        elif vsingle and not csingle:
            v = pd.DataFrame(np.repeat(v.to_numpy(), len(c), axis=0), index=c.index,
                             columns=v.columns)
        else:
            c = _align(v, c, "values", "costs")
    frame = pd.concat([v, c.set_axis(v.index)], axis=1)
    w = _weights(weights, frame.index)
    return frame * w, w, vsingle and (costs is None or csingle)


def _totals(weighted: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    tcv = weighted[list(VALUE_COMPONENTS)].sum(axis=1).rename("tcv")
    tcc = weighted[list(COST_COMPONENTS)].sum(axis=1).rename("tcc")
    return tcv, tcc


def _relative(tcv: pd.Series, tcc: pd.Series) -> pd.Series:
    zero = (tcc <= 0).to_numpy()
    if zero.any():
        pos = int(np.argmax(zero))
        raise DataError(
            f"relative form: total customer cost is 0 at {describe_row(tcc, pos)}, so "
            "TCV / TCC is undefined; use form='absolute' or check the cost columns (and "
            "cost weights)"
        )
    return tcv / tcc


# --------------------------------------------------------------------------- core
def delivered_value_table(
    values: Any,
    costs: Any = None,
    *,
    weights: Any = None,
    components: bool = False,
) -> pd.DataFrame:
    """TCV, TCC and both forms of delivered value, one row per offer or customer.

    Parameters
    ----------
    values, costs, weights
        As in :func:`delivered_value`.
    components : bool
        Also return the eight weighted components (``w_k * x_k``), e.g. for a
        stacked bar chart.

    Returns
    -------
    DataFrame
        Columns ``tcv``, ``tcc``, ``absolute`` (TCV − TCC), ``relative``
        (TCV / TCC), preceded by the components when ``components=True``.

    Raises
    ------
    DataError
        As :func:`delivered_value`; a zero total cost raises because the
        relative column is undefined (use ``delivered_value(form="absolute")``).

    Examples
    --------
    >>> delivered_value_table({"product": 6, "service": 2, "personnel": 1, "image": 1,
    ...                        "monetary": 3, "time": 1, "energy": 1, "physical": 0})
       tcv  tcc  absolute  relative
    0  10.0  5.0       5.0       2.0
    """
    weighted, _, _ = _prepare(values, costs, weights)
    tcv, tcc = _totals(weighted)
    out = pd.DataFrame({"tcv": tcv, "tcc": tcc, "absolute": tcv - tcc,
                        "relative": _relative(tcv, tcc)})
    if components:
        out = pd.concat([weighted, out], axis=1)
    return out


def delivered_value(
    values: Any,
    costs: Any = None,
    form: str = "absolute",
    weights: Any = None,
) -> pd.Series | float:
    """Customer delivered value TCDV of each offer (or each customer's view of it).

    Parameters
    ----------
    values : DataFrame, Series or dict
        Value components ``product``, ``service``, ``personnel``, ``image`` as
        columns (one row per offer or customer; any index, e.g. a MultiIndex
        customer x offer). A Series or a dict of numbers is one offer. Column
        names are matched case-insensitively and may carry a ``_value`` /
        ``_cost`` suffix or the Chinese name (``产品价值`` ...); ``price`` means
        ``monetary``, ``mental`` means ``energy``.
    costs : DataFrame, Series, dict or None
        Cost components ``monetary``, ``time``, ``energy``, ``physical``, with
        the same row labels as ``values`` (rows are matched by label); a single
        offer is broadcast to every row. ``None``: take the cost columns from
        ``values`` (one wide table of all eight components).
    form : {"absolute", "relative"}
        ``absolute``: TCDV = TCV − TCC, in the components' unit (a surplus).
        ``relative``: TCDV = TCV / TCC, unit-free (value per unit of cost).
    weights : dict, Series, DataFrame or None
        Multipliers of the components before summing:
        TCV = Σ w_k·v_k and TCC = Σ w_j·c_j. Components not named keep weight
        1, so ``None`` is the plain sum. A dict/Series applies to every row; a
        DataFrame gives per-row weights (e.g. a business and a leisure
        traveller value time differently). Weights are >= 0 and are *not*
        normalised: use them to convert a component to the common unit or to
        express its importance. Scaling all eight by ``a`` scales the absolute
        form by ``a`` and leaves the relative form unchanged.

    Returns
    -------
    Series or float
        ``tcdv_absolute`` / ``tcdv_relative`` indexed like ``values``; a float
        when both ``values`` and ``costs`` describe a single offer.

    Raises
    ------
    DataError
        Not a table, empty, a component column missing or duplicated, a value
        that is not a number, NaN, infinite or negative (message names column,
        row and value), rows of ``values`` and ``costs`` that do not match, or
        a zero total cost in the relative form.
    ParameterError
        Unknown ``form``; a weight that is negative, not a number or names no
        component.

    Examples
    --------
    >>> v = {"product": 60, "service": 20, "personnel": 10, "image": 10}
    >>> c = {"monetary": 40, "time": 5, "energy": 3, "physical": 2}
    >>> delivered_value(v, c)
    50.0
    >>> delivered_value(v, c, form="relative")
    2.0
    >>> delivered_value(v, c, weights={"time": 3})   # time counts triple
    40.0
    """
    check_choice(form, "form", FORMS)
    weighted, _, single = _prepare(values, costs, weights)
    tcv, tcc = _totals(weighted)
    out = tcv - tcc if form == "absolute" else _relative(tcv, tcc)
    out = out.rename(f"tcdv_{form}")
    return float(out.iloc[0]) if single else out


# --------------------------------------------------------------------------- levers
def marginal_effects(
    values: Any, costs: Any = None, *, form: str = "absolute", weights: Any = None
) -> pd.DataFrame:
    """Change in TCDV per unit increase of each component (the partial derivatives).

    Absolute form: ``+w_k`` for a value, ``-w_j`` for a cost, the same for every
    offer. Relative form: ``w_k / TCC`` for a value and ``-w_j · TCV / TCC²``
    for a cost, so one unit of cost cut is worth ``TCV / TCC`` units of value
    added: when an offer already delivers more than it costs (ratio > 1),
    cutting a cost is the stronger lever.

    Examples
    --------
    >>> v = {"product": 60, "service": 20, "personnel": 10, "image": 10}
    >>> c = {"monetary": 40, "time": 5, "energy": 3, "physical": 2}
    >>> m = marginal_effects(v, c, form="relative")
    >>> float(m.loc[0, "product"]), float(m.loc[0, "monetary"])
    (0.02, -0.04)
    """
    check_choice(form, "form", FORMS)
    weighted, w, _ = _prepare(values, costs, weights)
    if form == "absolute":
        out = w.copy()
        out[list(COST_COMPONENTS)] *= -1
        return out
    tcv, tcc = _totals(weighted)
    _relative(tcv, tcc)
    vals, costs_ = list(VALUE_COMPONENTS), list(COST_COMPONENTS)
    return pd.concat([w[vals].div(tcc, axis=0),
                      (-w[costs_]).mul(tcv, axis=0).div(tcc**2, axis=0)], axis=1)


def required_change(
    values: Any,
    costs: Any = None,
    *,
    target: float,
    form: str = "absolute",
    weights: Any = None,
) -> pd.DataFrame:
    """Change in each single component that, alone, brings TCDV exactly to ``target``.

    Each cell answers "how much more product value (or how much less time
    cost) would this offer need?". Positive = raise the component, negative =
    cut it. A cell is NaN when that component alone cannot get there (it
    would have to fall below zero, or its weight is 0). A firm compares these
    amounts with what each unit of change costs it.

    Parameters
    ----------
    target : float
        Target TCDV in the chosen form (> 0 for the relative form).

    Examples
    --------
    >>> v = {"product": 60, "service": 20, "personnel": 10, "image": 10}
    >>> c = {"monetary": 40, "time": 5, "energy": 3, "physical": 2}
    >>> r = required_change(v, c, target=2.5, form="relative")
    >>> float(r.loc[0, "product"]), float(r.loc[0, "monetary"]), bool(r["time"].isna()[0])
    (25.0, -10.0, True)
    """
    check_choice(form, "form", FORMS)
    target = check_number(target, "target", low=0.0 if form == "relative" else None,
                          low_inclusive=form != "relative")
    weighted, w, _ = _prepare(values, costs, weights)
    level = weighted / w.where(w > 0)
    tcv, tcc = _totals(weighted)
    if form == "absolute":  # the weighted amount a value must rise / a cost must fall by
        value_gap = target - (tcv - tcc)
        cost_gap = -value_gap
    else:
        _relative(tcv, tcc)
        value_gap, cost_gap = target * tcc - tcv, tcv / target - tcc
    out = pd.concat([w[list(VALUE_COMPONENTS)].rdiv(value_gap, axis=0),
                     w[list(COST_COMPONENTS)].rdiv(cost_gap, axis=0)], axis=1).astype(float)
    out = out.replace([np.inf, -np.inf], np.nan)
    new_level = level + out
    tol = 1e-9 * np.maximum(1.0, level.abs())
    out = out.mask(new_level.abs() <= tol, -level)  # lands on 0 up to rounding: exactly 0
    out = out.where((new_level >= -tol) & (w > 0))
    return out + 0.0  # no "-0.0" cells


def sensitivity(
    values: Any,
    costs: Any = None,
    *,
    offer: Any = None,
    form: str = "absolute",
    weights: Any = None,
    change: float = 0.10,
    step: str = "relative",
) -> pd.DataFrame:
    """One-at-a-time sensitivity of one offer's TCDV to each component (tornado data).

    Each component is lowered and raised in turn, the others held at their
    level: by the fraction ``change`` of its level (``step="relative"``,
    e.g. ±10 %) or by ``change`` units (``step="absolute"``; a level cannot go
    below 0, so the low side is clipped there).

    Parameters
    ----------
    offer : row label, optional
        Which row of a multi-row ``values`` table to analyse.

    Returns
    -------
    DataFrame
        Indexed by component, sorted by ``swing`` (largest first), with columns
        ``side`` (value/cost), ``level``, ``low_level``, ``high_level``,
        ``tcdv_low``, ``tcdv_high`` (TCDV with the component at its low / high
        level), ``swing`` = |tcdv_high − tcdv_low|; ``attrs["base"]`` holds the
        offer's TCDV and ``attrs["form"]`` the form.

    Examples
    --------
    >>> v = {"product": 60, "service": 20, "personnel": 10, "image": 10}
    >>> c = {"monetary": 40, "time": 5, "energy": 3, "physical": 2}
    >>> s = sensitivity(v, c, change=0.1)
    >>> s.index[0], float(s.loc["product", "tcdv_high"]), s.attrs["base"]
    ('product', 56.0, 50.0)
    """
    check_choice(form, "form", FORMS)
    check_choice(step, "step", ("relative", "absolute"))
    if step == "relative":
        change = check_number(change, "change", low=0.0, high=1.0, low_inclusive=False,
                              high_inclusive=False)
    else:
        change = check_number(change, "change", low=0.0, low_inclusive=False)
    weighted, w, _ = _prepare(values, costs, weights)
    if offer is None:
        if len(weighted) != 1:
            raise ParameterError(
                f"values has {len(weighted)} rows; pass offer=<row label> to choose one of "
                f"{list(weighted.index[:5])}{' ...' if len(weighted) > 5 else ''}"
            )
        row = 0
    else:
        if offer not in weighted.index:
            raise ParameterError(
                f"offer={offer!r} is not a row label of values; labels are "
                f"{list(weighted.index[:5])}{' ...' if len(weighted) > 5 else ''}"
            )
        row = weighted.index.get_loc(offer)
        if not isinstance(row, (int, np.integer)):
            raise ParameterError(f"offer={offer!r} labels more than one row")
    wrow = w.iloc[row]
    level = (weighted.iloc[row] / wrow.where(wrow > 0)).fillna(0.0)[list(COMPONENTS)]
    if step == "relative":
        low, high = level * (1 - change), level * (1 + change)
    else:
        low, high = (level - change).clip(lower=0.0), level + change
    # the offer at its level, then each component alone at its low and at its high level
    one = np.eye(len(COMPONENTS), dtype=bool)
    levels = pd.DataFrame(np.vstack([level.to_numpy()[None],
                                     np.where(one, low.to_numpy(), level.to_numpy()),
                                     np.where(one, high.to_numpy(), level.to_numpy())]),
                          columns=list(COMPONENTS))
    tcv, tcc = _totals(levels * wrow)
    if form == "relative" and (tcc <= 0).any():
        raise DataError(
            "relative form: total customer cost reaches 0 when a cost is lowered; "
            "use a smaller change or form='absolute'"
        )
    tcdv = (tcv - tcc if form == "absolute" else tcv / tcc).to_numpy()
    base, t_lo, t_hi = tcdv[0], tcdv[1:9], tcdv[9:]
    out = pd.DataFrame({
        "component": list(COMPONENTS),
        "side": ["value" if c in VALUE_COMPONENTS else "cost" for c in COMPONENTS],
        "level": level.to_numpy(), "low_level": low.to_numpy(), "high_level": high.to_numpy(),
        "tcdv_low": t_lo, "tcdv_high": t_hi, "swing": np.abs(t_hi - t_lo),
    }).set_index("component")
    out = out.sort_values("swing", ascending=False, kind="stable")
    out.attrs["base"] = float(base)
    out.attrs["form"] = form
    return out


def plot_tornado(
    sens: pd.DataFrame,
    *,
    ax: Any = None,
    title: str | None = None,
    unit: str = "value units",
) -> Any:
    """Tornado chart of :func:`sensitivity` output; returns the matplotlib Axes.

    Each bar runs from the base TCDV to the TCDV with the component lowered
    (light) or raised (dark); the widest bar is on top.

    Examples
    --------
    >>> import matplotlib
    >>> ax = plot_tornado(sensitivity({"product": 6, "service": 2, "personnel": 1,
    ...     "image": 1, "monetary": 3, "time": 1, "energy": 1, "physical": 0}))
    >>> ax.get_xlabel()
    'TCDV, absolute form (value units)'
    """
    import matplotlib.pyplot as plt

    need = {"tcdv_low", "tcdv_high", "low_level", "high_level"}
    if not isinstance(sens, pd.DataFrame) or not need <= set(sens.columns) or "base" not in sens.attrs:
        raise DataError("plot_tornado expects the DataFrame returned by crmlab.value.sensitivity")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.45 * len(sens) + 1.2))
    base = float(sens.attrs["base"])
    form = sens.attrs.get("form", "absolute")
    data = sens.iloc[::-1]
    y = np.arange(len(data))
    lo = data["tcdv_low"].to_numpy() - base
    hi = data["tcdv_high"].to_numpy() - base
    ax.barh(y, lo, left=base, color="#9ecae1", label="component lowered")
    ax.barh(y, hi, left=base, color="#08519c", label="component raised")
    ax.axvline(base, color="black", lw=1)
    labels = [f"{c} ({s})" for c, s in zip(data.index, data.get("side", [""] * len(data)))]
    ax.set_yticks(y, labels)
    unit_txt = "ratio TCV/TCC, unit-free" if form == "relative" else unit
    ax.set_xlabel(f"TCDV, {form} form ({unit_txt})")
    ax.set_ylabel("component varied")
    ax.set_title(title or f"Sensitivity of delivered value (base = {base:.3g})")
    ax.legend(loc="lower right", fontsize="small")
    return ax


# --------------------------------------------------------------------------- bridge (a model)
def logit_choice(tcdv: Any, *, scale: float = 1.0, level: Any = None) -> pd.Series:
    """Choice probabilities from delivered value by a multinomial logit (a model).

    ``P_j = exp(scale · TCDV_j) / Σ_k exp(scale · TCDV_k)``, over all rows or
    within each group of the index ``level`` (e.g. per customer when the index
    is customer x offer). ``scale`` (>= 0) says how sharply customers follow
    delivered value: 0 = random choice, large = always the best offer.

    Examples
    --------
    >>> import pandas as pd
    >>> logit_choice(pd.Series([1.0, 1.0, 0.0], index=list("abc")), scale=0).round(3).tolist()
    [0.333, 0.333, 0.333]
    """
    scale = check_number(scale, "scale", low=0.0)
    if not isinstance(tcdv, pd.Series):
        raise DataError(f"tcdv must be a pandas Series (e.g. from delivered_value), got "
                        f"{type(tcdv).__name__}")
    if len(tcdv) == 0:
        raise DataError("tcdv is empty")
    vals = check_numeric_column(tcdv.to_frame("tcdv"), "tcdv", what="tcdv")
    u = scale * vals
    if level is None:
        e = np.exp(u - u.max())
        return (e / e.sum()).rename("probability")
    if level not in tcdv.index.names and not (isinstance(level, int) and -tcdv.index.nlevels <= level
                                               < tcdv.index.nlevels):
        raise ParameterError(f"level={level!r} is not an index level; levels are "
                             f"{list(tcdv.index.names)}")
    e = np.exp(u - u.groupby(level=level).transform("max"))
    return (e / e.groupby(level=level).transform("sum")).rename("probability")


def retention_from_value(
    tcdv_firm: Any, tcdv_rival: Any, *, scale: float = 1.0
) -> np.ndarray | float:
    """Probability a customer chooses the firm again over the best rival (binary logit).

    ``r = 1 / (1 + exp(-scale · (TCDV_firm − TCDV_rival)))``: equal delivered
    value gives r = 0.5. This is :func:`logit_choice` with two options, the
    firm and the rival, computed by it. Vectorised: the two arguments
    broadcast. A teaching model, not an estimate: calibrate ``scale`` on your
    own switching data before use.

    >>> retention_from_value(10.0, 10.0)
    0.5
    """
    scale = check_number(scale, "scale", low=0.0)
    _series_index({"tcdv_firm": tcdv_firm, "tcdv_rival": tcdv_rival})  # no pairing by position
    firm, rival = check_broadcast(["tcdv_firm", "tcdv_rival"], as_float_array(tcdv_firm, "tcdv_firm"),
                                  as_float_array(tcdv_rival, "tcdv_rival"))
    if firm.size == 0:  # no pair of offers: no probability
        return np.empty(firm.shape)
    options = pd.Series(
        np.column_stack([firm.ravel(), rival.ravel()]).ravel(),
        index=pd.MultiIndex.from_product([range(firm.size), ["firm", "rival"]], names=["pair", "option"]),
    )
    choice = logit_choice(options, scale=scale, level="pair")
    r = choice.xs("firm", level="option").to_numpy().reshape(firm.shape)
    return float(r) if r.ndim == 0 else r


def bridge_clv(
    tcdv_firm: Any,
    tcdv_rival: Any,
    *,
    margin: Any,
    scale: float = 1.0,
    discount: float = 0.1,
    horizon: int | None = None,
    acquired: bool = True,
) -> pd.DataFrame:
    """From delivered value to lifetime value in a lost-for-good retention model.

    A customer buys at t = 0, then each period stays with retention
    ``r = retention_from_value(tcdv_firm, tcdv_rival, scale)`` and once lost
    is lost for good. Each purchase earns ``margin``; discounting at rate ``d``:

    .. math:: CLV = m \\sum_{t=0}^{H-1} \\left(\\frac{r}{1+d}\\right)^t
              \\;\\xrightarrow{H\\to\\infty}\\; m\\,\\frac{1+d}{1+d-r}.

    This is :func:`crmlab.finance.retention_clv` with ``first_margin_at=0``; an
    infinite horizon with ``r = 1`` (a customer who never leaves: infinitely
    many expected purchases) is refused: give a horizon.

    With ``acquired=False`` the customer is a *prospect*: the first purchase
    is a choice too (made with probability ``r``), so CLV and the expected
    number of purchases are multiplied by ``r``. Use it when the price or the
    offer under study also decides whether the customer is won at all.
    Vectorised: arrays broadcast (lesson 02 discusses what the model shows).

    Returns
    -------
    DataFrame
        Columns ``retention``, ``expected_purchases``, ``clv``.

    Examples
    --------
    >>> bridge_clv(10.0, 10.0, margin=100.0, discount=0.1).round(2)
       retention  expected_purchases     clv
    0        0.5                 2.0  183.33
    """
    r = np.atleast_1d(retention_from_value(tcdv_firm, tcdv_rival, scale=scale))
    m = np.atleast_1d(as_float_array(margin, "margin"))
    d = check_discount(check_number(discount, "discount"))  # one rate
    if horizon is not None:
        horizon = check_number(horizon, "horizon", low=1, integer=True)
    # a purchase now and one in every later period the customer stays: the finance core's
    # retention CLV with this period's margin counted; the undiscounted unit margin counts purchases
    purchases = np.atleast_1d(retention_clv(np.ones_like(m), r, 0.0, horizon, first_margin_at=0))
    clv = np.atleast_1d(retention_clv(m, r, d, horizon, first_margin_at=0))
    r = np.broadcast_to(r, clv.shape)
    if not acquired:
        purchases, clv = r * purchases, r * clv
    return pd.DataFrame({"retention": r, "expected_purchases": purchases, "clv": clv})


def simulate_bridge(
    n_customers: int,
    tcdv_firm: float,
    tcdv_rival: float,
    *,
    margin: float,
    scale: float = 1.0,
    discount: float = 0.1,
    horizon: int = 20,
    acquired: bool = True,
    seed: int = 0,
) -> pd.DataFrame:
    """Simulate the :func:`bridge_clv` model customer by customer (a check on it).

    Every period after the first purchase each customer draws Gumbel noise for
    the firm and the rival and stays if ``scale·TCDV_firm + ε_firm`` beats the
    rival's; that is exactly the logit retention (with ``acquired=False`` the
    first purchase is such a draw too). Returns one row per customer:
    ``purchases`` (periods with the firm) and ``clv`` (discounted margin). Its
    mean converges to :func:`bridge_clv` with the same arguments.

    >>> sim = simulate_bridge(2000, 10.0, 10.0, margin=1.0, horizon=5, seed=1)
    >>> round(float(sim["purchases"].mean()), 1)
    1.9
    """
    n = check_number(n_customers, "n_customers", low=1, integer=True)
    horizon = check_number(horizon, "horizon", low=1, integer=True)
    scale = check_number(scale, "scale", low=0.0)
    d = check_discount(check_number(discount, "discount"))  # one rate
    m = check_number(margin, "margin")
    uf = scale * check_number(tcdv_firm, "tcdv_firm")
    ur = scale * check_number(tcdv_rival, "tcdv_rival")
    rng = np.random.default_rng(seed)
    stay = uf + rng.gumbel(size=(n, horizon)) > ur + rng.gumbel(size=(n, horizon))
    if acquired:
        stay[:, 0] = True
    alive = np.cumprod(stay, axis=1).astype(bool)
    disc = discount_factor(np.arange(horizon), d)
    return pd.DataFrame({
        "purchases": alive.sum(axis=1),
        "clv": m * (alive * disc).sum(axis=1),
    })

