"""The transaction-log contract on a messy line-item export: every cent and count survives."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from crmlab import ConvergenceError, CrmlabWarning, DataError, btyd, rfm
from crmlab.datasets import load_report, load_transactions
from crmlab.simulate import MESSY_COLUMNS, messy_export
from crmlab.summary import customer_summary, reconcile, to_occasions


@pytest.fixture(scope="module")
def export():
    return messy_export(300, seed=11)


@pytest.fixture(scope="module")
def log(export):
    frame, truth = export
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CrmlabWarning)
        return load_transactions(frame, **MESSY_COLUMNS, missing_customer="drop", nonpositive="net",
                                 as_of=truth["last_day"])


def test_missing_ids_stop_with_a_count_and_the_option(export):
    frame, truth = export
    with pytest.raises(DataError, match=rf"{truth['guest_rows']:,} of .* rows have none.*missing_customer='drop'"):
        load_transactions(frame, **MESSY_COLUMNS, nonpositive="net", as_of=truth["last_day"])


def test_the_loader_counts_what_it_dropped_and_keeps_line_items(export, log):
    frame, truth = export
    rep = load_report(log)
    assert rep["missing_customer_ids"] == truth["guest_rows"]
    assert rep["rows_returned"] == len(frame) - truth["guest_rows"]
    assert rep["nonpositive_amounts"] == truth["cancel_rows"]
    assert {"quantity", "invoice"} <= set(log.columns)
    assert round(log["amount"].sum(), 2) == round(truth["net_amount"], 2)


def test_summary_money_reconciles_to_the_cent_and_returns_are_not_purchases(export, log):
    frame, truth = export
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CrmlabWarning)
        s = customer_summary(log)
    assert reconcile(s) == 0.0
    assert round(s["total_spend"].sum() + s.attrs["summary"]["spend_without_purchase"], 2) == round(
        truth["net_amount"], 2)
    occ = to_occasions(log)
    assert (occ.loc[occ["is_purchase"], "amount"] > 0).all()
    assert s["purchases"].sum() == truth["purchase_days"] == int(occ["is_purchase"].sum())
    assert len(s) == truth["customers"]


def test_rfm_and_btyd_views_count_no_nonpositive_day(log):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CrmlabWarning)
        full = customer_summary(log)
        r = rfm.rfm_table(log)
        b = btyd.summarize(log, "2011-06-30", "2011-12-09")
    assert (r["frequency"] == full["purchases"]).all()
    assert (b["monetary_value"] >= 0).all()  # Gamma-Gamma never sees a negative mean spend
    assert (b.loc[b["frequency"] > 0, "monetary_value"] > 0).all()
    try:  # the spend model may or may not be identified on 300 synthetic customers ...
        gg = btyd.fit_gamma_gamma(b)
    except ConvergenceError:
        return
    assert gg.params.gt(0).all()  # ... but it never fails on a negative mean spend


def test_duplicates_are_judged_on_every_source_column(export):
    frame, truth = export
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CrmlabWarning)
        dropped = load_transactions(frame, **MESSY_COLUMNS, missing_customer="drop", nonpositive="net",
                                    duplicates="drop", as_of=truth["last_day"])
        kept = load_transactions(frame, **MESSY_COLUMNS, missing_customer="drop", nonpositive="net",
                                 as_of=truth["last_day"])
    # look-alike lines (same customer, time, price, quantity; another product) survive the drop
    key = ["customer_id", "date", "amount"]
    assert dropped.duplicated(key).sum() > 0
    assert len(kept) - len(dropped) == load_report(kept)["duplicate_rows"]


def test_as_of_is_the_end_of_that_day():
    df = pd.DataFrame({"c": ["a", "a"], "d": ["2011-12-08 10:00", "2011-12-09 17:45"], "v": [5.0, 7.0]})
    log = load_transactions(df, customer="c", date="d", amount="v", as_of="2011-12-09")
    assert len(log) == 2 and load_report(log)["future_dates"] == 0
    s = customer_summary(log, as_of="2011-12-09")
    assert s.loc["a", "purchases"] == 2 and s.loc["a", "recency_days"] == 0


def test_time_zones_are_never_shifted_silently():
    df = pd.DataFrame({"c": ["a"], "d": ["2024-01-05T23:30:00+08:00"], "v": [5.0]})
    with pytest.raises(DataError, match="time-zone offset.*timezone="):
        load_transactions(df, customer="c", date="d", amount="v", as_of="2025-01-01")
    local = load_transactions(df, customer="c", date="d", amount="v", as_of="2025-01-01", timezone="local")
    assert local["date"].iloc[0] == pd.Timestamp("2024-01-05 23:30")
    utc = load_transactions(df, customer="c", date="d", amount="v", as_of="2025-01-01", timezone="UTC")
    assert utc["date"].iloc[0] == pd.Timestamp("2024-01-05 15:30")
    assert load_report(utc)["dates_moved_to_another_day_by_timezone"] == 0
    df2 = pd.DataFrame({"c": ["a"], "d": ["2024-01-05T02:30:00+08:00"], "v": [5.0]})
    with pytest.warns(CrmlabWarning, match="another calendar day"):
        moved = load_transactions(df2, customer="c", date="d", amount="v", as_of="2025-01-01", timezone="UTC")
    assert load_report(moved)["dates_moved_to_another_day_by_timezone"] == 1


def test_btyd_summary_leaves_out_T0_customers_with_a_count():
    df = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [5.0, 6.0, 7.0],
                       "date": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-01-31"])})
    with pytest.warns(CrmlabWarning, match="T = 0"):
        s = btyd.summarize(df, "2024-01-31")
    assert s.index.tolist() == [1] and s.attrs["excluded_T0"] == 1


def test_boundary_fits_are_flagged_never_silent():
    sim = btyd.simulate_summary("bgnbd", [0.3, 5.0, 0.02, 60.0], 800, T_cal=39, seed=1)
    for fitter in (btyd.fit_bgnbd, btyd.fit_pareto_nbd, btyd.fit_mbgnbd):
        with pytest.warns(CrmlabWarning, match="edge"):
            fit = fitter(sim)
        assert fit.boundary and fit.note
        if fit.model == "nbd":  # the no-dropout edge: the nested model, with meaningful intervals
            assert fit.requested
            tab = fit.table()
            assert (tab["ci_high"] / tab["ci_low"] < 10).all()
            assert np.allclose(fit.p_alive(sim), 1.0)
        else:  # dropout found, its spread not identified: said so, never silent
            assert "not meaningful" in fit.note
    with pytest.raises(ConvergenceError, match="edge"):
        btyd.fit_bgnbd(sim, at_boundary="raise")
    # an interior maximum is not flagged
    ok = btyd.simulate_summary("bgnbd", [0.25, 4.0, 0.8, 2.5], 4000, T_cal=39, seed=2)
    assert not btyd.fit_bgnbd(ok).boundary
