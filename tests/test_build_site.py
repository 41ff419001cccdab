"""Fast tests of the site and slide tooling (tools/build_site.py, tools/build_slides.py).

No Jupyter Book run and no browser here: that is tests/test_site_browser.py
(``CRMLAB_BROWSER_TEST=1``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
try:
    import build_site
    import build_slides
finally:
    sys.path.pop(0)


def _write_nb(path: Path, cells, executed: bool = True) -> None:
    nb = new_notebook(cells=cells)
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = i + 1 if executed else None
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A miniature repository: two chapters, a glossary, a helper file."""
    _write_nb(tmp_path / "notebooks/00_start.ipynb", [
        new_markdown_cell("# Chapter 0 — Start\n\nSee [glossary](../lessons/glossary.md)."),
        new_code_cell("x = 1"),
    ])
    _write_nb(tmp_path / "notebooks/01_life.ipynb", [
        new_markdown_cell("# Chapter 1 — Life\n\n[helper](../helpers/crmlab/x.py), "
                          "[gone](../lessons/99_nothing.md), [web](https://example.org), "
                          "[anchor](#top)\n\n```\n[code](../helpers/crmlab/x.py)\n```"),
        new_code_cell("y = 2"),
    ])
    (tmp_path / "lessons/exercises").mkdir(parents=True)
    (tmp_path / "lessons/01_life.md").write_text("# Chapter 1 — notes\n", encoding="utf-8")
    (tmp_path / "lessons/glossary.md").write_text("# Glossary\n", encoding="utf-8")
    _write_nb(tmp_path / "lessons/exercises/01_life.ipynb",
              [new_markdown_cell("# Exercises 1"), new_code_cell("answer_1a = ...")],
              executed=False)
    _write_nb(tmp_path / "lessons/solutions/01_life.ipynb",
              [new_markdown_cell("# Solutions 1"), new_code_cell("answer_1a = 1")])
    (tmp_path / "helpers/crmlab").mkdir(parents=True)
    (tmp_path / "helpers/crmlab/x.py").write_text("X = 1\n", encoding="utf-8")
    return tmp_path


def test_discover_groups_files_by_chapter(repo):
    src = build_site.discover(repo)
    assert [c.key for c in src.chapters] == ["00", "01"]
    ch1 = src.chapters[1]
    assert ch1.notebook == Path("notebooks/01_life.ipynb")
    assert ch1.lesson == Path("lessons/01_life.md")
    assert ch1.exercise == Path("lessons/exercises/01_life.ipynb")
    assert ch1.solution is None  # solutions only on request
    assert build_site.discover(repo, solutions=True).chapters[1].solution is not None
    assert src.reference == [Path("lessons/glossary.md")]


def test_toc_nests_lesson_and_exercise_under_the_notebook(repo):
    toc = build_site.make_toc(build_site.discover(repo))
    assert "root: intro" in toc
    assert "      - file: notebooks/01_life\n        sections:\n" in toc
    assert "          - file: lessons/01_life\n" in toc
    assert "          - file: lessons/exercises/01_life\n" in toc
    assert "caption: Reference" in toc and "- file: lessons/glossary" in toc


def test_discover_fails_on_an_empty_repository(tmp_path):
    with pytest.raises(build_site.SiteBuildError, match="no notebooks"):
        build_site.discover(tmp_path)


def test_unexecuted_chapter_notebook_is_refused_but_exercises_may_be_unrun(repo):
    build_site.check_executed(repo, build_site.discover(repo))  # exercise unrun: fine
    _write_nb(repo / "notebooks/02_new.ipynb", [new_code_cell("z = 3")], executed=False)
    with pytest.raises(build_site.SiteBuildError, match=r"02_new.ipynb \(1 code cells never run"):
        build_site.check_executed(repo, build_site.discover(repo))


def test_rewrite_markdown_keeps_site_links_and_delinks_repo_files(repo):
    site_files = {Path("lessons/glossary.md"), Path("notebooks/01_life.ipynb")}
    nb = nbformat.read(repo / "notebooks/01_life.ipynb", as_version=4)
    text, notes = build_site._rewrite_markdown(
        nb.cells[0].source, Path("notebooks/01_life.ipynb"), repo, site_files, set()
    )
    assert "[helper](" not in text.split("```")[0] and "helper," in text
    assert "[gone](../lessons/99_nothing.md)" in text  # broken: left for Sphinx to report
    assert "[web](https://example.org)" in text and "[anchor](#top)" in text
    assert "[code](../helpers/crmlab/x.py)" in text  # fenced code untouched
    assert len(notes) == 1 and "x.py" in notes[0]
    text, _ = build_site._rewrite_markdown(
        "[g](../lessons/glossary.md#retention-rate)", Path("notebooks/01_life.ipynb"), repo,
        site_files, set(),
    )
    assert text == "[g](../lessons/glossary.md#retention-rate)"


def test_rewrite_markdown_collects_images(repo):
    (repo / "lessons/fig.png").write_bytes(b"\x89PNG")
    extra: set[Path] = set()
    text, _ = build_site._rewrite_markdown("![a plot](fig.png)", Path("lessons/01_life.md"),
                                           repo, set(), extra)
    assert text == "![a plot](fig.png)" and extra == {Path("lessons/fig.png")}


def test_stage_writes_toc_config_and_mathjax(repo, tmp_path):
    node_modules = tmp_path / "nm"
    for part in build_site.MATHJAX_PARTS:
        p = node_modules / "mathjax/es5" / part
        if part.endswith(".js"):
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text("//", encoding="utf-8")
        else:
            p.mkdir(parents=True)
    (repo / "site").mkdir()
    for name in ("_config.yml", "intro.md"):
        (repo / "site" / name).write_text((ROOT / "site" / name).read_text(encoding="utf-8"),
                                          encoding="utf-8")
    staging = repo / "build/site-src"
    build_site.stage(repo, build_site.discover(repo), staging, node_modules)
    assert (staging / "_toc.yml").is_file() and (staging / "_config.yml").is_file()
    assert (staging / "_offline/mathjax/tex-mml-chtml.js").is_file()
    ex = json.loads((staging / "lessons/exercises/01_life.ipynb").read_text(encoding="utf-8"))
    assert ex["metadata"]["language_info"]["name"] == "python"
    staged = json.loads((staging / "notebooks/01_life.ipynb").read_text(encoding="utf-8"))
    assert "[helper](" not in "".join(staged["cells"][0]["source"]).split("```")[0]


@pytest.mark.parametrize(
    ("html", "n"),
    [
        ('<script src="https://cdn.example.org/x.js"></script>', 1),
        ('<script src="//cdn.example.org/x.js"></script>', 1),
        ('<link rel="stylesheet" href="http://fonts.example.org/a.css">', 1),
        ('<img src="https://example.org/a.png"><img srcset="https://e.org/b.png 2x">', 2),
        ('<iframe src="https://www.youtube.com/embed/x"></iframe>', 1),
        ('<div style="background: url(https://e.org/bg.png)"></div>', 1),
        ('<a href="https://example.org">a link is fine</a>', 0),
        ('<link rel="canonical" href="https://example.org/">', 0),
        ('<script src="_static/mathjax/tex-mml-chtml.js"></script><img src="data:image/png;base64,AA">', 0),
        ('<script>const u = "https://unpkg.com/x";</script>', 0),  # inline code: browser test
    ],
)
def test_network_urls_in_html(html, n):
    assert len(build_site.network_urls_in_html(html)) == n


def test_network_urls_in_css_ignores_comments():
    css = "/* by http://hakim.se */ @import url(https://fonts.googleapis.com/css?x);" \
          " a { background: url('../img/a.png') } b { src: url(//cdn.e.org/f.woff) }"
    found = build_site.network_urls_in_css(css)
    assert found == ["css https://fonts.googleapis.com/css?x", "css //cdn.e.org/f.woff"]


def test_find_network_assets_names_the_file(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/p.html").write_text('<script src="https://x.org/y.js"></script>', "utf-8")
    (tmp_path / "ok.html").write_text('<script src="_static/y.js"></script>', "utf-8")
    assert build_site.find_network_assets(tmp_path) == ["a/p.html: <script src> https://x.org/y.js"]


# --------------------------------------------------------------------------- slides


def _png_b64(height: int) -> str:
    import base64
    import struct
    import zlib

    raw = b"".join(b"\x00" + b"\x00\x00\x00" for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", 1, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) \
        + chunk(b"IEND", b"")
    return base64.b64encode(png).decode()


def _slides_nb():
    plot = new_code_cell("plot()")
    plot.outputs = [new_output("display_data", data={"image/png": _png_b64(480),
                                                      "text/plain": "<Figure>"})]
    hidden = new_code_cell("secret()", metadata={"tags": ["remove-cell"]})
    quiet = new_code_cell("print_table_quietly()", metadata={"tags": ["remove-input"]})
    quiet.outputs = [new_output("stream", name="stdout", text="the table\n")]
    checked = new_code_cell("assert_all_is_well()\nassert 1 + 1 == 2")
    checked.outputs = [new_output("stream", name="stdout", text="all is well\n")]
    return new_notebook(cells=[
        new_markdown_cell("# Title\n\nIntro.\n\n## Section\n\ntext"),
        new_code_cell("a = 1"),
        new_markdown_cell("### Detail"),
        plot,
        new_code_cell("b = 2"),
        hidden,
        quiet,
        checked,
    ])


def test_prepare_applies_the_slide_structure():
    nb = build_slides.prepare(_slides_nb(), src_rel=Path("notebooks/x.ipynb"), root=ROOT)
    types = [c.metadata["slideshow"]["slide_type"] for c in nb.cells]
    # the mid-cell "## Section" is split off and starts a slide; ### a sub-slide that the
    # 480-px plot fills, so the output after it starts another; the remove-cell cell is dropped
    assert [c.source.split("\n")[0] for c in nb.cells][:3] == ["# Title", "## Section", "a = 1"]
    assert types == ["slide", "slide", "-", "subslide", "-", "-", "subslide", "-"]
    assert all("secret" not in c.source for c in nb.cells)


def test_lecture_deck_hides_plumbing_full_code_shows_it():
    lecture = build_slides.prepare(_slides_nb(), src_rel=Path("x.ipynb"), root=ROOT)
    full = build_slides.prepare(_slides_nb(), full_code=True, src_rel=Path("x.ipynb"), root=ROOT)
    hidden = [c.source for c in lecture.cells
              if c.metadata.get("transient", {}).get("remove_source")]
    assert "plot()" in hidden and "assert_all_is_well()\nassert 1 + 1 == 2" in hidden
    assert "a = 1" not in hidden  # short code that is the lesson stays
    shown_full = [c.source for c in full.cells
                  if not c.metadata.get("transient", {}).get("remove_source")]
    assert "plot()" in shown_full and "print_table_quietly()" not in shown_full


def test_prepare_hide_code_skips_cells_without_output():
    nb = build_slides.prepare(_slides_nb(), hide_code=True, src_rel=Path("x.ipynb"), root=ROOT)
    a = next(c for c in nb.cells if c.source == "a = 1")
    assert a.metadata["slideshow"]["slide_type"] == "skip"


def test_slides_are_written_with_local_assets_only(tmp_path):
    """Full export of a tiny notebook (needs node_modules: skipped if npm never ran)."""
    if not all((ROOT / "node_modules" / p).is_file() for p in build_site.REQUIRED_ASSETS):
        pytest.skip("node_modules not installed (run tools/build_slides.py once)")
    nb_path = tmp_path / "01_demo.ipynb"
    nbformat.write(_slides_nb(), nb_path)
    (html,) = build_slides.build_slides([nb_path], tmp_path / "out", quiet=True)
    text = html.read_text(encoding="utf-8")
    assert html.name == "01_demo.slides.html"
    assert build_site.network_urls_in_html(text) == []
    assert "mermaid" not in text.split("<body")[0]
    assert "print_table_quietly" not in text and "the table" in text  # remove-input
    assert "assert_all_is_well" not in text and "all is well" in text  # plumbing hidden
    assert "secret()" not in text  # remove-cell
    assert '_assets/reveal.js/dist/reveal.js' in text
    assert (tmp_path / "out/_assets/mathjax2/config/Safe.js").is_file()


def test_slides_refuse_a_theme_that_needs_web_fonts(tmp_path):
    if not all((ROOT / "node_modules" / p).is_file() for p in build_site.REQUIRED_ASSETS):
        pytest.skip("node_modules not installed")
    nb_path = tmp_path / "01_demo.ipynb"
    nbformat.write(_slides_nb(), nb_path)
    with pytest.raises(build_site.SiteBuildError, match="web fonts.*offline themes: .*white"):
        build_slides.build_slides([nb_path], tmp_path / "out", theme="simple", quiet=True)


def test_slides_section_lists_chapters_by_title(repo):
    nbs = [repo / "notebooks/00_start.ipynb", repo / "notebooks/01_life.ipynb"]
    assert build_site.notebook_title(nbs[0]) == "Chapter 0 — Start"
    text = build_site.slides_section(nbs)
    assert '<a href="slides/01_life.slides.html">Chapter 1 — Life</a>' in text
    untitled = repo / "notebooks/02_x.ipynb"
    _write_nb(untitled, [new_code_cell("1")])
    assert build_site.notebook_title(untitled) == "02_x"
    _write_nb(untitled, [new_markdown_cell("## A <b> & c ##")])
    assert "A &lt;b&gt; &amp; c</a>" in build_site.slides_section([untitled])


def test_chapter_titles_get_the_lessons_chinese_title(repo):
    (repo / "lessons/01_life.md").write_text(
        "# Lecture notes — Chapter 1: Life (生命周期)\n\n## Sources: course chapter → textbook\n\n"
        "| course chapter | textbook | articles |\n|---|---|---|\n| 1 Life | ch. 9 §9.1 | Dwyer |\n",
        encoding="utf-8")
    assert build_site.chinese_title(repo / "lessons/01_life.md") == "生命周期"
    assert build_site.notebook_title(repo / "notebooks/01_life.ipynb") == "Chapter 1 — Life (生命周期)"
    assert build_site.notebook_title(repo / "notebooks/00_start.ipynb") == "Chapter 0 — Start"
    text = build_site.sources_section([repo / "lessons/01_life.md"])
    assert "| 1 Life | ch. 9 §9.1 | Dwyer |" in text and text.count("\n|") == 3
    staging = repo / "build/site-src"
    node_modules = repo / "nm"
    for part in build_site.MATHJAX_PARTS:
        target = node_modules / "mathjax/es5" / part
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("//") if part.endswith(".js") else target.mkdir()
    (repo / "site").mkdir()
    (repo / "site/intro.md").write_text("# Home\n", encoding="utf-8")
    build_site.stage(repo, build_site.discover(repo), staging, node_modules)
    staged = json.loads((staging / "notebooks/01_life.ipynb").read_text(encoding="utf-8"))
    assert staged["cells"][0]["source"].startswith("# Chapter 1 — Life (生命周期)\n")


def test_every_chapter_title_is_bilingual_on_the_site():
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        title = build_site.notebook_title(nb)
        assert build_site.CJK_RE.search(title), f"{nb.name}: no Chinese title: {title!r}"
