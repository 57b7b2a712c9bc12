"""The store under a lab's load: checksummed run metadata, locks in shared
folders and on filesystems without locks, lock waits that Ctrl-C stops and
that do not block other files' loads, read-only stores, interrupted ensembles."""
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import urbplex as ux
from store_files import object_file


def _run(tmp_path, name="r", params=None):
    r = ux.RunResult({"x": np.arange(10.0)}, model="test", parameters=params or {"level": 2, "model": "site"})
    path = tmp_path / "s.h5"
    r.save(path, name)
    return path


def test_every_bit_flip_of_the_parameters_is_detected(tmp_path):
    path = _run(tmp_path, params={"level": 2, "kind": "bond", "p": 0.5})
    flipped = object_file(path, "runs", "r")
    raw = flipped.read_bytes()
    text = b'{"kind": "bond", "level": 2, "p": 0.5}'
    at = raw.find(text)
    assert at >= 0 and raw.find(text, at + 1) < 0
    undetected = []
    for byte in range(len(text)):
        for bit in range(8):
            data = bytearray(raw)
            data[at + byte] ^= 1 << bit
            flipped.write_bytes(bytes(data))
            try:
                ux.RunResult.load(path, "r")
                undetected.append((byte, bit))
            except OSError:
                pass
    assert undetected == [], f"{len(undetected)} of {8 * len(text)} flips loaded silently"
    flipped.write_bytes(raw)
    assert ux.RunResult.load(path, "r").parameters["level"] == 2  # the intact file loads


def test_lock_file_follows_the_umask(tmp_path):
    old = os.umask(0o002)
    try:
        _run(tmp_path)
    finally:
        os.umask(old)
    assert (os.stat(tmp_path / ".s.h5.lock").st_mode & 0o777) == 0o664


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown the folder")
def test_a_shared_setgid_folder_gives_the_group_the_store_and_its_lock(tmp_path):
    # A lab's shared folder: setgid, group-writable, umask 002. The store and its lock
    # must come out group-owned and group-writable so that the next member can save.
    shared = tmp_path / "group"
    shared.mkdir()
    os.chown(shared, 0, 65534)
    os.chmod(shared, 0o2775)
    old = os.umask(0o002)
    try:
        _run(shared)
    finally:
        os.umask(old)
    for name in ("s.h5", ".s.h5.lock"):
        st = os.stat(shared / name)
        assert st.st_gid == 65534 and (st.st_mode & 0o777) == 0o664, (name, oct(st.st_mode))


DENY_LOCK_WRITE = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
typedef int (*open_fn)(const char*, int, ...);
static int deny(const char* p, int flags) {
  size_t n = strlen(p);
  return n > 5 && strcmp(p + n - 5, ".lock") == 0 && (flags & O_ACCMODE) != O_RDONLY;
}
#define WRAP(name) int name(const char* p, int flags, ...) { \
    va_list a; va_start(a, flags); int mode = va_arg(a, int); va_end(a); \
    static open_fn real = 0; if (!real) real = (open_fn)dlsym(RTLD_NEXT, #name); \
    if (deny(p, flags)) { errno = EACCES; return -1; } return real(p, flags, mode); }
WRAP(open)
WRAP(open64)
"""


def _with_preload(lib) -> str:
    """LD_PRELOAD with ``lib`` after what is preloaded already (the sanitizer job's ASan runtime comes first)."""
    current = os.environ.get("LD_PRELOAD", "")
    return f"{current}:{lib}" if current else str(lib)


def _preload(tmp_path, source, name):
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to build the preload")
    src = tmp_path / f"{name}.c"
    src.write_text(source)
    lib = tmp_path / f"{name}.so"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(lib), str(src), "-ldl"], check=True)
    return lib


def test_a_lock_file_we_cannot_write_is_locked_read_only(tmp_path):
    # Another member's lock file (not writable by us): flock works on a read-only descriptor.
    path = _run(tmp_path)
    lib = _preload(tmp_path, DENY_LOCK_WRITE, "denylock")
    code = ("import numpy as np, urbplex as ux\n"
            f"ux.RunResult({{'x': np.ones(3)}}, model='test').save({str(path)!r}, 'second')\n"
            f"print(sorted(ux.io.contents({str(path)!r})['runs']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "LD_PRELOAD": _with_preload(lib)}, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "['r', 'second']"


FAIL_FLOCK = r"""
#include <errno.h>
int flock(int fd, int op) { (void)fd; (void)op; errno = ENOLCK; return -1; }
"""


def test_filesystems_without_locks_have_a_documented_opt_out(tmp_path):
    lib = _preload(tmp_path, FAIL_FLOCK, "nolock")
    code = ("import numpy as np, urbplex as ux\n"
            f"ux.RunResult({{'x': np.ones(3)}}, model='test').save({str(tmp_path / 'n.h5')!r}, 'a')\n"
            f"print(ux.io.contents({str(tmp_path / 'n.h5')!r})['runs'])")
    env = {**os.environ, "LD_PRELOAD": _with_preload(lib)}
    env.pop("URBPLEX_LOCKING", None)
    failed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert failed.returncode != 0 and "OSError" in failed.stderr and "URBPLEX_LOCKING=off" in failed.stderr
    ok = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                        env={**env, "URBPLEX_LOCKING": "off"}, timeout=120)
    assert ok.returncode == 0, ok.stderr[-2000:]
    assert ok.stdout.strip() == "['a']"
    # loading needs no lock either (HDF5 takes one on every open since 1.10)
    read = subprocess.run([sys.executable, "-c", f"import urbplex as ux; print(ux.RunResult.load({str(tmp_path / 'n.h5')!r}, 'a').data['x'].sum())"],
                          capture_output=True, text=True, env={**env, "URBPLEX_LOCKING": "off"}, timeout=120)
    assert read.returncode == 0 and read.stdout.strip() == "3.0", read.stderr[-2000:]


WAITER = """
import sys, time, numpy as np, urbplex as ux
store, other = sys.argv[1], sys.argv[2]
import threading
result = {}
def save():
    t = time.perf_counter()
    try:
        ux.RunResult({"x": np.ones(3)}, model="test").save(store, "waiting")
        result["save"] = "saved"
    except BaseException as exc:
        result["save"] = type(exc).__name__
    result["t"] = time.perf_counter() - t
th = threading.Thread(target=save)
th.start()
time.sleep(0.5)          # the save now waits for the lock
t = time.perf_counter()
ux.RunResult.load(other, "r")   # another file: must not wait for that lock
print("load", round(time.perf_counter() - t, 3), flush=True)
th.join()
print("save", result["save"], round(result["t"], 1), flush=True)
"""

INTERRUPTED = """
import sys, time, numpy as np, urbplex as ux
print("ready", flush=True)
t = time.perf_counter()
try:
    ux.RunResult({"x": np.ones(3)}, model="test").save(sys.argv[1], "waiting")
    print("saved")
except KeyboardInterrupt:
    print("interrupted", time.perf_counter() - t, flush=True)
"""


def test_lock_waits_do_not_block_other_files_and_stop_on_ctrl_c(tmp_path):
    import fcntl

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    store, other = _run(tmp_path / "a"), _run(tmp_path / "b")
    lock = open(store.parent / ".s.h5.lock", "a")
    fcntl.flock(lock, fcntl.LOCK_EX)  # another writer holds the store
    try:
        env = {**os.environ, "URBPLEX_LOCK_TIMEOUT": "2"}
        out = subprocess.run([sys.executable, "-c", WAITER, str(store), str(other)], capture_output=True, text=True,
                             env=env, timeout=120)
        assert out.returncode == 0, out.stderr[-2000:]
        lines = dict(line.split(" ", 1) for line in out.stdout.strip().splitlines())
        assert float(lines["load"]) < 0.5, out.stdout  # before: blocked until the save gave up
        assert lines["save"].startswith("OSError"), out.stdout  # gave up after URBPLEX_LOCK_TIMEOUT
        proc = subprocess.Popen([sys.executable, "-c", INTERRUPTED, str(store)], stdout=subprocess.PIPE, text=True,
                                env={**os.environ, "URBPLEX_LOCK_TIMEOUT": "60"})
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(1.0)
        sent = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        line = proc.stdout.readline().split()
        waited = time.perf_counter() - sent
        proc.wait(timeout=60)
        assert line[0] == "interrupted" and waited < 0.5, (line, waited)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
    assert sorted(ux.io.contents(store)["runs"]) == ["r"]  # nothing half-written
    assert not [p for p in os.listdir(store.parent) if ".tmp" in p]


READ_ONLY_FOR_US = r"""
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
/* What a chmod 444 store looks like to its (non-root) owner: not writable. */
int access(const char* p, int mode) {
  size_t n = strlen(p);
  if ((mode & W_OK) && n > 3 && strcmp(p + n - 3, ".h5") == 0) { errno = EACCES; return -1; }
  return faccessat(AT_FDCWD, p, mode, 0);
}
"""


def test_a_read_only_store_says_so_and_leaves_no_temporary(tmp_path):
    path = _run(tmp_path)
    os.chmod(path, 0o444)
    code = ("import numpy as np, urbplex as ux\n"
            f"ux.RunResult({{'x': np.ones(2)}}, model='test').save({str(path)!r}, 'more')")
    env = dict(os.environ)
    if os.access(path, os.W_OK):  # root writes read-only files: make the store read-only to it
        env["LD_PRELOAD"] = _with_preload(_preload(tmp_path, READ_ONLY_FOR_US, "readonly"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode != 0 and "OSError" in out.stderr and "read-only" in out.stderr, out.stderr[-2000:]
    assert not [p for p in os.listdir(tmp_path) if ".tmp" in p]
    assert sorted(ux.io.contents(path)["runs"]) == ["r"]


def test_ctrl_c_during_an_ensemble_write_is_a_keyboard_interrupt(tmp_path, monkeypatch):
    # Ctrl-C landing just after a batch was written: the final flush used to write
    # the same runs again and surface "already exists" instead of KeyboardInterrupt.
    from urbplex import _core, ensemble

    real = _core.save_runs
    calls = []

    def save_then_interrupt(path, batch, overwrite):
        real(path, batch, overwrite)
        calls.append(len(batch))
        if len(calls) == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(ensemble._core, "save_runs", save_then_interrupt)
    city = ux.generators.square_lattice(8, 8)
    with pytest.raises(KeyboardInterrupt):
        ensemble.run(lambda seed: ux.percolation.site(city, realizations=2, seed=seed),
                     [{"seed": s} for s in range(4)], store=tmp_path / "e.h5", prefix="e", batch_seconds=0)
    assert sorted(ux.io.contents(tmp_path / "e.h5")["runs"]) == ["e-000000"]
    monkeypatch.setattr(ensemble._core, "save_runs", real)
    again = ensemble.run(lambda seed: ux.percolation.site(city, realizations=2, seed=seed),
                         [{"seed": s} for s in range(4)], store=tmp_path / "e.h5", prefix="e")
    assert again.computed == 3


WRITER = """
import sys, numpy as np, urbplex as ux
store, k, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    ux.RunResult({"x": np.full(10, float(i))}, model="test", parameters={"writer": k, "i": i}).save(
        store, f"w{k}", overwrite=True)
"""


def test_readers_see_no_false_damage_while_writers_replace_runs(tmp_path, loads=2000):
    # Before: the heap check reopened the file by name and read the bytes of the file
    # a writer had just renamed over it (201 false "heap is damaged" in 9 952 loads).
    path = _run(tmp_path)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(k), "100000"]) for k in range(4)]
    errors = []
    try:
        deadline = time.monotonic() + 60
        while len(ux.io.contents(path)["runs"]) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)  # every writer has saved once
        for i in range(loads):
            k = i % 4  # the runs being replaced, and the one that is not
            try:
                r = ux.RunResult.load(path, f"w{k}")
                assert r.parameters["writer"] == k
                assert ux.RunResult.load(path, "r").parameters["level"] == 2
            except OSError as exc:
                errors.append(str(exc))
    finally:
        for w in writers:
            w.kill()
            w.wait()
    assert errors == [], f"{len(errors)} of {loads} loads failed: {errors[:3]}"


FULL_DISK = """
import resource, signal, sys, numpy as np, urbplex as ux
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
big = ux.RunResult({"x": np.random.default_rng(0).random(400_000)}, model="test")
for name, overwrite in (("new", False), ("r", True)):
    try:
        big.save(sys.argv[1], name, overwrite=overwrite)
        print("saved", name)
    except OSError as exc:
        print("OSError", name)
print("done", flush=True)
"""


def test_a_full_disk_is_an_oserror_with_no_crash_and_no_leftovers(tmp_path):
    # New and overwrite saves that cannot be written (file-size limit: the same
    # EFBIG/ENOSPC path as a full tmpfs): OSError, a clean exit (HDF5 1.10.8 crashed
    # at exit or inside H5Ocopy), no temporaries, the old content intact.
    path = _run(tmp_path)
    before = path.read_bytes()
    out = subprocess.run([sys.executable, "-c", FULL_DISK, str(path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
    assert out.stdout.split() == ["OSError", "new", "OSError", "r", "done"], out.stdout
    assert not [p for p in os.listdir(tmp_path) if ".tmp" in p]
    folder = tmp_path / "s.h5.d"  # no object file of the failed saves left
    assert sorted(p.name for p in folder.iterdir()) == [object_file(path, "runs", "r").name]
    assert path.read_bytes() == before
    assert ux.RunResult.load(path, "r").parameters["level"] == 2
