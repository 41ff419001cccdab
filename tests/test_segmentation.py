"""Tests for crmlab.segmentation: ABC/Lorenz/Gini, tiers, two-axis segments, customer 360."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from crmlab import segmentation as seg
from crmlab.datasets import load_cdnow, load_seed_table
from crmlab.errors import DataError, ParameterError


# --------------------------------------------------------------------------- concentration
def test_gini_hand_values():
    assert seg.gini([5, 5, 5]) == 0.0
    assert seg.gini([0, 0, 0, 10]) == pytest.approx(0.75)  # (n-1)/n
    assert seg.gini([1, 2, 3, 4]) == pytest.approx(0.25)
    # equals 1 - 2 * area under the Lorenz curve (trapezoids)
    x = np.random.default_rng(1).lognormal(0, 1, 500)
    lc = seg.lorenz_curve(x)
    area = np.sum(np.diff(lc["customer_share"]) * (lc["value_share"].iloc[1:].to_numpy()
                                                   + lc["value_share"].iloc[:-1].to_numpy()) / 2)
    assert seg.gini(x) == pytest.approx(1 - 2 * area, abs=1e-12)
    assert seg.gini(x) == pytest.approx(seg.gini(x[::-1]))  # order-free
    assert seg.gini(x * 7.3) == pytest.approx(seg.gini(x))  # scale-free


def test_lorenz_curve_shape():
    lc = seg.lorenz_curve([3, 1])
    assert lc["customer_share"].tolist() == [0.0, 0.5, 1.0]
    assert lc["value_share"].tolist() == [0.0, 0.25, 1.0]


def test_top_share():
    assert seg.top_share([1, 1, 1, 7], 0.25) == pytest.approx(0.7)
    assert seg.top_share([1, 1, 1, 7], 0.5) == pytest.approx(0.8)
    assert seg.top_share([1, 1, 1, 7], 0.375) == pytest.approx(0.75)  # half of the 2nd customer
    assert seg.top_share([1, 2, 3], 1.0) == pytest.approx(1.0)
    assert seg.top_share([1, 2, 3], 0.0) == 0.0


def test_concentration_errors():
    with pytest.raises(DataError, match="negative"):
        seg.gini([1, -1])
    with pytest.raises(DataError, match="sum to zero"):
        seg.gini([0, 0])
    with pytest.raises(DataError, match="empty"):
        seg.lorenz_curve([])
    with pytest.raises(DataError, match=r"values\[1\] = nan is missing"):
        seg.top_share([1, np.nan])
    with pytest.raises(DataError, match=r"values\[1\] = inf is infinite"):
        seg.top_share([1, np.inf])
    with pytest.raises(DataError, match=r"values\[1\] = True is a boolean"):
        seg.gini([1, True])
    with pytest.raises(ParameterError, match=r"thresholds\[1\] = nan is missing"):  # NaN once passed every bound
        seg.abc_analysis(pd.Series([60.0, 25.0, 15.0]), thresholds=[0.8, np.nan])
    with pytest.raises(ParameterError, match="share"):
        seg.top_share([1, 2], 1.5)


def test_cdnow_80_20():
    from crmlab.rfm import rfm_table

    m = rfm_table(load_cdnow("master"))["monetary"].clip(lower=0)
    share = seg.top_share(m, 0.2)
    assert 0.55 < share < 0.8  # CDNOW: strong concentration but short of 80/20
    assert 0.5 < seg.gini(m) < 0.8


def test_abc_value_basis_and_ties():
    out = seg.abc_analysis(pd.Series([60, 25, 8, 4, 3], index=list("abcde")))
    assert out["abc_class"].tolist() == ["A", "A", "B", "B", "C"]
    assert out.index.tolist() == list("abcde")
    assert out["value_share"].iloc[-1] == pytest.approx(1.0)
    # the customer crossing 80% is in A; one that starts exactly at 80% is B
    out = seg.abc_analysis([50, 30, 10, 10])
    assert out["abc_class"].tolist() == ["A", "A", "B", "B"]
    # ties get one class whatever the row order
    v = pd.Series([40, 40, 10, 10])
    a = seg.abc_analysis(v)["abc_class"]
    b = seg.abc_analysis(v.iloc[::-1])["abc_class"]
    assert a.sort_index().tolist() == b.sort_index().tolist()
    assert a.loc[0] == a.loc[1]


def test_abc_customer_basis_and_four_classes():
    v = pd.Series(np.arange(10, 0, -1))
    out = seg.abc_analysis(v, (0.2, 0.5), basis="customers")
    assert out["abc_class"].value_counts().sort_index().tolist() == [2, 3, 5]
    out4 = seg.abc_analysis(v, (0.5, 0.8, 0.95), labels=("key", "large", "medium", "small"))
    assert list(out4["abc_class"].cat.categories) == ["key", "large", "medium", "small"]


def test_abc_errors():
    with pytest.raises(ParameterError, match="increasing"):
        seg.abc_analysis([1, 2], (0.9, 0.8))
    with pytest.raises(ParameterError, match="labels needs 3"):
        seg.abc_analysis([1, 2], (0.8, 0.95), labels=("A", "B"))
    with pytest.raises(ParameterError, match="basis"):
        seg.abc_analysis([1, 2], basis="rows")


def test_plot_pareto_labels():
    ax = seg.plot_pareto(np.arange(1, 101))
    assert "cumulative" in ax.get_xlabel() and "US$" in ax.get_ylabel()
    assert "Gini" in ax.get_title()


# --------------------------------------------------------------------------- tiers
@pytest.mark.parametrize(
    "balance, tier",
    [
        (0, "ordinary"), (99_999.99, "ordinary"),
        (100_000, "quality"), (150_000, "quality"), (199_999.99, "quality"),
        (200_000, "key maintenance"), (299_999.99, "key maintenance"),
        (300_000, "VIP"), (5_000_000, "VIP"),
    ],
)
def test_deposit_tier_edges(balance, tier):
    assert list(seg.deposit_tiers([balance])) == [tier]


def test_deposit_tiers_errors_name_the_balance():
    with pytest.raises(DataError, match=r"balances\[0\]"):
        seg.deposit_tiers([np.nan])
    with pytest.raises(DataError, match=r"balances\[1\] = inf is infinite"):
        seg.deposit_tiers([1.0, np.inf])


def test_value_activity_segments():
    v = pd.Series([900.0, 800, 10, 20, 0, 50], index=list("abcdef"))
    a = pd.Series([9, 1, 8, 1, 0, 0], index=list("abcdef"))
    out = seg.value_activity_segments(v, a, value_cut=100, activity_cut=5)
    assert out["segment"].tolist() == ["top", "large-medium", "small-medium", "small",
                                       "inactive", "inactive"]
    assert out.attrs["cuts"]["value_cut"] == 100
    # cut value itself counts as high
    out = seg.value_activity_segments(pd.Series([100.0]), pd.Series([5]), value_cut=100, activity_cut=5)
    assert out["segment"].iloc[0] == "top"
    with pytest.raises(DataError, match="same index"):
        seg.value_activity_segments(v, a.iloc[::-1])
    with pytest.raises(DataError, match="no customer has activity"):
        seg.value_activity_segments(v, a * 0)


# --------------------------------------------------------------------------- customer 360
def test_customer_360_tags_and_joins():
    log = pd.DataFrame({
        "customer_id": [1, 1, 1, 2, 3],
        "date": pd.to_datetime(["2023-01-02", "2023-06-01", "2024-03-01", "2022-01-01", "2024-02-20"]),
        "amount": [10.0, 30.0, 20.0, 5.0, 500.0],
        "quantity": [1, 2, 1, 1, 10],
    })
    basic = pd.DataFrame({"city": ["Beijing", "Shanghai"]}, index=pd.Index([1, 2], name="customer_id"))
    prof = seg.customer_360(log, "2024-03-31", basic=basic)
    assert prof.loc[1, "mean_gap_days"] == pytest.approx((pd.Timestamp("2024-03-01")
                                                          - pd.Timestamp("2023-01-02")).days / 2)
    assert np.isnan(prof.loc[2, "mean_gap_days"])
    assert prof.loc[1, "quantity"] == 4
    assert prof.loc[1, "top_weekday"] in {"Monday", "Thursday", "Friday"}
    assert "repeat buyer" in prof.loc[1, "tags"] and "active" in prof.loc[1, "tags"]
    assert prof.loc[2, "tags"].startswith("one-time buyer") and "lapsed" in prof.loc[2, "tags"]
    assert "new" in prof.loc[3, "tags"] and "big basket" in prof.loc[3, "tags"]
    assert prof.loc[1, "city"] == "Beijing" and pd.isna(prof.loc[3, "city"])
    with pytest.raises(DataError, match="basic must be a DataFrame"):
        seg.customer_360(log, basic=[1, 2])


def test_privacy_laws_table():
    laws = load_seed_table("privacy_laws")  # notebook 05 draws it as a timeline
    assert laws["year"].tolist() == [1980, 1988, 2004, 2012, 2017, 2017, 2018, 2019, 2020, 2021]
    assert laws["year"].is_monotonic_increasing


def test_value_activity_segments_checks_inactive_at():
    v = pd.Series([900.0, 800, 10, 20, 0])
    a = pd.Series([9, 1, 8, 1, 0])
    for bad, msg in [("0", "must be a number"), ([0], "must be a number"), (True, "must be a number"),
                     (np.nan, "must be a finite number")]:  # '0' raised a raw numpy error; [0] and True were used
        with pytest.raises(ParameterError, match=f"inactive_at {msg}"):
            seg.value_activity_segments(v, a, inactive_at=bad)


def test_abc_analysis_reads_a_string_of_labels_as_one_label_per_character():
    out = seg.abc_analysis([60, 25, 8, 4, 3], labels="ABC")  # raised a raw IndexError
    assert out["abc_class"].tolist() == ["A", "A", "B", "B", "C"]


def test_customer_360_refuses_duplicated_customers_in_basic():
    log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 30.0, 5.0],
                        "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2023-01-01"])})
    basic = pd.DataFrame({"age": [30, 31, 40]}, index=pd.Index([1, 1, 2], name="customer_id"))
    with pytest.raises(DataError, match="basic has more than one row for customer_id 1"):
        seg.customer_360(log, basic=basic)  # customer 1 got two rows
