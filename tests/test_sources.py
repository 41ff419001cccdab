"""The repository cites its course documents only through lessons/sources.md.

(a) no tracked text file points outside the repository (a fresh clone has nothing there);
(b) every notebook section named in the coverage table of lessons/sources.md exists;
(c) every "seed NNN §x" / "seed NNN No. n" reference in the repository is defined in sources.md;
(d) tools/make_reconstructed_ahp.py rebuilds datasets/reconstructed_ahp_customers.csv byte for byte.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "lessons" / "sources.md"
TEXT_SUFFIXES = {".ipynb", ".md", ".py", ".toml", ".txt", ".cfg", ".yml", ".yaml"}

# Paths that exist only on the machine the collection was written on.
OUTSIDE = re.compile(r"\.\./shared|/work/|SEED-DIGEST|/home/[A-Za-z]|/Users/[A-Za-z]|/root/")

# "seed 000 §9.4", "Seed 003 No. 15", "seed 004 §2.3" (section part optional), and the short
# "000 §9.4" / "003 No. 16" (section part required)
SEED_REF = re.compile(r"\b[Ss]eed (00[0-4])\b(?: (§\d+(?:\.\d+)?|No\. ?\d+))?"
                      r"|(?<![\w.])(00[0-4]) (§\d+(?:\.\d+)?|No\. ?\d+)")
# a bare "§9.n" is a section of seed 000
BARE_9 = re.compile(r"(?<![\w ]\d{3} )§(9\.\d+)")


def tracked_text_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    files = [ROOT / f for f in out.stdout.splitlines()]
    return [f for f in files if f.suffix in TEXT_SUFFIXES and f.is_file()
            and f.name not in {"CDNOW_master.txt", "CDNOW_sample.txt"}]


def text_lines(path: Path) -> list[tuple[str, str]]:
    """(location, text) per line. Notebooks: the cell sources only — outputs record the machine
    that executed them (warnings print absolute paths) and are rewritten by every run."""
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        return [(f"cell {i} line {j + 1}", line)
                for i, cell in enumerate(nb["cells"])
                for j, line in enumerate("".join(cell["source"]).splitlines())]
    return [(f"line {j + 1}", line)
            for j, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines())]


def test_no_reference_to_paths_outside_the_repository():
    this = Path(__file__).resolve()
    found = []
    for f in tracked_text_files():
        if f.resolve() == this:
            continue
        for where, line in text_lines(f):
            if OUTSIDE.search(line):
                found.append(f"{f.relative_to(ROOT)} {where}: {line.strip()[:120]}")
    assert not found, "references to paths outside the repository:\n" + "\n".join(found)


def test_outside_pattern_catches_what_it_should():
    for bad in ["see ../shared/SEED-DIGEST.md", "/work/shared/seeds/000.txt", "/home/alice/x.csv"]:
        assert OUTSIDE.search(bad), bad
    for ok in ["lessons/sources.md", "datasets/README.md", "work/"]:
        assert not OUTSIDE.search(ok), ok


# --------------------------------------------------------------------------- coverage table
def coverage_rows() -> list[dict[str, str]]:
    text = SOURCES.read_text(encoding="utf-8")
    section = text[text.index("## Coverage"):]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].isdigit():
            rows.append(dict(zip(["n", "item", "source", "status", "notebook", "section"], cells)))
    return rows


def notebook_headings(chapter: str) -> set[str]:
    (path,) = (ROOT / "notebooks").glob(f"{chapter}_*.ipynb")
    nb = json.loads(path.read_text(encoding="utf-8"))
    heads = set()
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                m = re.match(r"#{1,6}\s+(.*\S)\s*$", line)
                if m:
                    heads.add(m.group(1))
    return heads


def test_coverage_table_is_complete_and_numbered():
    rows = coverage_rows()
    assert len(rows) >= 80, f"the coverage table lists {len(rows)} items"
    assert [int(r["n"]) for r in rows] == list(range(1, len(rows) + 1)), "rows numbered 1..n"
    for r in rows:
        assert r["status"].split(" ")[0] in {"asserted", "tested", "shown"}, r
        assert re.fullmatch(r"0[0-8]", r["notebook"]), r


def test_every_covered_section_exists_in_its_notebook():
    missing = []
    for r in coverage_rows():
        if "added in this round" in r["section"]:
            continue
        if r["section"] not in notebook_headings(r["notebook"]):
            missing.append(f"#{r['n']} notebook {r['notebook']}: no heading {r['section']!r}")
    assert not missing, "coverage table names sections that do not exist:\n" + "\n".join(missing)


# --------------------------------------------------------------------------- seed references
def defined_references() -> set[str]:
    """The reference names sources.md defines: the documents (its ### headings), and the parts
    named in backticks in its naming table or in bold in its document list."""
    text = SOURCES.read_text(encoding="utf-8")
    names: set[str] = set(re.findall(r"^### (seed 00[0-4]) —", text, re.M))   # the documents
    for m in re.finditer(r"[`*]{1,2}(seed 00[0-4](?: (?:§\d+(?:\.\d+)?|No\. \d+))?)", text):
        names.add(m.group(1))
    # "`seed 001 §2.1` … `§2.5`" and "**§1.1** … **§1.3**": ranges written with an ellipsis
    for m in re.finditer(r"seed (00[0-4]) (§|No\. )(\d+)(?:\.(\d+))?`? … `?(?:seed 00[0-4] )?(?:§|No\. )(\d+)(?:\.(\d+))?",
                         text):
        doc, kind, a, a2, b, b2 = m.groups()
        if a2 is None:
            names.update(f"seed {doc} {kind}{k}" for k in range(int(a), int(b) + 1))
        else:
            names.update(f"seed {doc} {kind}{a}.{k}" for k in range(int(a2), int(b2) + 1))
    for m in re.finditer(r"seed (00[0-4]) §(\d+)\*\*[^\n]*", text):   # "**seed 004 §1** ... **§1.1**"
        for sub in re.findall(r"\*\*§(\d+\.\d+)\*\*", m.group(0)):
            names.add(f"seed {m.group(1)} §{sub}")
    return names


def normalise(doc: str, part: str | None) -> str:
    if part is None:
        return f"seed {doc}"
    return f"seed {doc} " + re.sub(r"No\. ?", "No. ", part)


def test_sources_defines_the_expected_names():
    names = defined_references()
    for must in ["seed 000", "seed 004", "seed 000 §9.1", "seed 000 §9.4", "seed 001 §2.5", "seed 002 §0", "seed 002 §5",
                 "seed 003 No. 1", "seed 003 No. 16", "seed 004 §1.1", "seed 004 §2.5"]:
        assert must in names, must
    assert "seed 000 §9.5" not in names and "seed 003 No. 17" not in names


def test_every_seed_reference_in_the_repository_is_defined():
    names = defined_references()
    undefined = []
    for f in tracked_text_files():
        if f == SOURCES or f.resolve() == Path(__file__).resolve():
            continue
        for where, line in text_lines(f):
            for m in SEED_REF.finditer(line):
                ref = normalise(m.group(1) or m.group(3), m.group(2) or m.group(4))
                if ref not in names:
                    undefined.append(f"{f.relative_to(ROOT)} {where}: {ref}")
            for m in BARE_9.finditer(line):
                if f"seed 000 §{m.group(1)}" not in names:
                    undefined.append(f"{f.relative_to(ROOT)} {where}: §{m.group(1)}")
    assert not undefined, ("references not defined in lessons/sources.md:\n" + "\n".join(undefined))


def test_seed_reference_pattern():
    found = [normalise(m.group(1) or m.group(3), m.group(2) or m.group(4)) for m in SEED_REF.finditer(
        "Seed 003 No.15 and seed 000 §9.4, seed 002; seed 0001; (003 No. 16, 000 §9.7); 1000 §2")]
    assert found == ["seed 003 No. 15", "seed 000 §9.4", "seed 002", "seed 003 No. 16", "seed 000 §9.7"]
    assert "seed 000 §9.7" not in defined_references()


# --------------------------------------------------------------------------- reconstructed data
def test_reconstructed_ahp_table_is_rebuilt_byte_for_byte():
    script = ROOT / "tools" / "make_reconstructed_ahp.py"
    res = subprocess.run([sys.executable, str(script), "--check"], cwd=ROOT,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "identical" in res.stdout


@pytest.mark.parametrize("needle", ["NOT the company's data", "tools/make_reconstructed_ahp.py",
                                    "cannot test it"])
def test_reconstructed_table_says_what_it_is(needle):
    head = (ROOT / "datasets" / "reconstructed_ahp_customers.csv").read_text(encoding="utf-8")[:2500]
    assert needle in head
