"""CONTRIBUTING.md's map of concepts to modules stays true: every name it lists imports,
and every crmlab module has a row (so a new module cannot hide from newcomers)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import crmlab

MAP = Path(__file__).resolve().parents[1] / "CONTRIBUTING.md"


def _rows() -> list[tuple[str, str, list[str]]]:
    text = MAP.read_text(encoding="utf-8")
    section = text.split("## Map: which concept lives where", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[1].startswith("`"):
            continue
        rows.append((cells[0], cells[1].strip("`"), re.findall(r"`([^`]+)`", cells[2])))
    return rows


ROWS = _rows()


def test_the_map_has_rows():
    assert len(ROWS) >= 20


@pytest.mark.parametrize(("concept", "module", "names"), ROWS, ids=[r[0][:40] for r in ROWS])
def test_every_listed_name_imports(concept, module, names):
    mod = importlib.import_module(f"crmlab.{module}")
    missing = [n for n in names if not hasattr(mod, n)]
    assert not missing, f"CONTRIBUTING.md map row {concept!r}: crmlab.{module} has no {missing}"
    assert names, f"map row {concept!r} lists no names"


def test_every_module_is_on_the_map():
    mapped = {module for _, module, _ in ROWS}
    unmapped = sorted((set(crmlab._SUBMODULES) | {"errors"}) - mapped)
    assert not unmapped, f"modules missing from the CONTRIBUTING.md map: {unmapped}"
