"""Class grading: five synthetic submissions give the expected score table (tools/grade.py)."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

from crmlab.exercises import ch02

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("grade", ROOT / "tools" / "grade.py")
grade = importlib.util.module_from_spec(_spec)
sys.modules["grade"] = grade  # dataclasses look the module up while it loads
_spec.loader.exec_module(grade)

NAME = "02_delivered_value.ipynb"
TASKS = ["1a", "1b", "2a", "2b", "3", "4", "5", "6a", "6b"]
RIGHT_1A = 'answer_1a = value.delivered_value(plans, weights={"time": ch02.VALUE_OF_TIME})'


def _exercise() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "lessons" / "exercises" / NAME, as_version=4)


def _set_answer(nb, task: str, code: str) -> None:
    for c in nb.cells:
        if c.cell_type == "code" and re.search(rf"^answer_{task} = \.\.\.", c.source, re.M):
            c.source = re.sub(rf"^answer_{task} = \.\.\..*$", code, c.source, flags=re.M)
            return
    raise AssertionError(f"no answer cell for {task}")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    sub = tmp_path_factory.mktemp("submissions")
    for s in ("alice", "bob", "carol", "dave", "erin"):
        (sub / s).mkdir()
    # alice: the worked solution, saved as her exercise notebook
    right = nbformat.read(ROOT / "lessons" / "solutions" / NAME, as_version=4)
    right.metadata["crmlab"] = {"exercise": "ch02"}
    nbformat.write(right, sub / "alice" / NAME)
    # bob: 1a right, 1b wrong, the rest untouched (and a file name without the chapter number:
    # the metadata tells)
    bob = _exercise()
    _set_answer(bob, "1a", RIGHT_1A)
    _set_answer(bob, "1b", "answer_1b = [1.0, 1.0, 1.0]")
    nbformat.write(bob, sub / "bob" / "my homework.ipynb")
    # carol: an error, an import of something not installed, then a right answer
    carol = _exercise()
    carol.cells.insert(2, nbformat.v4.new_code_cell("import lifetimes_not_installed"))
    carol.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('oops')"))
    _set_answer(carol, "1a", RIGHT_1A)
    nbformat.write(carol, sub / "carol" / NAME)
    # dave: a loop that even ignores interrupts, before a right answer: killed at the timeout
    dave = _exercise()
    dave.cells.insert(2, nbformat.v4.new_code_cell(
        "while True:\n    try:\n        while True:\n            pass\n"
        "    except KeyboardInterrupt:\n        pass"))
    _set_answer(dave, "1a", RIGHT_1A)
    nbformat.write(dave, sub / "dave" / NAME)
    # erin: an empty file
    (sub / "erin" / NAME).write_bytes(b"")
    out = tmp_path_factory.mktemp("grades")
    grade.grade_folder(sub, out, timeout=25, cell_timeout=3, jobs=2, echo=False)
    with (out / "scores.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return out, rows


def test_score_table_is_as_expected(graded):
    _, rows = graded
    got = {(r["student"], r["task"]): (int(r["score"]), r["status"]) for r in rows}
    expected = {}
    for t in TASKS:
        expected[("alice", t)] = (1, "correct")
        expected[("bob", t)] = (0, "no answer")
        expected[("carol", t)] = (0, "no answer")
        expected[("dave", t)] = (0, "not run")
        expected[("erin", t)] = (0, "not run")
    expected[("bob", "1a")] = expected[("carol", "1a")] = (1, "correct")
    expected[("bob", "1b")] = (0, "wrong")
    assert got == expected
    assert {r["chapter"] for r in rows} == {"ch02"}
    assert len(rows) == 5 * len(TASKS) == 5 * len(grade._checkers("ch02"))
    assert [r["task"] for r in rows if r["student"] == "alice"] == TASKS  # the chapter's order


def test_wrong_answers_get_the_checkers_hint_not_the_answer(graded):
    _, rows = graded
    bob_1b = next(r for r in rows if r["student"] == "bob" and r["task"] == "1b")
    assert bob_1b["feedback"] == ch02.check_1b([1.0, 1.0, 1.0]).message


def test_feedback_files_name_what_went_wrong(graded):
    out, _ = graded
    files = sorted(p.name for p in (out / "feedback").glob("*.md"))
    assert files == ["alice.md", "bob.md", "carol.md", "dave.md", "erin.md"]
    alice = (out / "feedback" / "alice.md").read_text(encoding="utf-8")
    assert "9 / 9" in alice
    carol = (out / "feedback" / "carol.md").read_text(encoding="utf-8")
    assert "ModuleNotFoundError" in carol and "RuntimeError: oops" in carol and "1 / 9" in carol
    dave = (out / "feedback" / "dave.md").read_text(encoding="utf-8")
    assert "did not finish within 25 s" in dave and "0 / 9" in dave
    erin = (out / "feedback" / "erin.md").read_text(encoding="utf-8")
    assert "the file is empty" in erin


def test_chapter_is_told_by_metadata_name_or_code(tmp_path):
    assert grade.chapter_of(tmp_path / "x.ipynb", {"metadata": {"crmlab": {"exercise": "ch04"}}}) == "ch04"
    assert grade.chapter_of(tmp_path / "alice_03.ipynb", None) == "ch03"
    code = {"metadata": {}, "cells": [{"cell_type": "code", "source": "from crmlab.exercises import ch05"}]}
    assert grade.chapter_of(tmp_path / "homework.ipynb", code) == "ch05"
    assert grade.chapter_of(tmp_path / "homework.ipynb", {"metadata": {}, "cells": []}) is None


def test_unknown_notebook_is_one_row_not_a_crash(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "zoe.ipynb").write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4,
                                               "nbformat_minor": 5}), encoding="utf-8")
    results = grade.grade_folder(sub, tmp_path / "out", timeout=10, cell_timeout=2, echo=False)
    assert [(r["student"], r["task"], r["status"]) for r in results[0].rows] == [("zoe", "-", "not graded")]
