"""Data notebooks run unchanged on a messy line-item export, by parameters alone (part b).

Split in two files so that pytest-xdist (--dist loadfile) runs the halves in parallel.
"""

from __future__ import annotations

import pytest

from own_data import run_on_export, write_export


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return write_export(tmp_path_factory.mktemp("export"))


@pytest.mark.parametrize("stem", ["05_segmentation", "06_retention_metrics", "07_probabilistic_clv"])
def test_notebook_runs_on_a_messy_line_item_export(stem, export, tmp_path):
    path, truth = export
    text = run_on_export(stem, path, truth, tmp_path / f"{stem}.ipynb")
    assert "CDNOW" not in text, "CDNOW-specific text printed for foreign data"
    assert "US$" not in text, "CDNOW's currency printed for foreign data"
