"""Answer checkers for the exercise notebooks in ``lessons/exercises/``.

Each chapter has a module ``crmlab.exercises.chNN`` with one ``check_*``
function per task. A checker compares the student's answer with the expected
one computed from crmlab itself and returns a :class:`Feedback` that says
whether it is right and, if not, gives a hint — never the answer.

Examples
--------
>>> fb = check_number(12.0, 12.0, task="1a")
>>> fb.correct
True
>>> check_number(10.0, 12.0, task="1a", hint="Did you discount year 1?")
Task 1a: not yet. Your answer is too low. Did you discount year 1?
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Feedback", "missing_answer", "check_number", "check_array", "check_set", "check_choice_answer"]


@dataclass(frozen=True)
class Feedback:
    """Result of a check: ``correct`` plus a message without the answer."""

    task: str
    correct: bool
    message: str

    def __repr__(self) -> str:
        status = "correct" if self.correct else "not yet"
        return f"Task {self.task}: {status}. {self.message}".rstrip()

    def __bool__(self) -> bool:
        return self.correct

    def _repr_markdown_(self) -> str:
        icon = "✅" if self.correct else "❌"
        return f"{icon} **Task {self.task}**: {self.message}"


def missing_answer(task: str, answer: Any) -> Feedback | None:
    """Feedback for an unfilled answer (``None`` or ``...``), else None."""
    if answer is None or answer is Ellipsis:
        return Feedback(task, False, "No answer yet: replace `...` with your answer.")
    return None


def check_number(
    answer: Any,
    expected: float,
    *,
    task: str,
    rtol: float = 1e-3,
    atol: float = 1e-9,
    hint: str = "",
) -> Feedback:
    """Check a numeric answer within a relative tolerance; says too high/low."""
    if (fb := missing_answer(task, answer)) is not None:
        return fb
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Feedback(task, False, f"Expected a number, got {type(answer).__name__}.")
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return Feedback(task, True, "Well done.")
    direction = "too high" if value > expected else "too low"
    return Feedback(task, False, f"Your answer is {direction}. {hint}".strip())


def check_array(
    answer: Any, expected: Any, *, task: str, rtol: float = 1e-3, hint: str = ""
) -> Feedback:
    """Check an array/Series/table of numbers: shape first, then values."""
    if (fb := missing_answer(task, answer)) is not None:
        return fb
    try:
        a = np.asarray(answer.to_numpy() if isinstance(answer, (pd.Series, pd.DataFrame)) else answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback(task, False, "Expected numbers only.")
    e = np.asarray(expected, dtype=float)
    if a.shape != e.shape:
        return Feedback(task, False, f"Expected shape {e.shape}, got {a.shape}. {hint}".strip())
    wrong = ~np.isclose(a, e, rtol=rtol, atol=1e-9)
    if not wrong.any():
        return Feedback(task, True, "Well done.")
    return Feedback(
        task, False, f"{int(wrong.sum())} of {wrong.size} values are off. {hint}".strip()
    )


def check_set(answer: Any, expected: Any, *, task: str, hint: str = "") -> Feedback:
    """Check an unordered collection of labels (e.g. customer ids)."""
    if (fb := missing_answer(task, answer)) is not None:
        return fb
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__"):
        answer = [answer]  # a single label is a one-item answer, not a set of characters
    try:
        a = set(answer)
    except TypeError:
        return Feedback(task, False, "Expected a list or set of labels.")
    e = set(expected)
    if a == e:
        return Feedback(task, True, "Well done.")
    return Feedback(
        task,
        False,
        f"{len(a - e)} item(s) should not be there and {len(e - a)} are missing. {hint}".strip(),
    )


def check_choice_answer(answer: Any, expected: Any, *, task: str, hint: str = "") -> Feedback:
    """Check a single label (e.g. 'A', 'stability'); case-insensitive for strings."""
    if (fb := missing_answer(task, answer)) is not None:
        return fb
    norm = (lambda x: x.strip().lower()) if isinstance(expected, str) else (lambda x: x)
    try:
        ok = norm(answer) == norm(expected)
    except AttributeError:
        ok = False
    return Feedback(task, True, "Well done.") if ok else Feedback(task, False, hint or "Not this one.")




_missing = missing_answer  # old private name, still used by some chapter checkers
