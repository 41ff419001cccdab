"""Give chapter notebooks their lecture slide structure (cell ``slideshow`` metadata).

Usage (from the repository root)::

    python tools/slide_structure.py                      # every notebooks/NN_*.ipynb, in place
    python tools/slide_structure.py notebooks/05_segmentation.ipynb
    python tools/slide_structure.py --check              # exit 1 unless every notebook is canonical

The slide structure lives in the notebooks themselves, so ``make slides``
(tools/build_slides.py) and RISE in JupyterLab (Alt+R) show the same deck. The rules, applied
deterministically (running the tool twice changes nothing):

1. Every Markdown ``#``, ``##`` or ``###`` heading starts its own cell: a cell with a heading
   in the middle is split before the heading (outside fenced code and ``$$`` blocks). The
   first piece keeps the cell id, the others get ``<id>-2``, ``<id>-3``...
2. A Markdown cell too long for one 1280x720 slide is split at a paragraph boundary (never
   after a line ending in ``:``, never inside a list or a fence).
3. Slide types: ``#``/``##`` headings start a slide, ``###`` headings a sub-slide, and a
   slide continues on a new sub-slide when it would grow past the slide's height (estimated
   from the text, code and stored outputs) or past ``MAX_CODE_LINES`` visible code lines.
4. Plumbing code (the ``parameters`` cell, imports, parameter validation, asserts, data
   loading, plotting code and any cell longer than ``SHOW_CODE_LINES`` lines) is tagged
   ``slides-hide-input``: the lecture deck of ``make slides`` shows its output only. A
   plumbing cell without output gets slide type ``skip`` (hidden in RISE as well). Tag a
   cell ``slides-show-input`` to keep its code on the slide, ``slides-break`` to start a new
   sub-slide at it.

Everything else of a cell is kept: ids (of cells that are not split), outputs, execution
counts, attachments and all other metadata and tags (``parameters``, ``NBVAL_CHECK_OUTPUT``...).
The notebook's ``rise`` metadata is set so that RISE uses the same 1280x720 canvas.
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

HIDE_TAG = "slides-hide-input"
SHOW_TAG = "slides-show-input"
BREAK_TAG = "slides-break"
REMOVE_CELL_TAGS = {"remove-cell", "remove_cell"}
# At most this many lines of code are visible on one slide of the lecture deck ...
MAX_CODE_LINES = 15
# ... and a code cell longer than this is plumbing on a slide (its output is shown).
SHOW_CODE_LINES = 8
# RISE: the same canvas as tools/build_slides.py
RISE_METADATA = {"width": 1280, "height": 720, "scroll": True, "center": False,
                 "transition": "none"}

# --- the slide's geometry, in CSS pixels of the 1280x720 canvas (see build_slides.DECK_CSS)
SLIDE_HEIGHT = 720
BUDGET = 600          # usable height: the rest is padding, the slide number and margins
TEXT_LINE = 36        # 24 px prose, line-height 1.5
TEXT_CHARS = 90       # characters per line of prose on a 1200 px wide column
HEADING = {1: 70, 2: 62, 3: 52, 4: 44, 5: 40, 6: 40}
CODE_LINE = 25        # 18 px code
CODE_CHARS = 100
OUTPUT_LINE = 22      # 15 px output text
OUTPUT_MAX = 440      # an output box taller than this scrolls inside itself
TABLE_ROW = 34
IMAGE_WIDTH = 1180
IMAGE_MAX = 470       # build_slides.DECK_CSS: img max-height
BLOCK_GAP = 20

HEADING_RE = re.compile(r"^ {0,3}(#{1,6})\s+\S")
FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")
IMPORT_RE = re.compile(r"^\s*(import\s+\w|from\s+[\w.]+\s+import\s)", re.M)
PLUMBING_RE = re.compile(
    r"^\s*assert\b|check_(number|choice|probability|date)\(|\bload_(cdnow|seed_table)\(|"
    r"\bread_csv\(|\bplt\.|\bfig\s*,|\bax\.|\baxes\[|\.plot\(|rcParams|warnings\.",
    re.M,
)


# --------------------------------------------------------------------------- markdown


def _blocks(text: str) -> list[tuple[int, int, str]]:
    """Split Markdown *text* into blocks: (first line, end line, kind).

    Kinds: ``heading`` (with its level as ``heading1``...), ``fence``, ``math``, ``para``
    (paragraphs, lists, tables: runs of non-blank lines, with indented continuations).
    """
    lines = text.split("\n")
    out: list[tuple[int, int, str]] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = FENCE_RE.match(line)
        if m:
            j = i + 1
            while j < n and not lines[j].lstrip().startswith(m.group(1)):
                j += 1
            out.append((i, min(j + 1, n), "fence"))
            i = j + 1
            continue
        if line.strip().startswith("$$") and line.strip().count("$$") == 1:
            j = i + 1
            while j < n and "$$" not in lines[j]:
                j += 1
            out.append((i, min(j + 1, n), "math"))
            i = j + 1
            continue
        h = HEADING_RE.match(line)
        if h:
            out.append((i, i + 1, f"heading{len(h.group(1))}"))
            i += 1
            continue
        j = i + 1
        while j < n:
            nxt = lines[j]
            if FENCE_RE.match(nxt) or HEADING_RE.match(nxt):
                break
            if not nxt.strip():
                # a blank line ends the block unless an indented continuation follows
                k = j
                while k < n and not lines[k].strip():
                    k += 1
                if k < n and lines[k].startswith((" ", "\t")) and not FENCE_RE.match(lines[k]):
                    j = k
                    continue
                break
            if nxt.strip().startswith("$$") and nxt.strip().count("$$") == 1:
                break
            j += 1
        out.append((i, j, "para"))
        i = j
    return out


CJK_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
MD_MARKUP_RE = re.compile(r"\]\([^)\s]*\)|\*\*|(?<!\\)\$|<[^>]+>")


def _width(s: str) -> int:
    """Printed width of a line in Latin characters (CJK characters count twice)."""
    return len(s) + len(CJK_RE.findall(s))


def _text_height(text: str, chars: int = TEXT_CHARS, line: int = TEXT_LINE) -> int:
    return sum(max(1, math.ceil(_width(s) / chars)) for s in text.split("\n")) * line


def _prose_height(text: str) -> int:
    """Height of Markdown prose: markup not drawn, list items narrower than paragraphs."""
    total = 0
    for s in MD_MARKUP_RE.sub("", text).split("\n"):
        item = re.match(r"^\s*([-*+]|\d+\.)\s", s) or s.startswith((" ", "\t"))
        chars = TEXT_CHARS - 8 if item else TEXT_CHARS
        total += max(1, math.ceil((_width(s) + 0.15 * s.count("`") * 4) / chars))
    return total * TEXT_LINE


def _block_height(lines: list[str], kind: str) -> int:
    body = "\n".join(lines)
    if kind.startswith("heading"):
        return HEADING[int(kind[-1])] + max(0, math.ceil(len(body) / 60) - 1) * HEADING[int(kind[-1])]
    if kind == "fence":
        return (len(lines) - 2) * CODE_LINE + 30
    if kind == "math":
        return 40 * max(1, body.count("\\\\") + 1) + 30
    if all(s.lstrip().startswith("|") for s in lines if s.strip()):
        return (len(lines) - 1) * TABLE_ROW + 20  # a Markdown table (its rule line is not drawn)
    tall_math = body.count("\\frac") + body.count("\\sum") + body.count("\\int")
    return _prose_height(body) + 8 * tall_math


def markdown_height(text: str) -> int:
    """Estimated height of a rendered Markdown cell on the slide canvas, in pixels."""
    lines = text.split("\n")
    return sum(_block_height(lines[a:b], kind) + BLOCK_GAP for a, b, kind in _blocks(text))


SENTENCE_END_RE = re.compile(r"(?<=[.!?])[ \n]+(?=[A-Z*(\"'])")
LIST_OR_TABLE_RE = re.compile(r"^\s*([-*+|>]|\d+\.)\s")


def _split_long_paragraphs(text: str) -> str:
    """Break a prose paragraph too tall for a slide into paragraphs at sentence ends."""
    lines = text.split("\n")
    new_lines: list[str] = []
    pos = 0
    for a, b, kind in _blocks(text):
        block = "\n".join(lines[a:b])
        if kind != "para" or LIST_OR_TABLE_RE.match(lines[a]):
            continue
        pieces = []
        while _prose_height(block) > BUDGET - 2 * TEXT_LINE:
            cut = None
            for m in SENTENCE_END_RE.finditer(block):
                if _prose_height(block[: m.start()]) > BUDGET - 4 * TEXT_LINE:
                    break
                cut = m
            if cut is None:
                break
            pieces.append(block[: cut.start()])
            block = block[cut.end():]
        if pieces:
            new_lines += lines[pos:a] + "\n\n".join([*pieces, block]).split("\n")
            pos = b
    return "\n".join(new_lines + lines[pos:]) if pos else text


def _split_markdown(text: str) -> list[str]:
    """Split *text* before each heading that is not its first block, and where too long."""
    text = _split_long_paragraphs(text)
    lines = text.split("\n")
    blocks = _blocks(text)
    heights = [_block_height(lines[a:b], kind) + BLOCK_GAP for a, b, kind in blocks]

    def can_cut(idx: int) -> bool:  # may a new cell start at block idx?
        prev = blocks[idx - 1]
        return not prev[2].startswith("heading") and not lines[prev[1] - 1].rstrip().endswith(":")

    cuts: list[int] = []
    start = 0  # first block of the current piece
    for idx, (_a, _b, kind) in enumerate(blocks):
        if idx > start and kind.startswith("heading") and int(kind[-1]) <= 3:
            cuts.append(idx)
            start = idx
            continue
        if idx > start and sum(heights[start: idx + 1]) > BUDGET:
            # cut before this block, or before the lead-in ("...:") that introduces it
            for at in (idx, idx - 1):
                if at > start and can_cut(at):
                    cuts.append(at)
                    start = at
                    break
    pieces, first = [], 0
    for idx in cuts:
        a = blocks[idx][0]
        pieces.append("\n".join(lines[first:a]).rstrip("\n"))
        first = a
    pieces.append("\n".join(lines[first:]))
    return [p for p in pieces if p.strip()] or [text]


def heading_level(cell: dict) -> int | None:
    """Level of the heading a Markdown cell starts with (None: not a heading cell)."""
    if cell.get("cell_type") != "markdown":
        return None
    for line in _source(cell).split("\n"):
        if line.strip():
            m = HEADING_RE.match(line)
            return len(m.group(1)) if m else None
    return None


def mid_cell_headings(cell: dict) -> list[str]:
    """``#``/``##`` headings of a Markdown cell that are not its first block."""
    if cell.get("cell_type") != "markdown":
        return []
    text = _source(cell)
    lines = text.split("\n")
    return [lines[a] for i, (a, _b, kind) in enumerate(_blocks(text))
            if i > 0 and kind in ("heading1", "heading2")]


# --------------------------------------------------------------------------- code


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _png_size(b64: str | list[str]) -> tuple[int, int]:
    try:
        head = base64.b64decode("".join(b64)[:44])
    except (ValueError, TypeError):
        return (800, 500)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return (800, 500)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def _has_image(cell: dict) -> bool:
    return any(
        any(k.startswith("image/") for k in out.get("data", {}))
        for out in cell.get("outputs", [])
    )


def code_lines(cell: dict) -> int:
    """Lines of code a cell shows (blank lines not counted)."""
    return sum(1 for s in _source(cell).split("\n") if s.strip())


def is_plumbing(cell: dict) -> bool:
    """Is this code cell plumbing on a slide (its code hidden in the lecture deck)?"""
    tags = set(cell.get("metadata", {}).get("tags", []))
    if SHOW_TAG in tags:
        return False
    if "parameters" in tags or _has_image(cell):
        return True
    src = _source(cell)
    if IMPORT_RE.search(src) or PLUMBING_RE.search(src):
        return True
    return code_lines(cell) > SHOW_CODE_LINES


def outputs_height(cell: dict) -> int:
    """Estimated height of a code cell's stored outputs on the slide canvas."""
    total = 0
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if out.get("output_type") == "stream":
            if out.get("name") == "stderr":
                continue  # warnings: hidden in decks (build_slides.DECK_CSS)
            h = _text_height("".join(out.get("text", "")).rstrip("\n"), 140, OUTPUT_LINE)
        elif "image/png" in data:
            w, hh = _png_size(data["image/png"])
            meta = out.get("metadata", {}).get("image/png", {})
            w, hh = meta.get("width", w), meta.get("height", hh)
            h = min(IMAGE_MAX, round(hh * min(1.0, IMAGE_WIDTH / max(w, 1))))
        elif any(k.startswith("image/") for k in data):
            h = IMAGE_MAX
        elif "text/html" in data:
            html = "".join(data["text/html"])
            h = (html.count("<tr") + 1) * TABLE_ROW + 10
        elif "text/latex" in data or "text/markdown" in data:
            h = 80
        elif "text/plain" in data:
            h = _text_height("".join(data["text/plain"]), 140, OUTPUT_LINE)
        elif out.get("output_type") == "error":
            h = 200
        else:
            h = 0
        total += min(h, OUTPUT_MAX) + (10 if h else 0)
    return total


def cell_height(cell: dict, *, lecture: bool = True) -> int:
    """Estimated height of *cell* on a slide of the (lecture or full-code) deck."""
    if cell.get("cell_type") == "markdown":
        return markdown_height(_source(cell))
    if cell.get("cell_type") != "code":
        return 0
    hidden = lecture and HIDE_TAG in cell.get("metadata", {}).get("tags", [])
    h = 0 if hidden else _text_height(_source(cell), CODE_CHARS, CODE_LINE) + 24
    return h + outputs_height(cell)


# --------------------------------------------------------------------------- notebook


def _as_lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _new_id(base: str, k: int, used: set[str]) -> str:
    cand = f"{base[:58]}-{k}"
    while cand in used:
        k += 100
        cand = f"{base[:54]}-{k}"
    used.add(cand)
    return cand


def split_cells(cells: list[dict]) -> list[dict]:
    """Markdown cells split before inner headings and where too long; others unchanged."""
    used = {c.get("id") for c in cells if c.get("id")}
    out = []
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            out.append(cell)
            continue
        pieces = _split_markdown(_source(cell))
        if len(pieces) == 1:
            out.append(cell)
            continue
        for k, text in enumerate(pieces, start=1):
            piece = copy.deepcopy(cell)
            piece["source"] = _as_lines(text)
            if "attachments" in piece:
                piece["attachments"] = {n: v for n, v in piece["attachments"].items()
                                        if f"attachment:{n}" in text}
                if not piece["attachments"]:
                    del piece["attachments"]
            if k > 1 and "id" in cell:
                piece["id"] = _new_id(cell["id"], k, used)
            out.append(piece)
    return out


def _set_tag(cell: dict, tag: str, on: bool) -> None:
    meta = cell.setdefault("metadata", {})
    tags = list(meta.get("tags", []))
    if on and tag not in tags:
        tags.append(tag)
    elif not on and tag in tags:
        tags.remove(tag)
    if tags:
        meta["tags"] = tags
    elif "tags" in meta:
        del meta["tags"]


def assign_slides(cells: list[dict]) -> None:
    """Tag plumbing code and set every cell's ``slideshow.slide_type`` (in place)."""
    height = code = 0
    for i, cell in enumerate(cells):
        meta = cell.setdefault("metadata", {})
        tags = set(meta.get("tags", []))
        if cell.get("cell_type") == "code":
            _set_tag(cell, HIDE_TAG, is_plumbing(cell))
        hidden_code = cell.get("cell_type") == "code" and HIDE_TAG in meta.get("tags", [])
        level = heading_level(cell)
        h = cell_height(cell)
        c = 0 if (hidden_code or cell.get("cell_type") != "code") else code_lines(cell)
        if tags & REMOVE_CELL_TAGS or cell.get("cell_type") == "raw":
            kind = "skip"
        elif hidden_code and not cell.get("outputs"):
            kind = "skip"
        elif i == 0 or (level is not None and level <= 2):
            kind = "slide"
        elif (level is not None or BREAK_TAG in tags or height + h > BUDGET
              or code + c > MAX_CODE_LINES) and height > 0:
            kind = "subslide"
        else:
            kind = "-"
        if kind in ("slide", "subslide"):
            height = code = 0
        if kind != "skip":
            height += h
            code += c
        meta["slideshow"] = {**meta.get("slideshow", {}), "slide_type": kind}


def canonical(nb: dict) -> dict:
    """The notebook *nb* with the slide structure applied (a new object)."""
    nb = copy.deepcopy(nb)
    nb["cells"] = split_cells(nb.get("cells", []))
    assign_slides(nb["cells"])
    nb.setdefault("metadata", {})["rise"] = {**nb["metadata"].get("rise", {}), **RISE_METADATA}
    return nb


def dumps(nb: dict) -> str:
    """Serialise like nbformat/JupyterLab (indent 1, sorted keys, UTF-8, final newline)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- lesson outlines

OUTLINE_HEADING_RE = re.compile(r"^##\s+slide outline", re.I)
OUTLINE_ITEM_RE = re.compile(r"^\d+\.\s+\*\*(.+?)\*\*\s*(?:[—–-]\s*(.*))?$")
OUTLINE_INTRO = (
    "The deck's slides in order (`make slides`, or Alt+R in JupyterLab): one item per `#`/`##`\n"
    "section of the notebook, listed by `python tools/slide_structure.py` (titles follow the\n"
    "notebook; edit only the talking points after the dash). The talking points are the\n"
    "slide's speaker notes: press `s` in a deck for the speaker view.\n"
)
TODO_POINTS = "(talking points to write)"


def slide_titles(nb: dict) -> list[str]:
    """Titles of the deck's slides: the ``#``/``##`` headings, in order."""
    out = []
    for cell in nb.get("cells", []):
        if heading_level(cell) in (1, 2):
            first = _source(cell).lstrip("\n").split("\n", 1)[0]
            out.append(re.sub(r"^\s*#+\s+|\s*#*\s*$", "", first))
    return out


def parse_outline(text: str) -> dict[str, str]:
    """Talking points of a lesson's "Slide outline": slide title -> Markdown (may be empty)."""
    notes: dict[str, str] = {}
    title = None
    inside = False
    for line in text.splitlines():
        if line.startswith("#"):
            inside = bool(OUTLINE_HEADING_RE.match(line))
            title = None
            continue
        if not inside:
            continue
        m = OUTLINE_ITEM_RE.match(line)
        if m:
            title = m.group(1).strip()
            notes[title] = (m.group(2) or "").strip()
        elif title is not None and line.startswith("   ") and line.strip():
            notes[title] = (notes[title] + "\n" + line.strip()).strip()
        elif line.strip():
            title = None
    return {k: ("" if v == TODO_POINTS else v) for k, v in notes.items()}


def outline_section(titles: list[str], old: dict[str, str]) -> str:
    """The "Slide outline" section for *titles*, keeping talking points from *old*.

    A renamed title keeps its points when the old title is close enough (difflib).
    """
    import difflib

    lines = ["## Slide outline", "", OUTLINE_INTRO]
    unused = dict(old)
    for k, title in enumerate(titles, start=1):
        points = unused.pop(title, None)
        if points is None:
            close = difflib.get_close_matches(title, list(unused), n=1, cutoff=0.6)
            points = unused.pop(close[0]) if close else ""
        body = (points or TODO_POINTS).split("\n")
        lines.append(f"{k}. **{title}** — {body[0]}")
        lines += [f"   {rest}" for rest in body[1:]]
    return "\n".join(lines) + "\n"


def update_outline(lesson_text: str, titles: list[str]) -> str:
    """*lesson_text* with its "Slide outline" section rewritten for *titles*."""
    lines = lesson_text.split("\n")
    start = next((i for i, s in enumerate(lines) if OUTLINE_HEADING_RE.match(s)), None)
    new = outline_section(titles, parse_outline(lesson_text))
    if start is None:
        return lesson_text.rstrip("\n") + "\n\n" + new
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^#{1,2}\s", lines[i])),
               len(lines))
    tail = "\n".join(lines[end:])
    return "\n".join(lines[:start]) + "\n" + new + ("\n" + tail if tail else "")


# --------------------------------------------------------------------------- rules


def slides(nb: dict, *, lecture: bool = True) -> list[list[dict]]:
    """The cells of each slide (slide or sub-slide) of the deck, skipped cells left out."""
    out: list[list[dict]] = []
    for cell in nb.get("cells", []):
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")
        if kind == "skip" or (lecture and set(cell.get("metadata", {}).get("tags", []))
                              & REMOVE_CELL_TAGS):
            continue
        if kind in ("slide", "subslide") or not out:
            out.append([])
        out[-1].append(cell)
    return out


def problems(nb: dict, name: str = "notebook") -> list[str]:
    """Rule violations of a notebook (empty list: it follows the slide rules)."""
    found = []
    for i, cell in enumerate(nb.get("cells", [])):
        for head in mid_cell_headings(cell):
            found.append(f"{name} cell {i}: heading in the middle of a cell: {head.strip()!r}")
        if "slide_type" not in cell.get("metadata", {}).get("slideshow", {}):
            found.append(f"{name} cell {i}: no slideshow metadata")
    for k, cells in enumerate(slides(nb), start=1):
        n = sum(code_lines(c) for c in cells if c.get("cell_type") == "code"
                and HIDE_TAG not in c.get("metadata", {}).get("tags", []))
        if n > MAX_CODE_LINES:
            found.append(f"{name} slide {k}: {n} visible code lines (at most {MAX_CODE_LINES})")
    return found


def process(path: Path, *, check: bool) -> list[str]:
    """Apply (or with *check*, verify) the slide structure of one notebook file.

    The chapter's lesson notes (``lessons/<notebook stem>.md`` next to ``notebooks/``), if
    there are any, get their "Slide outline" brought in step with the deck's slide titles.
    """
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    new = canonical(nb)
    new_text = dumps(new)
    issues = problems(new, path.name)
    lesson = path.resolve().parent.parent / "lessons" / f"{path.stem}.md"
    if lesson.is_file():
        old_md = lesson.read_text(encoding="utf-8")
        new_md = update_outline(old_md, slide_titles(new))
        if new_md != old_md:
            if check:
                issues.insert(0, f"{lesson}: slide outline not in step with the deck; run "
                                 f"`python tools/slide_structure.py {path.as_posix()}`")
            else:
                lesson.write_text(new_md, encoding="utf-8")
                print(f"{lesson}: slide outline updated")
    if check:
        if new_text != text:
            issues.insert(0, f"{path}: not in canonical slide form; run "
                             f"`python tools/slide_structure.py {path.as_posix()}`")
        return issues
    if new_text != text:
        path.write_text(new_text, encoding="utf-8")
        print(f"{path}: {len(nb['cells'])} -> {len(new['cells'])} cells, "
              f"{len(slides(new))} slides")
    return issues


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebooks", nargs="*", type=Path,
                    help="notebooks (default: every notebooks/NN_*.ipynb)")
    ap.add_argument("--check", action="store_true",
                    help="change nothing; exit 1 unless every notebook is in canonical form")
    args = ap.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    all_issues: list[str] = []
    for path in paths:
        all_issues += process(path, check=args.check)
    for issue in all_issues:
        print(issue, file=sys.stderr)
    return 1 if all_issues else 0


def apply_in_memory(nb: Any) -> Any:
    """For tools/build_slides.py: the canonical form of an nbformat notebook node."""
    import nbformat

    return nbformat.reads(dumps(canonical(json.loads(json.dumps(nb)))), as_version=4)


if __name__ == "__main__":
    sys.exit(main())
