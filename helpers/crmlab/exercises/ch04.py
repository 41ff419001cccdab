"""Answer checkers for ``lessons/exercises/04_ahp_customer_value.ipynb``.

Each ``check_*`` compares a student's answer with the value computed by
:mod:`crmlab.ahp` and returns a :class:`~crmlab.exercises.Feedback` with a
hint, never the answer.

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

from crmlab.exercises import Feedback, check_choice_answer, check_number, check_set

__all__ = [
    "TASK1_STATEMENTS",
    "TASK3_MATRIX",
    "task4_tree",
    "check_1a",
    "check_1b",
    "check_2",
    "check_3",
    "check_4",
    "check_5",
    "check_6",
]

#: Task 1: a manager's judgments on three retention indicators.
TASK1_STATEMENTS: tuple[str, ...] = (
    "repeat purchase rate is 3x as important as complaint rate",
    "repeat purchase rate is 5x as important as price sensitivity",
    "complaint rate is 2x as important as price sensitivity",
)

#: Task 3: an inconsistent 4x4 judgment matrix (criteria a, b, c, d).
TASK3_MATRIX: tuple[tuple[float, ...], ...] = (
    (1.0, 2.0, 4.0, 1 / 3),
    (1 / 2, 1.0, 2.0, 4.0),
    (1 / 4, 1 / 2, 1.0, 2.0),
    (3.0, 1 / 4, 1 / 2, 1.0),
)


def task4_tree() -> dict[str, Any]:
    """The hierarchy of task 4 as nested dicts (see :func:`crmlab.ahp.global_weights`).

    >>> task4_tree()["name"]
    'customer value'
    """
    return {
        "name": "customer value", "matrix": [[1, 3], [1 / 3, 1]], "children": [
            {"name": "current value", "matrix": [[1, 4], [1 / 4, 1]],
             "children": ["profit", "volume"]},
            {"name": "potential value", "matrix": [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]],
             "children": ["loyalty", "trust", "referrals"]},
        ]}


@lru_cache(maxsize=1)
def _task1() -> tuple[float, float]:
    from crmlab.ahp import analyze, from_statements

    r = analyze(from_statements(list(TASK1_STATEMENTS)))
    return float(r.weights["repeat purchase rate"]), float(r.cr)


def check_1a(answer: Any) -> Feedback:
    """Task 1a: eigenvector weight of the repeat purchase rate."""
    return check_number(
        answer, _task1()[0], task="1a", rtol=2e-3,
        hint="Build the matrix with ahp.from_statements, then ahp.analyze(...).weights; "
             "weights sum to 1.",
    )


def check_1b(answer: Any) -> Feedback:
    """Task 1b: consistency ratio CR of the task-1 matrix (Saaty 1980 RI)."""
    return check_number(
        answer, _task1()[1], task="1b", rtol=1e-2, atol=1e-4,
        hint="CR = CI/RI with CI = (λmax − n)/(n − 1) and RI(3) = 0.58; it is a small number.",
    )


def check_2(answer: Any) -> Feedback:
    """Task 2: the 1–9 judgment a12 that gives weights 0.8333 / 0.1667."""
    from crmlab.ahp import recover_judgments

    (m,) = recover_judgments([0.8333, 0.1667])
    return check_number(
        answer, float(m.iloc[0, 1]), task="2", rtol=1e-6,
        hint="For a 2×2 matrix w1 = a/(1 + a); solve for a.",
    )


def check_3(answer: Any) -> Feedback:
    """Task 3: the pair of criteria whose judgment should be revised first."""
    from crmlab.ahp import most_inconsistent_judgment

    m = pd.DataFrame(np.array(TASK3_MATRIX), index=list("abcd"), columns=list("abcd"))
    best = most_inconsistent_judgment(m).iloc[0]
    if isinstance(answer, str):
        answer = [x for x in answer.replace(",", " ").split() if x]
    return check_set(
        answer, {best["row"], best["col"]}, task="3",
        hint="Give the two criterion names, e.g. ['a', 'b']. Use ahp.most_inconsistent_judgment, "
             "or look for the judgment that contradicts the chain a > b > c.",
    )


def check_4(answer: Any) -> Feedback:
    """Task 4: global weight of 'trust' in the task-4 hierarchy."""
    from crmlab.ahp import global_weights

    g = global_weights(task4_tree()).set_index("node")["global_weight"]
    return check_number(
        answer, float(g["trust"]), task="4", rtol=2e-3,
        hint="Multiply down the tree: weight of potential value × local weight of trust.",
    )


@lru_cache(maxsize=1)
def _task5() -> set[int]:
    from crmlab.ahp import load_reconstructed_customers, value_segments
    from crmlab.datasets import load_seed_table

    x = load_reconstructed_customers()
    tab = load_seed_table("ahp_weights")
    w = tab.dropna(subset=["global_weight"]).set_index("node")["global_weight"]
    groups = {"current": [f"X{k}" for k in range(1, 8)],
              "potential": [f"X{k}" for k in range(8, 13)]}
    seg = value_segments(x, w, groups, standardize="minmax")
    return set(seg.index[(seg.current_level == "low") & (seg.potential_level == "high")])


def check_5(answer: Any) -> Feedback:
    """Task 5: customers with low current but high potential value under min–max scaling."""
    if answer is not None and answer is not Ellipsis:
        try:
            answer = {int(a) for a in answer}
        except (TypeError, ValueError):
            return Feedback("5", False, "Expected a list of customer numbers, e.g. [1, 2].")
    return check_set(
        answer, _task5(), task="5",
        hint="Use ahp.value_segments(..., standardize='minmax') and read current_level and "
             "potential_level.",
    )


def check_6(answer: Any) -> Feedback:
    """Task 6: which two weighting methods always agree for 3×3 matrices."""
    return check_choice_answer(
        answer, "b", task="6",
        hint="Try a few random 3×3 matrices with ahp.random_reciprocal_matrices and compare "
             "ahp.priority_vector under each method.",
    )
