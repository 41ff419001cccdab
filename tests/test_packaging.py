"""The conda/Binder environment and pyproject.toml must list the same packages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _norm(req: str) -> str:
    return re.sub(r"\s+", "", req).lower()


def _pyproject_requirements() -> set[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    reqs = list(project["dependencies"])
    for extra in ("test", "dev", "site"):
        reqs += project["optional-dependencies"][extra]
    return {_norm(r) for r in reqs}


def _environment_pip_requirements() -> set[str]:
    lines = (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines()
    pip_items, in_pip = [], False
    for line in lines:
        if re.match(r"^\s*-\s*pip:\s*$", line):
            in_pip = True
            continue
        if in_pip:
            m = re.match(r"^\s{6,}-\s*(.+?)\s*$", line)
            if not m:
                break
            pip_items.append(m.group(1))
    return {_norm(i) for i in pip_items if not i.startswith("-e")}


def test_environment_matches_pyproject():
    env, py = _environment_pip_requirements(), _pyproject_requirements()
    assert env, "no pip requirements parsed from environment.yml"
    assert env - py == set(), f"in environment.yml only: {sorted(env - py)}"
    assert py - env == set(), f"in pyproject.toml only: {sorted(py - env)}"


def test_environment_installs_the_package_and_core_libraries():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "- -e ." in text
    names = {re.split(r"[<>=!~\[]", r)[0] for r in _pyproject_requirements()}
    for core in ["jupyterlab", "pandas", "numpy", "scipy", "matplotlib", "seaborn",
                 "statsmodels", "papermill", "nbval", "pytest"]:
        assert core in names, core


def test_ci_calls_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make run" in readme
    assert re.search(r"^make test$", ci, flags=re.M)
    assert "set -euo pipefail" in ci


def test_every_notebook_has_a_parameters_cell():
    import json

    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for nb_path in notebooks:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{nb_path.name}: expected one cell tagged 'parameters'"
        errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, f"{nb_path.name} is committed with an error output"
