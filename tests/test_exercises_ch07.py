"""Tests for the chapter 7 answer checkers (crmlab.exercises.ch07)."""

from __future__ import annotations

from exercise_cases import right_and_wrong

from crmlab.exercises import ch07

RIGHT = {
    "1a": [2.0, 7.0, 12.0],
    "1b": 1882,
    "2a": 0.0549652,
    "2b": 1.2259945,
    "3": "BG/NBD",
    "4": -12.146,
    "5a": 24.65392,
    "5b": 10.85818,
}
WRONG = {
    "1a": [4.0, 7.0, 12.0],   # rows, not occasions
    "1b": 1788,
    "2a": 4.414 / 0.243,
    "2b": 2.0,
    "3": "Pareto/NBD",
    "4": -25.0,
    "5a": 22.345,             # her own mean, not shrunk
    "5b": 36.19,              # margin forgotten
}
CHECKS = {
    "1a": ch07.check_1a, "1b": ch07.check_1b, "2a": ch07.check_2a, "2b": ch07.check_2b,
    "3": ch07.check_3, "4": ch07.check_4, "5a": ch07.check_5a, "5b": ch07.check_5b,
}


def _hidden(task, right):
    if isinstance(right, (int, float)):
        return [f"{right:.{p}f}" for p in (2, 3, 4)]
    if isinstance(right, str):
        return [right] if task != "3" else []  # the hint lists the three model names
    return [str(right)]


test_right_answer_passes, test_wrong_answer_fails_with_hint_not_answer = right_and_wrong(
    CHECKS, RIGHT, WRONG, hidden=_hidden)


def test_bad_types_do_not_crash():
    assert not ch07.check_1a("abc").correct
    assert not ch07.check_1a([1.0, 2.0]).correct  # wrong shape
    assert "shape" in ch07.check_1a([1.0, 2.0]).message
    assert not ch07.check_2a("fast").correct
    assert not ch07.check_3(3).correct


def test_task4_specific_hints():
    assert "percent" in ch07.check_4(-0.12146).message
    assert "sign" in ch07.check_4(12.146).message


def test_task3_accepts_spellings():
    for s in ["bg/nbd", "BG-NBD", " bgnbd "]:
        assert ch07.check_3(s).correct
    assert not ch07.check_3("MBG/NBD").correct


def test_task1_log_schema():
    log = ch07.task1_log()
    assert list(log.columns) == ["customer_id", "date", "amount"]
    assert str(log["date"].dtype) == "datetime64[ns]"


# ----------------------------------------------------------------------------- task 6 (BG/BB)
def test_bgbb_tasks():
    assert ch07.check_6a(0.76683).correct
    assert ch07.check_6b(1.80470).correct
    fb = ch07.check_6a(0.82416)  # P(alive) at the last opportunity, not the next
    assert not fb.correct and "periods_ahead=1" in fb.message
    assert not ch07.check_6b(2.19).correct
