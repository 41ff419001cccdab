"""The synthetic lifecycle generator (crmlab.simulate): determinism, truth, stage profile, errors."""

from __future__ import annotations

import pandas as pd
import pytest

import crmlab
from crmlab.errors import ParameterError
from crmlab.lifecycle import PATTERNS, STAGES
from crmlab.simulate import SimulationConfig, simulate_transactions, stage_at


# ----------------------------------------------------------------- generator
def test_simulation_is_deterministic_and_seed_dependent():
    a = simulate_transactions(300, seed=5)
    b = simulate_transactions(300, seed=5)
    c = simulate_transactions(300, seed=6)
    assert a[0].equals(b[0]) and a[1].equals(b[1])
    assert not a[0].equals(c[0])


def test_simulation_truth_is_consistent_with_the_log():
    tx, truth = simulate_transactions(2000, seed=1, start="2020-01-01", end="2023-12-31")
    t = truth.set_index("customer_id")
    assert set(truth["pattern"]) == set(PATTERNS)
    assert tx["date"].min() >= pd.Timestamp("2020-01-01")
    assert tx["date"].max() <= pd.Timestamp("2023-12-31")
    assert (tx["amount"] > 0).all()
    first = tx.groupby("customer_id")["date"].min()
    assert (first == t["acquired"]).all(), "every customer buys on the acquisition day"
    last = tx.groupby("customer_id")["date"].max()
    assert (last <= t["terminated"]).all(), "no purchase after the relationship ended"
    # stage paths by pattern
    assert t.loc[t["pattern"] == "I", ["formation_start", "stability_start", "decline_start"]].isna().all().all()
    assert t.loc[t["pattern"] == "II", "stability_start"].isna().all()
    assert t.loc[t["pattern"] == "II", "formation_start"].notna().all()
    full = t[t["pattern"].isin(["III", "IV"])]
    assert (full["acquired"] < full["formation_start"]).all()
    assert (full["formation_start"] <= full["stability_start"]).all()
    assert (full["stability_start"] <= full["decline_start"]).all()
    assert (full["decline_start"] <= full["terminated"]).all()
    # long-lasting customers stay in stability longer than early exits
    stab = (full["decline_start"] - full["stability_start"]).dt.days
    assert stab[full["pattern"] == "IV"].median() > 3 * stab[full["pattern"] == "III"].median()


def test_simulated_purchase_rate_follows_the_stage_profile():
    tx, truth = simulate_transactions(3000, seed=2)
    iv = truth[truth["pattern"] == "IV"].set_index("customer_id")
    d = tx[tx["customer_id"].isin(iv.index)].join(iv, on="customer_id")
    in_exp = d["date"] < d["formation_start"]
    in_stab = (d["date"] >= d["stability_start"]) & (d["date"] < d["decline_start"])
    days_exp = (iv["formation_start"] - iv["acquired"]).dt.days.sum()
    days_stab = (iv["decline_start"].clip(upper=tx["date"].max()) - iv["stability_start"]).dt.days.clip(lower=0).sum()
    rate_exp = (in_exp.sum() - len(iv)) / days_exp  # minus the first purchase
    rate_stab = in_stab.sum() / days_stab
    assert 0.2 < rate_exp / rate_stab < 0.5  # profile 0.35


def test_stage_at_returns_known_stages():
    _, truth = simulate_transactions(500, seed=3)
    st = stage_at(truth, "2021-06-30")
    assert set(st.dropna()) <= set(STAGES)
    assert st.isna().sum() == int((truth["acquired"] > "2021-06-30").sum())
    assert (stage_at(truth, "2100-01-01") == "terminated").all()


def test_simulation_rejects_bad_parameters():
    with pytest.raises(ParameterError, match="n_customers must be >= 1"):
        simulate_transactions(0)
    with pytest.raises(ParameterError, match="whole number"):
        simulate_transactions(10.5)
    with pytest.raises(ParameterError, match="end .* must be after start"):
        simulate_transactions(10, start="2024-01-01", end="2023-01-01")
    with pytest.raises(ParameterError, match="pattern_probs"):
        simulate_transactions(10, config=SimulationConfig(pattern_probs=(0.5, 0.5, 0.5, 0.5)))


def test_generator_lives_only_in_simulate():
    # one home: the generator moved out of crmlab.datasets, with no alias left behind
    for name in ("simulate_transactions", "stage_at", "SimulationConfig", "_gamma"):
        assert not hasattr(crmlab.datasets, name), name
        assert hasattr(crmlab.simulate, name), name


def test_config_values_are_checked():
    # acquisition after `end` and a thinning probability above 1 were silent
    with pytest.raises(ParameterError, match="acquisition_share must be <= 1"):
        simulate_transactions(5, config=SimulationConfig(acquisition_share=2.0))
    with pytest.raises(ParameterError, match=r"rate_multiplier\[0\] must be <= 1"):
        simulate_transactions(5, config=SimulationConfig(rate_multiplier=(3, 1, 1, 0.1)))
    with pytest.raises(ParameterError, match="exploration_days must be >= 0"):
        simulate_transactions(5, config=SimulationConfig(exploration_days=-5))
    with pytest.raises(ParameterError, match="duration_shape must be > 0"):
        simulate_transactions(5, config=SimulationConfig(duration_shape=0))
    with pytest.raises(ParameterError, match="config must be a SimulationConfig, got dict"):
        simulate_transactions(5, config={"exploration_days": 30})


def test_messy_export_shares_are_checked():
    from crmlab.simulate import messy_export

    with pytest.raises(ParameterError, match=r"guest_share must be a share in \[0, 1\], got 1.5"):
        messy_export(20, guest_share=1.5)
    with pytest.raises(ParameterError, match="cancel_share must be a number"):
        messy_export(20, cancel_share="0.1")
