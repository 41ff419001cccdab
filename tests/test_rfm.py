"""Tests for crmlab.rfm: the RFM table, tie-safe quantile scores, the airline rule table, SQL."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import rfm
from crmlab.datasets import load_cdnow, to_occasions
from crmlab.errors import CrmlabWarning, DataError, ParameterError
from crmlab.simulate import simulate_transactions


def _log(rows):
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"]).assign(
        date=lambda d: pd.to_datetime(d["date"])
    )


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow("master")


# --------------------------------------------------------------------------- rfm_table
def test_hand_computed_table():
    log = _log([
        (1, "2024-01-01", 10.0), (1, "2024-01-01", 5.0),  # same day: one occasion
        (1, "2024-01-20", 20.0),
        (2, "2024-01-10", 8.0),                            # one-time buyer
        (3, "2024-01-31", 1.0),
    ])
    t = rfm.rfm_table(log)
    assert t.attrs["rfm"]["as_of"] == pd.Timestamp("2024-01-31")
    assert t.attrs["rfm"]["as_of_default"] is True
    assert t.index.name == "customer_id"
    assert t.index.tolist() == [1, 2, 3]
    assert t["recency"].tolist() == [11, 21, 0]
    assert t["frequency"].tolist() == [2, 1, 1]
    assert t["monetary"].tolist() == [35.0, 8.0, 1.0]
    assert t["monetary_mean"].tolist() == [17.5, 8.0, 1.0]
    assert t["tenure"].tolist() == [30, 21, 0]
    assert t["n_rows"].tolist() == [3, 1, 1]
    assert t["first_purchase"].iloc[0] == pd.Timestamp("2024-01-01")
    # single-purchase customers: recency == tenure, mean == total
    one = t[t["frequency"] == 1]
    assert (one["recency"] == one["tenure"]).all()
    assert (one["monetary_mean"] == one["monetary"]).all()
    for c in ["recency", "frequency", "tenure", "n_rows"]:
        assert t[c].dtype == np.int64
    assert t["monetary"].dtype == np.float64


def test_time_of_day_ignored_and_as_of_day_inclusive():
    log = _log([("a", "2024-05-01 09:00", 1.0), ("a", "2024-05-01 18:30", 2.0),
                ("a", "2024-05-03 23:59", 4.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing is excluded: as_of is a whole day
        t = rfm.rfm_table(log, as_of="2024-05-03")
    assert t.loc["a", "frequency"] == 2
    assert t.loc["a", "recency"] == 0
    assert t.loc["a", "monetary"] == 7.0


def test_purchases_after_as_of_excluded_and_reported():
    log = _log([(1, "2024-01-01", 10.0), (1, "2024-02-01", 5.0), (2, "2024-03-01", 7.0),
                (3, "2024-01-15", 2.0)])
    with pytest.warns(CrmlabWarning, match=r"2 row\(s\) dated after as_of 2024-01-31"):
        t = rfm.rfm_table(log, as_of="2024-01-31")
    assert t.index.tolist() == [1, 3]
    assert t.attrs["rfm"]["rows_after_as_of"] == 2
    assert t.attrs["rfm"]["customers_after_as_of"] == 1
    assert t.loc[1, "frequency"] == 1 and t.loc[1, "monetary"] == 10.0
    assert t.loc[1, "recency"] == 30


def test_as_of_later_than_log():
    log = _log([(1, "2024-01-01", 10.0)])
    t = rfm.rfm_table(log, as_of=pd.Timestamp("2024-12-31"))
    assert t.loc[1, "recency"] == 365 and t.loc[1, "tenure"] == 365


def test_ties_same_values_same_rows():
    # two customers with identical histories get identical rows
    log = _log([(1, "2024-01-01", 3.0), (2, "2024-01-01", 3.0), (1, "2024-01-05", 1.0),
                (2, "2024-01-05", 1.0)])
    t = rfm.rfm_table(log)
    assert t.loc[1].equals(t.loc[2].rename(1))


def test_money_to_the_cent():
    # float addition drifts (0.1 + 0.2 != 0.3); string-rounding packages lose cents
    log = _log([("x", "2024-01-01", 0.1), ("x", "2024-01-02", 0.2), ("y", "2024-01-01", 19.99),
                ("y", "2024-01-01", 19.99), ("y", "2024-01-03", 19.99), ("z", "2024-01-03", 0.01)] +
               [("w", "2024-01-01", 0.07)] * 100)
    t = rfm.rfm_table(log)
    assert t.loc["x", "monetary"] == 0.3
    assert t.loc["y", "monetary"] == 59.97
    assert t.loc["y", "monetary_mean"] == 59.97 / 2
    assert t.loc["z", "monetary"] == 0.01
    assert t.loc["w", "monetary"] == 7.0
    assert t["monetary"].dtype == np.float64  # numbers, not formatted strings


def test_sub_cent_amounts_summed_as_floats():
    log = _log([("x", "2024-01-01", 0.125), ("x", "2024-01-02", 0.0625)])
    assert rfm.rfm_table(log).loc["x", "monetary"] == 0.1875


def test_refunds_net_out():
    log = _log([(1, "2024-01-01", 50.0), (1, "2024-01-02", -20.0)])
    t = rfm.rfm_table(log)
    # the refund day is not a purchase, but its money nets against the purchase
    assert t.loc[1, "monetary"] == 30.0 and t.loc[1, "frequency"] == 1
    assert t.loc[1, "recency"] == 1 and t.loc[1, "tenure"] == 1


def test_zero_and_refund_only_customers_are_counted_not_buyers():
    log = _log([(1, "2024-01-01", 50.0), (2, "2024-01-02", 0.0), (3, "2024-01-02", -5.0)])
    with pytest.warns(CrmlabWarning, match="2 customer"):
        t = rfm.rfm_table(log)
    assert t.index.tolist() == [1]
    assert t.attrs["summary"]["customers_without_purchase"] == 2
    assert t.attrs["summary"]["spend_without_purchase"] == -5.0


def test_string_ids_and_unsorted_input():
    log = _log([("b", "2024-01-02", 1.0), ("a", "2024-01-05", 2.0), ("b", "2024-01-01", 3.0)])
    t = rfm.rfm_table(log)
    assert t.index.tolist() == ["a", "b"]
    assert t.loc["b", "tenure"] == 4 and t.loc["b", "recency"] == 3


def test_window_columns():
    log = _log([(1, "2023-01-01", 100.0), (1, "2024-06-01", 10.0), (1, "2024-06-01", 5.0),
                (2, "2022-01-01", 7.0)])
    t = rfm.rfm_table(log, as_of="2024-06-30", window_days=365)
    assert t["frequency_window"].tolist() == [1, 0]
    assert t["monetary_window"].tolist() == [15.0, 0.0]
    # the window edge: as_of - window_days + 1 is inside, as_of - window_days outside
    log2 = _log([(1, "2024-01-01", 1.0), (1, "2024-01-02", 1.0), (1, "2024-01-11", 1.0)])
    t2 = rfm.rfm_table(log2, as_of="2024-01-11", window_days=10)
    assert t2.loc[1, "frequency_window"] == 2


def test_cdnow_default_rule_leaves_out_zero_dollar_only_customers(cdnow):
    with pytest.warns(CrmlabWarning, match="68 customer"):
        t = rfm.rfm_table(cdnow)
    assert len(t) == 23570 - 68
    assert t.attrs["summary"]["customers_without_purchase"] == 68
    assert t.attrs["summary"]["spend_without_purchase"] == 0.0


def test_matches_to_occasions_on_cdnow(cdnow):
    t = rfm.rfm_table(cdnow, purchase_rule="any_occasion")
    occ = to_occasions(cdnow)
    assert t.attrs["rfm"]["as_of"] == pd.Timestamp("1998-06-30")
    assert len(t) == 23570
    assert t.attrs["rfm"]["occasions"] == len(occ) == len(cdnow) - 2068
    g = occ.groupby("customer_id")
    assert (t["frequency"] == g.size()).all()
    np.testing.assert_allclose(t["monetary"], g["amount"].sum(), rtol=0, atol=1e-9)
    assert (t["last_purchase"] == g["date"].max()).all()
    assert t["n_rows"].sum() == len(cdnow)


def test_cdnow_known_counts(cdnow):
    t = rfm.rfm_table(cdnow, purchase_rule="any_occasion")
    # 23,570 customers, every one acquired in 1997-Q1
    assert t["first_purchase"].max() <= pd.Timestamp("1997-03-31")
    assert int((t["frequency"] == 1).sum()) == 12_054  # one-time buyers (occasions; cross-checked with to_occasions above)


def test_matches_lifetimes_convention_on_example():
    # lifetimes' summary_data_from_transaction_data on this log gives
    # frequency 1, recency 4, T 9 for customer 1 and 0, 0, 7 for customer 2
    log = _log([(1, "2024-01-01", 1.0), (1, "2024-01-05", 2.0), (2, "2024-01-03", 3.0)])
    t = rfm.rfm_table(log, as_of="2024-01-10")
    assert (t["frequency"] - 1).tolist() == [1, 0]
    assert (t["tenure"] - t["recency"]).tolist() == [4, 0]
    assert t["tenure"].tolist() == [9, 7]


# --------------------------------------------------------------------------- errors
def test_error_empty_log():
    with pytest.raises(DataError, match="empty"):
        rfm.rfm_table(pd.DataFrame({"customer_id": [], "date": [], "amount": []}))


def test_error_as_of_before_all_purchases():
    log = _log([(1, "2024-01-05", 1.0)])
    with pytest.raises(DataError, match=r"as_of 2024-01-04 is before every purchase.*2024-01-05"):
        rfm.rfm_table(log, as_of="2024-01-04")


def test_error_missing_column():
    log = pd.DataFrame({"customer_id": [1], "date": ["2024-01-01"], "amt": [1.0]})
    with pytest.raises(DataError, match=r"missing column\(s\) 'amount'"):
        rfm.rfm_table(log)


def test_error_bad_values_and_parameters():
    with pytest.raises(DataError, match="column 'amount', row 1"):
        rfm.rfm_table(pd.DataFrame({"customer_id": [1, 2], "date": ["2024-01-01"] * 2,
                                    "amount": [1.0, "abc"]}))
    with pytest.raises(ParameterError, match="as_of must be a date"):
        rfm.rfm_table(_log([(1, "2024-01-01", 1.0)]), as_of="not a date")
    with pytest.raises(ParameterError, match="window_days"):
        rfm.rfm_table(_log([(1, "2024-01-01", 1.0)]), window_days=0)
    with pytest.raises(DataError, match="must be a pandas DataFrame"):
        rfm.rfm_table([1, 2, 3])


# --------------------------------------------------------------------------- quantile scores
def test_quantile_scores_no_ties_equal_bins():
    for method in ["lower", "midrank"]:
        s = rfm.quantile_scores(np.arange(100), method=method)
        assert np.bincount(s)[1:].tolist() == [20] * 5
        assert s.iloc[0] == 1 and s.iloc[-1] == 5
        r = rfm.quantile_scores(np.arange(100), higher_is_better=False, method=method)
        assert r.iloc[0] == 5 and r.iloc[-1] == 1


def test_quantile_scores_heavy_ties_kept_together_and_reported():
    x = np.array([1] * 60 + [2] * 20 + [3] * 10 + list(range(4, 14)))
    with pytest.warns(CrmlabWarning, match=r"score\(s\) \[2, 3\] are empty"):
        s = rfm.quantile_scores(x, name="frequency")
    # equal values -> equal scores; nobody silently re-binned
    for v in np.unique(x):
        assert s[x == v].nunique() == 1
    assert s[x == 1].iloc[0] == 1 and s[x == 2].iloc[0] == 4 and s[x == 3].iloc[0] == 5
    rep = s.attrs["scores"]
    assert rep["empty"] == [2, 3] and rep["effective"] == 3
    assert rep["counts"] == {1: 60, 2: 0, 3: 0, 4: 20, 5: 20}
    assert rep["largest_tie_share"] == 0.6
    m = rfm.quantile_scores(x, method="midrank", warn=False)
    assert m[x == 1].iloc[0] == 2  # midrank 30th percentile
    assert m[x == 2].iloc[0] == 4 and m[x == 3].iloc[0] == 5
    assert m.attrs["scores"]["empty"] == [1, 3]


def test_quantile_scores_all_equal_and_monotone():
    s = rfm.quantile_scores([7.0] * 10, warn=False)
    assert set(s) == {1} and s.attrs["scores"]["effective"] == 1
    rng = np.random.default_rng(0)
    x = rng.integers(0, 5, 500)
    for method in ["lower", "midrank"]:
        sc = rfm.quantile_scores(x, method=method, warn=False).to_numpy()
        order = np.argsort(x, kind="stable")
        assert np.all(np.diff(sc[order]) >= 0)  # monotone in the value


def test_quantile_scores_keeps_index_and_errors():
    s = rfm.quantile_scores(pd.Series([3.0, 1.0], index=["a", "b"]), q=2)
    assert s.to_dict() == {"a": 2, "b": 1}
    with pytest.raises(DataError, match=r"values\[1\] = nan"):
        rfm.quantile_scores([1.0, np.nan])
    with pytest.raises(DataError, match="empty"):
        rfm.quantile_scores([])
    with pytest.raises(ParameterError, match="q must be"):
        rfm.quantile_scores([1, 2], q=1)
    with pytest.raises(ParameterError, match="method"):
        rfm.quantile_scores([1, 2], method="first")


def test_rfm_scores_on_cdnow_heavy_ties(cdnow):
    t = rfm.rfm_table(cdnow)
    with pytest.warns(CrmlabWarning, match="frequency"):
        sc = rfm.rfm_scores(t)
    # one-time buyers all share F = 1; every repeat buyer scores higher
    assert (sc.loc[t["frequency"] == 1, "F"] == 1).all()
    assert (sc.loc[t["frequency"] > 1, "F"] > 1).all()
    rep = sc.attrs["score_report"]
    assert rep["F"].sum() == len(t) and (rep["F"] == 0).any()
    assert (rep["M"] > 0).all() and (rep["R"] > 0).all()
    assert sc["cell"].str.fullmatch(r"[1-5]{3}").all()
    assert (sc["score"] == sc["R"] + sc["F"] + sc["M"]).all()


# --------------------------------------------------------------------------- segments
def test_default_segment_map_is_a_partition():
    grid = rfm.segment_map_grid()
    assert grid.shape == (5, 5)
    assert grid.loc[5, 5] == "champions" and grid.loc[1, 1] == "lost"
    assert grid.loc[1, 5] == "cannot lose them" and grid.loc[5, 1] == "new customers"
    assert set(grid.to_numpy().ravel()) == set(rfm.DEFAULT_SEGMENTS.values())


def test_custom_segment_map_checked():
    with pytest.raises(ParameterError, match="without a segment"):
        rfm.rfm_segments(pd.DataFrame({"R": [1], "F": [1]}), {r"[4-5].": "good"})
    with pytest.raises(ParameterError, match="matches both"):
        rfm.rfm_segments(pd.DataFrame({"R": [1], "F": [1]}), {r"..": "all", r"11": "lost"})
    two = {r"[4-5].": "good", r"[1-3].": "other"}
    seg = rfm.rfm_segments(pd.DataFrame({"R": [5, 3], "F": [1, 5]}), two)
    assert seg.tolist() == ["good", "other"]
    with pytest.raises(DataError, match="row 0: R=6, F=1 is not a whole score in 1..5"):
        rfm.rfm_segments(pd.DataFrame({"R": [6], "F": [1]}))


def test_profile_and_heatmap():
    t = pd.DataFrame({"recency": [1, 2, 300, 400], "frequency": [5, 4, 1, 1],
                      "monetary": [100.0, 60.0, 30.0, 10.0], "monetary_mean": [20.0, 15, 30, 10]})
    seg = pd.Series(["champions", "champions", "lost", "lost"])
    prof = rfm.segment_profile(t, seg)
    assert prof.loc["champions", "customers"] == 2
    assert prof.loc["champions", "value_share"] == 0.8
    assert prof["customer_share"].sum() == 1.0
    assert prof.loc["lost", "recency"] == 350
    sc = pd.DataFrame({"R": [5, 5, 1, 1], "F": [5, 5, 1, 1]})
    h = rfm.rf_heatmap_table(t, sc)
    assert h.loc[5, 5] == 80.0 and h.loc[1, 1] == 20.0 and np.isnan(h.loc[5, 1])
    assert h.shape == (5, 5) and h.index.tolist() == [5, 4, 3, 2, 1] and h[3].isna().all()
    assert rfm.rf_heatmap_table(t, sc, stat="count").loc[5, 5] == 2


# --------------------------------------------------------------------------- airline table
AS_OF = "2024-06-30"


def _airline(rows, as_of=AS_OF):
    return rfm.airline_scores(_log(rows), as_of=as_of)


@pytest.mark.parametrize(
    "last, expected",
    [
        ("2024-06-30", 5),  # today
        ("2024-05-30", 5),  # exactly 1 month: "not more than 1 month"
        ("2024-05-29", 4),  # 1 month + 1 day
        ("2024-03-30", 4),  # exactly 3 months
        ("2024-03-29", 3),
        ("2023-12-30", 3),  # exactly 6 months
        ("2023-12-29", 2),
        ("2023-06-30", 2),  # exactly 12 months
        ("2023-06-29", 1),  # more than 12 months
        ("2010-01-01", 1),
    ],
)
def test_airline_recency_edges(last, expected):
    out = _airline([(1, last, 100.0)])
    assert out.loc[1, "R"] == expected


def test_airline_recency_month_end():
    # 31 March minus one calendar month is 29 February (leap year)
    assert _airline([(1, "2024-02-29", 1.0)], as_of="2024-03-31").loc[1, "R"] == 5
    assert _airline([(1, "2024-02-28", 1.0)], as_of="2024-03-31").loc[1, "R"] == 4


@pytest.mark.parametrize(
    "n, expected",
    [(0, 1), (1, 1), (2, 2), (5, 2), (6, 3), (10, 3), (11, 4), (23, 4), (24, 5), (25, 5), (40, 5)],
)
def test_airline_frequency_edges(n, expected):
    days = pd.date_range("2023-01-01", periods=max(n, 1), freq="D")
    rows = [(1, str(d.date()), 100.0) for d in days[:n]]
    rows.append((1, "2020-01-01", 100.0))  # outside the 24-month window: not counted
    out = _airline(rows)
    assert out.loc[1, "frequency_window"] == n
    assert out.loc[1, "F"] == expected


def test_airline_frequency_window_edge():
    # window = (as_of - 24 months, as_of]: 2022-06-30 is out, 2022-07-01 in
    out = _airline([(1, "2022-06-30", 1.0), (2, "2022-07-01", 1.0), (2, "2024-01-01", 1.0)])
    assert out["frequency_window"].tolist() == [0, 2]


def test_airline_frequency_same_day_is_one_purchase():
    out = _airline([(1, "2024-06-01", 100.0)] * 3)
    assert out.loc[1, "frequency_window"] == 1


@pytest.mark.parametrize(
    "mean, expected",
    [
        (499.99, 1), (500.0, 1),      # "under 500": 500 closes band 1
        (500.01, 2), (500.5, 2), (501, 2),      # the printed gap 500-501
        (1000, 2), (1000.01, 3), (1000.5, 3),   # 1000-1001
        (3000, 3), (3000.01, 4),
        (4999.99, 4),
        (5000, 5),                              # overlap: "5000元以上" includes 5000
        (5000.01, 5), (80_000, 5),
    ],
)
def test_airline_monetary_edges(mean, expected):
    out = _airline([(1, "2024-06-01", mean)])
    assert out.loc[1, "M"] == expected


def test_airline_monetary_is_mean_per_occasion_to_the_cent():
    # two occasions of 500.005 average... use cents: 400.01 + 600.01 -> mean 500.01 -> band 2
    out = _airline([(1, "2024-06-01", 400.01), (1, "2024-06-02", 600.01)])
    assert out.loc[1, "monetary_mean"] == 500.01
    assert out.loc[1, "M"] == 2
    out = _airline([(1, "2024-06-01", 400.00), (1, "2024-06-02", 600.00)])
    assert out.loc[1, "M"] == 1


def test_airline_rule_table_matches_seed_csv():
    from crmlab.datasets import load_seed_table

    seed = load_seed_table("airline_rfm")
    mine = rfm.airline_rule_table()
    assert mine[["dimension", "score"]].values.tolist() == seed[["dimension", "score"]].values.tolist()
    assert mine["printed_zh"].tolist() == seed["text_zh"].tolist()
    # implemented cut points are the seed's printed upper bounds (right-closed bands)
    m_highs = seed.query("dimension == 'monetary'")["high"].dropna().tolist()
    assert list(rfm.AIRLINE_MONETARY_BOUNDS) == m_highs == [500, 1000, 3000, 5000]
    f_highs = seed.query("dimension == 'frequency'")["high"].dropna().tolist()
    assert f_highs == [2, 5, 10, 23]  # "fewer than 2" ends below 2: integer counts 0-1
    assert list(rfm.AIRLINE_FREQUENCY_BOUNDS) == [f_highs[0] - 1, *f_highs[1:]]
    r_points = seed.query("dimension == 'recency'")[["low", "high"]].stack().dropna().astype(int)
    assert list(rfm.AIRLINE_RECENCY_MONTHS) == sorted(set(r_points)) == [1, 3, 6, 12]


def test_score_by_bounds_errors():
    with pytest.raises(ParameterError, match="strictly increasing"):
        rfm.score_by_bounds([1], [5, 1])
    with pytest.raises(DataError, match=r"values\[1\] = nan is missing"):
        rfm.score_by_bounds([1, np.nan], [5])


# --------------------------------------------------------------------------- id types and alignment
@pytest.mark.parametrize("dtype", ["int64", "Int64", "uint32", "str", "category", "float64", "object"])
def test_id_dtypes(dtype):
    log = _log([(3, "2024-01-01", 1.0), (1, "2024-01-02", 2.0), (3, "2024-01-05", 3.0),
                (2, "2024-01-03", 4.0)])
    log["customer_id"] = log["customer_id"].astype(dtype)
    t = rfm.rfm_table(log)
    assert [str(i).replace(".0", "") for i in t.index] == ["1", "2", "3"]
    assert t["frequency"].tolist() == [1, 1, 2] and t["monetary"].tolist() == [2.0, 4.0, 4.0]


def test_sparse_integer_ids_same_as_dense():
    tx, _ = simulate_transactions(200, seed=2)
    dense = rfm.rfm_table(tx)
    sparse = rfm.rfm_table(tx.assign(customer_id=tx["customer_id"] * 10**12 + 7))
    assert (sparse.index == dense.index * 10**12 + 7).all()
    np.testing.assert_array_equal(sparse.to_numpy(), dense.to_numpy())
    as_str = rfm.rfm_table(tx.assign(customer_id="c" + tx["customer_id"].astype(str).str.zfill(4)))
    np.testing.assert_array_equal(as_str.to_numpy(), dense.to_numpy())


def test_mixed_id_types_do_not_crash():
    log = pd.DataFrame({"customer_id": pd.Series([3, "a", 3], dtype=object),
                        "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
                        "amount": [1.0, 2.0, 3.0]})
    t = rfm.rfm_table(log)
    assert sorted(map(str, t.index)) == ["3", "a"] and t.loc[3, "frequency"] == 2


def test_profile_aligns_series_by_label():
    t = pd.DataFrame({"recency": [1, 300], "frequency": [5, 1], "monetary": [90.0, 10.0]},
                     index=pd.Index(["a", "b"], name="customer_id"))
    seg = pd.Series(["lost", "champions"], index=["b", "a"])  # other order
    prof = rfm.segment_profile(t, seg)
    assert prof.loc["champions", "value"] == 90.0
    with pytest.raises(DataError, match="other customers"):
        rfm.segment_profile(t, pd.Series(["x", "y"], index=["a", "z"]))
    with pytest.raises(DataError, match="has 1 rows"):
        rfm.segment_profile(t, ["x"])


# --------------------------------------------------------------------------- property test


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 40), st.integers(-500, 50_000)),
                min_size=1, max_size=60),
       st.integers(-5, 45))
def test_matches_naive_groupby(rows, as_of_offset):
    start = pd.Timestamp("2024-01-01")
    log = pd.DataFrame({"customer_id": [r[0] for r in rows],
                        "date": [start + pd.Timedelta(days=r[1]) for r in rows],
                        "amount": [r[2] / 100 for r in rows]})
    as_of = start + pd.Timedelta(days=as_of_offset)
    if as_of < log["date"].min():
        with pytest.raises(DataError, match="before every purchase"):
            rfm.rfm_table(log, as_of)
        return
    kept = log[log["date"] <= as_of]
    occ = kept.assign(c=(kept["amount"] * 100).round().astype(int)).groupby(
        ["customer_id", "date"])["c"].sum().reset_index()
    buy = occ[occ["c"] > 0]  # purchase occasions: positive net amount
    if buy.empty:
        with pytest.raises(DataError, match="no customer made a first purchase"):
            rfm.rfm_table(log, as_of)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CrmlabWarning)
        t = rfm.rfm_table(log, as_of, window_days=7)
    g = buy.groupby("customer_id")
    assert t.index.tolist() == sorted(buy["customer_id"].unique())
    assert t["frequency"].tolist() == g.size().tolist()
    assert t["recency"].tolist() == (as_of - g["date"].max()).dt.days.tolist()
    assert t["tenure"].tolist() == (as_of - g["date"].min()).dt.days.tolist()
    cents = occ.groupby("customer_id")["c"].sum()
    assert t["monetary"].tolist() == (cents[t.index] / 100).tolist()  # net, exact to the cent
    # money reconciles: buyers' net spend + the non-buyers' net = the log's net total
    assert t["monetary"].sum() + t.attrs["summary"]["spend_without_purchase"] == pytest.approx(
        cents.sum() / 100, abs=1e-9)
    win = buy[buy["date"] > as_of - pd.Timedelta(days=7)].groupby("customer_id").size()
    assert t["frequency_window"].tolist() == win.reindex(t.index, fill_value=0).tolist()
    assert t.attrs["rfm"]["rows_after_as_of"] == len(log) - len(kept)


def test_cdnow_sample_published_calibration_counts():
    # Fader, Hardie & Lee (2005): in the 39-week calibration period (to 30 Sep 1997) the 2,357
    # sample customers made 2,457 repeat purchases and 1,411 of them made none.
    log = load_cdnow("sample")
    with pytest.warns(CrmlabWarning):
        t = rfm.rfm_table(log, as_of="1997-09-30", purchase_rule="any_occasion")
    repeat = t["frequency"] - 1
    assert len(t) == 2357
    assert int(repeat.sum()) == 2457
    assert int((repeat == 0).sum()) == 1411


def test_input_not_modified():
    log = _log([(2, "2024-01-02", 1.5), (1, "2024-01-01", 2.5), (2, "2024-03-01", 9.0)])
    before = log.copy()
    with pytest.warns(CrmlabWarning):
        rfm.rfm_table(log, as_of="2024-02-01", window_days=30)
    rfm.airline_scores(log)
    pd.testing.assert_frame_equal(log, before)


def test_quantile_scores_fewer_values_than_scores():
    with pytest.warns(CrmlabWarning, match="only 3 values for 5 scores"):
        s = rfm.quantile_scores([10, 20, 30])
    assert s.tolist() == [1, 2, 4]


def test_scores_must_be_whole_and_in_range():
    # R = 4.5 was truncated to 4 ('loyal'); R = 7 vanished from the heat map table
    with pytest.raises(DataError, match="row 0: R=4.5, F=5 is not a whole score in 1..5"):
        rfm.rfm_segments(pd.DataFrame({"R": [4.5, 1], "F": [5, 1]}))
    with pytest.raises(DataError, match=r"row 0 \(index 'x'\): R=7, F=5 is not a whole score"):
        rfm.rf_heatmap_table(pd.DataFrame({"monetary": [1.0, 2.0]}, index=["x", "y"]),
                             pd.DataFrame({"R": [7, 1], "F": [5, 1]}, index=["x", "y"]))
    with pytest.raises(DataError, match="column 'R'.*booleans"):
        rfm.rfm_segments(pd.DataFrame({"R": [True], "F": [1]}))


def test_score_by_bounds_refuses_text_and_booleans():
    with pytest.raises(DataError, match=r"values\[0\] = '600' is text"):
        rfm.score_by_bounds(["600", 100], [500, 1000])
    with pytest.raises(DataError, match="boolean"):
        rfm.score_by_bounds([True, 100], [500, 1000])
    with pytest.raises(ParameterError, match="bounds"):
        rfm.score_by_bounds([1, 2], ["a"])
