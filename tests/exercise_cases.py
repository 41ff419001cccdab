"""The right/wrong answer tests every chapter's checker file shares (one home, no copies).

A chapter file lists ``CHECKS`` (task -> checker), ``RIGHT`` and ``WRONG`` answers, and says
which spellings of the right answer a hint must not give away; then::

    test_right_answer_passes, test_wrong_answer_fails_with_hint_not_answer = right_and_wrong(
        CHECKS, RIGHT, WRONG, hidden=...)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from crmlab.exercises import Feedback


def number_spellings(value: float, places: tuple[int, ...] = (2, 3)) -> list[str]:
    """How a hint could print ``value``: fixed decimals, and whole numbers for large values."""
    shown = [f"{value:.{p}f}" for p in places]
    if abs(value) > 10:
        shown += [f"{value:,.0f}", f"{value:.0f}"]
    return shown


def right_and_wrong(checks: Mapping[str, Callable[[Any], Feedback]], right: Mapping[str, Any],
                    wrong: Mapping[str, Any], *,
                    hidden: Callable[[str, Any], list[str]]) -> tuple[Callable, Callable]:
    """The two parametrised tests: the right answer passes; a wrong one fails with a hint
    (a message of some length) that contains none of ``hidden(task, right[task])``."""

    @pytest.mark.parametrize("task", list(checks))
    def test_right_answer_passes(task):
        fb = checks[task](right[task])
        assert isinstance(fb, Feedback) and fb.correct, fb

    @pytest.mark.parametrize("task", list(checks))
    def test_wrong_answer_fails_with_hint_not_answer(task):
        fb = checks[task](wrong[task])
        assert isinstance(fb, Feedback) and not fb.correct, fb
        assert len(fb.message) > 10, fb.message
        for s in hidden(task, right[task]):
            assert s not in fb.message, (task, s, fb.message)

    return test_right_answer_passes, test_wrong_answer_fails_with_hint_not_answer
