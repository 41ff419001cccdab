"""Answer checkers for ``lessons/exercises/05_segmentation.ipynb``.

Each ``check_*`` compares a student's answer with the value computed by
:mod:`crmlab.rfm` / :mod:`crmlab.segmentation` and returns a
:class:`~crmlab.exercises.Feedback` with a hint, never the answer.

Examples
--------
>>> check_1a(...).correct
False
>>> check_6("b").correct
True
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from crmlab import exercises as ex
from crmlab import rfm, segmentation
from crmlab.exercises import Feedback

#: Analysis date of task 1.
TASK1_AS_OF = "2024-06-30"
#: Purchase counts of ten customers in task 4.
TASK4_VALUES = (1, 1, 1, 1, 1, 1, 2, 2, 3, 7)


def task1_log() -> pd.DataFrame:
    """The purchase log of task 1 (crmlab schema); one purchase is after the analysis date.

    >>> task1_log()["customer_id"].unique().tolist()
    ['kim', 'lee']
    """
    rows = [
        ("kim", "2024-01-15 10:02", 19.99),
        ("kim", "2024-01-15 16:40", 5.01),
        ("kim", "2024-03-02 09:00", 0.10),
        ("kim", "2024-05-20 12:30", 0.20),
        ("kim", "2024-07-04 11:00", 99.00),
        ("lee", "2024-02-01 08:00", 42.00),
    ]
    return ex.task_log(rows)


@lru_cache(maxsize=1)
def _task1() -> dict[str, float]:
    row = ex.quietly(rfm.rfm_table, task1_log(), TASK1_AS_OF).loc["kim"]
    return {"f": float(row["frequency"]), "r": float(row["recency"]), "m": float(row["monetary"])}


@lru_cache(maxsize=1)
def _cdnow_value() -> np.ndarray:
    return ex.quietly(rfm.rfm_table, ex.cdnow_log("master"))["monetary"].to_numpy()


def check_1a(answer: Any) -> Feedback:
    """Task 1a: kim's frequency (purchase occasions up to the analysis date)."""
    return ex.compare_number(answer, _task1()["f"], task="1a", rtol=0, atol=1e-9,
                          hint="Count purchase occasions: rows of the same day are one purchase, "
                               "and purchases after the analysis date do not count.")


def check_1b(answer: Any) -> Feedback:
    """Task 1b: kim's recency in days on the analysis date."""
    return ex.compare_number(answer, _task1()["r"], task="1b", rtol=0, atol=1e-9,
                        hint="Days from kim's last purchase on or before 30 June 2024 to 30 June "
                             "2024 (times of day do not matter).")


def check_1c(answer: Any) -> Feedback:
    """Task 1c: kim's monetary total, exact to the cent."""
    return ex.compare_number(answer, _task1()["m"], task="1c", rtol=0, atol=0.005,
                        hint="Add every amount up to and including the analysis date; keep the cents.")


def check_2a(answer: Any) -> Feedback:
    """Task 2a: share of CDNOW revenue held by the top 20% of customers (a fraction)."""
    expected = segmentation.top_share(_cdnow_value(), 0.2)
    return ex.compare_number(answer, expected, task="2a", rtol=0.005, share=True,
                        hint="Sum spend per customer first, sort customers by it, and take the "
                             "largest 20% of customers.")


def check_2b(answer: Any) -> Feedback:
    """Task 2b: Gini coefficient of CDNOW revenue per customer."""
    return ex.compare_number(answer, segmentation.gini(_cdnow_value()), task="2b", rtol=0.005,
                        hint="One value per customer; G = sum (2i - n - 1) x_(i) / (n sum x) "
                             "with values sorted ascending.")


def check_3a(answer: Any) -> Feedback:
    """Task 3a: airline M score of an average spend of exactly 5000 CNY."""
    return ex.compare_number(answer, 5, task="3a", rtol=0, atol=1e-9,
                        hint="5000 is printed in two bands; read 以上 the way the chapter does "
                             "(rfm.airline_rule_table() shows the intervals crmlab uses).")


def check_3b(answer: Any) -> Feedback:
    """Task 3b: airline RFM cell of the customer described in the notebook."""
    days = pd.date_range("2022-08-01", periods=23, freq="14D")
    log = pd.DataFrame({"customer_id": "x", "date": list(days) + [pd.Timestamp("2024-05-30")],
                        "amount": 500.5})
    expected = rfm.airline_scores(log, as_of="2024-06-30").loc["x", "cell"]
    return ex.compare_label(answer, expected, task="3b",
                               hint="Work through the edges one by one: exactly one month ago, "
                                    "exactly 24 flights, an average of 500.50 CNY. "
                                    "Write the cell as a string like '321'.")


def check_4a(answer: Any) -> Feedback:
    """Task 4a: tie-safe quantile F scores (method 'lower') of TASK4_VALUES."""
    expected = rfm.quantile_scores(list(TASK4_VALUES), warn=False).to_numpy()
    fb = ex.compare_array(answer, expected, task="4a",
                     hint="Equal values must get equal scores: a block of ties takes the score of "
                          "its first rank, 1 + floor(5 (r_min - 1) / n).")
    if fb.correct or answer is None or answer is Ellipsis:
        return fb
    try:
        a = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return fb
    vals = np.asarray(TASK4_VALUES)
    if a.shape == vals.shape and any(len(set(a[vals == v])) > 1 for v in set(TASK4_VALUES)):
        return Feedback("4a", False, "Some equal values got different scores: keep ties together.")
    return fb


def check_4b(answer: Any) -> Feedback:
    """Task 4b: the set of F scores that no customer receives."""
    expected = rfm.quantile_scores(list(TASK4_VALUES), warn=False).attrs["scores"]["empty"]
    return ex.compare_set(answer, expected, task="4b",
                     hint="List the scores 1..5 that do not appear in your answer to 4a.")


def check_5(answer: Any) -> Feedback:
    """Task 5: deposit tier of a customer with exactly 200,000 CNY."""
    expected = str(segmentation.deposit_tiers([200_000])[0])
    return ex.compare_label(answer, expected, task="5",
                               hint="The bands are left-closed: a balance on a boundary belongs to "
                                    "the band that starts there.")


def check_6(answer: Any) -> Feedback:
    """Task 6: which class does ABC analysis overlook (a MVC, b MGC, c below-zero)?"""
    return ex.compare_label(answer, "b", task="6",
                               hint="ABC looks only at current contribution. Which class has low "
                                    "value today but high potential?")
