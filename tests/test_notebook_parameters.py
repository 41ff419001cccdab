"""Every notebook validates its papermill parameters before doing any work.

For each chapter, wrong-typed, out-of-range and hostile values are injected
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


def test_every_notebook_is_checked():
    assert len(NOTEBOOKS) >= 8
    for p in NOTEBOOKS:
        json.loads(p.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- the parameter contract
DATA_NOTEBOOKS = [p for p in NOTEBOOKS if "CUSTOMER_COL" in p.read_text(encoding="utf-8")]  # they read transactions
CONTRACT = ["DATA_PATH", "CUSTOMER_COL", "DATE_COL", "AMOUNT_COL", "QUANTITY_COL", "PRICE_COL",
            "INVOICE_COL", "LOAD_OPTIONS", "CURRENCY"]


def _parameter_cell(nb):
    return next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))


def _names(cell) -> list[str]:
    return [n.targets[0].id for n in ast.parse(cell.source).body if isinstance(n, ast.Assign)]


def test_data_notebooks_share_one_parameter_contract():
    stems = {p.stem[:2] for p in DATA_NOTEBOOKS}
    assert {"00", "01", "03", "04", "05", "06", "07"} <= stems
    for p in DATA_NOTEBOOKS:
        names = _names(_parameter_cell(nbformat.read(p, as_version=4)))
        assert names[: len(CONTRACT)] == CONTRACT, p.stem


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_validation_cell_knows_every_parameter(nb_path):
    """The name list given to check_parameter_names is the parameters cell, exactly."""
    nb = nbformat.read(nb_path, as_version=4)
    params = _names(_parameter_cell(nb))
    src = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    if "check_parameter_names(globals()" not in src:
        pytest.skip("notebook without the unknown-parameter check")
    call = src.split("check_parameter_names(globals(), ", 1)[1]
    listed = ast.literal_eval(call[: call.index("]") + 1])
    assert listed == params


@pytest.mark.parametrize("nb_path", DATA_NOTEBOOKS, ids=lambda p: p.stem)
def test_date_parameters_default_to_none(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    for node in ast.parse(_parameter_cell(nb).source).body:
        name = node.targets[0].id
        if any(k in name for k in ("AS_OF", "CAL", "END", "START")) and not name.startswith(("SYNTH", "EVAL")):
            assert isinstance(node.value, ast.Constant) and node.value.value is None, name


def test_a_misspelled_parameter_stops_the_run(tmp_path):
    import papermill as pm

    nb_path = ROOT / "notebooks" / "00_getting_started.ipynb"
    with pytest.raises(pm.PapermillExecutionError, match="unknown parameter 'DATA_PTH'.*DATA_PATH"):
        pm.execute_notebook(str(nb_path), str(tmp_path / "out.ipynb"), parameters={"DATA_PTH": "x.csv"},
                            kernel_name="python3", cwd=str(nb_path.parent), progress_bar=False)


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_parses_every_parameter_line(nb_path, caplog):
    import logging

    import papermill as pm

    with caplog.at_level(logging.WARNING, logger="papermill"):
        found = pm.inspect_notebook(str(nb_path))
    assert not [r for r in caplog.records if "parse" in r.getMessage().lower()]
    assert set(found) == set(_names(_parameter_cell(nbformat.read(nb_path, as_version=4))))


# ----------------------------------------------------------------------------- hostile values (issue 19)
def _date_parameter(nb) -> str | None:
    for name in _names(_parameter_cell(nb)):
        if name.endswith(("AS_OF", "_END", "_START")):
            return name
    return None


def _run_validation(nb_path: Path, assignments: list[str]) -> list[str]:
    """Each assignment injected after the parameters cell, then the validation cell, in one kernel."""
    nb = nbformat.read(nb_path, as_version=4)
    idx = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    validation = next(c for c in nb.cells[idx + 1:] if c.cell_type == "code")
    setup = [c for c in nb.cells[: idx + 1] if c.cell_type == "code"]
    cells = list(setup)
    for bad in assignments:  # the defaults again, then one hostile value
        cells += [nbformat.v4.new_code_cell(nb.cells[idx].source + "\n" + bad),
                  nbformat.v4.new_code_cell(validation.source)]
    nb.cells = cells
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(nb_path.parent)}})
    client.execute()
    errors = []
    for cell in nb.cells[len(setup) + 1::2]:
        outs = [o for o in cell.outputs if o.output_type == "error"]
        errors.append(f"{outs[0].ename}: {outs[0].evalue}" if outs else "no error")
    return errors


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_bad_parameter_values_stop_with_a_crmlab_error_naming_the_parameter(nb_path):
    """A wrong type, an out-of-range value, `-p SEED nan`, inf, a huge int, a boolean, and for
    a date `-p CAL_END soon` or a number: all in one kernel, each stopped by the validation cell."""
    nb = nbformat.read(nb_path, as_version=4)
    _, number, _ = _numeric_parameter(nb)
    date = _date_parameter(nb)
    values = ("'not a number'", "-10**9", 'float("nan")', 'float("inf")', "10**400", "True")
    cases = [(number, f"{number} = {v}") for v in values]
    if date is not None:
        cases += [(date, f'{date} = "soon"'), (date, f"{date} = 1997")]
    errors = _run_validation(nb_path, [a for _, a in cases])
    for (name, assignment), message in zip(cases, errors):
        assert message.split(":")[0] in ("ParameterError", "DataError"), f"{assignment}: {message}"
        assert name in message, f"{assignment}: the message does not name {name}: {message}"


def test_cal_end_soon_is_refused_by_the_shared_validator():
    from crmlab.errors import ParameterError
    from crmlab.validation import check_optional_date

    with pytest.raises(ParameterError, match="CAL_END must be a date such as '1998-06-30', got 'soon'"):
        check_optional_date("soon", "CAL_END")
    with pytest.raises(ParameterError, match="CAL_END .* a number is not read as a date"):
        check_optional_date(1997, "CAL_END")
