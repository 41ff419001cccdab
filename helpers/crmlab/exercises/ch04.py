"""Answer checkers for ``lessons/exercises/04_ahp_customer_value.ipynb``.

Each ``check_*`` compares a student's answer with the value computed by
:mod:`crmlab.ahp` and returns a :class:`~crmlab.exercises.Feedback` with a
hint, never the answer.

Examples
--------
>>> check_1a(...).correct
False
>>> check_2(0.8333 / 0.1667).correct  # 4.9988: the published weights are rounded
True
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from crmlab import ahp
from crmlab import exercises as ex
from crmlab.datasets import load_seed_table
from crmlab.exercises import Feedback

#: Task 1: a manager's judgments on three retention indicators.
TASK1_STATEMENTS: tuple[str, ...] = (
    "repeat purchase rate is 3x as important as complaint rate",
    "repeat purchase rate is 5x as important as price sensitivity",
    "complaint rate is 2x as important as price sensitivity",
)

#: Task 3: an inconsistent 4x4 judgment matrix of criteria a, b, c, d (labelled, so every
#: crmlab.ahp function answers with criterion names).
TASK3_MATRIX = pd.DataFrame(
    [[1.0, 2.0, 4.0, 1 / 3],
     [1 / 2, 1.0, 2.0, 4.0],
     [1 / 4, 1 / 2, 1.0, 2.0],
     [3.0, 1 / 4, 1 / 2, 1.0]],
    index=list("abcd"), columns=list("abcd"),
)
#: Task 5: the indicator dropped from the lubricant segmentation.
TASK5_DROP = "X8"
#: Task 6: how many random 4x4 matrices, and their seed.
TASK6_SIZE = 1000
TASK6_SEED = 0


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
    r = ahp.analyze(ahp.from_statements(list(TASK1_STATEMENTS)))
    return float(r.weights["repeat purchase rate"]), float(r.cr)


def check_1a(answer: Any) -> Feedback:
    """Task 1a: eigenvector weight of the repeat purchase rate."""
    return ex.compare_number(
        answer, _task1()[0], task="1a", rtol=2e-3,
        hint="Build the matrix with ahp.from_statements, then ahp.analyze(...).weights; "
             "weights sum to 1.",
    )


def check_1b(answer: Any) -> Feedback:
    """Task 1b: consistency ratio CR of the task-1 matrix (Saaty 1980 RI)."""
    return ex.compare_number(
        answer, _task1()[1], task="1b", rtol=1e-2, atol=1e-4,
        hint="CR = CI/RI with CI = (λmax − n)/(n − 1) and RI(3) = 0.58; it is a small number.",
    )


def check_2(answer: Any) -> Feedback:
    """Task 2: the 1–9 judgment a12 that gives weights 0.8333 / 0.1667.

    The weights are published to 4 decimals, so w1 / w2 = 4.9988 is as right as 5: the
    tolerance (0.1 %) covers that rounding and nothing else.
    """
    (m,) = ahp.recover_judgments([0.8333, 0.1667])
    return ex.compare_number(
        answer, float(m.iloc[0, 1]), task="2", rtol=1e-3,
        hint="For a 2×2 matrix w1 = a/(1 + a); solve for a.",
    )


def check_3(answer: Any) -> Feedback:
    """Task 3: the pair of criteria whose judgment should be revised first."""
    best = ahp.most_inconsistent_judgment(TASK3_MATRIX).iloc[0]
    names = list(TASK3_MATRIX.index)
    if (isinstance(answer, (list, tuple, np.ndarray, pd.Series)) and len(answer) == 2
            and all(isinstance(ex.normalize_label(x), int) for x in answer)):
        return Feedback("3", False, "Those look like positions; give the two criterion names "
                                    "(ch04.TASK3_MATRIX is labelled a-d, so crmlab.ahp answers "
                                    "with names).")
    return ex.compare_set(
        answer, {best["row"], best["col"]}, task="3", options=names,
        hint="Give the two criterion names, e.g. ['a', 'b']. Use ahp.most_inconsistent_judgment, "
             "or look for the judgment that contradicts the chain a > b > c.",
    )


def check_4(answer: Any) -> Feedback:
    """Task 4: global weight of 'trust' in the task-4 hierarchy."""
    g = ahp.global_weights(task4_tree()).set_index("node")["global_weight"]
    return ex.compare_number(
        answer, float(g["trust"]), task="4", rtol=2e-3,
        hint="Multiply down the tree: weight of potential value × local weight of trust.",
    )


def task5_segments(customers: pd.DataFrame, drop: str | None = None) -> pd.DataFrame:
    """Task 5: the paper's segmentation of ``customers`` (X1..X12), indicator ``drop`` left out.

    z-scores, the 12 published global weights, current = X1..X7, potential = X8..X12
    (:func:`crmlab.ahp.value_segments`). The checker applies it to the bundled table;
    ``tools/make_reconstructed_ahp.py`` applies it to each candidate table, so that the
    table it keeps gives this exercise its answer.

    >>> from crmlab.ahp import load_customers
    >>> task5_segments(load_customers(), "X8").loc[3, "segment"]
    'low current / low potential'
    """
    tab = load_seed_table("ahp_weights")
    w = tab.dropna(subset=["global_weight"]).set_index("node")["global_weight"]
    groups = {"current": [f"X{k}" for k in range(1, 8)],
              "potential": [f"X{k}" for k in range(8, 13)]}
    if drop is not None:
        customers, w = customers.drop(columns=drop), w.drop(drop)
        groups = {g: [c for c in cols if c != drop] for g, cols in groups.items()}
    return ahp.value_segments(customers, w, groups, standardize="zscore")


@lru_cache(maxsize=1)
def _task5() -> set[int]:
    x = ahp.load_customers()
    before, after = task5_segments(x)["segment"], task5_segments(x, TASK5_DROP)["segment"]
    return set(before.index[before != after])


def check_5(answer: Any) -> Feedback:
    """Task 5: customers whose segment changes when indicator TASK5_DROP is left out."""
    if isinstance(answer, (list, tuple, set, np.ndarray, pd.Index)) and len(answer) == 0:
        return Feedback("5", False, "At least one customer changes segment. Leave out the "
                                    "indicator's column *and* its weight, then compare the "
                                    "segment column with the paper's.")
    return ex.compare_set(
        answer, _task5(), task="5", options=list(ahp.load_customers().index),
        hint="Run ahp.value_segments twice (z-scores, published weights): once with all 12 "
             "indicators, once without the dropped one (its column, its weight and its place in "
             "the potential group), and compare the two segment columns.",
    )


@lru_cache(maxsize=1)
def _task6() -> dict[str, float]:
    stack = ahp.random_reciprocal_matrices(TASK6_SIZE, 4, seed=TASK6_SEED)
    top = {m: ahp.batch_analyze(stack, m).weights.argmax(axis=1)
           for m in ("eigenvector", "geometric_mean", "column_average")}
    return {"right": float((top["eigenvector"] != top["geometric_mean"]).mean()),
            "column": float((top["eigenvector"] != top["column_average"]).mean())}


def check_6(answer: Any) -> Feedback:
    """Task 6: share of random 4×4 matrices where eigenvector and geometric mean pick a
    different most important criterion."""
    t = _task6()
    return ex.compare_number(
        answer, t["right"], task="6", rtol=0, atol=0.5 / TASK6_SIZE, share=True, mistakes=[
            (t["column"], "That compares the eigenvector with the column average; the task asks "
                          "for the geometric mean."),
            (1 - t["right"], "That is the share where the two methods *agree*.")],
        hint="Use ahp.batch_analyze(stack, method).weights for both methods and compare the "
             "position of the largest weight in each row.")
