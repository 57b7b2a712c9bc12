import os
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

import urbplex as ux
from store_files import object_file


def test_h5py_reads_what_urbplex_wrote_in_the_same_process(tmp_path):
    path = tmp_path / "s.h5"
    g = ux.generators.random_geometric(1000, mean_degree=5, seed=1)
    g.save(path, "rgg")
    h = ux.Hierarchy.from_grid(g, cell=0.25, levels=2)
    h.save(path, "grid")
    ux.RunResult({"x": np.arange(5.0), "flag": np.array([True, False, True, True, False])}, model="test",
                 parameters={"alpha": 0.5, "levels": [1, 2]}, seed=42).save(path, "r")
    with h5py.File(path, "r") as f:
        assert f.attrs["schema_version"] == ux.io.SCHEMA_VERSION
        assert f.attrs["urbplex_version"] == ux.__version__
        grp = f["graphs/rgg"]
        assert grp.attrs["n"] == g.n
        np.testing.assert_array_equal(grp["edge_source"][:], g.edge_sources)
        np.testing.assert_array_equal(grp["offsets"][:], g.offsets)
        np.testing.assert_array_equal(grp["node/x"][:], g.node("x"))
        np.testing.assert_array_equal(f["hierarchies/grid/level_0/parent"][:], h.parent(0))
        assert f["hierarchies/grid/level_2"].attrs["method"] == "grid"
        run = f["runs/r"]
        assert run.attrs["model"] == "test" and run.attrs["seed"] == 42
        assert '"alpha": 0.5' in run.attrs["parameters"]
        np.testing.assert_array_equal(run["x"][:], np.arange(5.0))


def test_round_trips(tmp_path):
    path = tmp_path / "s.h5"
    g = ux.generators.triangular_lattice(10).with_node_attr("population", np.arange(100.0))
    g.save(path, "tri")
    assert ux.io.load_graph(path, "tri") == g
    h = ux.Hierarchy.from_grid(g, cell=2.0, levels=3)
    h.save(path, "h")
    back = ux.Hierarchy.load(path, "h")
    assert back.num_levels == h.num_levels
    for k in range(h.num_levels):
        assert back.level(k) == h.level(k)
    res = ux.RunResult({"a": np.arange(6, dtype=np.int32).reshape(2, 3)}, model="m", parameters={"p": 1}, seed=3)
    res.save(path, "run")
    loaded = ux.io.load_run(path, "run")
    assert loaded.parameters == {"p": 1} and loaded.seed == 3 and loaded.model == "m"
    assert loaded["a"].dtype == np.int32 and loaded["a"].shape == (2, 3)
    assert loaded.meta["urbplex_version"] == ux.__version__ and loaded.meta["created"].endswith("Z")
    assert ux.io.contents(path) == {"graphs": ["tri"], "hierarchies": ["h"], "runs": ["run"]}
    with pytest.raises(ValueError, match="already exists"):
        g.save(path, "tri")
    with pytest.raises(ValueError, match="has no graphs named 'nope'"):
        ux.io.load_graph(path, "nope")


def test_damaged_files_raise_oserror(tmp_path):
    path = tmp_path / "good.h5"
    ux.generators.square_lattice(100).save(path, "g")
    data = path.read_bytes()
    cut = tmp_path / "cut.h5"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(OSError, match="cut.h5"):
        ux.io.load_graph(cut, "g")
    garbled = object_file(path, "graphs", "g")  # the graph's own bytes
    raw = bytearray(garbled.read_bytes())
    raw[len(raw) // 2: len(raw) // 2 + 4096] = os.urandom(4096)
    garbled.write_bytes(bytes(raw))
    with pytest.raises(OSError):
        ux.io.load_graph(path, "g")
    with pytest.raises(OSError, match="does not exist"):
        ux.io.load_graph(tmp_path / "missing.h5", "g")
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = 1
    with pytest.raises(OSError, match="not an urbplex store"):
        ux.io.load_graph(foreign, "g")


def test_newer_schema_raises(tmp_path):
    path = tmp_path / "new.h5"
    ux.generators.square_lattice(3).save(path, "g")
    with h5py.File(path, "r+") as f:
        f.attrs["schema_version"] = ux.io.SCHEMA_VERSION + 1
    with pytest.raises(ux.SchemaError, match="newer"):
        ux.io.load_graph(path, "g")
    assert issubclass(ux.SchemaError, OSError)


WRITER = """
import sys, urbplex as ux
g = ux.generators.erdos_renyi(2_000_000, mean_degree=10, seed=1)
print("ready", flush=True)
while True:  # keep rewriting until killed
    g.save(sys.argv[1], "big", overwrite=True)
"""


def test_killed_write_leaves_the_old_file_intact(tmp_path):
    path = tmp_path / "store.h5"
    old = ux.generators.square_lattice(20)
    old.save(path, "keep")
    before = path.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        # Kill as soon as the temporary file of the first save (~250 MB) appears.
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".store.h5.tmp*")) and time.monotonic() < deadline:
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert list(tmp_path.glob(".store.h5.tmp*")), "the writer was not caught mid-write"
    # Killed mid-write: the target is byte-for-byte the old file.
    assert path.read_bytes() == before
    assert ux.io.load_graph(path, "keep") == old
    assert ux.io.contents(path)["graphs"] == ["keep"]
    for leftover in tmp_path.glob(".store.h5.tmp*"):
        leftover.unlink()


def test_bad_arguments(tmp_path):
    g = ux.generators.square_lattice(3)
    with pytest.raises(TypeError, match="argument 'path'"):
        g.save(3, "g")
    with pytest.raises(ValueError, match="argument 'name'"):
        g.save(tmp_path / "a.h5", "a/b")
    with pytest.raises(OSError, match="does not exist"):
        g.save(tmp_path / "no" / "dir.h5", "g")
    with pytest.raises(ValueError, match="unsupported dtype"):
        ux.RunResult({"z": np.array([1j])}, model="m").save(tmp_path / "a.h5", "r")  # text is stored; complex is not
