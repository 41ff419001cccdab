"""Turn chapter notebooks into reveal.js slide shows that run offline.

Usage (from the repository root)::

    python tools/build_slides.py --all                 # lecture decks of every chapter
    python tools/build_slides.py notebooks/01_customer_lifecycle.ipynb
    python tools/build_slides.py --all --full-code     # every cell's code shown too
    python tools/build_slides.py --hide-code notebooks/05_segmentation.ipynb   # no code at all

Writes ``build/slides/NN_x.slides.html`` (``NN_x.full.slides.html`` with ``--full-code``) next
to ``build/slides/_assets/`` (reveal.js 4, RequireJS, jQuery 2 and MathJax 2 from
``node_modules/``, installed by ``npm ci`` on first use). The folder is self-contained: copy
``build/slides/`` to a USB stick and open the HTML file in a browser, no internet needed.
Keys: arrows or space to move, ``s`` speaker view (notes), ``f`` full screen, ``o`` overview.

The slide breaks are the notebook's own cell metadata, written by tools/slide_structure.py
(the same structure RISE shows with Alt+R; a notebook not yet in that form gets it in memory).
The lecture deck (default) hides plumbing code (cells tagged ``slides-hide-input``: imports,
validation, asserts, plotting code) and shows its output; ``--full-code`` shows all code.
The talking points of the chapter's lesson notes (``lessons/NN_x.md``, "Slide outline")
become reveal.js speaker notes. The canvas is 1280x720; text, code and plots are sized
for a projector (``DECK_CSS``). The notebooks are rendered with their stored outputs;
nothing is executed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import nbformat.v4

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/ is not a package
import slide_structure  # noqa: E402
from _common import (  # noqa: E402
    ROOT,
    SiteBuildError,
    _rewrite_markdown,
    ensure_node_modules,
    network_urls_in_css,
    network_urls_in_html,
)

ASSETS = "_assets"
# What of MathJax 2 the slides need: the combined TeX + CommonHTML configuration, its
# extensions, the TeX input, the CommonHTML output and its web fonts.
MATHJAX2_PARTS = (
    "MathJax.js",
    "config/TeX-AMS_CHTML-full.js",
    "config/Safe.js",
    "extensions",
    "jax/input/TeX",
    "jax/element",
    "jax/output/CommonHTML",
    "fonts/HTML-CSS/TeX/woff",
)
REMOVE_CELL_TAGS = {"remove-cell", "remove_cell"}
REMOVE_INPUT_TAGS = {"remove-input", "remove_input", "hide-input"}

# The reveal template imports mermaid.js from a CDN on every page load; the collection has
# no mermaid diagrams, so the offline template drops that block. Headings keep their case
# (reveal's themes upper-case them, which mangles names such as "CLV" vs "clv").
# Lecture sizes on the 1280x720 canvas (tools/slide_structure.py estimates heights with the
# same numbers): 24 px prose, 18 px code, 15 px outputs; a plot at most 470 px high; an output
# taller than 440 px, a wide table or a long formula scrolls inside its own box.
DECK_CSS = """
.reveal h1, .reveal h2, .reveal h3, .reveal h4, .reveal h5, .reveal h6 { text-transform: none !important; }
.reveal .slides { text-align: left; }
.reveal { --jp-cell-prompt-width: 0px; }
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt { display: none; }
.reveal .slides section { padding: 8px 16px !important; box-sizing: border-box; }
.reveal h1 { font-size: 44px; margin: 0 0 12px; }
.reveal h2 { font-size: 38px; margin: 0 0 10px; }
.reveal h3 { font-size: 32px; margin: 0 0 8px; }
.reveal .jp-RenderedMarkdown, .reveal .jp-RenderedHTMLCommon { font-size: 24px; line-height: 1.5; }
.reveal .jp-RenderedMarkdown p, .reveal .jp-RenderedMarkdown li { font-size: 24px; line-height: 1.5; }
.reveal .jp-RenderedMarkdown table { font-size: 20px; }
.reveal .jp-InputArea .CodeMirror, .reveal .jp-InputArea pre, .reveal .highlight pre { font-size: 18px !important; line-height: 1.35; }
.reveal .jp-OutputArea-output { max-height: 440px !important; overflow: auto !important; }
.reveal .jp-OutputArea-output pre { font-size: 15px !important; line-height: 1.45 !important; }
.reveal .jp-OutputArea-output table { font-size: 15px; }
.reveal .jp-OutputArea-output img { max-height: 470px; max-width: 100%; width: auto; height: auto; display: block; margin: 0 auto; }
.reveal .jp-RenderedHTMLCommon table { display: block; max-width: 100%; overflow-x: auto; }
.reveal .MathJax_Display, .reveal mjx-container[display="true"] { max-width: 100%; overflow-x: auto; overflow-y: hidden; }
.reveal .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"] { display: none; }
"""
# The reveal template imports mermaid.js from a CDN on every page load; the collection has
# no mermaid diagrams, so the offline template drops that block. Headings keep their case
# (reveal's themes upper-case them, which mangles names such as "CLV" vs "clv").
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block notebook_css -%}
{{ super() }}
<style type="text/css">""" + DECK_CSS + """</style>
{%- endblock notebook_css -%}
"""


def copy_assets(node_modules: Path, dest: Path) -> None:
    """Copy reveal.js, RequireJS, jQuery and MathJax 2 into *dest* (``.../_assets``)."""
    marker = dest / ".complete"
    lock = node_modules / ".package-lock.json"
    stamp = f"{MATHJAX2_PARTS}\noffline themes only\n{lock.stat().st_mtime if lock.is_file() else 0}\n"
    if marker.is_file() and marker.read_text(encoding="utf-8") == stamp:
        return
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for part in ("dist", "plugin"):
        shutil.copytree(node_modules / "reveal.js" / part, dest / "reveal.js" / part)
    # most reveal.js themes @import Google web fonts: ship only those that work offline
    for css in (dest / "reveal.js" / "dist" / "theme").glob("*.css"):
        if network_urls_in_css(css.read_text(encoding="utf-8")):
            css.unlink()
    shutil.copy2(node_modules / "requirejs" / "require.js", dest / "require.js")
    shutil.copy2(node_modules / "jquery" / "dist" / "jquery.min.js", dest / "jquery.min.js")
    for part in MATHJAX2_PARTS:
        src = node_modules / "mathjax2" / part
        target = dest / "mathjax2" / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target)
        else:
            shutil.copy2(src, target)
    marker.write_text(stamp, encoding="utf-8")


def offline_themes(assets: Path) -> list[str]:
    """reveal.js themes whose stylesheet loads nothing from the network (no web fonts)."""
    return sorted(
        css.stem
        for css in (assets / "reveal.js" / "dist" / "theme").glob("*.css")
        if not network_urls_in_css(css.read_text(encoding="utf-8"))
    )


def check_theme(assets: Path, theme: str) -> None:
    """Fail unless *theme* exists and works offline (most themes import Google web fonts)."""
    for css in (assets / "reveal.js" / "dist" / "reveal.css",
                assets / "reveal.js" / "dist" / "theme" / f"{theme}.css"):
        if not css.is_file() or network_urls_in_css(css.read_text(encoding="utf-8")):
            raise SiteBuildError(
                f"reveal.js theme {theme!r} is missing or loads web fonts from the internet; "
                f"offline themes: {', '.join(offline_themes(assets))}"
            )


def speaker_notes(lesson: Path) -> dict[str, str]:
    """Talking points of a lesson's "Slide outline": slide title -> Markdown notes.

    The outline (kept in step with the deck by ``tools/slide_structure.py``) has one
    numbered item per slide, ``N. **<slide title>** — <talking points>``, continued on
    indented lines. Titles without talking points are left out.
    """
    if not lesson.is_file():
        return {}
    notes = slide_structure.parse_outline(lesson.read_text(encoding="utf-8"))
    return {k: v for k, v in notes.items() if v}


def slide_title(cell: nbformat.NotebookNode) -> str | None:
    """Text of the ``#``/``##`` heading a Markdown cell starts with."""
    if cell.cell_type != "markdown":
        return None
    m = re.match(r"^\s*#{1,2}\s+(.+?)\s*#*\s*$", cell.source.lstrip("\n").split("\n", 1)[0])
    return m.group(1) if m else None


def _split_outputs(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """A code cell whose outputs do not fit one slide, as several (outputs on sub-slides)."""
    if cell.cell_type != "code" or len(cell.get("outputs", [])) < 2:
        return [cell]
    shown = not cell.metadata.get("transient", {}).get("remove_source")
    used = slide_structure.cell_height(cell, lecture=False) if shown else 0
    used -= slide_structure.outputs_height(cell) if shown else 0
    groups: list[list] = [[]]
    for out in cell.outputs:
        h = slide_structure.outputs_height({"outputs": [out]})
        if groups[-1] and used + h > slide_structure.BUDGET:
            groups.append([])
            used = 0
        groups[-1].append(out)
        used += h
    if len(groups) == 1:
        return [cell]
    cell.outputs = groups[0]
    more = []
    for group in groups[1:]:
        extra = nbformat.v4.new_code_cell(cell.source, outputs=group,
                                          execution_count=cell.execution_count)
        extra.metadata = {"transient": {"remove_source": True},
                          "slideshow": {"slide_type": "subslide"}}
        more.append(extra)
    return [cell, *more]


def prepare(nb: nbformat.NotebookNode, *, full_code: bool = False, hide_code: bool = False,
            src_rel: Path, root: Path, notes: dict[str, str] | None = None,
            ) -> nbformat.NotebookNode:
    """Copy of *nb* ready for the slides exporter.

    The slide structure of tools/slide_structure.py is applied (a notebook already in
    canonical form is unchanged). Lecture deck (default): code tagged ``slides-hide-input``
    (plumbing) shows its output only. *full_code*: every cell's code is shown;
    *hide_code*: none. Cells tagged ``remove-cell`` are left out, ``remove-input`` shows the
    output only. *notes* (slide title -> Markdown) become reveal.js speaker notes.
    """
    nb = slide_structure.apply_in_memory(nb)
    cells = []
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if tags & REMOVE_CELL_TAGS:
            continue
        hide = (tags & REMOVE_INPUT_TAGS) or hide_code or (
            not full_code and slide_structure.HIDE_TAG in tags)
        if cell.cell_type == "code" and hide:
            cell.metadata["transient"] = {"remove_source": True}  # as TagRemovePreprocessor
            if not cell.get("outputs"):
                cell.metadata["slideshow"] = {"slide_type": "skip"}
        if cell.cell_type == "markdown":
            # links to repository files (../lessons/glossary.md) mean nothing on a slide
            cell.source, _ = _rewrite_markdown(cell.source, src_rel, root, set(), set())
        cells.extend(_split_outputs(cell))
        title = slide_title(cell)
        if notes and title and title in notes:
            cells.append(nbformat.v4.new_markdown_cell(
                notes[title], metadata={"slideshow": {"slide_type": "notes"}}))
    nb.cells = cells
    return nb


def build_slides(
    notebooks: list[Path],
    out_dir: Path | None = None,
    *,
    root: Path = ROOT,
    full_code: bool = False,
    hide_code: bool = False,
    theme: str = "white",
    quiet: bool = False,
) -> list[Path]:
    """Write one offline ``.slides.html`` per notebook into *out_dir*; return their paths."""
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    out_dir = (out_dir or root / "build" / "slides").resolve()
    node_modules = ensure_node_modules(root, quiet=quiet)
    copy_assets(node_modules, out_dir / ASSETS)
    check_theme(out_dir / ASSETS, theme)

    c = Config()
    c.SlidesExporter.reveal_url_prefix = f"{ASSETS}/reveal.js"
    c.SlidesExporter.require_js_url = f"{ASSETS}/require.js"
    c.SlidesExporter.jquery_url = f"{ASSETS}/jquery.min.js"
    c.SlidesExporter.mathjax_url = f"{ASSETS}/mathjax2/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
    c.SlidesExporter.font_awesome_url = ""
    c.SlidesExporter.reveal_theme = theme
    c.SlidesExporter.reveal_scroll = True  # a long slide scrolls instead of being cut off
    c.SlidesExporter.reveal_width = "1280"
    c.SlidesExporter.reveal_height = "720"
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    c.SlidesExporter.template_file = "crmlab_offline.html.j2"
    exporter = SlidesExporter(
        config=c, extra_loaders=[DictLoader({"crmlab_offline.html.j2": OFFLINE_TEMPLATE})]
    )

    written = []
    for nb_path in notebooks:
        t0 = time.perf_counter()
        nb_path = nb_path.resolve()
        if not nb_path.is_file():
            raise SiteBuildError(f"{nb_path}: no such notebook")
        try:
            src_rel = nb_path.relative_to(root)
        except ValueError:
            src_rel = Path(nb_path.name)
        nb = nbformat.read(nb_path, as_version=4)
        notes = speaker_notes(root / "lessons" / f"{nb_path.stem}.md")
        nb = prepare(nb, full_code=full_code, hide_code=hide_code, src_rel=src_rel,
                     root=root if nb_path.is_relative_to(root) else nb_path.parent, notes=notes)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": nb_path.stem}})
        suffix = ".full.slides.html" if full_code else ".slides.html"
        target = out_dir / f"{nb_path.stem}{suffix}"
        target.write_text(body, encoding="utf-8")
        written.append(target)
        if not quiet:
            n_slides = sum(
                c.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide")
                for c in nb.cells
            )
            n_notes = sum(c.metadata.get("slideshow", {}).get("slide_type") == "notes"
                          for c in nb.cells)
            print(f"{target} ({n_slides} slides, {n_notes} with speaker notes, "
                  f"{time.perf_counter() - t0:.1f} s)")

    problems = [
        f"{path.name}: {url}"
        for path in written
        for url in network_urls_in_html(path.read_text(encoding="utf-8"))
    ]
    if problems:
        raise SiteBuildError(
            "the slides would load these from the network:\n  " + "\n  ".join(problems)
        )
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebooks", nargs="*", type=Path, help="notebooks to convert")
    ap.add_argument("--all", action="store_true", help="every notebooks/NN_*.ipynb")
    ap.add_argument("--out", type=Path, default=None, help="output folder (default build/slides)")
    code = ap.add_mutually_exclusive_group()
    code.add_argument("--full-code", action="store_true",
                      help="show the code of every cell (default: plumbing code hidden)")
    code.add_argument("--hide-code", action="store_true", help="show outputs and prose only")
    ap.add_argument("--theme", default="white",
                    help="reveal.js theme that works offline: white (default), black, serif, "
                    "dracula, white-contrast, black-contrast")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    notebooks = list(args.notebooks)
    if args.all:
        notebooks += sorted(p for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        ap.error("name at least one notebook, or --all")
    try:
        written = build_slides(notebooks, args.out, full_code=args.full_code,
                               hide_code=args.hide_code, theme=args.theme, quiet=args.quiet)
    except SiteBuildError as err:
        print(f"build_slides: error: {err}", file=sys.stderr)
        return 1
    if not args.quiet and written:
        print(f"open offline: file://{written[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
