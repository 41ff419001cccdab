"""Answer checkers for ``lessons/exercises/02_delivered_value.ipynb``.

The exercise compares three mobile-phone plans (a premium plan, a basic plan and an
online-only plan) as seen by one customer. Values and costs are in CNY-equivalent per
month except ``time``, which is in hours per month (store visits, hotline queues,
self-service set-up) and is turned into CNY by the customer's value of time.

Each ``check_*`` function returns a :class:`~crmlab.exercises.Feedback`; a wrong
answer gets a hint, never the answer.

Examples
--------
>>> from crmlab.exercises import ch02
>>> ch02.check_1a(...)
Task 1a: not yet. No answer yet: replace `...` with your answer.
>>> ch02.plans().shape
(3, 8)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab import value
from crmlab.exercises import (
    Feedback,
    as_number,
    compare_array,
    compare_label,
    compare_number,
    missing_answer,
)

__all__ = [
    "VALUE_OF_TIME",
    "STUDENT_VALUE_OF_TIME",
    "CHOICE_SCALE",
    "MARGIN",
    "DISCOUNT",
    "HORIZON",
    "plans",
    "check_1a",
    "check_1b",
    "check_2a",
    "check_2b",
    "check_3",
    "check_4",
    "check_5",
    "check_6a",
    "check_6b",
]

#: CNY per hour: the customer's value of time (weight on the ``time`` component).
VALUE_OF_TIME = 30.0
#: CNY per hour for a student with more time than money (task 3).
STUDENT_VALUE_OF_TIME = 5.0
#: Logit sensitivity to delivered value, per CNY (task 6).
CHOICE_SCALE = 0.02
#: Operator's margin per customer per month, CNY (task 6).
MARGIN = 40.0
#: Discount rate per month (task 6).
DISCOUNT = 0.01
#: Months counted in lifetime value (task 6).
HORIZON = 24


def plans() -> pd.DataFrame:
    """The three phone plans: four values and four costs per month.

    >>> plans().loc["X premium", "monetary"]
    np.int64(250)
    """
    return pd.DataFrame(
        {
            "product": [300, 200, 220],
            "service": [60, 20, 10],
            "personnel": [30, 10, 0],
            "image": [60, 20, 30],
            "monetary": [250, 100, 60],
            "time": [2.0, 4.0, 3.0],
            "energy": [20, 30, 30],
            "physical": [10, 10, 0],
        },
        index=pd.Index(["X premium", "Y basic", "Z online"], name="plan"),
    )


def _w(vot: float = VALUE_OF_TIME) -> dict[str, float]:
    return {"time": vot}


def _as_series(answer: Any, expected: pd.Series) -> Any:
    """Put a Series answer in the expected row order when its labels match."""
    if isinstance(answer, pd.Series) and set(answer.index) == set(expected.index):
        return answer.reindex(expected.index)
    return answer


def _close(answer: Any, target: Any) -> bool:
    try:
        a = np.asarray(answer.to_numpy() if isinstance(answer, pd.Series) else answer, float)
        t = np.asarray(target, float)
        return a.shape == t.shape and bool(np.allclose(a, t, rtol=1e-3))
    except (TypeError, ValueError):
        return False


def _label(answer: Any, expected: str, task: str, hint: str, aliases: tuple[str, ...] = (),
           options: tuple[str, ...] | None = None) -> Feedback:
    if (fb := missing_answer(task, answer)) is not None:
        return fb
    if not isinstance(answer, str):
        return Feedback(task, False, f"Expected a label (text), got {type(answer).__name__}.")
    if isinstance(answer, str) and options is None:
        # a plan may be named by its full label or its first word ("Y basic" or "Y")
        options = tuple(plans().index) + tuple(x.split()[0] for x in plans().index)
    return compare_label(answer, expected, task=task, hint=hint, options=options,
                         aliases=(expected.split()[0], *aliases))


# --------------------------------------------------------------------------- task 1
def _abs(vot: float = VALUE_OF_TIME) -> pd.Series:
    return value.delivered_value(plans(), weights=_w(vot))


def check_1a(answer: Any) -> Feedback:
    """Absolute delivered value TCV − TCC of each plan, value of time 30 CNY/h."""
    expected = _abs()
    answer = _as_series(answer, expected)
    fb = compare_array(answer, expected, task="1a")
    if not fb.correct and fb.message.endswith("off."):
        if _close(answer, value.delivered_value(plans())):
            return Feedback("1a", False, "Time is in hours: weight it by the value of time "
                                         "before adding it to the other costs.")
        if _close(answer, value.delivered_value(plans(), form="relative", weights=_w())):
            return Feedback("1a", False, "That is the relative form; the absolute form subtracts.")
        return Feedback("1a", False, fb.message + " TCV adds the four values, TCC the four "
                                                  "costs (time × value of time).")
    return fb


def check_1b(answer: Any) -> Feedback:
    """Relative delivered value TCV / TCC of each plan, value of time 30 CNY/h."""
    expected = value.delivered_value(plans(), form="relative", weights=_w())
    answer = _as_series(answer, expected)
    fb = compare_array(answer, expected, task="1b")
    if not fb.correct and fb.message.endswith("off."):
        if _close(answer, value.delivered_value(plans(), form="relative")):
            return Feedback("1b", False, "Weight the hours of time by the value of time.")
        return Feedback("1b", False, fb.message + " Divide total value by total cost.")
    return fb


# --------------------------------------------------------------------------- task 2
def check_2a(answer: Any) -> Feedback:
    """Label of the best plan by the absolute form."""
    return _label(answer, str(_abs().idxmax()), "2a",
                  "Not this one: look for the largest TCV − TCC from task 1a.")


def check_2b(answer: Any) -> Feedback:
    """Label of the best plan by the relative form."""
    best = value.delivered_value(plans(), form="relative", weights=_w()).idxmax()
    return _label(answer, str(best), "2b",
                  "Not this one: look for the largest TCV / TCC from task 1b.")


# --------------------------------------------------------------------------- task 3
def check_3(answer: Any) -> Feedback:
    """Absolute delivered value of each plan for a student valuing time at 5 CNY/h."""
    expected = _abs(STUDENT_VALUE_OF_TIME)
    answer = _as_series(answer, expected)
    fb = compare_array(answer, expected, task="3")
    if not fb.correct and _close(answer, _abs()):
        return Feedback("3", False, "These are the values for the 30 CNY/h customer; change "
                                    "the weight on time to the student's value of time.")
    return fb


# --------------------------------------------------------------------------- task 4
def check_4(answer: Any) -> Feedback:
    """The cost component with the widest tornado bar for plan Y (±10 %, absolute form)."""
    sens = value.sensitivity(plans(), offer="Y basic", weights=_w())
    best = str(sens[sens["side"] == "cost"]["swing"].idxmax())
    if isinstance(answer, str) and answer.strip().lower() in {"monetary", "monetary cost"} and best != "monetary":
        return Feedback("4", False, "Compare the costs in CNY, not in their own units: the "
                                    "weight on time matters.")
    costs = tuple(value.COST_COMPONENTS)
    return _label(answer, best, "4", "Not this one: run crmlab.value.sensitivity for plan Y and "
                                     "compare the swings of the cost components.",
                  aliases=(f"{best} cost",),
                  options=costs + tuple(f"{c} cost" for c in costs) + tuple(value.VALUE_COMPONENTS))


# --------------------------------------------------------------------------- task 5
def _price_cut() -> float:
    target = value.delivered_value(plans(), form="relative", weights=_w())["Z online"]
    need = value.required_change(plans(), target=target, form="relative", weights=_w())
    return float(-need.loc["X premium", "monetary"])


def check_5(answer: Any) -> Feedback:
    """CNY by which plan X must cut its monthly fee to match plan Z's TCV / TCC (positive)."""
    expected = _price_cut()
    if (fb := missing_answer("5", answer)) is not None:
        return fb
    a = as_number(answer)
    if isinstance(a, str):
        return Feedback("5", False, a)
    if np.isclose(a, -expected, rtol=1e-3):
        return Feedback("5", False, "Right size, wrong sign: give the cut as a positive amount.")
    gap_abs = float(_abs()["X premium"] - _abs()["Z online"])
    if np.isclose(abs(a), gap_abs, rtol=1e-3):
        return Feedback("5", False, "That closes the gap in the absolute form; the task asks "
                                    "for the relative form TCV / TCC.")
    return compare_number(a, expected, task="5",
                        hint="Plan X's TCV stays; find the TCC at which TCV / TCC equals plan "
                             "Z's ratio.")


# --------------------------------------------------------------------------- task 6
def _retention() -> float:
    ab = _abs()
    return float(value.retention_from_value(ab["X premium"], ab.drop("X premium").max(),
                                            scale=CHOICE_SCALE))


def check_6a(answer: Any) -> Feedback:
    """Monthly retention of plan X's customer against the best rival plan (logit)."""
    expected = _retention()
    ab = _abs()
    if (fb := missing_answer("6a", answer)) is not None:
        return fb
    wrong_rival = value.retention_from_value(ab["X premium"], ab["Y basic"], scale=CHOICE_SCALE)
    a = as_number(answer)
    if isinstance(a, str):
        return Feedback("6a", False, a)
    if not 0 <= a <= 1:
        return Feedback("6a", False, "A retention rate is a probability between 0 and 1.")
    if np.isclose(a, wrong_rival, rtol=1e-3) and not np.isclose(a, expected, rtol=1e-3):
        return Feedback("6a", False, "Compare with the *best* rival plan by the absolute form.")
    return compare_number(a, expected, task="6a",
                        hint="r = 1 / (1 + exp(-scale × (TCDV_X − TCDV_rival))).")


def check_6b(answer: Any) -> Feedback:
    """Lifetime value of an acquired plan-X customer over 24 months (crmlab.value.bridge_clv)."""
    ab = _abs()
    args = dict(margin=MARGIN, scale=CHOICE_SCALE, discount=DISCOUNT)
    rival = ab.drop("X premium").max()
    expected = float(value.bridge_clv(ab["X premium"], rival, horizon=HORIZON, **args)["clv"][0])
    if (fb := missing_answer("6b", answer)) is not None:
        return fb
    a = as_number(answer)
    if isinstance(a, str):
        return Feedback("6b", False, a)
    prospect = float(value.bridge_clv(ab["X premium"], rival, horizon=HORIZON, acquired=False,
                                      **args)["clv"][0])
    if np.isclose(a, prospect, rtol=1e-3):
        return Feedback("6b", False, "The customer is already acquired: the first month is "
                                     "certain (acquired=True).")
    return compare_number(a, expected, task="6b",
                        hint="CLV = margin × Σ_{t=0}^{23} (r / (1 + d))^t.")
