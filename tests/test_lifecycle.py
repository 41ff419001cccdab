"""Tests for crmlab.lifecycle (chapter 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import lifecycle as lc
from crmlab.datasets import load_seed_table
from crmlab.errors import DataError, ParameterError
from crmlab.lifecycle import STAGES
from crmlab.simulate import simulate_transactions, stage_at


def _log(rows):
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"]).assign(
        date=lambda d: pd.to_datetime(d["date"])
    )


# --------------------------------------------------------------------------- accumulation
def test_accumulation_reproduces_seed_tables_at_seed_rounding():
    seed = load_seed_table("accumulation")
    ours = lc.accumulation_table(initial=100, lost=(0, 1, 2, 10, 25, 50), profit_per_customer=10)
    assert list(ours.columns) == list(seed.columns)
    for col in ["lost", "a_customers", "b_customers", "difference", "a_profit", "b_profit",
                "profit_difference"]:
        assert ours[col].tolist() == seed[col].tolist(), col
    for col in ["a_share_pct", "b_share_pct", "ratio"]:
        assert ours[col].round(2).tolist() == seed[col].round(2).tolist(), col


def test_accumulation_gap_is_twice_the_loss_and_ratio_convex():
    t = lc.accumulation_table(initial=200, lost=[0, 20, 40, 60], profit_per_customer=3)
    assert (t["difference"] == 2 * t["lost"]).all()
    assert (t["profit_difference"] == 6 * t["lost"]).all()
    assert np.all(np.diff(t["ratio"], 2) > 0)  # ratio accelerates
    np.testing.assert_allclose(t["a_share_pct"] + t["b_share_pct"], 100)


@pytest.mark.parametrize("lost", [(0, 100), (-1,), ()])
def test_accumulation_rejects_bad_losses(lost):
    with pytest.raises(ParameterError, match="lost"):
        lc.accumulation_table(lost=lost)


# --------------------------------------------------------------------------- stage models, curves
def test_stage_models_table_matches_the_working_model_and_plots():
    t = load_seed_table("stage_models")
    chen = t[t["model"].str.startswith("Chen")]
    assert chen["stage"].tolist() == list(lc.LIVE_STAGES)
    ax = lc.plot_stage_models(t, chinese=False)
    assert len(ax.get_yticklabels()) == t["model"].nunique() == 5
    assert len(ax.patches) == len(t)  # one bar per stage
    with pytest.raises(DataError, match="models is missing column"):
        lc.plot_stage_models(t.drop(columns="stage_zh"))


def test_strategy_table_covers_live_stages():
    s = load_seed_table("strategy_by_stage").set_index("stage")
    assert s.index.tolist() == list(lc.LIVE_STAGES)
    assert {"objective", "firm_action", "risk"} <= set(s.columns)


def test_stylised_curves_shape():
    t = np.linspace(0, 5, 501)
    c = lc.stylised_curves(t)
    rel = c["relationship"].to_numpy()
    # rises (weakly) through exploration, formation and stability ...
    rising = c["stage"] != "decline"
    assert np.all(np.diff(rel[rising.to_numpy()]) >= -1e-12)
    # ... and falls through decline (the seed's "rises through decline" is a slip)
    dec = (c["stage"] == "decline").to_numpy()
    assert np.all(np.diff(rel[dec]) <= 1e-12) and rel[dec][-1] < rel[dec][0]
    assert c["profit"].iloc[0] < 0 < c.loc[c["stage"] == "stability", "profit"].min()
    assert c["relationship"].max() == 1.0


def test_stylised_curves_rejects_bad_bounds():
    with pytest.raises(ParameterError, match="bounds"):
        lc.stylised_curves([1.0], bounds=(1, 3, 2, 4))


def test_pattern_curves_exit_order():
    t = np.linspace(0, 5, 1001)
    c = lc.pattern_curves(t, exit_days=0.05)
    last_active = {p: t[c[p].to_numpy() > 1e-9].max() for p in ["I", "II", "III", "IV"]}
    assert last_active["I"] < 1 < last_active["II"] < 2 < last_active["III"] < 2.5
    assert last_active["IV"] == pytest.approx(5.0)


# --------------------------------------------------------------------------- stage assignment
def test_assign_stages_hand_cases():
    log = _log([
        (1, "2024-05-20", 20),  # new: exploration
        (2, "2023-01-01", 20), (2, "2023-04-01", 20), (2, "2023-07-01", 20),
        (2, "2023-10-01", 20), (2, "2024-01-01", 20), (2, "2024-04-01", 20),  # steady: stability
        (3, "2023-01-05", 20),  # silent 17 months: terminated
        (4, "2024-01-01", 20), (4, "2024-03-01", 20), (4, "2024-05-01", 20),  # 5 months: formation
        (5, "2023-01-01", 20), (5, "2023-02-01", 20), (5, "2023-03-01", 20),
        (5, "2023-04-01", 20), (5, "2023-05-01", 20), (5, "2023-06-01", 20),
        (5, "2023-12-15", 20),  # then silent 5.5 months: > 2.5x, < 3x rhythm: decline
    ])
    st = lc.assign_stages(log, "2024-06-01").astype(str)
    assert st.to_dict() == {1: "exploration", 2: "stability", 3: "terminated",
                            4: "formation", 5: "decline"}


def test_assign_stages_ignores_future_and_not_yet_customers():
    log = _log([(1, "2024-01-01", 5), (1, "2024-09-01", 5), (2, "2024-08-01", 5)])
    f = lc.assign_stages(log, "2024-03-01", return_features=True)
    assert f.index.tolist() == [1]
    assert f["purchases"].iloc[0] == 1


def test_same_day_rows_are_one_occasion():
    log = _log([(1, "2024-01-01", 5), (1, "2024-01-01", 7), (1, "2024-02-01", 1)])
    f = lc.stage_features(log, "2024-03-01")
    assert f["purchases"].iloc[0] == 2 and f["purchase_spend"].iloc[0] == 13


def test_thresholds_override():
    log = _log([(1, "2024-01-01", 5)])
    assert str(lc.assign_stages(log, "2024-02-15").iloc[0]) == "exploration"
    assert str(lc.assign_stages(log, "2024-02-15", exploration_days=30).iloc[0]) == "formation"
    with pytest.raises(ParameterError, match="unknown threshold"):
        lc.assign_stages(log, "2024-02-15", exploraton_days=30)
    with pytest.raises(ParameterError, match="formation_days"):
        lc.assign_stages(log, "2024-02-15", formation_days=10)


def test_assign_stages_errors_name_the_problem():
    no_dates = pd.DataFrame({"customer_id": [1], "amount": [3.0]})
    with pytest.raises(DataError, match=r"missing column\(s\) 'date'"):
        lc.assign_stages(no_dates, "2024-01-01")
    bad_date = pd.DataFrame({"customer_id": [1], "date": ["yesterday"], "amount": [3.0]})
    with pytest.raises(DataError, match="column 'date'"):
        lc.assign_stages(bad_date, "2024-01-01")
    with pytest.raises(ParameterError, match="as_of"):
        lc.assign_stages(_log([(1, "2024-01-01", 5)]), "not a date")
    with pytest.raises(DataError, match="as_of 2020-01-01 is before every purchase.*2024-01-01"):
        lc.assign_stages(_log([(1, "2024-01-01", 5)]), "2020-01-01")
    with pytest.raises(DataError, match="no customer made a first purchase"):  # only a return
        lc.assign_stages(_log([(1, "2024-01-01", -5)]), "2024-02-01")
    with pytest.raises(DataError, match="DataFrame"):
        lc.assign_stages([1, 2, 3], "2024-01-01")


def test_assign_stages_beats_chance_on_synthetic_truth():
    tx, truth = simulate_transactions(600, seed=11)
    pred = lc.assign_stages(tx, "2022-01-01")
    s = lc.score_stages(pred, stage_at(truth, "2022-01-01"))
    n_acquired = int((truth["acquired"] <= "2022-01-01").sum())
    assert s["confusion"].to_numpy().sum() == s["n"] == n_acquired == len(pred)
    assert s["live_accuracy"] > 0.6 and s["accuracy"] > 0.65
    assert s["recall"]["exploration"] > 0.8


def test_stage_mix_counts_sum_to_customers_seen():
    tx, _ = simulate_transactions(200, seed=5)
    dates = pd.date_range("2020-06-30", "2023-12-31", freq="6ME")
    mix = lc.stage_mix(tx, dates)
    assert list(mix.columns) == list(STAGES)
    seen = [tx.loc[tx["date"] <= d, "customer_id"].nunique() for d in dates]
    assert mix.sum(axis=1).tolist() == seen
    np.testing.assert_allclose(lc.stage_mix(tx, dates, share=True).sum(axis=1), 1.0)


def test_classify_patterns_on_synthetic_truth():
    tx, truth = simulate_transactions(800, seed=7)
    pat = lc.classify_patterns(tx, "2023-12-31")
    t = truth.set_index("customer_id")
    ended = t.loc[pat.index, "terminated"] <= pd.Timestamp("2023-12-31")
    acc = (pat.loc[ended, "pattern"].astype(str) == t.loc[pat.index[ended], "pattern"]).mean()
    assert acc > 0.7
    with pytest.raises(ParameterError, match="cutoffs"):
        lc.classify_patterns(tx, "2023-12-31", cutoffs=(300, 100, 700))


def test_score_stages_hand_case():
    pred = pd.Series(["exploration", "terminated", "stability", "decline"], index=[1, 2, 3, 4])
    true = pd.Series(["exploration", "decline", "stability", None], index=[1, 2, 3, 4])
    s = lc.score_stages(pred, true)
    assert s["n"] == 3
    assert s["accuracy"] == pytest.approx(2 / 3)
    assert s["confusion"].loc["decline", "terminated"] == 1


# --------------------------------------------------------------------------- ladder
def test_rules_must_be_stage_rules():
    log = _log([(1, "2024-01-01", 5)])
    with pytest.raises(ParameterError, match="StageRules"):
        lc.assign_stages(log, "2024-02-01", rules={"exploration_days": 30})
    with pytest.raises(ParameterError, match="dates is empty"):
        lc.stage_mix(log, [])


def test_as_of_is_a_day_like_rfm_and_retention():
    # the project's convention (validation.check_date): as_of is a day; a time of day is dropped
    log = _log([(1, "2024-01-01", 5), (1, "2024-02-01", 5), (2, "2024-03-30", 5)])
    day = lc.stage_features(log, "2024-04-01")
    assert lc.stage_features(log, "2024-04-01 23:59").equals(day)
    mix = lc.stage_mix(log, ["2024-04-01 12:00"])
    assert mix.index.tolist() == [pd.Timestamp("2024-04-01")]


def test_stage_dates_inside_the_log_print_no_summary_notes():
    # later rows and not-yet customers are ignored by design: the summary's notes stay quiet here
    import warnings

    from crmlab.errors import CrmlabWarning

    log = _log([(1, "2024-01-01", 5), (1, "2024-09-01", 5), (2, "2024-08-01", 5), (3, "2024-01-02", -5)])
    with warnings.catch_warnings():
        warnings.simplefilter("error", CrmlabWarning)
        assert lc.assign_stages(log, "2024-03-01").index.tolist() == [1]
        assert lc.stage_mix(log, ["2024-03-01", "2024-12-31"]).sum(axis=1).tolist() == [1, 2]


def test_stage_mix_keeps_every_date_given():
    # a date given twice was one row (merged silently); the rows follow the dates given
    log = pd.DataFrame({"customer_id": [1, 1], "amount": 5.0,
                        "date": pd.to_datetime(["2024-01-01", "2024-01-20"])})
    mix = lc.stage_mix(log, ["2024-02-01", "2023-01-01", "2024-02-01"])
    assert [str(d.date()) for d in mix.index] == ["2024-02-01", "2023-01-01", "2024-02-01"]
    assert mix["exploration"].tolist() == [1, 0, 1] and mix.to_numpy().sum() == 2


def test_accumulation_table_never_overflows_int64():
    # 1e300 customers became -9.2e18 when cast to int64
    t = lc.accumulation_table(1e300, lost=(0,))
    assert t.loc[0, "a_customers"] == 1e300 and t.loc[0, "b_profit"] == 1e301


def test_score_stages_refuses_a_customer_named_twice():
    # align paired every copy: 3 predictions and 2 truths were scored as n = 4
    p = pd.Series(["formation", "decline", "stability"], index=[1, 1, 2])
    t = pd.Series(["formation", "stability"], index=[1, 1])
    with pytest.raises(DataError, match="each customer once"):
        lc.score_stages(p, t)
