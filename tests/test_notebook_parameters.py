"""Every notebook validates its papermill parameters before doing any work.

For each chapter, a wrong-typed value and an out-of-range value are injected
after the ``parameters`` cell (as papermill does) and the notebook is run up
to its validation cell: it must stop there with a crmlab ``ParameterError``
(or ``DataError``) that names the parameter.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _numeric_parameter(nb) -> tuple[int, str, type]:
    for i, cell in enumerate(nb.cells):
        if "parameters" in cell.metadata.get("tags", []):
            for node in ast.parse(cell.source).body:
                if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                        and type(node.value.value) in (int, float)):
                    return i, node.targets[0].id, type(node.value.value)
    raise AssertionError("no numeric parameter found")


def _validation_errors(nb_path: Path) -> tuple[str, list[str]]:
    """Run parameters + validation twice in one kernel: wrong type, then out of range."""
    nb = nbformat.read(nb_path, as_version=4)
    idx, name, _ = _numeric_parameter(nb)
    rest = nb.cells[idx + 1:]
    validation = next(c for c in rest if c.cell_type == "code")
    setup = [c for c in nb.cells[: idx + 1] if c.cell_type == "code"]
    cells = list(setup)
    for bad in (f"{name} = 'not a number'", f"{name} = -10**9"):
        cells += [nbformat.v4.new_code_cell(bad), nbformat.v4.new_code_cell(validation.source)]
    nb.cells = cells
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(nb_path.parent)}})
    client.execute()
    errors = []
    for cell in nb.cells[len(setup) + 1::2]:  # the two validation runs
        outs = [o for o in cell.outputs if o.output_type == "error"]
        errors.append(f"{outs[0].ename}: {outs[0].evalue}" if outs else "no error")
    return name, errors


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_wrong_type_or_range_parameter_stops_with_a_clear_message(nb_path):
    name, errors = _validation_errors(nb_path)
    for kind, message in zip(["wrong type", "out of range"], errors):
        assert message.split(":")[0] in ("ParameterError", "DataError"), f"{kind}: {message}"
        assert name in message, f"{kind}: the message does not name {name}: {message}"


def test_every_notebook_is_checked():
    assert len(NOTEBOOKS) >= 8
    for p in NOTEBOOKS:
        json.loads(p.read_text(encoding="utf-8"))
