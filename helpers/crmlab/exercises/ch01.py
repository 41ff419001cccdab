"""Answer checkers for ``lessons/exercises/01_customer_lifecycle.ipynb``.

Each ``check_*`` compares a student's answer with the value computed by
:mod:`crmlab.lifecycle` and returns a :class:`~crmlab.exercises.Feedback`
with a hint, never the answer.

Examples
--------
>>> check_1a(...).correct
False
>>> check_6("iii").correct
True
>>> check_6("exit pattern 3").message
"'exit pattern 3' is not a valid choice; choose one of: I, II, III, IV."
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from crmlab import exercises as ex
from crmlab.exercises import Feedback
from crmlab.finance import project_revenue, revenue_identity
from crmlab.lifecycle import STAGES, accumulation_table, assign_stages
from crmlab.summary import to_occasions

#: The date at which task 4 asks for each customer's stage.
TASK4_AS_OF = "2024-06-01"
#: Task 5: the CDNOW acquisition month (first purchase) and the date the ladder is read.
TASK5_COHORT = "1997-01"
TASK5_AS_OF = "1997-06-30"


def task4_log() -> pd.DataFrame:
    """The small purchase log of task 4 (five customers, crmlab schema).

    >>> task4_log()["customer_id"].nunique()
    5
    """
    rows = [
        ("ana", "2024-05-10", 35.0),
        ("ben", "2023-03-01", 20.0), ("ben", "2023-05-02", 25.0), ("ben", "2023-07-01", 30.0),
        ("ben", "2023-09-03", 28.0), ("ben", "2023-11-01", 31.0), ("ben", "2024-01-05", 29.0),
        ("ben", "2024-03-01", 33.0), ("ben", "2024-05-02", 30.0),
        ("chen", "2023-02-10", 60.0),
        ("dai", "2023-12-20", 15.0), ("dai", "2024-02-20", 18.0), ("dai", "2024-04-25", 22.0),
        ("eve", "2023-01-10", 40.0), ("eve", "2023-02-10", 42.0), ("eve", "2023-03-12", 41.0),
        ("eve", "2023-04-10", 45.0), ("eve", "2023-05-11", 44.0), ("eve", "2023-06-10", 40.0),
        ("eve", "2023-12-15", 20.0),
    ]
    return ex.task_log(rows)


@lru_cache(maxsize=1)
def _task4_expected() -> dict[str, str]:
    return assign_stages(task4_log(), TASK4_AS_OF).astype(str).to_dict()


def _cohort_repeat_share(*, cut: bool = True, rows: bool = False, purchases_only: bool = True) -> float:
    """Share of the task-5 cohort with 2+ purchase days by TASK5_AS_OF (the answer by default).

    The wrong answers of :func:`check_5`: ``cut=False`` counts the whole log,
    ``rows=True`` counts rows instead of days, ``purchases_only=False`` takes every
    customer-day (zero-amount ones too) as a purchase, for the cohort and the count.
    """
    log = ex.cdnow_log("master")
    occ = to_occasions(log, purchases_only=purchases_only)
    first = occ.groupby("customer_id")["date"].min()
    cohort = first.index[first.dt.to_period("M") == pd.Period(TASK5_COHORT, "M")]
    o = log if rows else occ
    o = o[o["customer_id"].isin(cohort)]
    if cut:
        o = o[o["date"] <= pd.Timestamp(TASK5_AS_OF)]
    return float((o.groupby("customer_id").size() >= 2).mean())


@lru_cache(maxsize=1)
def _task5() -> dict[str, float]:
    return {"right": _cohort_repeat_share(), "no_cut": _cohort_repeat_share(cut=False),
            "rows": _cohort_repeat_share(rows=True),
            "any_day": _cohort_repeat_share(purchases_only=False)}


def check_1a(answer: Any) -> Feedback:
    """Task 1a: B/A when A (100 customers) has lost 20 customers to B."""
    expected = float(accumulation_table(lost=(20,))["ratio"].iloc[0])
    return ex.compare_number(answer, expected, task="1a", rtol=5e-3,
                        hint="Count A's and B's customers after the loss; each lost customer moves from A to B.")


def check_1b(answer: Any) -> Feedback:
    """Task 1b: customers A must lose for B to be exactly twice A's size."""
    expected = 100.0 / 3.0  # (100 + k) / (100 - k) = 2
    return ex.compare_number(answer, expected, task="1b", rtol=5e-3,
                        hint="Solve (100 + k) / (100 - k) = 2 for k (a fraction is fine).")


def check_2(answer: Any) -> Feedback:
    """Task 2: revenue with 200 new, 1,000 existing, retention 85 %, usage 3, price 20."""
    expected = float(revenue_identity(200, 1000, 0.85, 3, 20))
    return ex.compare_number(answer, expected, task="2",
                        hint="Only retained existing customers buy: (new + existing × retention) × usage × price.")


def check_3(answer: Any) -> Feedback:
    """Task 3: active customers in period 10 (1,000 at start, 150 new a period, retention 80 %)."""
    expected = float(project_revenue(10, initial_customers=1000, new_customers=150,
                                     retention=0.8)["active"].iloc[-1])
    return ex.compare_number(answer, expected, task="3", rtol=1e-3,
                        hint="Each period's active customers are the next period's existing customers; "
                             "use crmlab.finance.project_revenue and read period 10.")


def check_4(answer: Any) -> Feedback:
    """Task 4: each customer's stage on TASK4_AS_OF (dict or Series customer -> stage)."""
    if (fb := ex.missing_answer("4", answer)) is not None:
        return fb
    try:
        given = {str(k).strip().lower(): ex.normalize_label(v) for k, v in dict(answer).items()}
    except (TypeError, ValueError, AttributeError):
        return Feedback("4", False, "Expected a dict or Series mapping customer id to stage name.")
    invalid = sorted({str(v) for v in given.values() if v not in STAGES})
    if invalid:
        return Feedback("4", False, f"Not a valid stage: {', '.join(repr(v) for v in invalid)}; "
                                    f"the stages are {', '.join(STAGES)}.")
    expected = _task4_expected()
    missing = [c for c in expected if c not in given]
    if missing:
        return Feedback("4", False, f"{len(missing)} customer(s) have no stage yet.")
    wrong = [c for c in expected if given[c] != expected[c]]
    if not wrong:
        return Feedback("4", True, "Well done.")
    return Feedback(
        "4", False,
        f"{len(wrong)} of {len(expected)} stages are off. Compare each customer's silence with "
        "their own rhythm (mean gap between purchases, shrunk to the 90-day prior) before using tenure.",
    )


def check_5(answer: Any) -> Feedback:
    """Task 5: share of the January-1997 CDNOW cohort that were repeat buyers by 1997-06-30."""
    t = _task5()
    return ex.compare_number(
        answer, t["right"], task="5", rtol=2e-3, share=True,
        mistakes=[(t["no_cut"], "Count only purchases up to 30 June 1997: the ladder is read "
                                "on that date."),
                  (t["rows"], "Count purchase occasions (same customer, same day = one), "
                              "not rows."),
                  (t["any_day"], "A purchase is a day with a net amount above 0 "
                                 "(to_occasions(..., purchases_only=True)): a zero-amount day is "
                                 "not a purchase, neither for the cohort nor for the count.")],
        hint="The cohort is the customers whose *first* purchase fell in January 1997; of them, "
             "the share with two or more purchase days (net amount > 0) by 30 June 1997.")


def check_6(answer: Any) -> Feedback:
    """Task 6: exit pattern of a relationship that reached stability and ended 3 months into it."""
    return ex.compare_label(answer, "III", task="6", options=["I", "II", "III", "IV"],
                         hint="Which stage did the relationship reach, and did it stay there long? "
                              "Answer with a Roman numeral I-IV.")
