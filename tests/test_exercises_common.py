"""One normalisation of answers for every chapter's checkers (crmlab.exercises.compare_*)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import crmlab.exercises as ex
import crmlab.validation


def test_helpers_are_not_named_like_the_parameter_validator():
    assert not hasattr(ex, "check_number")
    assert crmlab.validation.check_number is not ex.compare_number


@pytest.mark.parametrize("given", [13250, 13250.0, np.float32(13250), np.int64(13250),
                                   np.array(13250.0), np.array([13250.0]), [13250],
                                   pd.Series([13250.0])])
def test_one_number_in_any_container_is_a_number(given):
    assert ex.compare_number(given, 13250.0, task="x").correct


@pytest.mark.parametrize(("given", "says"), [
    ("13250", "not text"), (True, "True/False"), ([1.0, 2.0], "2 values"),
    (float("nan"), "finite"), (object(), "Expected a number"),
])
def test_non_numbers_are_named(given, says):
    fb = ex.compare_number(given, 1.0, task="x")
    assert not fb.correct and says in fb.message


def test_percentages_and_shares_get_the_same_hint_everywhere():
    assert "not a percentage" in ex.compare_number(48.9, 0.489, task="x", share=True).message
    assert "in percent" in ex.compare_number(0.12, 12.0, task="x", percent=True).message
    # without the flag a percentage is just wrong
    assert ex.compare_number(48.9, 0.489, task="x").message.startswith("Your answer is too high")


@pytest.mark.parametrize(("given", "expected"), [
    ("iii", "III"), ("III", 3), (" b ", "B"), (["B"], "b"), (np.array(["stability"]), "Stability"),
    (4.0, 4), ("4", 4),
])
def test_labels_ignore_case_space_and_roman_numerals(given, expected):
    assert ex.compare_label(given, expected, task="x").correct


def test_sets_of_labels_ignore_case_and_container():
    for given in (["b", "h"], {"H", "B"}, "b, h", np.array(["B", "H"]), pd.Series(["h", "b"])):
        assert ex.compare_set(given, ["B", "H"], task="x").correct, given
    assert ex.compare_set([4, 6], [np.int64(6), np.int64(4)], task="x").correct


def test_invalid_labels_are_named_invalid():
    fb = ex.compare_label("exploraton", "exploration", task="x",
                          options=["exploration", "formation"])
    assert not fb.correct and "'exploraton' is not a valid choice" in fb.message
    fb = ex.compare_set(["a", "q"], ["a", "d"], task="x", options=list("abcd"))
    assert "Not valid here: 'q'" in fb.message


def test_known_mistakes_get_their_message_after_the_right_answer_and_the_unit_hint():
    mistakes = [(-0.25, "Wrong sign."), (0.75, "That is the complement.")]
    assert ex.compare_number(0.25, 0.25, task="x", mistakes=mistakes).correct
    assert ex.compare_number(-0.25, 0.25, task="x", mistakes=mistakes).message == "Wrong sign."
    assert ex.compare_number([0.75], 0.25, task="x", mistakes=mistakes).message.startswith("That")
    assert "not a percentage" in ex.compare_number(25, 0.25, task="x", share=True,
                                                   mistakes=[(25, "never")]).message
    # mistake_rtol narrows (or widens) the match around a mistake, not around the answer
    near = ex.compare_number(0.7505, 0.25, task="x", mistakes=mistakes, mistake_rtol=1e-4)
    assert near.message.startswith("Your answer is too high"), near
    fb = ex.compare_array([2.0, 4.0], [1.0, 2.0], task="x", mistakes=[([2, 4], "Doubled.")])
    assert fb.message == "Doubled."
    fb = ex.compare_array([2.0, 4.0], [1.0, 2.0], task="x", mistakes=[([2, 4, 6], "Doubled.")])
    assert fb.message.startswith("2 of 2 values are off"), fb


def test_quietly_silences_crmlab_notes_only():
    import warnings

    from crmlab.errors import CrmlabWarning

    def noisy(x):
        warnings.warn("a note", CrmlabWarning, stacklevel=2)
        return 2 * x

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ex.quietly(noisy, 3) == 6
        with pytest.raises(UserWarning):
            ex.quietly(warnings.warn, "not a crmlab note", UserWarning)


def test_the_shared_cdnow_log_is_not_changed_by_the_checkers():
    from crmlab.datasets import load_cdnow
    from crmlab.exercises import ch01, ch05, ch06, ch07, ch08

    for check in (ch01.check_5, ch05.check_2a, ch06.check_2, ch06.check_4a, ch06.check_5,
                  ch07.check_1b, ch08.check_2):
        check(0.5)
    for kind in ("master", "sample"):
        pd.testing.assert_frame_equal(ex.cdnow_log(kind), load_cdnow(kind))
