"""Answer checkers for ``lessons/exercises/07_probabilistic_clv.ipynb``.

Each ``check_*`` compares a student's answer with the value computed by
:mod:`crmlab.btyd` and returns a :class:`~crmlab.exercises.Feedback` with a
hint, never the answer.

Examples
--------
>>> check_1a(...).correct
False
>>> check_3("BG/NBD").correct
True
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import pandas as pd

from crmlab import bgbb, btyd
from crmlab import exercises as ex
from crmlab.exercises import Feedback

#: Calibration and holdout ends used by every task (the literature's CDNOW split).
CALIBRATION_END = "1997-09-30"
OBSERVATION_END = "1998-06-30"
#: The CDNOW customer (master id) of tasks 2b and 5.
TASK_CUSTOMER = 4


def task1_log() -> pd.DataFrame:
    """The purchase log of task 1a: one customer, five rows (crmlab schema).

    >>> len(task1_log())
    5
    """
    rows = [
        ("lin", "2024-01-03", 12.0),
        ("lin", "2024-01-03", 8.0),
        ("lin", "2024-01-24", 15.0),
        ("lin", "2024-02-21", 9.5),
        ("lin", "2024-02-21", 4.5),
    ]
    return ex.task_log(rows)


#: End of the calibration period of task 1a.
TASK1_CALIBRATION_END = "2024-03-27"


@lru_cache(maxsize=1)
def _cdnow():
    summ = btyd.summarize(ex.cdnow_log("sample"), CALIBRATION_END, OBSERVATION_END, unit="W",
                          purchase_rule="any_occasion")
    bg = btyd.fit_bgnbd(summ)
    gg = btyd.fit_gamma_gamma(summ)
    return summ, bg, gg


def check_1a(answer: Any) -> Feedback:
    """Task 1a: [frequency, recency, T] in weeks of the task-1 customer."""
    s = btyd.summarize(task1_log(), TASK1_CALIBRATION_END, unit="W")
    expected = s.loc["lin", ["frequency", "recency", "T_cal"]].to_numpy(dtype=float)
    return ex.compare_array(answer, expected, task="1a", rtol=1e-3,
                         hint="Merge same-day rows first; frequency counts *repeat* occasions; "
                              "recency and T are measured from the first purchase, in weeks "
                              "(days / 7).")


def check_1b(answer: Any) -> Feedback:
    """Task 1b: total repeat transactions of the CDNOW sample in the holdout period."""
    summ, _, _ = _cdnow()
    return ex.compare_number(answer, float(summ["frequency_holdout"].sum()), task="1b", rtol=0,
                        atol=0.5,
                        hint="Use btyd.summarize with observation_end and sum frequency_holdout; "
                             "purchases are occasions (same customer, same day = one).")


def check_2a(answer: Any) -> Feedback:
    """Task 2a: r / alpha of the BG/NBD fit (mean purchase rate per week of active customers)."""
    _, bg, _ = _cdnow()
    expected = float(bg.params["r"] / bg.params["alpha"])
    return ex.compare_number(answer, expected, task="2a", rtol=2e-3,
                        hint="Fit btyd.fit_bgnbd to the weekly summary and divide the gamma "
                             "shape r by the rate alpha (the mean of Gamma(r, alpha)).")


def check_2b(answer: Any) -> Feedback:
    """Task 2b: BG/NBD expected purchases of customer 4 in the 39 holdout weeks."""
    summ, bg, _ = _cdnow()
    expected = float(bg.conditional_expected_transactions(summ.loc[[TASK_CUSTOMER]], 39.0).iloc[0])
    return ex.compare_number(answer, expected, task="2b", rtol=2e-3,
                        hint="Use fit.conditional_expected_transactions(summary.loc[[4]], 39): "
                             "39 weeks, the customer's own (x, t_x, T).")


def check_3(answer: Any) -> Feedback:
    """Task 3: the model under which every one-time buyer has P(alive) = 1."""
    if isinstance(answer, str):  # "bg-nbd", "BG NBD", "pareto/nbd" ... are spellings of the three
        norm = re.sub(r"[\s/_-]", "", answer.upper())
        answer = {"BGNBD": "BG/NBD", "MBGNBD": "MBG/NBD", "PARETONBD": "Pareto/NBD"}.get(norm, answer)
    return ex.compare_label(answer, "BG/NBD", task="3", options=["BG/NBD", "MBG/NBD", "Pareto/NBD"],
                               hint="In which model can a customer leave only right after a "
                                    "repeat purchase? Answer 'BG/NBD', 'MBG/NBD' or 'Pareto/NBD'.")


def check_4(answer: Any) -> Feedback:
    """Task 4: BG/NBD aggregate holdout error in percent ((expected - actual) / actual * 100)."""
    summ, bg, _ = _cdnow()
    expected = float(btyd.holdout_errors(bg, summ)["total_error_pct"])
    return ex.compare_number(answer, expected, task="4", rtol=1e-2, percent=True, mistakes=[
        (-expected, "The size is right but the sign is not: is the model above or below the "
                    "actual holdout total?")],
        hint="Sum the conditional expectations over the 39 holdout weeks for all customers and "
             "compare with the actual holdout total, in percent.")


def check_5a(answer: Any) -> Feedback:
    """Task 5a: Gamma-Gamma expected spend per transaction of customer 4."""
    summ, _, gg = _cdnow()
    expected = float(gg.conditional_expected_spend(summ.loc[[TASK_CUSTOMER]]).iloc[0])
    return ex.compare_number(answer, expected, task="5a", rtol=2e-3,
                        hint="Her expected spend is a weighted average of the population mean "
                             "p*gamma/(q-1) and her own mean repeat spend, with weight px/(px+q-1) "
                             "on her own mean.")


def check_5b(answer: Any) -> Feedback:
    """Task 5b: CLV of customer 4 over 52 weeks, monthly periods, 1 % a month, margin 30 %."""
    summ, bg, gg = _cdnow()
    expected = float(btyd.clv(bg, gg, summ.loc[[TASK_CUSTOMER]], horizon=52, period=52 / 12,
                              discount=0.01, margin=0.3)["clv"].iloc[0])
    return ex.compare_number(answer, expected, task="5b", rtol=3e-3,
                        hint="btyd.clv(bg, gg, ..., horizon=52, period=52/12, discount=0.01, "
                             "margin=0.3): monthly periods in weeks, margin applied to spend.")


# --------------------------------------------------------------------------- task 6: BG/BB
@lru_cache(maxsize=1)
def _donations():
    don = bgbb.load_donations()
    return don, bgbb.fit_bgbb(don, weights="n_custs")


def _donor(x: int, tx: int) -> pd.DataFrame:
    return pd.DataFrame({"frequency": [x], "recency": [tx], "n": [6]})


def check_6a(answer: Any) -> Feedback:
    """Task 6a: BG/BB probability that a donor who gave 3 times, last in 2000 (x=3, t_x=5, n=6),
    is still alive for the 2002 drive (the next opportunity)."""
    _, fit = _donations()
    expected = float(fit.p_alive(_donor(3, 5), periods_ahead=1).iloc[0])
    at_n = float(fit.p_alive(_donor(3, 5), periods_ahead=0).iloc[0])
    return ex.compare_number(answer, expected, task="6a", rtol=2e-3, mistake_rtol=1e-3, mistakes=[
        (at_n, "That is P(alive) at 2001, the last opportunity observed; the task asks about "
               "the next one (periods_ahead=1).")],
        hint="Fit bgbb.fit_bgbb(donations, weights='n_custs') and use "
             "fit.p_alive(row, periods_ahead=1) for the row x=3, t_x=5, n=6.")


def check_6b(answer: Any) -> Feedback:
    """Task 6b: expected donations of that donor in the five drives 2002-2006."""
    _, fit = _donations()
    expected = float(fit.conditional_expected_transactions(_donor(3, 5), 5).iloc[0])
    return ex.compare_number(answer, expected, task="6b", rtol=2e-3,
                        hint="fit.conditional_expected_transactions(row, 5): five future "
                             "opportunities, given her (x, t_x, n).")
