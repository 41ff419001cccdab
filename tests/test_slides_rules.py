"""Slide rules of the chapter notebooks (tools/slide_structure.py) and the deck builder.

Every chapter notebook carries its lecture slide structure in cell metadata, so that
``make slides`` and RISE (Alt+R) show the same deck: no heading in the middle of a cell,
every cell has a slide type, at most ``MAX_CODE_LINES`` visible code lines per slide of the
lecture deck, and the notebook is exactly what the tool would write (``--check``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
try:
    import build_slides
    import slide_structure as ss
finally:
    sys.path.pop(0)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the notebooks


def test_every_notebook_is_in_canonical_slide_form():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "slide_structure.py"), "--check"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_follows_the_slide_rules(nb_path):
    nb = _load(nb_path)
    assert ss.problems(nb, nb_path.name) == []
    types = [c["metadata"]["slideshow"]["slide_type"] for c in nb["cells"]]
    assert types[0] == "slide"
    assert types.count("slide") >= 3, "a chapter deck has at least three sections"
    assert nb["metadata"]["rise"]["width"] == 1280 and nb["metadata"]["rise"]["height"] == 720


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lecture_deck_keeps_every_plot_and_hides_plumbing(nb_path):
    nb = _load(nb_path)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        has_plot = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if has_plot:
            assert cell["metadata"]["slideshow"]["slide_type"] != "skip", f"cell {i}: plot skipped"
        if "parameters" in cell["metadata"].get("tags", []):
            assert ss.HIDE_TAG in cell["metadata"]["tags"], f"cell {i}: parameters shown"


# --------------------------------------------------------------------------- the tool


def _nb(*cells) -> dict:
    return json.loads(nbformat.writes(new_notebook(cells=list(cells))))


def test_mid_cell_headings_are_split_and_ids_kept():
    nb = _nb(new_markdown_cell("# Title\n\nIntro.\n\n## Try it\n\nDo.\n\n```\n# not a heading\n```"
                               "\n\n## Summary\n\nDone."),
             new_code_cell("x = 1"))
    first_id = nb["cells"][0]["id"]
    assert len(ss.problems(nb)) >= 2  # two mid-cell headings, no slide metadata
    new = ss.canonical(nb)
    texts = ["".join(c["source"]) for c in new["cells"]]
    assert texts[0] == "# Title\n\nIntro."
    assert texts[1].startswith("## Try it") and "# not a heading" in texts[1]
    assert texts[2] == "## Summary\n\nDone."
    assert [c["id"] for c in new["cells"][:3]] == [first_id, f"{first_id}-2", f"{first_id}-3"]
    assert [c["metadata"]["slideshow"]["slide_type"] for c in new["cells"]] == \
        ["slide", "slide", "slide", "-"]
    assert ss.problems(new) == []
    assert ss.canonical(new) == new  # idempotent


def test_plumbing_is_tagged_other_tags_and_outputs_kept():
    params = new_code_cell("SEED = 1", metadata={"tags": ["parameters"]})
    check = new_code_cell("assert total == 3\nprint(total)",
                          metadata={"tags": ["NBVAL_CHECK_OUTPUT"], "issue17": True})
    check.outputs = [new_output("stream", name="stdout", text="3\n")]
    lesson = new_code_cell("crmlab.rfm.rfm_table(log)")
    nb = ss.canonical(_nb(new_markdown_cell("# T"), params, check, lesson))
    p, c, le = nb["cells"][1:]
    assert p["metadata"]["tags"] == ["parameters", ss.HIDE_TAG]
    assert p["metadata"]["slideshow"]["slide_type"] == "skip"  # hidden, nothing to show
    assert c["metadata"]["tags"] == ["NBVAL_CHECK_OUTPUT", ss.HIDE_TAG]
    assert c["metadata"]["issue17"] is True and "".join(c["outputs"][0]["text"]) == "3\n"
    assert c["metadata"]["slideshow"]["slide_type"] == "-"  # its output is shown
    assert ss.HIDE_TAG not in le["metadata"].get("tags", [])
    # a lecturer can insist on showing a cell's code
    check["metadata"]["tags"].append(ss.SHOW_TAG)
    again = ss.canonical(_nb(new_markdown_cell("# T"), check))
    assert ss.HIDE_TAG not in again["cells"][1]["metadata"]["tags"]


def test_too_much_visible_code_starts_a_subslide_and_check_fails_on_it():
    cells = [new_markdown_cell("# T")] + [new_code_cell(f"a{i} = f({i})\nb{i} = g(a{i})")
                                          for i in range(10)]
    nb = ss.canonical(_nb(*cells))
    assert ss.problems(nb) == []
    per_slide = [sum(ss.code_lines(c) for c in s if c["cell_type"] == "code")
                 for s in ss.slides(nb)]
    assert max(per_slide) <= ss.MAX_CODE_LINES and len(per_slide) >= 2
    for c in nb["cells"]:
        c["metadata"]["slideshow"]["slide_type"] = "-"
    nb["cells"][0]["metadata"]["slideshow"]["slide_type"] = "slide"
    assert any("visible code lines" in p for p in ss.problems(nb))


def test_long_markdown_is_split_at_a_paragraph():
    para = "A sentence that goes on for a while and says something useful. " * 6
    text = "## Long\n\n" + "\n\n".join([para] * 8)
    nb = ss.canonical(_nb(new_markdown_cell(text)))
    assert len(nb["cells"]) > 1
    assert all(ss.markdown_height("".join(c["source"])) <= ss.BUDGET for c in nb["cells"])
    assert "\n\n".join("".join(c["source"]) for c in nb["cells"]) == text
    assert [c["metadata"]["slideshow"]["slide_type"] for c in nb["cells"]][1] == "subslide"


def test_check_mode_exits_nonzero_on_a_raw_notebook(tmp_path):
    path = tmp_path / "01_x.ipynb"
    path.write_text(ss.dumps(_nb(new_markdown_cell("# T\n\n## Mid"))), encoding="utf-8")
    tool = [sys.executable, str(ROOT / "tools" / "slide_structure.py")]
    assert subprocess.run(tool + ["--check", str(path)], capture_output=True).returncode == 1
    assert subprocess.run(tool + [str(path)], capture_output=True).returncode == 0
    assert subprocess.run(tool + ["--check", str(path)], capture_output=True).returncode == 0


# --------------------------------------------------------------------------- speaker notes


def test_speaker_notes_come_from_the_lesson_outline(tmp_path):
    lesson = tmp_path / "01_x.md"
    lesson.write_text("# Notes\n\n## Slide outline\n\n1. **Chapter 1 — X** — Open with a story.\n"
                      "   Then the definition.\n2. **1. Part** — \n\n## Further reading\n\n"
                      "1. **Not a slide** — no.\n", encoding="utf-8")
    notes = build_slides.speaker_notes(lesson)
    assert notes == {"Chapter 1 — X": "Open with a story.\nThen the definition."}
    nb = nbformat.from_dict(_nb(new_markdown_cell("# Chapter 1 — X\n\nIntro"),
                                new_code_cell("assert 1")))
    out = build_slides.prepare(nb, src_rel=Path("notebooks/01_x.ipynb"), root=ROOT, notes=notes)
    assert out.cells[1].metadata["slideshow"]["slide_type"] == "notes"
    assert "Open with a story" in out.cells[1].source
    assert out.cells[2].metadata["transient"] == {"remove_source": True}


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_slides_have_talking_points(nb_path):
    """The lesson's outline lists the deck's slides (--check) and nearly all have notes.

    A slide added since the outline was written may lack its talking points for a while
    (at most two per chapter); the tool lists it with "(talking points to write)".
    """
    notes = build_slides.speaker_notes(ROOT / "lessons" / f"{nb_path.stem}.md")
    titles = ss.slide_titles(_load(nb_path))
    missing = [t for t in titles if t not in notes]
    assert len(titles) >= 3 and len(missing) <= 2, (
        f"lessons/{nb_path.stem}.md: no talking points for {missing}; run "
        "`python tools/slide_structure.py` and write them in the Slide outline")
