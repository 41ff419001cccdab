"""Answer checkers for ``lessons/exercises/06_retention_metrics.ipynb``.

Each ``check_*`` compares a student's answer with the value computed by
:mod:`crmlab.retention`, :mod:`crmlab.survival` or :mod:`crmlab.churn` and
returns a :class:`~crmlab.exercises.Feedback` with a hint, never the answer.

Examples
--------
>>> check_1a(...).correct
False
>>> check_4b("no").correct
True
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from crmlab import churn, retention, sbg, survival
from crmlab import exercises as ex
from crmlab.exercises import Feedback
from crmlab.finance import retention_clv

TASK2_AS_OF = "1997-12-31"
TASK2_THRESHOLD = 90
TASK4_THRESHOLD = 180
TASK4_AS_OF = "1998-06-30"
TASK5_CALIBRATION_END = "1997-09-30"
TASK5_HOLDOUT_END = "1998-06-30"


def task1_log() -> pd.DataFrame:
    """The small purchase log of task 1 (six customers, January to April 2024).

    >>> task1_log()["customer_id"].nunique()
    6
    """
    rows = [
        ("ana", "2024-01-03", 12.0), ("ana", "2024-02-11", 15.0), ("ana", "2024-03-02", 9.0),
        ("ben", "2024-01-15", 30.0), ("ben", "2024-01-15", 5.0), ("ben", "2024-03-20", 22.0),
        ("chen", "2024-01-28", 18.0), ("chen", "2024-02-02", 11.0),
        ("dai", "2024-02-14", 40.0), ("dai", "2024-03-14", 38.0), ("dai", "2024-04-14", 41.0),
        ("eve", "2024-03-08", 7.0),
        ("fei", "2024-01-09", 25.0), ("fei", "2024-04-30", 27.0),
    ]
    return ex.task_log(rows)


@lru_cache(maxsize=1)
def _survival() -> pd.DataFrame:
    return survival.survival_table(ex.cdnow_log("sample"), TASK4_THRESHOLD, TASK4_AS_OF, unit="M",
                                   cohort_period="M")


def check_1a(answer: Any) -> Feedback:
    """Task 1a: the retention rate from February into March 2024 (a share, 0-1)."""
    expected = retention.retention_rate(task1_log(), "2024-03-15")
    return ex.compare_number(
        answer, expected, task="1a", share=True,
        hint="Take the customers who bought in February; what share of them also bought in March? "
             "Give a share between 0 and 1, not a percentage.",
    )


def check_1b(answer: Any) -> Feedback:
    """Task 1b: how many customers were won back in March 2024 (active, silent in February, bought before)."""
    expected = float(retention.retention_by_period(task1_log(), "M").loc[pd.Period("2024-03", "M"), "won_back"])
    return ex.compare_number(
        answer, expected, task="1b", rtol=0, atol=1e-9,
        hint="Won back = bought in March, not in February, but bought at some time before February. "
             "A first-time buyer in March is new, not won back.",
    )


def check_2(answer: Any) -> Feedback:
    """Task 2: CDNOW sample churn rate at 1997-12-31 with a 90-day inactivity threshold."""
    expected = retention.churn_rate(ex.cdnow_log("sample"), TASK2_THRESHOLD, TASK2_AS_OF)
    return ex.compare_number(
        answer, expected, task="2", share=True,
        hint="Churned = more than 90 days between the last purchase on or before 1997-12-31 and "
             "that date; ignore purchases after it. Give a share between 0 and 1.",
    )


def check_3(answer: Any) -> Feedback:
    """Task 3: share of the January-1997 cohort (CDNOW sample) buying 3 months after acquisition."""
    m = retention.cohort_matrix(ex.cdnow_log("sample"), period="M", value="rate")
    expected = float(m.loc[pd.Period("1997-01", "M"), 3])
    return ex.compare_number(
        answer, expected, task="3", share=True,
        hint="Row = January 1997 cohort, column = 3 periods since first purchase (column 0 is the "
             "acquisition month). Give a share, not a count.",
    )


def check_4a(answer: Any) -> Feedback:
    """Task 4a: Kaplan-Meier S(0) for the CDNOW sample (tau = 180 days, as of 1998-06-30)."""
    t = _survival()
    km = survival.kaplan_meier(t["duration"], t["event"])
    expected = km.survival_at(0.0)
    return ex.compare_number(
        answer, expected, task="4a",
        hint="Build the (duration, event) table with survival_table, fit kaplan_meier and read the "
             "survival at time 0 (the first row when there are churns at time 0).",
    )


def check_4b(answer: Any) -> Feedback:
    """Task 4b: do the three monthly cohorts differ significantly at the 5% level? ("yes"/"no")."""
    t = _survival()
    p = survival.logrank_test(t["duration"], t["event"], t["cohort"].astype(str)).p_value
    expected = "yes" if p < 0.05 else "no"
    if isinstance(answer, (bool, np.bool_)):
        answer = "yes" if answer else "no"
    return ex.compare_label(
        answer, expected, task="4b", options=["yes", "no"],
        hint="Run logrank_test on duration, event and the cohort column and compare its p-value "
             "with 0.05. Answer 'yes' or 'no'.",
    )


def check_5(answer: Any) -> Feedback:
    """Task 5: holdout AUC of recency_days alone as a churn score (CDNOW sample)."""
    f = ex.quietly(churn.churn_features, ex.cdnow_log("sample"), TASK5_CALIBRATION_END,
                   TASK5_HOLDOUT_END)
    expected = churn.auc(f["churn"], f["recency_days"])
    return ex.compare_number(
        answer, expected, task="5",
        mistakes=[(1 - expected, "Your score ranks the wrong way round: a larger recency "
                                 "(longer silence) should mean a higher churn score.")],
        hint="Use churn_features with the task's dates and compute auc(churn, recency_days); "
             "the AUC is a probability between 0.5 and 1 for a useful score.",
    )


def check_6a(answer: Any) -> Feedback:
    """Task 6a: retention CLV, margin 100, retention 0.85, discount 0.10, infinite horizon."""
    expected = retention_clv(100, 0.85, 0.10, first_margin_at=0)
    return ex.compare_number(
        answer, expected, task="6a",
        hint="Sum m·r^t/(1+d)^t from t = 0 (first margin undiscounted and certain) to infinity; "
             "the geometric series has ratio r/(1+d).",
    )


def check_6b(answer: Any) -> Feedback:
    """Task 6b: relative profit gain from +5 points of retention (0.85 -> 0.90), no acquisition cost."""
    expected = retention.churn_cut_profit_uplift(100, 0.85, 0.10)
    return ex.compare_number(
        answer, expected, task="6b", share=True,
        hint="Compute the CLV at retention 0.90 and divide the increase over the 6a value by the 6a value.",
    )


# --------------------------------------------------------------------------- task 7: sBG
#: Task 7 uses the high-end cohort of Fader & Hardie (2007), fitted on years 0-7.
TASK7_COHORT = "high_end"


def _sbg_fit():
    return sbg.fit_sbg(sbg.load_cohorts()[TASK7_COHORT].loc[0:7])


def check_7a(answer: Any) -> Feedback:
    """Task 7a: [alpha, beta] of the sBG model fitted to the high-end cohort, years 0-7."""
    full = sbg.fit_sbg(sbg.load_cohorts()[TASK7_COHORT]).params.to_numpy()
    return ex.compare_array(
        answer, _sbg_fit().params.to_numpy(), task="7a", rtol=2e-3, mistake_rtol=1e-2,
        mistakes=[(full, "These fit all 13 years; the task fits years 0-7 only "
                         "(cohorts['high_end'].loc[0:7]) and keeps 8-12 for checking.")],
        hint="Pass the counts still active at years 0..7 to sbg.fit_sbg and read "
             "fit.params (alpha, beta).")


def check_7b(answer: Any) -> Feedback:
    """Task 7b: customers of the high-end cohort the model expects still active in year 12."""
    fit = _sbg_fit()
    expected = float(fit.projection(12).loc[12, "expected_active"])
    return ex.compare_number(answer, expected, task="7b", rtol=0, atol=0.5,
                        hint="Expected active = 1000 * S(12), S(t) = B(alpha, beta+t)/B(alpha, beta) "
                             "at the fitted parameters (fit.projection(12)).")


def check_7c(answer: Any) -> Feedback:
    """Task 7c: value of one high-end customer still active after year 7 (margin 100 a year from
    next year on, 10 % discount rate, infinite horizon), by the sBG model."""
    fit = _sbg_fit()
    expected = 100.0 * float(fit.derl(0.10))
    r_last = 491 / 517
    return ex.compare_number(
        answer, expected, task="7c", rtol=2e-3, mistake_rtol=1e-3,
        mistakes=[(retention_clv(100.0, r_last, 0.10),
                   "That is the constant-retention formula with the last observed rate: it "
                   "ignores that the survivors are the loyal ones. Use the sBG DERL at tenure 7.")],
        hint="margin * fit.derl(0.10): the customer has survived 7 renewals; the "
             "first margin counted is next year's.")
