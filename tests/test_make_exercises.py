"""One source per exercise set: the committed student and solution notebooks are generated."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("make_exercises", ROOT / "tools" / "make_exercises.py")
make_exercises = importlib.util.module_from_spec(_spec)
sys.modules["make_exercises"] = make_exercises  # dataclasses look the module up while it loads
_spec.loader.exec_module(make_exercises)

SOURCES = sorted((ROOT / "lessons" / "source").glob("[0-9][0-9]_*.ipynb"))


def test_every_exercise_and_solution_comes_from_a_source():
    generated = {p.name for p in (ROOT / "lessons" / "exercises").glob("*.ipynb")}
    assert generated == {p.name for p in SOURCES}
    assert {p.name for p in (ROOT / "lessons" / "solutions").glob("*.ipynb")} == generated


@pytest.mark.parametrize("rel", sorted(make_exercises.targets(ROOT)), ids=str)
def test_generated_notebook_is_byte_identical(rel):
    text = make_exercises.targets(ROOT)[rel]
    assert (ROOT / rel).read_bytes() == text.encode("utf-8"), (
        f"{rel} is out of date with lessons/source/: run python tools/make_exercises.py")


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.name)
def test_student_notebook_gives_no_solution_away(src):
    ex = nbformat.read(ROOT / "lessons" / "exercises" / src.name, as_version=4)
    code = "\n".join(c.source for c in ex.cells if c.cell_type == "code")
    assert "SOLUTION" not in code and "PROMPT" not in code
    assert ".correct" not in code  # no asserted checks in the student version
    assert all(not c.get("outputs") for c in ex.cells if c.cell_type == "code")
    assert ex.metadata["crmlab"]["exercise"] == "ch" + src.name[:2]
    # every checker of the chapter has its answer variable, left for the student to fill
    import crmlab.exercises

    mod = importlib.import_module(f"crmlab.exercises.ch{src.name[:2]}")
    tasks = [n[len("check_"):] for n, f in vars(mod).items()
             if n.startswith("check_") and callable(f) and f.__module__ == mod.__name__]
    assert tasks and crmlab.exercises
    for t in tasks:
        assert re.search(rf"^answer_{t} = \.\.\.", code, re.M), f"answer_{t} = ... missing"


def test_markers():
    stu, sol = make_exercises.split_code(
        "data = load()\n"
        "# BEGIN SOLUTION\nx = data.mean()\n# END SOLUTION\n"
        "# BEGIN PROMPT\n# x = ...  # a number\n# END PROMPT\n"
        "answer_1 = round(x, 2)  # SOLUTION\n"
        "assert check(answer_1).correct  # SOLUTION\n"
        "check(answer_1)"
    )
    assert stu == "data = load()\nx = ...  # a number\nanswer_1 = ...\ncheck(answer_1)"
    assert sol == ("data = load()\nx = data.mean()\nanswer_1 = round(x, 2)\n"
                   "assert check(answer_1).correct\ncheck(answer_1)")


@pytest.mark.parametrize("bad", ["# BEGIN SOLUTION\nx = 1", "# END SOLUTION",
                                 "# BEGIN PROMPT\nx = 1\n# END PROMPT",
                                 "# BEGIN SOLUTION\n# BEGIN PROMPT\n# END PROMPT\n# END SOLUTION"])
def test_malformed_markers_are_named(bad):
    with pytest.raises(make_exercises.MarkerError, match="line|never closed"):
        make_exercises.split_code(bad, "test cell")


def test_adding_a_task_is_adding_cells():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Exercises", metadata={"tags": ["only-exercise"]}),
        nbformat.v4.new_markdown_cell("# Solutions", metadata={"tags": ["only-solution"]}),
        nbformat.v4.new_markdown_cell("### Task 9 — new"),
        nbformat.v4.new_code_cell("answer_9 = 6 * 7  # SOLUTION"),
        nbformat.v4.new_code_cell("assert (fb := ch.check_9(answer_9)).correct, fb  # SOLUTION\n"
                                  "ch.check_9(answer_9)"),
    ]
    ex, sol = make_exercises.generate(nb, "ch09")
    assert [c.source for c in ex.cells] == ["# Exercises", "### Task 9 — new", "answer_9 = ...",
                                            "ch.check_9(answer_9)"]
    assert [c.source for c in sol.cells][0] == "# Solutions"
    assert sol.cells[2].source == "answer_9 = 6 * 7"
    assert all("tags" not in c.metadata for c in ex.cells + sol.cells)
