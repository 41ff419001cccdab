"""Answer checkers for chapter 3 (customer lifetime value).

Every checker returns a :class:`~crmlab.exercises.Feedback`: ``correct`` and a
hint that never reveals the expected value. Unfilled answers (``...``) are
reported as "no answer yet".

Examples
--------
>>> check_1a(...).correct
False
>>> check_3a(200 * 0.75 / 0.35).correct
True
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from crmlab import clv, finance
from crmlab import exercises as ex
from crmlab.datasets import load_seed_table
from crmlab.exercises import Feedback

#: Task 1b: discount rate for the NPV of the software case.
NPV_RATE = 0.08
#: Task 2a: years between purchases for both buyers.
TWO_BUYER_INTERVAL = 4.0
#: Task 3: margin, retention, discount, horizon.
TASK3 = {"margin": 200.0, "retention": 0.75, "discount": 0.10, "horizon": 5}
#: Task 4: a three-state recency chain (state 1 = bought this quarter), labelled by state.
TASK4_STATES = ("1 bought this quarter", "2 last bought a quarter ago", "3 two or more quarters ago")
TASK4_P = pd.DataFrame([[0.40, 0.60, 0.00], [0.20, 0.00, 0.80], [0.05, 0.00, 0.95]],
                       index=pd.Index(TASK4_STATES, name="from"),
                       columns=pd.Index(TASK4_STATES, name="to"))
TASK4_R = pd.Series([50.0, -2.0, -2.0], index=pd.Index(TASK4_STATES, name="state"), name="reward")
TASK4_DISCOUNT = 0.03


def _case_by_year() -> pd.DataFrame:
    """Seed 001's software case by year: direct, referral and total sales, development cost, net."""
    case = load_seed_table("software_case")
    by = case.pivot_table(index="year", columns="category", values="amount", aggfunc="sum", fill_value=0)
    out = pd.DataFrame({"direct_sales": by[["first_purchase", "up_sell", "cross_sell"]].sum(axis=1),
                        "referral_sales": by["referral"], "development_cost": by["development_cost"]})
    out["total_sales"] = out["direct_sales"] + out["referral_sales"]
    out["net"] = out["total_sales"] - out["development_cost"]
    return out


def check_1a(answer: Any) -> Feedback:
    """Task 1a: share of A's years 2-5 value (direct + referral sales) that came from referrals."""
    full = _case_by_year()
    t = full.loc[2:5]
    referral, total = float(t["referral_sales"].sum()), float(t["total_sales"].sum())
    expected = referral / total
    return ex.compare_number(answer, expected, task="1a", share=True, mistake_rtol=1e-4, mistakes=[
        (referral / 13200.0, "You divided by the article's total. Add the direct and the "
                             "referral sales of years 2-5 yourself first."),
        (float(full["referral_sales"].sum() / full["total_sales"].sum()),
         "Years 2-5 only: leave out the first purchase of year 1."),
        (1 - expected, "That is the share of A's own (direct) purchases; the task asks for the "
                       "referred customers' share.")],
        hint="Sum the referral sales and the total sales of years 2-5 and divide.")


def check_1b(answer: Any) -> Feedback:
    """Task 1b: NPV of the yearly net flow at ``NPV_RATE``, first year discounted once."""
    net = _case_by_year()["net"]
    expected = finance.npv(net, NPV_RATE)
    return ex.compare_number(answer, expected, task="1b", rtol=1e-4, mistake_rtol=1e-6, mistakes=[
        (finance.npv(net, NPV_RATE, first_period_at=0),
         "Year 1's flow arrives at the end of year 1: discount it once."),
        (float(net.sum()), "That is the undiscounted total; discount each year's net flow.")],
        hint="Discount year t's net flow (sales - development cost) by (1 + d)^t.")


def check_2a(answer: Any) -> Feedback:
    """Task 2a: break-even discount rate of the two buyers, both buying every ``TWO_BUYER_INTERVAL`` years."""
    b = load_seed_table("two_buyers")
    expected = clv.break_even_discount(
        b.query("buyer == 'A'")["amount"], b.query("buyer == 'B'")["amount"],
        interval_a=TWO_BUYER_INTERVAL, interval_b=TWO_BUYER_INTERVAL)
    return ex.compare_number(answer, expected, task="2a", rtol=1e-3, share=True,
                        hint="Find d where both present values are equal (the first purchase is undiscounted).")


def check_3a(answer: Any) -> Feedback:
    """Task 3a: infinite-horizon CLV, first margin one period from now."""
    m, r, d = TASK3["margin"], TASK3["retention"], TASK3["discount"]
    return ex.compare_number(answer, finance.retention_clv(m, r, d), task="3a", mistakes=[
        (finance.retention_clv(m, r, d, first_margin_at=0),
         "You counted the current period's margin; this task starts at t = 1."),
        (m / (1 + d - r), "The margin at t = 1 is earned only if the customer is retained once.")],
        hint="Sum m r^t / (1+d)^t for t = 1, 2, ... (a geometric series).")


def check_3b(answer: Any) -> Feedback:
    """Task 3b: five margins, the first one now (t = 0)."""
    m, r, d, h = TASK3["margin"], TASK3["retention"], TASK3["discount"], TASK3["horizon"]
    expected = finance.retention_clv(m, r, d, horizon=h, first_margin_at=0)
    return ex.compare_number(answer, expected, task="3b", mistakes=[
        (finance.retention_clv(m, r, d, horizon=h, first_margin_at=1),
         "Start at t = 0: the first margin is certain and undiscounted."),
        (finance.retention_clv(m, r, d, horizon=h + 1, first_margin_at=0),
         "Five margins in all: t = 0, 1, 2, 3, 4.")],
        hint="Five terms m r^t / (1+d)^t, t = 0..4.")


def check_4a(answer: Any) -> Feedback:
    """Task 4a: infinite-horizon value per state of the task-4 chain (current period included)."""
    expected = clv.migration_clv(TASK4_P, TASK4_R, TASK4_DISCOUNT)
    return ex.compare_array(answer, expected, task="4a", mistakes=[
        (expected - TASK4_R, "Include the current period's reward R (t = 0).")],
        hint="V = (I - P/(1+d))^-1 R: solve the linear system (np.linalg.solve).")


def task5_values() -> pd.DataFrame:
    """Current and potential value of eight customers for task 5."""
    return pd.DataFrame(
        {"current": [120.0, 15.0, 80.0, 5.0, 60.0, -40.0, 150.0, 10.0],
         "potential": [90.0, 70.0, 10.0, 8.0, 75.0, 20.0, 20.0, 95.0]},
        index=pd.Index(list("ABCDEFGH"), name="customer"),
    )


def check_5a(answer: Any) -> Feedback:
    """Task 5a: the MGC customers (thresholds = means, below-zero = total < 0)."""
    v = task5_values()
    c = clv.classify_clv(v["current"], v["potential"], current_threshold="mean",
                         potential_threshold="mean")
    expected = c.index[c["clv_class"] == "MGC"].tolist()
    if isinstance(answer, str) and re.fullmatch(r"[A-Ha-h]+", answer.strip()):
        answer = list(answer.strip())  # "BE" is ["B", "E"]
    return ex.compare_set(answer, expected, task="5a", options=list(v.index),
                     hint="MGC: current value below its mean, potential value at or above its mean, "
                          "and current + potential not negative.")
