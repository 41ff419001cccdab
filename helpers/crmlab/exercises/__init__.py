"""Answer checkers for the exercise notebooks in ``lessons/exercises/``.

Each chapter has a module ``crmlab.exercises.chNN`` with one ``check_<task>`` function per
task (the notebooks call these, and ``tools/grade.py`` applies the same ones to a class).
A chapter module's names without a leading underscore are its interface (task constants,
task data such as ``task1_log()``, checkers); it has no ``__all__`` to keep in step.
A checker compares the student's answer with the expected one computed from crmlab itself
and returns a :class:`Feedback` that says whether it is right and, if not, gives a hint —
never the answer.

The chapter checkers are built from the ``compare_*`` functions below (named so that they
cannot be mistaken for ``crmlab.validation.check_number``, which validates *parameters*).
They share one normalisation of answers:

- a number may be given as an int, float, numpy scalar, 0-d array or a one-element
  list/array/Series (``np.array([13250.])`` is 13250); text and booleans are not numbers;
- a share (``share=True``) given as a percentage (48.9 for 0.489) gets a hint, as does a
  percentage (``percent=True``) given as a share;
- labels are compared after stripping spaces and ignoring case; Roman numerals I–X and the
  numbers 1–10 are the same label (``"iii" == "III" == 3``);
- a set of labels may be a list, tuple, set, array, Series or a comma-separated string;
- a label outside the task's ``options`` is named as not a valid choice (a typo is not a
  wrong answer);
- a known wrong answer (``mistakes=``: the undiscounted total, the wrong sign, ...) gets its
  own message instead of "too high/low".

Examples
--------
>>> compare_number(12.0, 12.0, task="1a").correct
True
>>> compare_number(10.0, 12.0, task="1a", hint="Did you discount year 1?")
Task 1a: not yet. Your answer is too low. Did you discount year 1?
>>> compare_number(48.9, 0.489, task="5", share=True).message
'Give a share between 0 and 1, not a percentage (e.g. 0.25, not 25).'
>>> compare_label("iii", "III", task="6").correct
True
>>> compare_label("exploraton", "exploration", task="4", options=["exploration", "formation"]).message
"'exploraton' is not a valid choice; choose one of: exploration, formation."
"""

from __future__ import annotations

import numbers
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd

from crmlab.datasets import load_cdnow
from crmlab.errors import CrmlabWarning

__all__ = [
    "Feedback",
    "task_log",
    "quietly",
    "cdnow_log",
    "missing_answer",
    "as_number",
    "normalize_label",
    "compare_number",
    "compare_array",
    "compare_set",
    "compare_label",
]


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


_NO_ANSWER = "No answer yet: replace `...` with your answer."
_WELL_DONE = "Well done."


def task_log(rows: Iterable[tuple[Any, str, float]]) -> pd.DataFrame:
    """A small transaction log for a task, from ``(customer_id, date, amount)`` rows.

    >>> task_log([("ana", "2024-01-02", 10.0)]).dtypes["date"]
    dtype('<M8[ns]')
    """
    df = pd.DataFrame(list(rows), columns=["customer_id", "date", "amount"])
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    return df


T = TypeVar("T")


def quietly(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` with crmlab's notes (:class:`CrmlabWarning`) silenced.

    A checker computing its expected value needs no notes; the student sees them in their
    own run.

    >>> quietly(sum, [1, 2])
    3
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CrmlabWarning)
        return fn(*args, **kwargs)


@lru_cache(maxsize=2)
def cdnow_log(kind: Literal["master", "sample"] = "master") -> pd.DataFrame:
    """:func:`crmlab.datasets.load_cdnow`, read once per session for every chapter's checkers.

    The frame is shared between checkers: they read it and never change it.

    >>> len(cdnow_log("sample"))
    6919
    """
    return load_cdnow(kind)


def missing_answer(task: str, answer: Any) -> Feedback | None:
    """Feedback for an unfilled answer (``None`` or ``...``), else None.

    >>> missing_answer("2", ...).message
    'No answer yet: replace `...` with your answer.'
    """
    if answer is None or answer is Ellipsis:
        return Feedback(task, False, _NO_ANSWER)
    return None


def as_number(answer: Any) -> float | str:
    """The answer as a float, or a message saying why it is not a number.

    Accepts ints, floats, numpy scalars, 0-d arrays and one-element lists, tuples,
    arrays, Series or DataFrames; rejects text, booleans and longer collections.

    >>> as_number(np.array([13250.0])), as_number([2]), as_number("12")
    (13250.0, 2.0, 'Give a number, not text (remove the quotes).')
    """
    if isinstance(answer, (pd.Series, pd.DataFrame)):
        answer = answer.to_numpy()
    if isinstance(answer, (list, tuple, np.ndarray)):
        try:
            arr = np.asarray(answer, dtype=object).ravel()
        except (TypeError, ValueError):
            return "Expected a single number."
        if arr.size != 1:
            return f"Expected a single number, got {arr.size} values."
        answer = arr[0]
    if isinstance(answer, (bool, np.bool_)):
        return "Expected a number, got True/False."
    if isinstance(answer, (str, bytes)):
        return "Give a number, not text (remove the quotes)."
    if not isinstance(answer, numbers.Real):
        return f"Expected a number, got {type(answer).__name__}."
    value = float(answer)
    if not np.isfinite(value):
        return "Your answer is not a finite number."
    return value


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def normalize_label(label: Any) -> Any:
    """One spelling per label: stripped, case-folded, single spaces; Roman numerals as ints.

    Integral numbers become ``int`` (so ``4``, ``4.0``, ``np.int64(4)`` and ``"4"`` agree).

    >>> normalize_label("  Stability "), normalize_label("iii"), normalize_label(np.float64(4.0))
    ('stability', 3, 4)
    """
    if isinstance(label, (bool, np.bool_)):
        return bool(label)
    if isinstance(label, bytes):
        label = label.decode("utf-8", "replace")
    if isinstance(label, str):
        text = re.sub(r"\s+", " ", label.strip().casefold())
        if text in _ROMAN:
            return _ROMAN[text]
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        return text
    if isinstance(label, numbers.Integral):
        return int(label)
    if isinstance(label, numbers.Real) and float(label).is_integer():
        return int(label)
    return label


def compare_number(
    answer: Any,
    expected: float,
    *,
    task: str,
    rtol: float = 1e-3,
    atol: float = 1e-9,
    hint: str = "",
    share: bool = False,
    percent: bool = False,
    mistakes: Iterable[tuple[float, str]] = (),
    mistake_rtol: float | None = None,
) -> Feedback:
    """Compare a numeric answer within ``rtol``/``atol``; say too high or too low.

    ``share=True``: the expected value is a share (0–1) and a percentage gets a hint;
    ``percent=True``: the expected value is in percent and a share gets a hint.
    ``mistakes`` are known wrong answers as ``(value, message)`` pairs: an answer within
    ``mistake_rtol`` (default ``rtol``) and ``atol`` of such a value gets its message instead
    of "too high/low" (checked after the right answer and the share/percent hints).

    >>> compare_number([5.0], 5, task="2").correct
    True
    >>> compare_number(-5.0, 5, task="2", mistakes=[(-5, "Wrong sign.")]).message
    'Wrong sign.'
    """
    if (fb := missing_answer(task, answer)) is not None:
        return fb
    value = as_number(answer)
    if isinstance(value, str):
        return Feedback(task, False, value)
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return Feedback(task, True, _WELL_DONE)
    if share and np.isclose(value, 100 * expected, rtol=rtol, atol=100 * atol):
        return Feedback(task, False, "Give a share between 0 and 1, not a percentage "
                                     "(e.g. 0.25, not 25).")
    if percent and expected != 0 and np.isclose(100 * value, expected, rtol=rtol, atol=atol):
        return Feedback(task, False, "Give the value in percent, not as a share "
                                     "(e.g. 25, not 0.25).")
    for wrong, message in mistakes:
        if np.isclose(value, wrong, rtol=rtol if mistake_rtol is None else mistake_rtol, atol=atol):
            return Feedback(task, False, message)
    direction = "too high" if value > expected else "too low"
    return Feedback(task, False, f"Your answer is {direction}. {hint}".strip())


def compare_array(
    answer: Any, expected: Any, *, task: str, rtol: float = 1e-3, hint: str = "",
    mistakes: Iterable[tuple[Any, str]] = (), mistake_rtol: float | None = None,
) -> Feedback:
    """Compare an array/list/Series of numbers: shape first, then values.

    A Series answer whose labels match an expected Series is put in the expected order.
    ``mistakes`` are known wrong answers as ``(values, message)`` pairs, matched (within
    ``mistake_rtol``, default ``rtol``) after the shape and the right answer.

    >>> compare_array([1.0, 2.0], [1, 2], task="4a").correct
    True
    """
    if (fb := missing_answer(task, answer)) is not None:
        return fb
    if (isinstance(answer, pd.Series) and isinstance(expected, pd.Series)
            and set(answer.index) == set(expected.index)):
        answer = answer.reindex(expected.index)
    try:
        raw = answer.to_numpy() if isinstance(answer, (pd.Series, pd.DataFrame)) else answer
        if isinstance(raw, (str, bytes)):
            raise TypeError
        a = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        return Feedback(task, False, "Expected numbers only (a list, array or Series).")
    e = np.asarray(expected, dtype=float)
    if a.shape != e.shape and a.size == e.size:
        a = a.reshape(e.shape)  # a column or row of the right length is fine
    if a.shape != e.shape:
        return Feedback(task, False, f"Expected shape {e.shape}, got {a.shape}. {hint}".strip())
    wrong = ~np.isclose(a, e, rtol=rtol, atol=1e-9)
    if not wrong.any():
        return Feedback(task, True, _WELL_DONE)
    for values, message in mistakes:
        m = np.asarray(values, dtype=float)
        if m.shape == e.shape and np.allclose(a, m, rtol=rtol if mistake_rtol is None else mistake_rtol):
            return Feedback(task, False, message)
    return Feedback(
        task, False, f"{int(wrong.sum())} of {wrong.size} values are off. {hint}".strip()
    )


def _as_labels(answer: Any) -> list[Any] | None:
    if isinstance(answer, (str, bytes)):
        text = answer.decode() if isinstance(answer, bytes) else answer
        return [x for x in re.split(r"[,;\s]+", text.strip().strip("[](){}")) if x]
    if isinstance(answer, dict):
        return None
    if isinstance(answer, (pd.Series, pd.Index, np.ndarray)):
        return list(np.asarray(answer).ravel())
    if isinstance(answer, Iterable):
        try:
            return list(answer)
        except TypeError:
            return None
    return [answer]  # a single label is a one-item answer


def compare_set(
    answer: Any, expected: Iterable[Any], *, task: str, hint: str = "",
    options: Iterable[Any] | None = None,
) -> Feedback:
    """Compare an unordered collection of labels (customer ids, criterion names).

    Labels are normalised with :func:`normalize_label`; with ``options``, labels outside
    them are named as not valid.

    >>> compare_set("D, a", ["a", "d"], task="3").correct
    True
    """
    if (fb := missing_answer(task, answer)) is not None:
        return fb
    items = _as_labels(answer)
    if items is None:
        return Feedback(task, False, "Expected a list or set of labels.")
    try:
        a = {normalize_label(x) for x in items}
    except TypeError:
        return Feedback(task, False, "Expected a list or set of labels.")
    e = {normalize_label(x) for x in expected}
    if options is not None:
        valid = {normalize_label(o) for o in options}
        bad = sorted(str(x) for x, n in zip(items, (normalize_label(x) for x in items))
                     if n not in valid)
        if bad:
            return Feedback(task, False, f"Not valid here: {', '.join(repr(b) for b in bad)}; "
                                         f"choose from: {', '.join(str(o) for o in options)}.")
    if a == e:
        return Feedback(task, True, _WELL_DONE)
    return Feedback(
        task,
        False,
        f"{len(a - e)} item(s) should not be there and {len(e - a)} are missing. {hint}".strip(),
    )


def compare_label(
    answer: Any, expected: Any, *, task: str, hint: str = "",
    options: Iterable[Any] | None = None, aliases: Iterable[Any] = (),
) -> Feedback:
    """Compare a single label ('b', 'III', 'stability') after :func:`normalize_label`.

    ``options`` are the valid choices: anything else is named as not valid rather than
    wrong. ``aliases`` are other accepted spellings of the expected label.

    >>> compare_label(" B ", "b", task="6").correct
    True
    """
    if (fb := missing_answer(task, answer)) is not None:
        return fb
    if isinstance(answer, (list, tuple, np.ndarray, pd.Series)):
        items = list(np.asarray(answer, dtype=object).ravel())
        if len(items) != 1:
            return Feedback(task, False, "Expected one label, not a list.")
        answer = items[0]
    try:
        given = normalize_label(answer)
        hash(given)
    except TypeError:
        return Feedback(task, False, f"Expected a label, got {type(answer).__name__}.")
    ok = {normalize_label(expected), *(normalize_label(a) for a in aliases)}
    if given in ok:
        return Feedback(task, True, _WELL_DONE)
    if options is not None:
        opts = list(options)
        if given not in {normalize_label(o) for o in opts}:
            return Feedback(task, False, f"{answer!r} is not a valid choice; choose one of: "
                                         f"{', '.join(str(o) for o in opts)}.")
    return Feedback(task, False, hint or "Not this one.")
