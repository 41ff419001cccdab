"""Turn chapter notebooks into reveal.js slide shows that run offline.

Usage (from the repository root)::

    python tools/build_slides.py notebooks/01_customer_lifecycle.ipynb
    python tools/build_slides.py --all                 # every notebooks/NN_*.ipynb
    python tools/build_slides.py --hide-code notebooks/05_rfm.ipynb   # outputs only

Writes ``build/slides/NN_x.slides.html`` next to ``build/slides/_assets/`` (reveal.js 4,
RequireJS, jQuery 2 and MathJax 2 from ``node_modules/``, installed by ``npm ci`` on first
use). The folder is self-contained: copy ``build/slides/`` to a USB stick and open the HTML
file in a browser, no internet needed. Keys: arrows or space to move, ``s`` speaker notes,
``f`` full screen, ``o`` overview, ``?`` help.

Slide breaks: if the notebook's cells carry slide types (JupyterLab: property inspector,
"Slide Type"), they are used as they are. Otherwise they are chosen automatically: every
``#``/``##`` heading starts a new slide, every ``###`` heading a sub-slide (down arrow), and a
slide that grows past about ``--max-lines`` lines of text/code/plots continues on a new
sub-slide. Cells tagged ``remove-cell`` are left out; ``remove-input`` shows only the output.

The notebooks are rendered with their stored outputs; nothing is executed.
"""

from __future__ import annotations

import argparse
import base64
import copy
import math
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_site import (  # noqa: E402 - tools/ is not a package
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
HEADING_RE = re.compile(r"^\s*(#{1,6})\s")
REMOVE_CELL_TAGS = {"remove-cell", "remove_cell"}
REMOVE_INPUT_TAGS = {"remove-input", "remove_input", "hide-input"}

# The reveal template imports mermaid.js from a CDN on every page load; the collection has
# no mermaid diagrams, so the offline template drops that block. Headings keep their case
# (reveal's themes upper-case them, which mangles names such as "CLV" vs "clv").
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block notebook_css -%}
{{ super() }}
<style type="text/css">
.reveal h1, .reveal h2, .reveal h3, .reveal h4, .reveal h5, .reveal h6 { text-transform: none !important; }
</style>
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


def _png_height(b64: str | list[str]) -> int:
    """Pixel height of a base64 PNG (from its IHDR header); 400 if unreadable."""
    try:
        head = base64.b64decode("".join(b64)[:44])
        return int.from_bytes(head[20:24], "big") if head[:8] == b"\x89PNG\r\n\x1a\n" else 400
    except (ValueError, TypeError):
        return 400


def _cell_lines(cell: nbformat.NotebookNode, show_input: bool) -> int:
    """Rough height of a cell on a slide, in lines of text (a plot counts as 14)."""
    def text_lines(text: str, width: int = 90) -> int:
        return sum(max(1, math.ceil(len(line) / width)) for line in text.splitlines())

    n = text_lines(cell.source) if (cell.cell_type == "markdown" or show_input) else 0
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if out.get("output_type") == "stream":
            n += min(text_lines(out.get("text", "")), 20)
        elif "image/png" in data:
            n += _png_height(data["image/png"]) // 24 + 1
        elif any(k.startswith("image/") for k in data):
            n += 16
        elif "text/html" in data:
            n += min("".join(data["text/html"]).count("<tr"), 20) + 1
        elif "text/plain" in data:
            n += min(text_lines("".join(data["text/plain"])), 20)
        elif out.get("output_type") == "error":
            n += 6
    return n


def prepare(nb: nbformat.NotebookNode, *, max_lines: int, hide_code: bool,
            src_rel: Path, root: Path) -> tuple[nbformat.NotebookNode, bool]:
    """Copy of *nb* ready for the slides exporter; second value: slide types were automatic."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if tags & REMOVE_CELL_TAGS:
            continue
        if cell.cell_type == "code" and (tags & REMOVE_INPUT_TAGS):
            cell.metadata["transient"] = {"remove_source": True}  # as TagRemovePreprocessor
        if cell.cell_type == "markdown":
            # links to repository files (../lessons/glossary.md) mean nothing on a slide
            cell.source, _ = _rewrite_markdown(cell.source, src_rel, root, set(), set())
        cells.append(cell)
    nb.cells = cells

    explicit = any("slide_type" in c.metadata.get("slideshow", {}) for c in nb.cells)
    if explicit:
        return nb, False
    lines = 0
    for i, cell in enumerate(nb.cells):
        level = None
        if cell.cell_type == "markdown":
            m = HEADING_RE.match(cell.source)
            level = len(m.group(1)) if m else None
        show_input = not hide_code and not cell.metadata.get("transient", {}).get("remove_source")
        height = _cell_lines(cell, show_input)
        if cell.cell_type == "code" and hide_code and not cell.get("outputs"):
            slide_type = "skip"  # nothing to show
        elif i == 0 or (level is not None and level <= 2):
            slide_type = "slide"
        elif level is not None or lines + height > max_lines:
            slide_type = "subslide"
        else:
            slide_type = "-"
        if slide_type in ("slide", "subslide"):
            lines = 0
        if slide_type != "skip":
            lines += height
        cell.metadata["slideshow"] = {"slide_type": slide_type}
    return nb, True


def build_slides(
    notebooks: list[Path],
    out_dir: Path | None = None,
    *,
    root: Path = ROOT,
    max_lines: int = 22,
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
    c.SlidesExporter.reveal_height = "800"
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.exclude_input = hide_code
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
        nb, auto = prepare(nb, max_lines=max_lines, hide_code=hide_code, src_rel=src_rel,
                           root=root if nb_path.is_relative_to(root) else nb_path.parent)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": nb_path.stem}})
        target = out_dir / f"{nb_path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
        if not quiet:
            n_slides = sum(
                c.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide")
                for c in nb.cells
            )
            how = "automatic breaks" if auto else "the notebook's slide types"
            print(f"{target} ({n_slides} slides, {how}, {time.perf_counter() - t0:.1f} s)")

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
    ap.add_argument("--hide-code", action="store_true", help="show outputs and prose only")
    ap.add_argument("--max-lines", type=int, default=22,
                    help="automatic breaks: start a sub-slide after about this many lines")
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
        written = build_slides(notebooks, args.out, max_lines=args.max_lines,
                               hide_code=args.hide_code, theme=args.theme, quiet=args.quiet)
    except SiteBuildError as err:
        print(f"build_slides: error: {err}", file=sys.stderr)
        return 1
    if not args.quiet and written:
        print(f"open offline: file://{written[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
