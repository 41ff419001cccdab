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

import pandas as pd

from crmlab import exercises as ex
from crmlab import value
from crmlab.exercises import Feedback

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


def _label(answer: Any, expected: str, task: str, hint: str, aliases: tuple[str, ...] = (),
           options: tuple[str, ...] | None = None) -> Feedback:
    if (fb := ex.missing_answer(task, answer)) is not None:
        return fb
    if not isinstance(answer, str):
        return Feedback(task, False, f"Expected a label (text), got {type(answer).__name__}.")
    if options is None:
        # a plan may be named by its full label or its first word ("Y basic" or "Y")
        options = tuple(plans().index) + tuple(x.split()[0] for x in plans().index)
    return ex.compare_label(answer, expected, task=task, hint=hint, options=options,
                         aliases=(expected.split()[0], *aliases))


# --------------------------------------------------------------------------- task 1
def _abs(vot: float = VALUE_OF_TIME) -> pd.Series:
    return value.delivered_value(plans(), weights=_w(vot))


def check_1a(answer: Any) -> Feedback:
    """Absolute delivered value TCV − TCC of each plan, value of time 30 CNY/h."""
    fb = ex.compare_array(answer, _abs(), task="1a", mistakes=[
        (value.delivered_value(plans()), "Time is in hours: weight it by the value of time "
                                         "before adding it to the other costs."),
        (value.delivered_value(plans(), form="relative", weights=_w()),
         "That is the relative form; the absolute form subtracts.")])
    return _values_off(fb, " TCV adds the four values, TCC the four costs (time × value of time).")


def check_1b(answer: Any) -> Feedback:
    """Relative delivered value TCV / TCC of each plan, value of time 30 CNY/h."""
    fb = ex.compare_array(answer, value.delivered_value(plans(), form="relative", weights=_w()),
                       task="1b", mistakes=[(value.delivered_value(plans(), form="relative"),
                                             "Weight the hours of time by the value of time.")])
    return _values_off(fb, " Divide total value by total cost.")


def _values_off(fb: Feedback, hint: str) -> Feedback:
    """Add ``hint`` when the values are off (not when the shape is)."""
    return Feedback(fb.task, False, fb.message + hint) if fb.message.endswith("off.") else fb


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
    return ex.compare_array(answer, _abs(STUDENT_VALUE_OF_TIME), task="3", mistakes=[
        (_abs(), "These are the values for the 30 CNY/h customer; change the weight on time "
                 "to the student's value of time.")])


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
    gap_abs = float(_abs()["X premium"] - _abs()["Z online"])
    in_absolute_form = ("That closes the gap in the absolute form; the task asks for the "
                        "relative form TCV / TCC.")
    return ex.compare_number(answer, expected, task="5", mistakes=[
        (-expected, "Right size, wrong sign: give the cut as a positive amount."),
        (gap_abs, in_absolute_form), (-gap_abs, in_absolute_form)],
        hint="Plan X's TCV stays; find the TCC at which TCV / TCC equals plan Z's ratio.")


# --------------------------------------------------------------------------- task 6
def _retention() -> float:
    ab = _abs()
    return float(value.retention_from_value(ab["X premium"], ab.drop("X premium").max(),
                                            scale=CHOICE_SCALE))


def check_6a(answer: Any) -> Feedback:
    """Monthly retention of plan X's customer against the best rival plan (logit)."""
    ab = _abs()
    a = ex.as_number(answer)
    if isinstance(a, float) and not 0 <= a <= 1:
        return Feedback("6a", False, "A retention rate is a probability between 0 and 1.")
    wrong_rival = value.retention_from_value(ab["X premium"], ab["Y basic"], scale=CHOICE_SCALE)
    return ex.compare_number(answer, _retention(), task="6a", mistakes=[
        (wrong_rival, "Compare with the *best* rival plan by the absolute form.")],
        hint="r = 1 / (1 + exp(-scale × (TCDV_X − TCDV_rival))).")


def check_6b(answer: Any) -> Feedback:
    """Lifetime value of an acquired plan-X customer over 24 months (crmlab.value.bridge_clv)."""
    ab = _abs()
    args = dict(margin=MARGIN, scale=CHOICE_SCALE, discount=DISCOUNT, horizon=HORIZON)
    rival = ab.drop("X premium").max()
    expected = float(value.bridge_clv(ab["X premium"], rival, **args)["clv"][0])
    prospect = float(value.bridge_clv(ab["X premium"], rival, acquired=False, **args)["clv"][0])
    return ex.compare_number(answer, expected, task="6b", mistakes=[
        (prospect, "The customer is already acquired: the first month is certain (acquired=True).")],
        hint="CLV = margin × Σ_{t=0}^{23} (r / (1 + d))^t.")
