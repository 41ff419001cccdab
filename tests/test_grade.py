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
CELL_TIMEOUT = 15
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
    # dave: an endless loop before a right answer: the cell is interrupted, the rest still runs
    dave = _exercise()
    dave.cells.insert(2, nbformat.v4.new_code_cell("while True:\n    pass"))
    _set_answer(dave, "1a", RIGHT_1A)
    nbformat.write(dave, sub / "dave" / NAME)
    # erin: an empty file
    (sub / "erin" / NAME).write_bytes(b"")
    out = tmp_path_factory.mktemp("grades")
    # generous limits (a loaded test machine must not time out the right answers); the loop
    # costs one cell timeout
    grade.grade_folder(sub, out, timeout=240, cell_timeout=CELL_TIMEOUT, jobs=2, echo=False)
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
        expected[("dave", t)] = (0, "no answer")
        expected[("erin", t)] = (0, "not run")
    expected[("bob", "1a")] = expected[("carol", "1a")] = expected[("dave", "1a")] = (1, "correct")
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
    assert f"cell 3: stopped after {CELL_TIMEOUT} s (an endless loop?)" in dave and "1 / 9" in dave
    erin = (out / "feedback" / "erin.md").read_text(encoding="utf-8")
    assert "the file is empty" in erin


def test_a_loop_that_ignores_interrupts_is_killed_at_the_notebook_timeout(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("answer_1a = [1, 2, 3]"),
                nbformat.v4.new_code_cell("while True:\n    try:\n        while True:\n"
                                          "            pass\n    except KeyboardInterrupt:\n"
                                          "        pass")]
    nbformat.write(nb, sub / "zed_02.ipynb")   # one file per student: the name is the student
    (res,) = grade.grade_folder(sub, tmp_path / "out", timeout=8, cell_timeout=2, echo=False)
    assert res.student == "zed_02" and res.chapter == "ch02"
    assert {r["status"] for r in res.rows} == {"not run"} and res.score == (0, len(TASKS))
    assert "did not finish within 8 s" in res.problems[0]


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
