"""Grade a class: run every submitted exercise notebook offline and score it with the checkers.

    python tools/grade.py SUBMISSIONS/ [--out build/grades] [--timeout 300] [--cell-timeout 60]
    make grade SUBMISSIONS=SUBMISSIONS/

``SUBMISSIONS/`` holds one folder per student (``alice/01_customer_lifecycle.ipynb``, ...) or
flat files (``alice_01.ipynb``: the student is the file name). Each notebook is executed top to
bottom in a fresh kernel, in a scratch folder, with the network blocked; a cell that errors
does not stop the run (the error is reported), a cell that runs longer than ``--cell-timeout``
is interrupted, and a notebook that is still running after ``--timeout`` seconds is killed and
scored 0. Then the answers (every ``answer_<task>`` variable) are scored with the same
``crmlab.exercises.chNN.check_<task>`` functions the students use.

Writes ``OUT/scores.csv`` (one row per student, chapter and task: score 0/1, status, the
checker's message) and ``OUT/feedback/<student>.md`` (per-task feedback plus what went wrong
while running the notebook). Prints one line per submission.

Which exercise set a notebook is: ``metadata.crmlab.exercise`` (written by
tools/make_exercises.py), else the ``NN`` in the file name, else the first
``crmlab.exercises.chNN`` its code mentions.

Submissions are code: they run with your user's rights (no sandbox, no Docker). Grade them
in an account or machine you are willing to let them run in.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import pickle
import re
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["student", "chapter", "task", "score", "status", "feedback", "notebook"]

_DUMP = """\
import pickle as _crm_pickle
_crm_answers = {}
for _crm_name, _crm_value in list(globals().items()):
    if _crm_name.startswith("answer_"):
        try:
            _crm_answers[_crm_name] = _crm_pickle.dumps(_crm_value)
        except Exception as _crm_error:  # an answer that cannot be saved is reported, not fatal
            _crm_answers[_crm_name] = repr(_crm_error)
with open(ANSWERS_PATH, "wb") as _crm_file:
    _crm_pickle.dump(_crm_answers, _crm_file)
"""


@dataclass
class Result:
    """What grading one notebook gave."""

    student: str
    notebook: str
    chapter: str | None
    rows: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def score(self) -> tuple[int, int]:
        return sum(r["score"] for r in self.rows), len(self.rows)


# --------------------------------------------------------------------------- discovery
def find_submissions(folder: Path) -> list[tuple[str, Path]]:
    """(student, notebook) pairs: a student is the first sub-folder, else the file name."""
    out = []
    for nb in sorted(folder.rglob("*.ipynb")):
        rel = nb.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):  # .ipynb_checkpoints, hidden
            continue
        student = rel.parts[0] if len(rel.parts) > 1 else nb.stem
        out.append((student, nb))
    return out


def chapter_of(path: Path, nb: dict | None) -> str | None:
    """``'ch01'``-style name of the exercise set, or None if it cannot be told."""
    if nb is not None:
        meta = nb.get("metadata", {}).get("crmlab", {})
        ch = meta.get("exercise") or meta.get("solution")
        if isinstance(ch, str) and re.fullmatch(r"ch\d\d", ch):
            return ch
    m = re.search(r"(?:^|[^0-9])(\d\d)(?:[^0-9]|$)", path.stem)
    if m and _checkers(f"ch{m.group(1)}"):
        return f"ch{m.group(1)}"
    if nb is not None:
        code = "\n".join(_source(c) for c in nb.get("cells", []) if c.get("cell_type") == "code")
        m = re.search(r"crmlab\.exercises(?:\.|\s+import\s+)ch(\d\d)", code)
        if m:
            return f"ch{m.group(1)}"
    return None


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _checkers(chapter: str) -> dict:
    """task -> checker of one chapter, in the order the module defines them."""
    try:
        mod = importlib.import_module(f"crmlab.exercises.{chapter}")
    except ImportError:
        return {}
    return {name[len("check_"):]: fn for name, fn in vars(mod).items()
            if name.startswith("check_") and callable(fn) and fn.__module__ == mod.__name__}


# --------------------------------------------------------------------------- running
def _read(path: Path) -> tuple[dict | None, str | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return None, f"could not read the file ({e.__class__.__name__})"
    if not text.strip():
        return None, "the file is empty"
    try:
        nb = json.loads(text)
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
            raise ValueError("no cells")
    except ValueError:
        return None, "the file is not a Jupyter notebook (invalid JSON)"
    return nb, None


def _run_one(src: Path, answers: Path, cell_timeout: int) -> None:
    """Child process: execute ``src`` (errors allowed) and dump its answers to ``answers``."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(src, as_version=4)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    nb.cells.append(nbformat.v4.new_code_cell(_DUMP.replace("ANSWERS_PATH", repr(str(answers)))))
    client = NotebookClient(nb, timeout=cell_timeout, kernel_name="python3", allow_errors=True,
                            interrupt_on_timeout=True, resources={"metadata": {"path": str(src.parent)}})
    problems = []
    try:
        client.execute()
    except Exception as e:  # a dead kernel (sys.exit, os._exit, crash)
        problems.append(f"the notebook stopped the Python kernel ({e.__class__.__name__})")
    for i, c in enumerate(nb.cells[:-1]):
        for o in c.get("outputs", []):
            if o.get("output_type") != "error":
                continue
            if o.get("ename") == "KeyboardInterrupt":  # interrupted at the cell timeout
                problems.append(f"cell {i + 1}: stopped after {cell_timeout} s (an endless loop?); "
                                "the cells after it still ran")
            else:
                problems.append(f"cell {i + 1}: {o.get('ename')}: {o.get('evalue')}"[:300])
    (answers.parent / "problems.json").write_text(json.dumps(problems), encoding="utf-8")


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["MPLBACKEND"] = "agg"
    guard = ROOT / "tests" / "netguard"
    if guard.is_dir():  # block the network in the kernel too (see tests/netguard)
        env["CRMLAB_NETGUARD"] = "1"
        env["PYTHONPATH"] = os.pathsep.join(p for p in [str(guard), env.get("PYTHONPATH", "")] if p)
    return env


def execute(nb_path: Path, *, timeout: int, cell_timeout: int) -> tuple[dict | None, list[str]]:
    """Run a submission; return ({answer name: pickled bytes or error text} or None, problems)."""
    with tempfile.TemporaryDirectory(prefix="crm-grade-") as tmp:
        work = Path(tmp)
        src = work / "submission.ipynb"
        src.write_bytes(nb_path.read_bytes())
        answers = work / "answers.pkl"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--run-one", str(src), str(answers),
               "--cell-timeout", str(cell_timeout)]
        proc = subprocess.Popen(cmd, cwd=work, env=_child_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the runner and the kernel it started
            proc.communicate()
            return None, [f"the notebook did not finish within {timeout} s and was stopped "
                          "(an endless loop?); nothing in it was scored"]
        problems = []
        pfile = work / "problems.json"
        if pfile.is_file():
            problems = json.loads(pfile.read_text(encoding="utf-8"))
        if not answers.is_file():
            tail = out.decode("utf-8", "replace").strip().splitlines()[-1:] if out else []
            return None, problems or [f"the notebook could not be run ({' '.join(tail)[:200]})"]
        with answers.open("rb") as f:
            return pickle.load(f), problems


def grade_notebook(student: str, path: Path, *, timeout: int = 300, cell_timeout: int = 60,
                   base: Path | None = None) -> Result:
    """Run one submission and score every task of its chapter (never raises for bad input)."""
    shown = str(path.relative_to(base)) if base else str(path)
    nb, problem = _read(path)
    chapter = chapter_of(path, nb)
    res = Result(student, shown, chapter)
    if problem:
        res.problems.append(problem)
    if chapter is None or not _checkers(chapter):
        res.problems.append("could not tell which exercise set this is (no crmlab metadata, "
                            "no chapter number in the file name)")
        res.rows.append(_row(res, "-", 0, "not graded", res.problems[-1]))
        return res
    answers = None
    if nb is not None:
        answers, run_problems = execute(path, timeout=timeout, cell_timeout=cell_timeout)
        res.problems += run_problems
    for task, check in _checkers(chapter).items():
        if answers is None:
            res.rows.append(_row(res, task, 0, "not run", "The notebook was not run: "
                                 + "; ".join(res.problems)))
            continue
        raw = answers.get(f"answer_{task}", ...)
        if isinstance(raw, str):
            res.rows.append(_row(res, task, 0, "error", f"answer_{task} could not be saved: {raw}"))
            continue
        try:
            value = ... if raw is ... else pickle.loads(raw)
            fb = check(value)
        except Exception as e:  # an answer object that breaks unpickling or the checker
            res.rows.append(_row(res, task, 0, "error", f"answer_{task} could not be checked "
                                 f"({e.__class__.__name__})"))
            continue
        status = "correct" if fb.correct else ("no answer" if "No answer yet" in fb.message
                                                 else "wrong")
        res.rows.append(_row(res, task, int(bool(fb.correct)), status, fb.message))
    return res


def _row(res: Result, task: str, score: int, status: str, feedback: str) -> dict:
    return {"student": res.student, "chapter": res.chapter or "?", "task": task, "score": score,
            "status": status, "feedback": feedback, "notebook": res.notebook}


# --------------------------------------------------------------------------- reports
def write_reports(results: list[Result], out: Path) -> Path:
    """scores.csv and feedback/<student>.md under ``out``; returns the CSV path."""
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / "scores.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        for r in sorted(results, key=lambda r: (r.student, r.chapter or "", r.notebook)):
            w.writerows(r.rows)
    fb_dir = out / "feedback"
    fb_dir.mkdir(exist_ok=True)
    by_student: dict[str, list[Result]] = {}
    for r in results:
        by_student.setdefault(r.student, []).append(r)
    for student, rs in sorted(by_student.items()):
        lines = [f"# Feedback for {student}", ""]
        for r in sorted(rs, key=lambda r: (r.chapter or "", r.notebook)):
            got, total = r.score
            lines += [f"## {r.notebook} ({r.chapter or 'unknown exercise set'}): {got} / {total}", ""]
            if r.problems:
                lines += ["While running your notebook:", ""]
                lines += [f"- {p}" for p in r.problems] + [""]
            lines += ["| task | result | feedback |", "|---|---|---|"]
            for row in r.rows:
                icon = "✅" if row["score"] else "❌"
                text = str(row["feedback"]).replace("|", "\\|").replace("\n", " ")
                lines.append(f"| {row['task']} | {icon} {row['status']} | {text} |")
            lines.append("")
        safe = re.sub(r"[^\w.-]+", "_", student) or "student"
        (fb_dir / f"{safe}.md").write_text("\n".join(lines), encoding="utf-8")
    return csv_path


def grade_folder(folder: Path, out: Path, *, timeout: int = 300, cell_timeout: int = 60,
                 jobs: int = 2, echo: bool = True) -> list[Result]:
    """Grade every submission under ``folder`` and write the reports to ``out``."""
    subs = find_submissions(folder)

    def one(item: tuple[str, Path]) -> Result:
        student, path = item
        r = grade_notebook(student, path, timeout=timeout, cell_timeout=cell_timeout, base=folder)
        if echo:
            got, total = r.score
            extra = f"  ({len(r.problems)} problem(s))" if r.problems else ""
            print(f"{r.student:<20} {r.notebook:<45} {got:>3} / {total}{extra}", flush=True)
        return r

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(one, subs))
    write_reports(results, out)
    return results


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--run-one"]:
        ap = argparse.ArgumentParser(prog="grade.py --run-one")
        ap.add_argument("src", type=Path)
        ap.add_argument("answers", type=Path)
        ap.add_argument("--cell-timeout", type=int, default=60)
        a = ap.parse_args(argv[1:])
        _run_one(a.src, a.answers, a.cell_timeout)
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("submissions", type=Path, help="folder of submitted exercise notebooks")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "grades",
                    help="where scores.csv and feedback/ go (default build/grades)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per notebook (default 300)")
    ap.add_argument("--cell-timeout", type=int, default=60,
                    help="seconds per cell before it is interrupted (default 60)")
    ap.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default 2)")
    a = ap.parse_args(argv)
    if not a.submissions.is_dir():
        print(f"grade.py: {a.submissions} is not a folder", file=sys.stderr)
        return 2
    results = grade_folder(a.submissions, a.out, timeout=a.timeout, cell_timeout=a.cell_timeout,
                           jobs=a.jobs)
    print(f"{len(results)} notebook(s) graded -> {a.out / 'scores.csv'} and {a.out / 'feedback'}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
