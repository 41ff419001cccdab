"""Build the offline HTML site of crm-notebooks into build/site/.

Usage (from the repository root)::

    python tools/build_site.py                 # notebooks, lessons, exercises, glossary
    python tools/build_site.py --solutions     # also the worked exercise solutions
    python tools/build_site.py --out /tmp/site # another output folder
    python tools/build_site.py --lenient       # warnings do not fail (work in progress)

What it does, in order:

1. ``npm ci`` into ``node_modules/`` if the pinned front-end assets (package-lock.json) are
   not installed yet: MathJax 3 for the site (reveal.js etc. for the slides).
2. Copies the *already executed* notebooks (``notebooks/NN_*.ipynb``), the lecture notes
   (``lessons/NN_*.md``), the exercise notebooks, ``lessons/glossary.md`` and
   ``datasets/README.md`` into a fresh staging folder ``build/site-src/`` with the same
   relative layout (so links such as ``../lessons/glossary.md`` keep working), together
   with ``site/_config.yml``, ``site/intro.md``, a generated ``_toc.yml`` and MathJax.
   Links to repository files that are not part of the site (``../helpers/...``,
   ``../Makefile``) become plain text; links to files that do not exist are left alone so
   that the build fails on them.
3. Runs Jupyter Book 1 (Sphinx) with ``-W --keep-going`` from a clean build folder and
   ``execute_notebooks: off``: a warning (broken link, missing title, bad cell) fails the
   build, and no notebook is re-executed.
4. Exports every chapter notebook as offline reveal.js slides into ``build/site/slides/``
   (tools/build_slides.py; listed at the end of the home page; ``--no-slides`` skips it).
5. Checks the built HTML and CSS for any asset that would be loaded from the network
   (``http(s)://`` or ``//`` in script/link/img/iframe/source sources, CSS ``url()`` and
   ``@import``) and fails if one remains.

Nothing is downloaded at build time once ``node_modules/`` exists, and nothing is loaded from
the network when the site is viewed: open ``build/site/index.html`` directly, or serve it with
``python -m http.server --bind 127.0.0.1 --directory build/site``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html import escape as html_escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/ is not a package
from _common import (  # noqa: E402,F401 - re-exported: the tests use build_site.<name>
    LINK_RE,
    NODE_MODULES,
    REQUIRED_ASSETS,
    ROOT,
    URL_SCHEME_RE,
    SiteBuildError,
    _rewrite_markdown,
    ensure_node_modules,
    find_network_assets,
    network_urls_in_css,
    network_urls_in_html,
)

SITE_CONFIG = ROOT / "site"
MATHJAX_PARTS = ("tex-mml-chtml.js", "input", "output", "ui", "a11y", "sre", "adaptors")

CHAPTER_RE = re.compile(r"^(\d{2})_[A-Za-z0-9_\-]+$")




# --------------------------------------------------------------------------- sources


@dataclass
class Chapter:
    key: str  # "00", "01", ...
    notebook: Path | None = None
    lesson: Path | None = None
    exercise: Path | None = None
    solution: Path | None = None

    def files(self) -> list[Path]:
        return [p for p in (self.notebook, self.lesson, self.exercise, self.solution) if p]


@dataclass
class Sources:
    chapters: list[Chapter]
    reference: list[Path] = field(default_factory=list)

    def files(self) -> list[Path]:
        out = [p for ch in self.chapters for p in ch.files()]
        return out + list(self.reference)


def _chapter_key(path: Path) -> str | None:
    m = CHAPTER_RE.match(path.stem)
    return m.group(1) if m else None


def discover(root: Path = ROOT, *, solutions: bool = False) -> Sources:
    """Find the site's pages in the repository (paths relative to *root*)."""
    chapters: dict[str, Chapter] = {}

    def add(pattern: str, attr: str) -> None:
        for path in sorted(root.glob(pattern)):
            key = _chapter_key(path)
            if key is None:
                continue
            ch = chapters.setdefault(key, Chapter(key))
            if getattr(ch, attr) is not None:
                raise SiteBuildError(
                    f"two {attr} files for chapter {key}: {getattr(ch, attr)} and "
                    f"{path.relative_to(root)}; keep one per chapter"
                )
            setattr(ch, attr, path.relative_to(root))

    add("notebooks/*.ipynb", "notebook")
    add("lessons/*.md", "lesson")
    add("lessons/exercises/*.ipynb", "exercise")
    if solutions:
        add("lessons/solutions/*.ipynb", "solution")
    reference = [
        p.relative_to(root)
        for p in (root / "lessons" / "glossary.md", root / "lessons" / "how_to_exercises.md",
                  root / "datasets" / "README.md")
        if p.is_file()
    ]
    ordered = [chapters[k] for k in sorted(chapters)]
    # A chapter is listed under its notebook (or, failing that, its lesson notes).
    ordered = [ch for ch in ordered if ch.notebook or ch.lesson]
    if not ordered:
        raise SiteBuildError(f"no notebooks/NN_*.ipynb or lessons/NN_*.md found under {root}")
    return Sources(ordered, reference)


def unexecuted_cells(nb_path: Path) -> int:
    """Number of non-empty code cells of a notebook that have never been executed."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return sum(
        1
        for cell in nb.get("cells", [])
        if cell.get("cell_type") == "code"
        and "".join(cell.get("source", "")).strip()
        and cell.get("execution_count") is None
    )


def check_executed(root: Path, sources: Sources, *, strict: bool = True) -> None:
    """Fail if a chapter or solution notebook is not executed (the site shows stored outputs).

    Exercise notebooks are exempt: students fill them in, so they may be committed unrun.
    """
    bad = []
    for ch in sources.chapters:
        for nb in (ch.notebook, ch.solution):
            if nb is not None:
                n = unexecuted_cells(root / nb)
                if n:
                    bad.append(f"{nb} ({n} code cells never run)")
    if bad:
        msg = (
            "these notebooks are not executed, so the site would show no outputs:\n  "
            + "\n  ".join(bad)
            + "\nrun `.venv/bin/jupyter nbconvert --to notebook --execute --inplace <notebook>`"
        )
        if strict:
            raise SiteBuildError(msg)
        print(f"warning: {msg}", file=sys.stderr)


def make_toc(sources: Sources) -> str:
    """The _toc.yml (jb-book format) for the discovered pages."""

    def entry(path: Path) -> str:
        return path.with_suffix("").as_posix()

    lines = [
        "# Generated by tools/build_site.py; do not edit.",
        "format: jb-book",
        "root: intro",
        "parts:",
        "  - caption: Chapters",
        "    chapters:",
    ]
    for ch in sources.chapters:
        head = ch.notebook or ch.lesson
        lines.append(f"      - file: {entry(head)}")
        subs = [p for p in (ch.lesson, ch.exercise, ch.solution) if p and p != head]
        if subs:
            lines.append("        sections:")
            lines.extend(f"          - file: {entry(p)}" for p in subs)
    if sources.reference:
        lines += ["  - caption: Reference", "    chapters:"]
        lines.extend(f"      - file: {entry(p)}" for p in sources.reference)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- staging


CJK_RE = re.compile(r"[\u3400-\u9fff]")
ZH_IN_PARENS_RE = re.compile(r"[(（]([^()（）]*[\u3400-\u9fff][^()（）]*)[)）]\s*$")


def _first_heading(text: str) -> str | None:
    for line in text.splitlines():
        m = re.match(r"^\s*#{1,6}\s+(.+?)\s*#*\s*$", line)
        if m:
            return m.group(1)
    return None


def chinese_title(lesson: Path) -> str | None:
    """The Chinese chapter title in brackets at the end of a lesson's first heading."""
    if not lesson.is_file():
        return None
    head = _first_heading(lesson.read_text(encoding="utf-8")) or ""
    m = ZH_IN_PARENS_RE.search(head)
    return m.group(1).strip() if m else None


def notebook_title(path: Path) -> str:
    """The first Markdown heading of a notebook (its file stem if it has none).

    A chapter title without Chinese gets the Chinese title of the chapter's lesson notes
    (``lessons/NN_x.md``, "# Lecture notes — ... (中文)"), so every chapter is bilingual.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            head = _first_heading("".join(cell.get("source", "")))
            if head:
                return _bilingual(head, path.parent.parent / "lessons" / f"{path.stem}.md")
    return path.stem


def _bilingual(title: str, lesson: Path) -> str:
    if CJK_RE.search(title):
        return title
    zh = chinese_title(lesson)
    return f"{title} ({zh})" if zh else title


def sources_section(lessons: list[Path]) -> str:
    """Markdown for the home page: the lessons' "Sources" tables as one table."""
    rows = []
    for lesson in lessons:
        inside, header_seen = False, False
        for line in lesson.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                inside = line.lower().startswith("## sources")
                header_seen = False
                continue
            if inside and line.startswith("|"):
                if not header_seen:
                    header_seen = True
                elif not set(line) <= set("|-: "):
                    rows.append(line)
    if not rows:
        return ""
    return (
        "\n\n## Where each chapter comes from\n\n"
        "Each course chapter follows sections of the course documents (two textbook chapters, "
        "a course chapter and articles, called seeds 000–004 in the notebooks) and the "
        "literature; each chapter's lecture notes open with the same table.\n\n"
        "| course chapter | textbook chapter / section | article / other sources |\n|---|---|---|\n"
        + "\n".join(rows) + "\n"
    )


def slides_section(notebooks: list[Path]) -> str:
    """Markdown (raw HTML list) for the home page linking each chapter's slides."""
    items = "\n".join(
        f'<li><a href="slides/{nb.stem}.slides.html">{html_escape(notebook_title(nb))}</a></li>'
        for nb in notebooks
    )
    return (
        "\n\n## Slides\n\n"
        "Each chapter notebook as a reveal.js slide show for the projector (works offline; "
        "keys: arrows, `f` full screen, `s` speaker view, `o` overview):\n\n"
        f'<ul class="crmlab-slides">\n{items}\n</ul>\n'
    )


def stage(root: Path, sources: Sources, staging: Path, node_modules: Path) -> list[str]:
    """Create the Jupyter Book source folder *staging*; return notes of rewritten links."""
    if staging.exists():
        shutil.rmtree(staging)
    # site/: _config.yml, intro.md, favicon, the local Sphinx extension (site/_ext/)
    shutil.copytree(root / "site", staging, ignore=shutil.ignore_patterns("__pycache__", "_build"))
    (staging / "_toc.yml").write_text(make_toc(sources), encoding="utf-8")

    site_files = set(sources.files())
    extra: set[Path] = set()
    notes: list[str] = []
    for rel in sorted(site_files):
        dest = staging / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if rel.suffix == ".ipynb":
            nb = json.loads((root / rel).read_text(encoding="utf-8"))
            # An exercise notebook committed unrun has no language_info; without it the
            # code cells get no syntax highlighting and Sphinx warns.
            meta = nb.setdefault("metadata", {})
            meta.setdefault("language_info", {"name": "python"})
            meta.setdefault(
                "kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"}
            )
            titled = rel.parts[0] != "notebooks"
            for cell in nb.get("cells", []):
                if cell.get("cell_type") == "markdown":
                    src = "".join(cell.get("source", ""))
                    new, n = _rewrite_markdown(src, rel, root, site_files, extra)
                    notes += n
                    head = _first_heading(new)
                    if not titled and head:  # the chapter title, bilingual in the site nav
                        titled = True
                        full = _bilingual(head, root / "lessons" / f"{rel.stem}.md")
                        new = new.replace(head, full, 1)
                    cell["source"] = new
            dest.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            text = (root / rel).read_text(encoding="utf-8")
            new, n = _rewrite_markdown(text, rel, root, site_files, extra)
            notes += n
            dest.write_text(new, encoding="utf-8")
    for rel in sorted(extra):
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, staging / rel)

    mathjax_src = node_modules / "mathjax" / "es5"
    mathjax_dest = staging / "_offline" / "mathjax"
    mathjax_dest.mkdir(parents=True, exist_ok=True)
    for part in MATHJAX_PARTS:
        src = mathjax_src / part
        if src.is_dir():
            shutil.copytree(src, mathjax_dest / part)
        else:
            shutil.copy2(src, mathjax_dest / part)
    return notes


# --------------------------------------------------------------------------- build


def build(
    root: Path = ROOT,
    out: Path | None = None,
    *,
    solutions: bool = False,
    strict: bool = True,
    slides: bool = True,
    quiet: bool = False,
) -> Path:
    """Build the site; return the output folder (default ``root/build/site``).

    With *slides*, every chapter notebook is also exported as reveal.js slides into
    ``slides/`` of the site (tools/build_slides.py) and listed on the home page.
    """
    out = out or root / "build" / "site"
    staging = root / "build" / "site-src"
    t0 = time.perf_counter()
    node_modules = ensure_node_modules(root, quiet=quiet)
    sources = discover(root, solutions=solutions)
    check_executed(root, sources, strict=strict)
    notes = stage(root, sources, staging, node_modules)
    slide_notebooks = [root / ch.notebook for ch in sources.chapters if ch.notebook]
    with (staging / "intro.md").open("a", encoding="utf-8") as f:
        f.write(sources_section([root / ch.lesson for ch in sources.chapters if ch.lesson]))
        if slides and slide_notebooks:
            f.write(slides_section(slide_notebooks))
    if not quiet:
        pages = len(sources.files()) + 1
        print(f"staged {pages} pages ({len(sources.chapters)} chapters) in {staging}")
        for note in notes:
            print("  note:", note)

    jb = Path(sys.executable).with_name("jupyter-book")
    if not jb.exists():
        found = shutil.which("jupyter-book")
        if found is None:
            raise SiteBuildError(
                "jupyter-book not found; install it with `pip install 'jupyter-book>=1,<2'`"
            )
        jb = Path(found)
    cmd = [str(jb), "build", str(staging), "--builder", "html", "--all"]
    if strict:
        cmd += ["-W", "--keep-going"]
    if quiet:
        cmd.append("-q")
    t1 = time.perf_counter()
    result = subprocess.run(cmd, cwd=root, capture_output=quiet, text=True)
    if result.returncode != 0:
        detail = (result.stdout or "") + (result.stderr or "") if quiet else ""
        raise SiteBuildError(
            f"Jupyter Book build failed (warnings are errors); fix the files the WARNING lines name.\n"
            f"command: {' '.join(cmd)}\n{detail}"
        )
    t2 = time.perf_counter()
    html = staging / "_build" / "html"
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(html, out)
    # sphinx-external-toc writes index.html as a bare one-line redirect to intro.html; serve
    # the home page itself there instead (same folder, so its relative links work): no
    # redirect for a browser, a test or a file:// visitor to wait for.
    shutil.copy2(out / "intro.html", out / "index.html")

    if slides and slide_notebooks:
        from build_slides import build_slides  # tools/ is on sys.path (see the imports)

        t3 = time.perf_counter()
        build_slides(slide_notebooks, out / "slides", root=root, quiet=True)
        if not quiet:
            print(f"slides of {len(slide_notebooks)} chapters in {out / 'slides'} "
                  f"({time.perf_counter() - t3:.1f} s)")

    problems = find_network_assets(out)
    if problems:
        raise SiteBuildError(
            "the built site would load these from the network (not allowed offline):\n  "
            + "\n  ".join(problems)
        )
    if not quiet:
        n_pages = len(list(out.rglob("*.html")))
        print(
            f"site built: {out} ({n_pages} HTML files, no network assets); "
            f"sphinx {t2 - t1:.1f} s, total {time.perf_counter() - t0:.1f} s\n"
            f"view offline: open {out / 'index.html'} or "
            f"python -m http.server --bind 127.0.0.1 --directory {out}"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=None, help="output folder (default build/site)")
    ap.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    ap.add_argument("--solutions", action="store_true",
                    help="also publish lessons/solutions/ (worked exercise solutions)")
    ap.add_argument("--no-slides", action="store_true",
                    help="do not add the chapters' reveal.js slides (site/slides/)")
    ap.add_argument("--lenient", action="store_true",
                    help="report Sphinx warnings (e.g. links to chapters not written yet) "
                    "without failing; the offline-asset check still fails the build")
    ap.add_argument("-q", "--quiet", action="store_true", help="only print errors")
    args = ap.parse_args(argv)
    try:
        build(args.root.resolve(), args.out, solutions=args.solutions, strict=not args.lenient,
              slides=not args.no_slides, quiet=args.quiet)
    except SiteBuildError as err:
        print(f"build_site: error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
