"""Lesson notes, glossary and exercises stay complete and in step with the notebooks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SECTIONS = ["learning objectives", "key concepts", "discussion", "slide outline", "further reading"]


def test_glossary_is_up_to_date():
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_glossary.py"), "--check"],
        capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chapter_has_lesson_notes_with_all_sections(nb):
    lesson = ROOT / "lessons" / f"{nb.stem}.md"
    assert lesson.is_file(), f"missing lessons/{nb.stem}.md"
    headings = [line.lower() for line in lesson.read_text(encoding="utf-8").splitlines()
                if line.startswith("#")]
    for section in SECTIONS:
        assert any(section in h for h in headings), f"{lesson.name}: no '{section}' section"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chapter_links_the_glossary(nb):
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "lessons/glossary.md" in text, f"{nb.name} does not link the glossary"


@pytest.mark.parametrize("nb", [p for p in NOTEBOOKS if not p.stem.startswith("00")],
                         ids=lambda p: p.stem)
def test_every_chapter_has_an_exercise_and_a_solution(nb):
    assert (ROOT / "lessons" / "exercises" / nb.name).is_file(), f"no exercise notebook for {nb.stem}"
    assert (ROOT / "lessons" / "solutions" / nb.name).is_file(), f"no solution notebook for {nb.stem}"
