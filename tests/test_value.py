"""Tests for crmlab.value (chapter 2, customer delivered value)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from crmlab import value  # noqa: E402
from crmlab.datasets import load_seed_table  # noqa: E402
from crmlab.errors import CrmlabError, CrmlabWarning, DataError, ParameterError  # noqa: E402

V = {"product": 60, "service": 20, "personnel": 10, "image": 10}  # TCV = 100
C = {"monetary": 40, "time": 5, "energy": 3, "physical": 2}  # TCC = 50


def offers() -> pd.DataFrame:
    # hand-computed: A TCV 14, TCC 10 -> 4, 1.4; B TCV 8, TCC 4 -> 4, 2.0; C 20, 16 -> 4, 1.25
    return pd.DataFrame(
        {
            "product": [10, 6, 12], "service": [2, 1, 4], "personnel": [1, 0, 2],
            "image": [1, 1, 2], "monetary": [8, 3, 10], "time": [1, 1, 4],
            "energy": [0, 0, 1], "physical": [1, 0, 1],
        },
        index=pd.Index(["A", "B", "C"], name="offer"),
    )


# --------------------------------------------------------------------------- core results
def test_single_offer_hand_computed():
    assert value.delivered_value(V, C) == 50.0
    assert value.delivered_value(V, C, form="relative") == 2.0
    assert value.delivered_value(pd.Series({**V, **C})) == 50.0


def test_dataframe_in_series_out_keeps_index():
    out = value.delivered_value(offers())
    assert isinstance(out, pd.Series)
    assert out.name == "tcdv_absolute"
    assert out.index.tolist() == ["A", "B", "C"]
    assert out.tolist() == [4.0, 4.0, 4.0]
    rel = value.delivered_value(offers(), form="relative")
    assert rel.name == "tcdv_relative"
    np.testing.assert_allclose(rel, [1.4, 2.0, 1.25])


def test_absolute_and_relative_can_rank_differently():
    df = offers()
    df.loc["C", "product"] = 14  # C: TCV 22, TCC 16 -> 6 absolute, 1.375 relative
    ab = value.delivered_value(df)
    rel = value.delivered_value(df, form="relative")
    assert ab.idxmax() == "C"
    assert rel.idxmax() == "B"


def test_separate_value_and_cost_frames_match_wide_frame():
    df = offers()
    vals = df[list(value.VALUE_COMPONENTS)]
    costs = df[list(value.COST_COMPONENTS)]
    pd.testing.assert_series_equal(value.delivered_value(vals, costs), value.delivered_value(df))


def test_costs_rows_matched_by_label_not_position():
    df = offers()
    vals = df[list(value.VALUE_COMPONENTS)]
    costs = df[list(value.COST_COMPONENTS)].iloc[::-1]
    out = value.delivered_value(vals, costs, form="relative")
    np.testing.assert_allclose(out, [1.4, 2.0, 1.25])
    assert out.index.tolist() == ["A", "B", "C"]


def test_single_cost_offer_broadcasts_over_customers():
    vals = pd.DataFrame([V, {**V, "product": 80}], index=["c1", "c2"])
    out = value.delivered_value(vals, C)
    assert out.tolist() == [50.0, 70.0]


def test_multiindex_customer_by_offer():
    df = pd.concat({"ann": offers(), "bob": offers() * 2}, names=["customer"])
    out = value.delivered_value(df)
    assert out.loc[("bob", "A")] == 8.0
    assert out.index.nlevels == 2


def test_table_columns_and_components():
    tab = value.delivered_value_table(offers(), components=True)
    assert list(tab.columns[-4:]) == ["tcv", "tcc", "absolute", "relative"]
    assert tab.loc["A", "tcv"] == 14.0 and tab.loc["A", "tcc"] == 10.0
    assert tab.loc["C", "time"] == 4.0


def test_column_aliases_case_suffix_and_chinese():
    df = pd.DataFrame({"Product Value": [60], "service_value": [20], "人员价值": [10],
                       "Brand": [10], "price": [40], "Time Cost": [5], "精神成本": [3],
                       "体力成本": [2]})
    assert value.delivered_value(df).tolist() == [50.0]


# --------------------------------------------------------------------------- weights
def test_weights_dict_multiplies_named_components_only():
    assert value.delivered_value(V, C, weights={"time": 3}) == 40.0  # 100 - (40+15+3+2)
    assert value.delivered_value(V, C, weights={"product": 0.5}) == 20.0  # 70 - 50


def test_uniform_weight_scales_absolute_and_leaves_relative():
    w = {k: 2.0 for k in value.COMPONENTS}
    assert value.delivered_value(V, C, weights=w) == 100.0
    assert value.delivered_value(V, C, form="relative", weights=w) == 2.0


def test_per_row_weights_dataframe():
    vals = pd.DataFrame([V, V], index=["business", "leisure"])
    w = pd.DataFrame({"time": [4.0, 1.0], "monetary": [1.0, 1.5]}, index=["leisure", "business"])
    out = value.delivered_value(vals, C, weights=w)
    # business: time weight 1, money 1.5 -> 100 - (60+5+3+2) = 30; leisure: 100 - (40+20+5) = 35
    assert out.to_dict() == {"business": 30.0, "leisure": 35.0}


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ({"time": -1}, r"weights\['time'\] must be >= 0"),
        ({"speed": 1}, "'speed' is not a component"),
        ({"time": "high"}, r"weights\['time'\] must be a number"),
        ([1, 2], "weights must be None"),
        (pd.DataFrame({"tyme": [1.0]}), "column 'tyme' is not a component"),
        # two keys of one component: refused like two columns, never "last one wins"
        ({"time": 2, "time_cost": 3}, "keys 'time' and 'time_cost' both name 'time'"),
        (pd.DataFrame({"time": [1.0], "Time": [2.0]}), "columns 'time' and 'Time' both name 'time'"),
    ],
)
def test_bad_weights_raise_parameter_error(weights, match):
    with pytest.raises(ParameterError, match=match):
        value.delivered_value(V, C, weights=weights)


def test_weights_frame_with_other_rows_raises():
    with pytest.raises(DataError, match="describe different rows"):
        value.delivered_value(offers(), weights=pd.DataFrame({"time": [1.0]}, index=["Z"]))


# --------------------------------------------------------------------------- invalid input
def test_negative_cost_names_column_row_value():
    df = offers()
    df.loc["B", "time"] = -5
    with pytest.raises(DataError, match=r"column 'time', row 1 \(index 'B'\): -5.0 is out of range"):
        value.delivered_value(df)


def test_negative_cost_in_single_offer_names_component():
    with pytest.raises(DataError, match=r"costs: component 'time': -1.0 is out of range"):
        value.delivered_value(V, {**C, "time": -1})


def test_zero_total_cost_relative_raises_absolute_ok():
    df = offers()
    df.loc["C", list(value.COST_COMPONENTS)] = 0
    assert value.delivered_value(df).loc["C"] == 20.0
    with pytest.raises(DataError, match=r"total customer cost is 0 at row 2 \(index 'C'\)"):
        value.delivered_value(df, form="relative")
    with pytest.raises(DataError, match="total customer cost is 0"):
        value.delivered_value(V, C, form="relative", weights=dict.fromkeys(value.COST_COMPONENTS, 0))


def test_missing_component_names_it_and_suggests():
    df = offers().drop(columns="image").rename(columns={"physical": "phisical"})
    with pytest.raises(DataError, match=r"values is missing component column\(s\) 'image'"):
        value.delivered_value(df)
    with pytest.raises(DataError, match=r"'physical' \(did you mean 'phisical'\?\)"):
        value.delivered_value(offers().rename(columns={"physical": "phisical"}))


def test_nan_names_column_and_row():
    df = offers()
    df.loc["A", "service"] = np.nan
    with pytest.raises(DataError, match=r"column 'service', row 0 \(index 'A'\): value is missing"):
        value.delivered_value(df)


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ([1, 2, 3], "values must be a pandas DataFrame.*got list"),
        ("product", "values must be a pandas DataFrame.*got str"),
        (None, "got NoneType"),
        (pd.DataFrame(), "values is empty"),
    ],
)
def test_wrong_types_raise(bad, match):
    with pytest.raises(DataError, match=match):
        value.delivered_value(bad, C)


def test_text_bool_and_infinite_cells():
    df = offers().astype(object)
    df.loc["B", "product"] = "lots"
    with pytest.raises(DataError, match=r"column 'product', row 1 \(index 'B'\): 'lots' is not a number"):
        value.delivered_value(df)
    df = offers()
    df["image"] = [True, False, True]
    with pytest.raises(DataError, match="column 'image' holds booleans"):
        value.delivered_value(df)
    df = offers().astype(float)
    df.loc["C", "monetary"] = np.inf
    with pytest.raises(DataError, match="column 'monetary', row 2 .*infinite"):
        value.delivered_value(df)


def test_duplicate_component_columns_raise():
    df = offers().assign(price=1.0)
    with pytest.raises(DataError, match=r"columns \['monetary', 'price'\] all name the 'monetary'"):
        value.delivered_value(df)


def test_mismatched_rows_raise():
    vals = offers()[list(value.VALUE_COMPONENTS)]
    costs = offers()[list(value.COST_COMPONENTS)].rename(index={"C": "D"})
    with pytest.raises(DataError, match=r"in values only \['C'\]; in costs only \['D'\]"):
        value.delivered_value(vals, costs)


def test_bad_form_raises_parameter_error():
    with pytest.raises(ParameterError, match="form must be one of"):
        value.delivered_value(V, C, form="ratio")


def test_ignored_numeric_column_warns():
    with pytest.warns(CrmlabWarning, match=r"\['delivery_fee'\] are not components"):
        value.delivered_value(offers().assign(delivery_fee=1.0))


def test_all_errors_are_crmlab_errors():
    with pytest.raises(CrmlabError):
        value.delivered_value({"product": 1}, C)


# --------------------------------------------------------------------------- levers
def test_marginal_effects_match_finite_differences():
    m = value.marginal_effects(V, C, form="relative")
    assert m.loc[0, "product"] == pytest.approx(1 / 50)
    assert m.loc[0, "monetary"] == pytest.approx(-100 / 50**2)
    h = 1e-6
    num = (value.delivered_value(V, {**C, "time": 5 + h}, form="relative") - 2.0) / h
    assert m.loc[0, "time"] == pytest.approx(num, rel=1e-4)
    ma = value.marginal_effects(V, C, weights={"time": 2})
    assert ma.loc[0, "time"] == -2.0 and ma.loc[0, "image"] == 1.0


def test_required_change_hand_computed_and_infeasible():
    r = value.required_change(V, C, target=60)  # gap 10
    assert r.loc[0, "product"] == 10.0 and r.loc[0, "monetary"] == -10.0
    assert np.isnan(r.loc[0, "time"])  # time cost is only 5
    rr = value.required_change(V, C, target=2.5, form="relative")
    assert rr.loc[0, "service"] == 25.0  # TCV must reach 125
    assert rr.loc[0, "monetary"] == -10.0  # TCC must fall to 40


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.5, 100), min_size=8, max_size=8),
    st.floats(0.5, 3.0),
    st.sampled_from(value.COMPONENTS),
)
def test_required_change_reaches_target(levels, target, comp):
    row = dict(zip(value.COMPONENTS, levels))
    r = value.required_change(row, target=target, form="relative")
    delta = r.loc[0, comp]
    if np.isnan(delta):  # only when the component would have to go below zero
        current = value.delivered_value(row, form="relative")
        if comp in value.COST_COMPONENTS:
            assert target > current
        else:
            assert target < current
        return
    row[comp] += delta
    assert value.delivered_value(row, form="relative") == pytest.approx(target, rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1e4), min_size=8, max_size=8), st.floats(0.01, 100))
def test_absolute_is_tcv_minus_tcc_and_scale_free_ratio(levels, k):
    row = dict(zip(value.COMPONENTS, levels))
    tcv, tcc = sum(levels[:4]), sum(levels[4:])
    assert value.delivered_value(row) == pytest.approx(tcv - tcc, abs=1e-6)
    if tcc > 1e-6:
        w = dict.fromkeys(value.COMPONENTS, k)
        assert value.delivered_value(row, form="relative", weights=w) == pytest.approx(tcv / tcc)


def test_sensitivity_relative_step():
    s = value.sensitivity(V, C, change=0.1)
    assert s.attrs["base"] == 50.0
    assert s.index[0] == "product" and s.loc["product", "swing"] == pytest.approx(12.0)
    assert s.loc["monetary", "tcdv_low"] == pytest.approx(54.0)  # cost lowered -> TCDV up
    assert s.loc["time", "side"] == "cost"
    assert list(s["swing"]) == sorted(s["swing"], reverse=True)


def test_sensitivity_absolute_step_equal_swings_and_clip():
    s = value.sensitivity(V, C, change=3, step="absolute")
    # a unit of any component moves the absolute form by one unit (weights 1)
    assert np.allclose(s["swing"].drop("physical"), 6.0)
    assert s.loc["physical", "low_level"] == 0.0  # 2 - 3 clipped at 0
    assert s.loc["physical", "swing"] == pytest.approx(5.0)
    assert s.loc["product", "swing"] == pytest.approx(6.0)


def test_sensitivity_offer_choice_and_errors():
    s = value.sensitivity(offers(), offer="B", form="relative")
    assert s.attrs["base"] == pytest.approx(2.0)
    with pytest.raises(ParameterError, match="pass offer="):
        value.sensitivity(offers())
    with pytest.raises(ParameterError, match="offer='Z' is not a row label"):
        value.sensitivity(offers(), offer="Z")
    with pytest.raises(ParameterError, match="change must be < 1"):
        value.sensitivity(V, C, change=1.0)


def test_plot_tornado_returns_axes():
    ax = value.plot_tornado(value.sensitivity(V, C))
    assert len(ax.get_yticklabels()) == 8
    assert "TCDV" in ax.get_xlabel()
    plt.close(ax.figure)
    with pytest.raises(DataError, match="expects the DataFrame returned"):
        value.plot_tornado(pd.DataFrame({"x": [1]}))


# --------------------------------------------------------------------------- bridge model
def test_logit_choice_hand_computed_and_grouped():
    p = value.logit_choice(pd.Series([0.0, math.log(3)], index=["a", "b"]))
    np.testing.assert_allclose(p, [0.25, 0.75])
    idx = pd.MultiIndex.from_product([["ann", "bob"], ["x", "y"]], names=["customer", "offer"])
    p = value.logit_choice(pd.Series([0.0, 0.0, 1000.0, 0.0], index=idx), level="customer")
    np.testing.assert_allclose(p, [0.5, 0.5, 1.0, 0.0])
    with pytest.raises(ParameterError, match="level='shop' is not an index level"):
        value.logit_choice(pd.Series([1.0, 2.0], index=idx[:2]), level="shop")
    with pytest.raises(DataError, match="value is missing"):
        value.logit_choice(pd.Series([1.0, np.nan]))


def test_retention_from_value():
    assert value.retention_from_value(5.0, 5.0) == 0.5
    assert value.retention_from_value(math.log(3), 0.0) == pytest.approx(0.75)
    np.testing.assert_allclose(value.retention_from_value([0, 1e6], 0.0, scale=1), [0.5, 1.0])
    # the two-option case of logit_choice, element by element, in the arguments' broadcast shape
    firm, rival = np.array([[1.0, -2.0, 30.0]]), np.array([[0.0], [0.5]])
    r = value.retention_from_value(firm, rival, scale=0.7)
    assert r.shape == (2, 3)
    for i, j in np.ndindex(r.shape):
        p = value.logit_choice(pd.Series([firm[0, j], rival[i, 0]], index=["firm", "rival"]), scale=0.7)
        assert r[i, j] == p["firm"]
    np.testing.assert_allclose(r, 1 / (1 + np.exp(-0.7 * (firm - rival))), rtol=1e-14)
    assert value.retention_from_value([], 0.0).shape == (0,)
    with pytest.raises(ParameterError, match=r"tcdv_firm \(3,\), tcdv_rival \(2,\)"):
        value.retention_from_value([1.0, 2.0, 3.0], [0.0, 1.0])


def test_bridge_clv_hand_computed():
    inf = value.bridge_clv(1.0, 1.0, margin=100.0, discount=0.1)
    assert inf.loc[0, "clv"] == pytest.approx(100 * 1.1 / 0.6)
    assert inf.loc[0, "expected_purchases"] == pytest.approx(2.0)
    h2 = value.bridge_clv(1.0, 1.0, margin=100.0, discount=0.1, horizon=2)
    assert h2.loc[0, "clv"] == pytest.approx(100 * (1 + 0.5 / 1.1))
    assert h2.loc[0, "expected_purchases"] == pytest.approx(1.5)
    vec = value.bridge_clv(np.array([0.0, 2.0]), 0.0, margin=[10.0, 8.0], discount=0.0, horizon=3)
    assert vec.shape == (2, 3) and vec.loc[0, "clv"] == pytest.approx(10 * 1.75)


def test_bridge_clv_prospect_and_edge_cases():
    pro = value.bridge_clv(1.0, 1.0, margin=100.0, discount=0.1, horizon=2, acquired=False)
    assert pro.loc[0, "clv"] == pytest.approx(0.5 * 100 * (1 + 0.5 / 1.1))
    assert pro.loc[0, "expected_purchases"] == pytest.approx(0.75)
    sure = value.bridge_clv(1e6, 0.0, margin=10.0, discount=0.0, horizon=4)
    assert sure.loc[0, "clv"] == pytest.approx(40.0)
    with pytest.raises(ParameterError, match="diverges"):  # never leaves, infinite horizon: refused
        value.bridge_clv(1e6, 0.0, margin=10.0, discount=0.0)
    with pytest.raises(ParameterError, match="discount must be a rate per period >= 0"):
        value.bridge_clv(1.0, 0.0, margin=1.0, discount=-0.1)
    with pytest.raises(ParameterError, match="did you type a percentage"):
        value.bridge_clv(1.0, 0.0, margin=1.0, discount=10)
    with pytest.raises(ParameterError, match=r"margin\[1\] = nan is missing"):
        value.bridge_clv([1.0, 2.0], 0.0, margin=[1.0, np.nan])


def test_simulation_agrees_with_formula():
    sim = value.simulate_bridge(40_000, 1.0, 0.0, margin=10.0, scale=1.5, discount=0.1,
                                horizon=10, seed=3)
    exact = value.bridge_clv(1.0, 0.0, margin=10.0, scale=1.5, discount=0.1, horizon=10)
    assert sim["clv"].mean() == pytest.approx(exact.loc[0, "clv"], rel=0.01)
    assert sim["purchases"].min() == 1
    sim = value.simulate_bridge(40_000, 0.0, 1.0, margin=10.0, discount=0.1, horizon=10,
                                acquired=False, seed=4)
    exact = value.bridge_clv(0.0, 1.0, margin=10.0, discount=0.1, horizon=10, acquired=False)
    assert sim["clv"].mean() == pytest.approx(exact.loc[0, "clv"], rel=0.03)
    assert sim["purchases"].min() == 0


def test_lecture_tables_agree_with_the_model():
    # the tables are data (datasets/seed_value_*.csv); the component names must be the model's
    assert load_seed_table("value_components")["component"].tolist() == list(value.COMPONENTS)
    assert load_seed_table("value_components")["side"].value_counts().to_dict() == {"value": 4, "cost": 4}


def test_retention_from_value_does_not_pair_series_by_position():
    firm = pd.Series([10.0, 9.0], index=["b", "a"])
    rival = pd.Series([9.0, 10.0], index=["a", "b"])
    with pytest.raises(ParameterError, match="tcdv_firm and tcdv_rival are Series with different indexes"):
        value.retention_from_value(firm, rival)
    with pytest.raises(ParameterError, match="different indexes"):
        value.bridge_clv(firm, rival, margin=5.0)
    assert value.retention_from_value(firm, rival.reindex(firm.index)).tolist() == [0.5, 0.5]


def test_logit_choice_names_an_integer_level_the_index_lacks():
    with pytest.raises(ParameterError, match="level=3 is not an index level"):  # raw pandas ValueError
        value.logit_choice(pd.Series([10.0, 1.0]), level=3)
