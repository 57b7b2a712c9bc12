"""Seed files and mutations for the fuzz harness (fuzz/campaign.py, fuzz/atheris_*.py).

Seeds are valid files made by urbplex itself (a graph, a hierarchy, runs of
several dtypes, a multilayer graph; a TNTP net/trips pair). Mutations mix
byte-level damage (flips, overwrites, truncation, splices: what disks and
transfers do) with structure-aware edits made through h5py (wrong attribute
shapes and types, resized or retyped datasets, declared sizes, soft and
external links, groups where datasets belong: what other tools and hostile
files do), so that most mutants get past HDF5's own signature checks.
"""
from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import numpy as np


def make_store_seed(path: Path) -> None:
    """The seed store at ``path.parent / "seedstore" / "seed.h5"`` (an index and
    its folder of object files), and its export, one self-contained file, at ``path``."""
    import urbplex as ux

    store = path.parent / "seedstore" / "seed.h5"
    store.parent.mkdir(exist_ok=True)
    _fill_store(store)
    ux.io.export_store(store, path)


def _fill_store(path: Path) -> None:
    import urbplex as ux

    g = ux.generators.random_geometric(300, mean_degree=5, seed=1)
    g.save(path, "g")
    ux.Hierarchy.from_grid(g, cell=0.25, levels=2).save(path, "h")
    ux.RunResult({"f": np.arange(10.0), "i": np.arange(6, dtype=np.int32).reshape(2, 3),
                  "b": np.array([True, False]), "u": np.arange(4, dtype=np.uint64),
                  "s": np.array(["node 1", "Zürich", ""])},
                 model="test", parameters={"a": 1}, seed=3).save(path, "r")
    ux.multiscale.multiplex(ux.generators.square_lattice(4), ux.generators.square_lattice(4), p=0.5).save(path, "ml")
    # A group of more than 8 links: HDF5 keeps its links in dense storage (a
    # fractal heap and a B-tree), code a percolation run with 16 arrays reaches.
    ux.RunResult({f"a{i:02d}": np.arange(i + 1.0) for i in range(16)}, model="dense").save(path, "dense")


def make_tntp_seed(folder: Path) -> tuple[Path, Path]:
    import urbplex as ux

    src = Path(ux.datasets.__file__).parent / "siouxfalls"
    net, trips = folder / "seed_net.tntp", folder / "seed_trips.tntp"
    shutil.copy(src / "SiouxFalls_net.tntp", net)
    shutil.copy(src / "SiouxFalls_trips.tntp", trips)
    return net, trips


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    raw = bytearray(data)
    kind = rng.randrange(5)
    if kind == 0:  # bit flips
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
    elif kind == 1:  # overwrite a run with random bytes or extreme integers
        at, n = rng.randrange(len(raw)), rng.randint(1, 16)
        fill = rng.choice([os.urandom(n), b"\xff" * n, b"\x00" * n, b"\x7f" + b"\xff" * (n - 1)])
        raw[at:at + n] = fill
    elif kind == 2:  # truncate
        raw = raw[: rng.randrange(1, len(raw))]
    elif kind == 3:  # splice a block from elsewhere
        a, b, n = rng.randrange(len(raw)), rng.randrange(len(raw)), rng.randint(8, 512)
        raw[a:a + n] = raw[b:b + n]
    else:  # duplicate or delete a block
        a, n = rng.randrange(len(raw)), rng.randint(1, 256)
        raw = raw[:a] + (raw[a:a + n] * 2 if rng.random() < 0.5 else b"") + raw[a + n:]
    return bytes(raw)


def _any_path(f, rng: random.Random, want) -> str | None:
    found = []
    f.visititems(lambda name, obj: found.append(name) if isinstance(obj, want) else None)
    return rng.choice(found) if found else None


def mutate_structure(path: Path, rng: random.Random, scratch: Path) -> None:
    """One structure-aware edit of an HDF5 store, in place (through h5py)."""
    import h5py

    values = [np.arange(rng.randint(0, 5000), dtype=np.uint64), np.float64(np.nan), np.int64(-7),
              np.uint64(2**63 + 5), np.uint64(2**31), np.int64(0), "text", np.zeros((3, 3)), np.float64(1e300)]
    with h5py.File(path, "r+") as f:
        kind = rng.randrange(9)
        if kind <= 1:  # an attribute of the wrong shape, type or value
            name = _any_path(f, rng, (h5py.Group, h5py.Dataset)) if rng.random() < 0.9 else None
            obj = f[name] if name else f
            keys = list(obj.attrs) or ["n"]
            obj.attrs[rng.choice(keys)] = rng.choice(values)
        elif kind == 2:  # a dataset replaced by one of another length or dtype
            name = _any_path(f, rng, h5py.Dataset)
            if name:
                old = f[name]
                n = rng.choice([0, 1, old.size - 1, old.size + 1, old.size * 2, 7])
                dtype = rng.choice([old.dtype, np.float64, np.int8, np.uint64, "S4"])
                del f[name]
                f.create_dataset(name, data=np.zeros(max(n, 0), dtype=dtype))
        elif kind == 3:  # a huge declared extent, stored sparsely
            name = _any_path(f, rng, h5py.Dataset)
            if name:
                del f[name]
                f.create_dataset(name, shape=(rng.choice([2**20, 2**28, 2**34]),), chunks=(1024,), dtype="f8")
        elif kind == 4:  # a soft or external link where an object was
            name = _any_path(f, rng, (h5py.Group, h5py.Dataset))
            if name:
                del f[name]
                target = rng.choice(["/graphs/g", "/nowhere", str(scratch / "fifo.h5")])
                f[name] = h5py.SoftLink(target) if rng.random() < 0.5 else h5py.ExternalLink(target, "/graphs/g")
        elif kind == 5:  # a group where a dataset belongs, or the other way round
            name = _any_path(f, rng, (h5py.Group, h5py.Dataset))
            if name:
                was_group = isinstance(f[name], h5py.Group)
                del f[name]
                if was_group:
                    f[name] = np.arange(3)
                else:
                    f.create_group(name)
        elif kind == 6:  # values permuted or made out of range
            name = _any_path(f, rng, h5py.Dataset)
            # (not the huge sparse extents of kind 3: filling those writes a
            # real multi-GiB file, whose load is slow but not a finding)
            if name and 0 < f[name].size <= 1_000_000 and f[name].dtype.kind in "iuf":
                data = f[name][...]
                flat = data.reshape(-1)
                if rng.random() < 0.5:
                    rng.shuffle(flat)
                else:
                    flat[rng.randrange(flat.size)] = np.iinfo(np.int32).max if data.dtype.kind in "iu" else np.nan
                f[name][...] = flat.reshape(data.shape)
        elif kind == 7:  # an object removed
            name = _any_path(f, rng, (h5py.Group, h5py.Dataset))
            if name:
                del f[name]
        else:  # root attributes
            f.attrs["schema_version"] = rng.choice([0, 1, 2, -7, np.nan, "1", np.arange(3)])


def mutate_tntp(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    kind = rng.randrange(7)
    i = rng.randrange(len(lines)) if lines else 0
    tokens = ["0", "-1", "1e308", "nan", "inf", "1.5", "4294967297", "99999999999", "", "~", ";", "<END OF METADATA>",
              "<NUMBER OF NODES> 2147483647", "<NUMBER OF LINKS> -3", "<FIRST THRU NODE> 0", "x", "\x00"]
    if kind == 0 and lines:  # a field replaced
        parts = lines[i].split()
        if parts:
            parts[rng.randrange(len(parts))] = rng.choice(tokens)
            lines[i] = " ".join(parts)
    elif kind == 1 and lines:  # a line removed or duplicated
        if rng.random() < 0.5:
            del lines[i]
        else:
            lines.insert(i, lines[i])
    elif kind == 2 and lines:  # a column removed from one line or from the header
        parts = lines[i].split()
        if parts:
            del parts[rng.randrange(len(parts))]
            lines[i] = " ".join(parts)
    elif kind == 3:  # a metadata line inserted
        lines.insert(i, rng.choice(tokens))
    elif kind == 4:  # truncated
        return text[: rng.randrange(len(text) + 1)]
    elif kind == 5:  # bytes garbled
        return mutate_bytes(text.encode(), rng).decode("utf-8", "replace")
    else:  # whole file replaced by junk
        return rng.choice(["", "\n\n", "<NUMBER OF ZONES> 3\n", "~\n;\n", "1 2 3\n" * 5])
    return "\n".join(lines) + "\n"
