"""A store keeps one file per object (schema 2): saves cost the object, not
the store; h5py reads through the index's links; export gives one file;
crashes leave nothing behind (journal); stores of schema 1 are migrated."""
import shutil
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

import urbplex as ux
from store_files import object_file, store_size


def _small(i=0):
    return ux.RunResult({"x": np.arange(10.0) + i}, model="small", parameters={"i": i}, seed=i)


def _named_files(path):
    return {object_file(path, kind, name).name for kind, names in ux.io.contents(path).items() for name in names}


def test_a_save_writes_its_object_and_the_index_only(tmp_path):
    # Before: every save copied the whole file (688 ms for a 10-value run into
    # 400 MiB). Now the big object's file is not touched and the index stays small.
    path = tmp_path / "s.h5"
    ux.RunResult({"x": np.random.default_rng(0).random(4_000_000)}, model="big").save(path, "big")
    big = object_file(path, "runs", "big")
    before = big.stat()
    for i in range(50):
        _small(i).save(path, f"r{i}")
    _small(99).save(path, "r7", overwrite=True)
    after = big.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert path.stat().st_size < 64 << 10  # the index: links only
    assert store_size(path) < big.stat().st_size + 51 * (64 << 10)
    assert ux.io.load_run(path, "r7").parameters == {"i": 99}
    assert _named_files(path) == {p.name for p in (tmp_path / "s.h5.d").iterdir()}


def test_the_index_does_not_grow_with_saves(tmp_path):
    path = tmp_path / "s.h5"
    _small().save(path, "r")
    for i in range(200):
        _small(i).save(path, "r", overwrite=True)
    first = path.stat().st_size
    for i in range(200):
        _small(i).save(path, "r", overwrite=True)
    assert path.stat().st_size == first
    assert len(list((tmp_path / "s.h5.d").iterdir())) == 1


def test_h5py_reads_every_object_through_the_index(tmp_path, monkeypatch):
    path = tmp_path / "s.h5"
    g = ux.generators.square_lattice(6)
    g.save(path, "g")
    ux.Hierarchy.from_grid(g, cell=2.0, levels=2).save(path, "h", graph="g")
    _small(3).save(path, "r")
    other = tmp_path / "elsewhere"
    other.mkdir()
    monkeypatch.chdir(other)  # HDF5 resolves the links from the index's folder, not the working one
    with h5py.File(path, "r") as f:
        assert f["graphs/g"].attrs["n"] == 36
        np.testing.assert_array_equal(f["graphs/g/offsets"][...], np.asarray(g.offsets))
        assert f["hierarchies/h/level_0"].attrs["graph_ref"] == "g"
        np.testing.assert_array_equal(f["runs/r/x"][...], np.arange(10.0) + 3)
        assert f.attrs["objects"] == "s.h5.d" and f.attrs["schema_version"] == 2


def test_export_is_one_self_contained_file(tmp_path):
    path = tmp_path / "s.h5"
    g = ux.generators.random_geometric(500, mean_degree=5, seed=2)
    g.save(path, "g")
    _small(1).save(path, "r")
    shared = tmp_path / "out" / "shared.h5"
    shared.parent.mkdir()
    ux.io.export_store(path, shared)
    with pytest.raises(ValueError, match="exists"):
        ux.io.export_store(path, shared)
    moved = tmp_path / "moved.h5"
    shutil.move(shared, moved)  # alone: it needs no folder
    assert not (tmp_path / "out" / "shared.h5.d").exists()
    with h5py.File(moved, "r") as f:
        assert isinstance(f["runs"].get("r", getlink=True), h5py.HardLink)
    assert ux.io.load_graph(moved, "g") == g
    assert ux.io.load_run(moved, "r").parameters == {"i": 1}
    # The first save into it moves its objects out into a folder; all still load.
    _small(2).save(moved, "r2")
    assert (tmp_path / "moved.h5.d").is_dir()
    assert _named_files(moved) == {p.name for p in (tmp_path / "moved.h5.d").iterdir()}
    assert ux.io.load_graph(moved, "g") == g and ux.io.load_run(moved, "r").parameters == {"i": 1}


def test_a_store_of_schema_1_is_read_and_migrated_at_its_first_save(tmp_path):
    path = tmp_path / "s.h5"
    g = ux.generators.square_lattice(5)
    g.save(path, "g")
    _small(4).save(path, "r")
    old = tmp_path / "old.h5"
    ux.io.export_store(path, old)
    with h5py.File(old, "r+") as f:  # what urbplex 0.2 wrote: every object inside, schema 1
        f.attrs["schema_version"] = np.int64(1)
        del f.attrs["urbplex_version"]
        f.attrs.create("urbplex_version", "0.2.0", dtype=h5py.string_dtype())
    assert ux.io.file_info(old)["schema_version"] == "1"
    assert ux.io.load_graph(old, "g") == g
    _small(5).save(old, "r", overwrite=True)
    assert ux.io.file_info(old)["schema_version"] == "2"
    assert ux.io.load_graph(old, "g") == g and ux.io.load_run(old, "r").parameters == {"i": 5}
    assert old.stat().st_size < 64 << 10


def test_a_renamed_store_keeps_its_folder_and_a_moved_pair_loads(tmp_path):
    path = tmp_path / "s.h5"
    _small(1).save(path, "r")
    renamed = tmp_path / "renamed.h5"
    path.rename(renamed)
    assert ux.io.load_run(renamed, "r").parameters == {"i": 1}
    _small(2).save(renamed, "r2")  # into the folder the index records
    assert not (tmp_path / "renamed.h5.d").exists()
    dest = tmp_path / "dest"
    dest.mkdir()
    shutil.move(renamed, dest / "renamed.h5")
    shutil.move(tmp_path / "s.h5.d", dest / "s.h5.d")
    assert ux.io.load_run(dest / "renamed.h5", "r2").parameters == {"i": 2}
    alone = tmp_path / "alone.h5"
    shutil.copy(dest / "renamed.h5", alone)  # without its folder: a clear error
    with pytest.raises(OSError, match="is missing.*move or copy both.*export_store"):
        ux.io.load_run(alone, "r")


def test_a_crashed_save_is_undone_by_the_next_one(tmp_path):
    # A writer killed after journaling and writing its object file, before the
    # index rename: the next save removes that file. One killed after the
    # rename but before removing the replaced file: the next save removes it.
    path = tmp_path / "s.h5"
    _small(1).save(path, "keep")
    _small(2).save(path, "old")
    folder = tmp_path / "s.h5.d"
    stray = folder / "runs-0123456789abcdef.h5"
    shutil.copy(object_file(path, "runs", "keep"), stray)  # written, never linked
    replaced = object_file(path, "runs", "old")
    (folder / ".pending").write_text(f"{stray.name}\n{object_file(path, 'runs', 'keep').name}\n")
    _small(3).save(path, "probe")
    assert not stray.exists() and not (folder / ".pending").exists()
    assert ux.io.load_run(path, "keep").parameters == {"i": 1} and replaced.exists()
    # A damaged journal never removes anything that is not an object file name.
    victim = folder / "notes.txt"
    victim.write_text("mine")
    (folder / ".pending").write_text("../s.h5\nnotes.txt\n/etc/passwd\n")
    _small(4).save(path, "probe", overwrite=True)
    assert victim.exists() and path.exists()
    assert ux.io.vacuum_store(path) == []  # notes.txt is not an object file


def test_vacuum_removes_object_files_the_index_does_not_name(tmp_path):
    path = tmp_path / "s.h5"
    _small(1).save(path, "r")
    copy = tmp_path / "copy.h5"
    shutil.copy(path, copy)  # a copy of the file alone shares the folder
    _small(2).save(copy, "only-in-copy")
    extra = object_file(copy, "runs", "only-in-copy")
    assert ux.io.vacuum_store(path) == [str(extra)]
    assert ux.io.load_run(path, "r").parameters == {"i": 1}


def test_a_root_level_external_link_is_kept_as_a_link_on_overwrite(tmp_path):
    # Compacting the index copied linked data into the store (issue 33 item 5).
    data = tmp_path / "data.h5"
    with h5py.File(data, "w") as f:
        f["big"] = np.zeros(2_000_000)
    path = tmp_path / "s.h5"
    _small(1).save(path, "r")
    with h5py.File(path, "r+") as f:
        f["survey"] = h5py.ExternalLink("data.h5", "/big")
    _small(2).save(path, "r", overwrite=True)
    assert path.stat().st_size < 64 << 10
    with h5py.File(path, "r") as f:
        assert isinstance(f.get("survey", getlink=True), h5py.ExternalLink)


INTERRUPTED_SAVE = """
import sys, numpy as np, urbplex as ux
big = ux.RunResult({"x": np.random.default_rng(0).random(50_000_000)}, model="big")  # 400 MB
print("ready", flush=True)
try:
    big.save(sys.argv[1], "big")
    print("saved", flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


def test_ctrl_c_during_a_large_save_stops_it_and_leaves_the_store_whole(tmp_path):
    path = tmp_path / "s.h5"
    _small(1).save(path, "r")
    before = path.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", INTERRUPTED_SAVE, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 30
        while not (tmp_path / "s.h5.d" / ".pending").exists() and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(0.05)  # into the write
        sent = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        line = proc.stdout.readline().strip()
        waited = time.perf_counter() - sent
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert line == "interrupted" and waited < 0.5, (line, waited)
    assert path.read_bytes() == before
    assert _named_files(path) == {p.name for p in (tmp_path / "s.h5.d").iterdir()}


REPLACER = """
import sys, numpy as np, urbplex as ux
for i in range(100000):
    ux.RunResult({"x": np.full(10, float(i))}, model="test").save(sys.argv[1], "busy", overwrite=True)
"""


def test_export_while_a_writer_replaces_objects(tmp_path):
    # The export reads the store as a reader does: a save that removes an object's file
    # between its reading the index and opening the object makes it start again.
    path = tmp_path / "s.h5"
    for i in range(20):
        _small(i).save(path, f"r{i}")
    _small().save(path, "busy")
    writer = subprocess.Popen([sys.executable, "-c", REPLACER, str(path)])
    try:
        for k in range(150):
            out = tmp_path / "export.h5"
            ux.io.export_store(path, out, overwrite=True)
            assert len(ux.io.contents(out)["runs"]) == 21
    finally:
        writer.kill()
        writer.wait()
