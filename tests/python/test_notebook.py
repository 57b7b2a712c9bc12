import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


# traffic_percolation runs 25 s (100 s under the sanitizers) through calls that
# test_routing's agents-to-percolation test covers in 2 s.
@pytest.mark.parametrize("name", [pytest.param(p.name, marks=pytest.mark.slow) if p.name == "traffic_percolation.ipynb"
                                  else p.name for p in sorted(EXAMPLES.glob("*.ipynb"))])
def test_example_notebook_runs(name, tmp_path, monkeypatch, shared_data):
    monkeypatch.delenv("MPLBACKEND", raising=False)  # a headless Agg setting would hide the figures
    nb = nbformat.read(EXAMPLES / name, as_version=4)
    if nb.metadata.get("urbplex", {}).get("needs_shared_data"):  # skipped without it, failed under CI
        monkeypatch.setenv("URBPLEX_SHARED_DATA", os.path.abspath(shared_data()))
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    # Figures show in Jupyter (the notebooks leave the backend to the environment: inline in a kernel).
    assert any("image/png" in o.get("data", {}) for o in outputs), "no figure"
