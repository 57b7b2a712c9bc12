"""The store under a lab's use: concurrent writers, killed saves, repeated
overwrites, links, damaged and edited files, declared sizes, schema versions
(and the hostile-file cases of the reader: attributes of the wrong shape)."""
import os
import random
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

import urbplex as ux
from store_files import object_file, store_size

WORKER = """
import sys, numpy as np, urbplex as ux
path, worker, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(count):
    data = {"x": np.arange(50.0) * worker + i, "i": np.array([worker, i], dtype=np.int64)}
    ux.RunResult(data, model="w", parameters={"worker": worker, "i": i}, seed=i).save(path, f"w{worker}-{i:03d}")
"""


def test_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "shared.h5"
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(path), str(w), "100"]) for w in range(4)]
    try:
        for p in procs:
            assert p.wait(timeout=300) == 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    runs = ux.io.contents(path)["runs"]
    assert len(runs) == 400
    for w in range(4):
        for i in range(100):
            r = ux.io.load_run(path, f"w{w}-{i:03d}")
            np.testing.assert_array_equal(r.data["x"], np.arange(50.0) * w + i)
            assert r.parameters == {"worker": w, "i": i}
    assert not list(tmp_path.glob(".shared.h5.tmp*"))
    # every object file is one the index names; no journal is left
    named = {object_file(path, "runs", name).name for name in runs}
    assert {p.name for p in (tmp_path / "shared.h5.d").iterdir()} == named


KILLED = """
import sys, numpy as np, urbplex as ux
g = ux.generators.erdos_renyi(300_000, mean_degree=8, seed=1)
print("ready", flush=True)
i = 0
while True:
    i += 1
    g.with_node_attr("version", np.full(g.n, float(i))).save(sys.argv[1], "big", overwrite=True)
"""


def kill_during_saves(tmp_path, kills: int, seed: int = 0, extra: int = 16):
    """Kill a writer at random moments, ``kills`` times, then up to ``extra`` more
    times as soon as a save is under way, until one kill hits a save in progress
    (how often a random one does depends on the machine: under AddressSanitizer,
    4 and then 20 random kills all fell between saves); return the number of
    kills that hit a save in progress."""
    path = tmp_path / "store.h5"
    folder = tmp_path / "store.h5.d"

    def saving():  # the index's temporary copy or the objects' journal exists
        return bool(list(tmp_path.glob(".store.h5.tmp*"))) or (folder / ".pending").exists()

    keep = ux.generators.square_lattice(20)
    keep.save(path, "keep")
    rng = random.Random(seed)
    mid_write = 0
    done = 0
    while done < kills or (mid_write == 0 and done < kills + extra):
        done += 1
        proc = subprocess.Popen([sys.executable, "-c", KILLED, str(path)], stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "ready"
            if done <= kills:  # a random moment
                time.sleep(rng.uniform(0.0, 0.6))
            else:  # none of those hit a save: wait for one to be under way
                deadline = time.monotonic() + 10
                while not saving() and time.monotonic() < deadline:
                    time.sleep(0.001)
            mid_write += saving()
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        # Whatever the moment, the file is a whole store: the old or a committed new version.
        assert ux.io.load_graph(path, "keep") == keep
        if "big" in ux.io.contents(path)["graphs"]:
            v = ux.io.load_graph(path, "big").node("version")
            assert np.all(v == v[0])
        # The next save removes what the dead writer left.
        ux.generators.square_lattice(3).save(path, "probe", overwrite=True)
        assert not saving()
        named = {object_file(path, kind, name).name
                 for kind, names in ux.io.contents(path).items() for name in names}
        assert {p.name for p in folder.iterdir()} == named  # no object file left unnamed
    return mid_write


def test_killed_saves_leave_the_file_whole_and_no_leftovers(tmp_path):
    kills = int(os.environ.get("URBPLEX_KILL_TESTS", "4"))
    assert kill_during_saves(tmp_path, kills) >= 1


def test_overwrites_do_not_grow_the_file(tmp_path):
    g = ux.generators.random_geometric(50_000, mean_degree=6, seed=1)
    one = tmp_path / "one.h5"
    g.save(one, "g")
    many = tmp_path / "many.h5"
    for _ in range(100):
        g.save(many, "g", overwrite=True)
    assert store_size(many) <= 1.05 * store_size(one)
    assert ux.io.load_graph(many, "g") == g


def test_save_through_a_symlink_writes_its_target(tmp_path):
    real = tmp_path / "data" / "real.h5"
    real.parent.mkdir()
    ux.generators.square_lattice(3).save(real, "a")
    link = tmp_path / "link.h5"
    link.symlink_to(os.path.relpath(real, tmp_path))
    ux.generators.square_lattice(4).save(link, "b")
    assert link.is_symlink()
    assert ux.io.contents(real)["graphs"] == ["a", "b"]


def test_soft_and_external_links_are_refused_unless_allowed(tmp_path):
    other = tmp_path / "other.h5"
    ux.generators.square_lattice(5).save(other, "g")
    path = tmp_path / "links.h5"
    ux.generators.square_lattice(3).save(path, "own")
    with h5py.File(path, "r+") as f:
        f["graphs/ext"] = h5py.ExternalLink(str(other), "/graphs/g")
        f["graphs/soft"] = h5py.SoftLink("/graphs/own")
    with pytest.raises(OSError, match="external link"):
        ux.io.load_graph(path, "ext")
    with pytest.raises(OSError, match="soft link"):
        ux.io.load_graph(path, "soft")
    assert ux.io.load_graph(path, "ext", allow_links=True).n == 25
    assert ux.io.load_graph(path, "soft", allow_links=True).n == 9


def test_external_link_to_a_fifo_does_not_hang(tmp_path):
    fifo = tmp_path / "fifo.h5"
    os.mkfifo(fifo)
    path = tmp_path / "s.h5"
    ux.generators.square_lattice(3).save(path, "own")
    with h5py.File(path, "r+") as f:
        f["graphs/pipe"] = h5py.ExternalLink(str(fifo), "/graphs/g")
    t0 = time.monotonic()
    with pytest.raises(OSError, match="external link"):
        ux.io.load_graph(path, "pipe")
    with pytest.raises(OSError, match="not a regular file"):
        ux.io.load_graph(fifo, "g")
    assert time.monotonic() - t0 < 5


def test_bit_flips_in_data_are_detected(tmp_path):
    path = tmp_path / "s.h5"
    g = ux.generators.random_geometric(2000, mean_degree=6, seed=1)
    g.save(path, "g")
    with h5py.File(path, "r") as f:
        offset = f["graphs/g/node/x"].id.get_offset() if f["graphs/g/node/x"].chunks is None else None
        chunk = f["graphs/g/node/x"].id.get_chunk_info(0)
    flipped = object_file(path, "graphs", "g")
    raw = bytearray(flipped.read_bytes())
    where = (offset if offset is not None else chunk.byte_offset) + 100
    raw[where] ^= 0x10
    flipped.write_bytes(bytes(raw))
    with pytest.raises(OSError, match="node/x|'x'"):
        ux.io.load_graph(path, "g")


def test_data_rewritten_by_another_tool_is_detected(tmp_path):
    path = tmp_path / "s.h5"
    g = ux.generators.square_lattice(16)
    h = ux.Hierarchy.from_grid(g, cell=4.0, levels=2)
    h.save(path, "h")
    with h5py.File(path, "r+") as f:
        parent = f["hierarchies/h/level_0/parent"]
        parent[...] = np.random.default_rng(0).permutation(parent[...])  # still a valid parent map
        del parent  # h5py keeps a linked file open (and locked) while one of its objects lives
    with pytest.raises(OSError, match="digest"):
        ux.io.load_hierarchy(path, "h")


def test_declared_sizes_are_checked_before_allocating(tmp_path):
    path = tmp_path / "s.h5"
    ux.generators.square_lattice(50).save(path, "g")
    with h5py.File(path, "r+") as f:
        f["graphs/g"].attrs["n"] = np.uint64(2**30)
    t0 = time.monotonic()
    with pytest.raises(OSError, match="offsets"):
        ux.io.load_graph(path, "g")
    assert time.monotonic() - t0 < 2
    # A sparse chunked dataset declares far more than the file stores.
    with h5py.File(path, "r+") as f:
        f["graphs/g"].attrs["n"] = np.uint64(2500)
        del f["graphs/g/node/x"]
        f["graphs/g/node"].create_dataset("x", shape=(2500,), chunks=(100,), dtype="f8")
    with pytest.raises(OSError, match="stores"):
        ux.io.load_graph(path, "g")


def test_tntp_declared_node_count_is_checked(tmp_path):
    net = tmp_path / "huge_net.tntp"
    net.write_text("<NUMBER OF ZONES> 1\n<NUMBER OF NODES> 1073741824\n<FIRST THRU NODE> 1\n"
                   "<NUMBER OF LINKS> 1\n<END OF METADATA>\n"
                   "~ init_node term_node capacity length free_flow_time b power speed toll link_type ;\n"
                   "1 2 100 1 1 0.15 4 0 0 1 ;\n")
    t0 = time.monotonic()
    with pytest.raises(ValueError, match="NUMBER OF NODES"):
        ux.routing.tntp.read_net(net)
    assert time.monotonic() - t0 < 2


@pytest.mark.parametrize("value", [0, -7, np.nan, "1"])
def test_schema_versions_this_library_cannot_read_are_refused(tmp_path, value):
    path = tmp_path / "s.h5"
    ux.generators.square_lattice(3).save(path, "g")
    with h5py.File(path, "r+") as f:
        f.attrs["schema_version"] = value
    with pytest.raises(ux.SchemaError, match="schema_version"):
        ux.io.load_graph(path, "g")


def test_attribute_of_the_wrong_shape_is_an_error_not_an_overflow(tmp_path):
    # The AddressSanitizer repro: an array where a scalar attribute belongs.
    path = tmp_path / "s.h5"
    ux.RunResult({"x": np.arange(3.0)}, model="m", seed=1).save(path, "r")
    with h5py.File(path, "r+") as f:
        f["runs/r"].attrs["seed"] = np.arange(4096, dtype=np.uint64)
    with pytest.raises(OSError, match="seed.*single value"):
        ux.io.load_run(path, "r")
    with h5py.File(path, "r+") as f:
        f["runs/r"].attrs["seed"] = 2.5
    with pytest.raises(OSError, match="seed.*integer"):
        ux.io.load_run(path, "r")


def test_run_children_must_be_plain_datasets(tmp_path):
    path = tmp_path / "s.h5"
    ux.RunResult({"x": np.arange(3.0)}, model="m", seed=1).save(path, "r")
    with h5py.File(path, "r+") as f:
        f["runs/r"].create_group("sub")
    with pytest.raises(OSError, match="'sub' is not a dataset"):
        ux.io.load_run(path, "r")


def test_nul_in_names_and_paths_is_refused(tmp_path):
    g = ux.generators.square_lattice(3)
    with pytest.raises(ValueError, match="NUL"):
        g.save(tmp_path / "a.h5", "a\0b")
    with pytest.raises(ValueError, match="NUL"):
        g.save(str(tmp_path / "a.h5") + "\0.bak", "g")


def test_lock_timeout_is_a_clear_error(tmp_path, monkeypatch):
    import fcntl

    path = tmp_path / "s.h5"
    lock = open(tmp_path / ".s.h5.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    monkeypatch.setenv("URBPLEX_LOCK_TIMEOUT", "0.3")
    try:
        code = ("import urbplex as ux, sys\n"
                "try:\n    ux.generators.square_lattice(3).save(sys.argv[1], 'g')\n"
                "except OSError as e:\n    print(e)\n")
        out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
        assert "held the lock" in out.stdout
    finally:
        lock.close()


def _heap_objects(raw: bytes):
    """(offset, index, size) of every object in the file's first global heap
    collection (HDF5 file format v3, III.E; 8-byte lengths)."""
    start = raw.index(b"GCOL")
    size = int.from_bytes(raw[start + 8:start + 16], "little")
    p, out = start + 16, []
    while p + 16 <= start + size:
        idx = int.from_bytes(raw[p:p + 2], "little")
        n = int.from_bytes(raw[p + 8:p + 16], "little")
        out.append((p, idx, n))
        if idx == 0:
            break
        p += 16 + (n + 7) // 8 * 8
    return out


@pytest.mark.parametrize("damage", ["longer_than_string", "beyond_collection", "free_space_zero"])
def test_damaged_string_heap_is_an_error_not_an_overflow(tmp_path, damage):
    # HDF5 1.10 copies a heap object's declared size into a buffer sized by
    # the string (a heap overflow), indexes past its object table, or loops on
    # an empty free-space block; the reader checks the collection first.
    path = tmp_path / "s.h5"
    ux.RunResult({"x": np.arange(3.0)}, model="model-name-xyzzy", seed=1).save(path, "r")
    damaged = object_file(path, "runs", "r")
    raw = bytearray(damaged.read_bytes())
    objects = _heap_objects(bytes(raw))
    (at, _, n), = [o for o in objects if raw[o[0] + 16:o[0] + 16 + o[2]] == b"model-name-xyzzy"]
    if damage == "longer_than_string":
        new_at, new_size = at, n + 40
    elif damage == "beyond_collection":
        new_at, new_size = at, 2**40
    else:
        new_at, new_size = next(o[0] for o in objects if o[1] == 0), 0
    raw[new_at + 8:new_at + 16] = new_size.to_bytes(8, "little")
    damaged.write_bytes(bytes(raw))
    with pytest.raises(OSError, match="heap is damaged"):
        ux.io.load_run(path, "r")


def test_intact_string_heap_reads(tmp_path):
    path = tmp_path / "s.h5"
    ux.RunResult({"x": np.arange(3.0)}, model="model-name-xyzzy", seed=1).save(path, "r")
    assert ux.io.load_run(path, "r").model == "model-name-xyzzy"


def test_string_attribute_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "s.h5"
    ux.RunResult({"x": np.arange(3.0)}, model="m", seed=1).save(path, "r")
    with h5py.File(path, "r+") as f:
        f["runs/r"].attrs["model"] = np.bytes_(b"m\xff\xfe")
    with pytest.raises(OSError, match="'model' is not valid UTF-8"):
        ux.io.load_run(path, "r")
