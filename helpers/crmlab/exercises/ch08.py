"""Answer checkers for ``lessons/exercises/08_at_scale.ipynb``.

Each ``check_*`` compares a student's answer with the value computed by
:mod:`crmlab.engines` and returns a :class:`~crmlab.exercises.Feedback` with a
hint, never the answer.

Examples
--------
>>> check_1(...).correct
False
>>> check_3("customer_id").correct
True
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from crmlab import exercises as ex
from crmlab.engines import engine_summary
from crmlab.exercises import Feedback

#: The last day summarised in task 1.
TASK1_AS_OF = "2024-03-31"
#: The calibration end of task 2 (the literature's CDNOW split).
CALIBRATION_END = "1997-09-30"


def task1_log() -> pd.DataFrame:
    """The log of task 1: one customer, a same-day return and a later return.

    >>> len(task1_log())
    6
    """
    rows = [
        ("mei", "2024-03-01 10:00", 25.00),
        ("mei", "2024-03-01 16:30", -25.00),
        ("mei", "2024-03-05 09:15", 12.50),
        ("mei", "2024-03-05 19:40", 7.50),
        ("mei", "2024-03-20 11:00", -7.50),
        ("mei", "2024-04-02 14:00", 30.00),
    ]
    return ex.task_log(rows)


def _task1_expected() -> list[float]:
    full, _ = ex.quietly(engine_summary, task1_log(), as_of=TASK1_AS_OF)
    return [float(full.loc["mei", "purchases"]), float(full.loc["mei", "total_spend"])]


def check_1(answer: Any) -> Feedback:
    """Task 1: [purchases, total_spend] of customer "mei" up to TASK1_AS_OF."""
    return ex.compare_array(answer, _task1_expected(), task="1", rtol=1e-9,
                       hint="Merge each day's rows into one net amount first; a purchase is a day "
                            "with net amount > 0; total spend counts every row up to the end of "
                            "as_of, returns included; 2 April is after as_of.")


@lru_cache(maxsize=1)
def _repeat_buyers() -> int:
    full, _ = ex.quietly(engine_summary, ex.cdnow_log("master"), as_of=CALIBRATION_END)
    return int((full["purchases"] >= 2).sum())


def check_2(answer: Any) -> Feedback:
    """Task 2: CDNOW master customers with two or more purchase days up to CALIBRATION_END."""
    return ex.compare_number(answer, float(_repeat_buyers()), task="2", rtol=0, atol=0.5,
                        hint="Run engines.engine_summary on the Parquet copy with "
                             "as_of=CALIBRATION_END and count customers with purchases >= 2 "
                             "(purchase days, not rows).")


def check_3(answer: Any) -> Feedback:
    """Task 3: the column to bucket a cluster's log by so the summary needs no shuffle."""
    if isinstance(answer, str):
        answer = answer.strip().strip("`'\"")
    return ex.compare_label(answer, "customer_id", task="3",
                         options=["date", "customer_id", "amount"],
                         hint="Which key do the summary's GROUP BYs have in common?")
