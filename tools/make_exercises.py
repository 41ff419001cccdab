"""Generate the student exercise and the worked-solution notebooks from one source per chapter.

    python tools/make_exercises.py            # write lessons/exercises/ and lessons/solutions/
    python tools/make_exercises.py --check    # exit 1 if a generated notebook is out of date
    python tools/make_exercises.py --execute  # first re-execute the sources in place

``lessons/source/NN_topic.ipynb`` is the only notebook anybody edits. It is the worked solution
with markers, committed *executed* (its outputs become the solution's outputs). From it:

- ``lessons/exercises/NN_topic.ipynb`` (students): solution code removed, every output,
  execution count and timing cleared, ``metadata.crmlab.exercise = "chNN"`` (the grader uses it);
- ``lessons/solutions/NN_topic.ipynb`` (lecturers, site ``--solutions``): the source with the
  markers removed, outputs kept.

The markers follow otter-grader's ``otter assign`` conventions (reimplemented here in a few
lines; otter itself would pull a grading stack we do not need):

=================================  ======================================  ===================
in the source                      student notebook                        solution notebook
=================================  ======================================  ===================
``x = expr  # SOLUTION``           ``x = ...``                             ``x = expr``
``stmt  # SOLUTION`` (no ``=``)    line dropped                            ``stmt``
``# BEGIN SOLUTION`` … ``# END``   lines dropped                           lines kept
``# BEGIN PROMPT`` … ``# END``     lines kept, leading ``# `` removed      lines dropped
cell tag ``only-exercise``         cell kept                               cell dropped
cell tag ``only-solution``         cell dropped                            cell kept
=================================  ======================================  ===================

A task is three cells in the source: the task text (markdown), the answer cell ending with
``answer_<task> = <solution>  # SOLUTION`` and the check cell
``assert ch.check_<task>(answer_<task>).correct  # SOLUTION`` +
``crmlab.exercises.chNN.check_<task>(answer_<task>)``. Adding a task is adding those cells
(and the checker ``check_<task>`` in ``crmlab.exercises.chNN``).
"""

from __future__ import annotations

import argparse
import ast
import copy
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = Path("lessons/source")
EXERCISE_DIR = Path("lessons/exercises")
SOLUTION_DIR = Path("lessons/solutions")

_MARK = re.compile(r"\s*#\s*SOLUTION\s*$")
_BEGIN = re.compile(r"^\s*#\s*BEGIN (SOLUTION|PROMPT)\s*$")
_END = re.compile(r"^\s*#\s*END (SOLUTION|PROMPT)\s*$")


class MarkerError(ValueError):
    """A source notebook's markers are malformed (names the notebook, cell and line)."""


def _assignment_target(code: str) -> str | None:
    """``'answer_1a'`` for ``'answer_1a = f(x)'``; None if the line is not one assignment."""
    try:
        tree = ast.parse(code.strip())
    except SyntaxError:
        return None
    if len(tree.body) != 1:
        return None
    node = tree.body[0]
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        return ast.get_source_segment(code.strip(), node.targets[0])
    if isinstance(node, ast.AnnAssign) and node.value is not None:
        return ast.get_source_segment(code.strip(), node.target)
    return None


def _parses(code: str) -> bool:
    try:
        ast.parse(code.strip())
    except SyntaxError:
        return False
    return True


def split_code(source: str, where: str = "cell") -> tuple[str, str]:
    r"""Split one source code cell into its (student, solution) versions.

    >>> split_code("x = 2 * 3  # SOLUTION\nprint(x)")
    ('x = ...\nprint(x)', 'x = 2 * 3\nprint(x)')
    >>> split_code("y = f(1,  # SOLUTION\n      2)\ny")
    ('y = ...\ny', 'y = f(1,\n      2)\ny')
    >>> split_code("# BEGIN PROMPT\n# hint()\n# END PROMPT\n# BEGIN SOLUTION\ny = 1\n# END SOLUTION")
    ('hint()', 'y = 1')
    """
    student: list[str] = []
    solution: list[str] = []
    block: str | None = None
    lines = source.split("\n")
    skip = 0
    for k, line in enumerate(lines, start=1):
        if skip:
            skip -= 1
            solution.append(line)
            continue
        if m := _BEGIN.match(line):
            if block is not None:
                raise MarkerError(f"{where}, line {k}: BEGIN {m.group(1)} inside BEGIN {block}")
            block = m.group(1)
            continue
        if m := _END.match(line):
            if block != m.group(1):
                raise MarkerError(f"{where}, line {k}: END {m.group(1)} without BEGIN {m.group(1)}")
            block = None
            continue
        if block == "SOLUTION":
            solution.append(line)
        elif block == "PROMPT":
            stripped = line.lstrip()
            if stripped and not stripped.startswith("#"):
                raise MarkerError(f"{where}, line {k}: prompt lines are written commented ('# ...')")
            indent = line[: len(line) - len(stripped)]
            student.append(indent + re.sub(r"^# ?", "", stripped))
        elif _MARK.search(line):
            code = _MARK.sub("", line)
            solution.append(code)
            # a statement spread over several lines: the marker is on its first line and
            # the continuation lines belong to the solution too
            stmt, more = code, 0
            while _assignment_target(stmt) is None and not _parses(stmt) and k + more < len(lines):
                stmt += "\n" + lines[k + more]
                more += 1
            skip = more if _parses(stmt) else 0
            target = _assignment_target(stmt)
            if target is not None:
                indent = code[: len(code) - len(code.lstrip())]
                student.append(f"{indent}{target} = ...")
        else:
            student.append(line)
            solution.append(line)
    if block is not None:
        raise MarkerError(f"{where}: BEGIN {block} is never closed")
    return "\n".join(student).strip("\n"), "\n".join(solution).strip("\n")


def _drop_only_tags(cell: nbformat.NotebookNode) -> None:
    kept = [t for t in cell.metadata.get("tags", []) if t not in ("only-exercise", "only-solution")]
    if kept:
        cell.metadata["tags"] = kept
    else:
        cell.metadata.pop("tags", None)


def generate(source: nbformat.NotebookNode, chapter: str, name: str = "") -> tuple[
        nbformat.NotebookNode, nbformat.NotebookNode]:
    """The (exercise, solution) notebooks of one source notebook."""
    exercise = copy.deepcopy(source)
    solution = copy.deepcopy(source)
    exercise.cells, solution.cells = [], []
    for i, cell in enumerate(source.cells):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if {"only-exercise", "only-solution"} <= tags:
            raise MarkerError(f"{name} cell {i}: tagged both only-exercise and only-solution")
        if cell.cell_type == "code":
            stu_src, sol_src = split_code(cell.source, f"{name} cell {i}")
        else:
            stu_src = sol_src = cell.source
        if "only-solution" not in tags:
            c = copy.deepcopy(cell)
            c.source = stu_src
            c.metadata.pop("execution", None)
            _drop_only_tags(c)
            if c.cell_type == "code":
                c.outputs, c.execution_count = [], None
            exercise.cells.append(c)
        if "only-exercise" not in tags:
            c = copy.deepcopy(cell)
            c.source = sol_src
            _drop_only_tags(c)
            solution.cells.append(c)
    exercise.metadata.setdefault("crmlab", {})["exercise"] = chapter
    solution.metadata.setdefault("crmlab", {})["solution"] = chapter
    return exercise, solution


def _text(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def targets(root: Path = ROOT) -> dict[Path, str]:
    """Every generated file (relative to ``root``) and the text it must have."""
    out: dict[Path, str] = {}
    for src in sorted((root / SOURCE_DIR).glob("[0-9][0-9]_*.ipynb")):
        chapter = "ch" + src.name[:2]
        nb = nbformat.read(src, as_version=4)
        exercise, solution = generate(nb, chapter, str(src.relative_to(root)))
        out[EXERCISE_DIR / src.name] = _text(exercise)
        out[SOLUTION_DIR / src.name] = _text(solution)
    return out


def stale(root: Path = ROOT) -> list[Path]:
    """Generated notebooks that differ from what the sources give (or are missing)."""
    bad = []
    for rel, text in targets(root).items():
        path = root / rel
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            bad.append(rel)
    return bad


def execute_sources(root: Path = ROOT, timeout: int = 300) -> None:
    """Re-execute every source notebook in place (its outputs become the solution's)."""
    from nbclient import NotebookClient

    for src in sorted((root / SOURCE_DIR).glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(src, as_version=4)
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(src.parent)}}).execute()
        nbformat.write(nb, src)
        print("executed", src.relative_to(root))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only check; exit 1 if out of date")
    ap.add_argument("--execute", action="store_true", help="re-execute the sources first")
    ap.add_argument("--root", type=Path, default=ROOT)
    args = ap.parse_args(argv)
    root = args.root.resolve()
    if args.check:
        bad = stale(root)
        for rel in bad:
            print(f"out of date: {rel} (run python tools/make_exercises.py)", file=sys.stderr)
        return 1 if bad else 0
    if args.execute:
        execute_sources(root)
    for rel, text in targets(root).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            path.write_bytes(text.encode("utf-8"))
            print("wrote", rel)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
