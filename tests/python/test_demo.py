import subprocess
import sys

import h5py


def test_demo_writes_a_file_h5py_opens(tmp_path):
    out = tmp_path / "demo.h5"
    res = subprocess.run([sys.executable, "-m", "urbplex", "demo", "--out", str(out), "--n", "5000"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "grid hierarchy" in res.stdout
    assert "a commuting day on the streets" in res.stdout and "morning peak: q_c" in res.stdout
    with h5py.File(out, "r") as f:
        assert "city" in f["graphs"] and "city-grid" in f["hierarchies"]
        assert f["graphs/city"].attrs["n"] == 5000
        for run in ("radiation-level-2", "epr-level-2", "leiden-city", "assignment-sioux-falls", "traffic-day",
                    "traffic-percolation"):
            assert run in f["runs"], run
        assert f["runs/assignment-sioux-falls"].attrs["model"] == "assignment.bfw"
