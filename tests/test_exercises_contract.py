"""The contract every exercise checker keeps, for every chapter (discovered, not listed).

A checker is ``crmlab.exercises.chNN.check_<task>(answer) -> Feedback``. Whatever a student
types, it answers with feedback, never a traceback; an unfilled ``...`` (or ``None``) gets
"No answer yet", never a verdict. Chapter files test the right/wrong answers themselves.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import crmlab.exercises
from crmlab.exercises import Feedback

CHECKERS = [
    (f"{mod.name}.{name}", fn)
    for mod in pkgutil.iter_modules(crmlab.exercises.__path__)
    if mod.name.startswith("ch")
    for name, fn in vars(importlib.import_module(f"crmlab.exercises.{mod.name}")).items()
    if name.startswith("check_") and callable(fn)
    and fn.__module__ == f"crmlab.exercises.{mod.name}"
]


def test_every_chapter_has_checkers():
    chapters = {name.split(".")[0] for name, _ in CHECKERS}
    assert chapters >= {f"ch0{n}" for n in range(1, 8)}


@pytest.mark.parametrize(("name", "check"), CHECKERS, ids=[n for n, _ in CHECKERS])
def test_unfilled_answer_says_so(name, check):
    for blank in (..., None):
        fb = check(blank)
        assert isinstance(fb, Feedback) and not fb.correct
        assert "No answer yet" in fb.message and "replace `...`" in fb.message


@pytest.mark.parametrize(("name", "check"), CHECKERS, ids=[n for n, _ in CHECKERS])
def test_nonsense_answer_gets_feedback_not_a_traceback(name, check):
    for nonsense in ("not an answer", object(), [[1, 2], [3]], float("nan")):
        fb = check(nonsense)
        assert isinstance(fb, Feedback) and not fb.correct, (name, nonsense)
