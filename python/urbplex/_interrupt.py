"""Ctrl-C for long dense linear algebra (LAPACK through numpy does not check
for it). Large problems run in a child process that reads and writes .npy
files in a temporary folder (in /dev/shm where there is one; a sparse input
is passed sparse and made dense in the child, so the caller does no
uninterruptible work of its own before the child starts); on Ctrl-C the
child is killed and KeyboardInterrupt reaches the caller within ~50 ms, with
no thread left behind. Small problems (below MIN_SIZE rows, well under a
second) and calls from other threads than the main one (which never see
Ctrl-C) run in-process."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading

import numpy as np
from ._lazy import lazy

sparse = lazy("scipy.sparse")  # imported on first use

MIN_SIZE = 1500
_CHILD = os.path.join(os.path.dirname(__file__), "_lapack_child.py")


_PREFIX = "urbplex-lapack-"


def _remove_orphans(base: str) -> None:
    """Folders of processes that died without cleaning up (killed hard): they
    would hold their matrices in /dev/shm, that is in memory, until reboot."""
    for name in os.listdir(base):
        if not name.startswith(_PREFIX):
            continue
        try:
            pid = int(name[len(_PREFIX):].split("-", 1)[0])
            os.kill(pid, 0)  # raises when no such process
        except ProcessLookupError:
            shutil.rmtree(os.path.join(base, name), ignore_errors=True)
        except (ValueError, PermissionError):
            pass  # not ours to judge


def _run(task: str, a: np.ndarray, *args) -> dict:
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()
    _remove_orphans(base)
    folder = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-", dir=base)
    try:
        if sparse.issparse(a):
            sparse.save_npz(os.path.join(folder, "a.npz"), sparse.csr_matrix(a, dtype=np.float64), compressed=False)
        else:
            np.save(os.path.join(folder, "a.npy"), np.ascontiguousarray(a, dtype=np.float64))
        np.save(os.path.join(folder, "args.npy"), np.asarray(args, dtype=np.float64))
        proc = subprocess.Popen([sys.executable, _CHILD, folder, task], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            while proc.poll() is None:
                try:
                    proc.wait(0.05)
                except subprocess.TimeoutExpired:
                    pass
        except BaseException:  # Ctrl-C (or any other exit): the child goes too
            proc.kill()
            proc.wait()
            raise
        if proc.returncode != 0:
            err = proc.stderr.read().decode(errors="replace").strip().splitlines()
            if proc.returncode < 0 or any("MemoryError" in line for line in err):
                raise MemoryError(f"the dense {task} of a {a.shape[0]} x {a.shape[1]} matrix ran out of memory")
            raise RuntimeError(f"the dense {task} failed: {err[-1] if err else proc.returncode}")
        # Memory-mapped: no copy (the mapping outlives the folder's removal).
        return {name[4:-4]: np.load(os.path.join(folder, name), mmap_mode="r")
                for name in os.listdir(folder) if name.startswith("out_")}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _in_process(a) -> bool:
    return a.shape[0] < MIN_SIZE or threading.current_thread() is not threading.main_thread()


def _dense(a) -> np.ndarray:
    return a.toarray() if sparse.issparse(a) else a


def eigvalsh(a) -> np.ndarray:
    """np.linalg.eigvalsh of a symmetric matrix (dense or scipy sparse), interruptible by Ctrl-C."""
    return np.linalg.eigvalsh(_dense(a)) if _in_process(a) else np.array(_run("eigvalsh", a)["w"])


def heat_kernel_without_zero_mode(a, tau: float) -> np.ndarray:
    """sum_{k >= 1} exp(-tau (lambda_k - lambda_1)) v_k v_k^T of the symmetric ``a`` (its
    lowest mode dropped, rescaled by exp(tau lambda_1)); dense or scipy sparse ``a``,
    interruptible by Ctrl-C. Large results are read-only memory maps."""
    if _in_process(a):
        lam, vec = np.linalg.eigh(_dense(a))
        lam, vec = lam[1:], vec[:, 1:]
        return (vec * np.exp(-tau * (lam - lam[0]))) @ vec.T
    return _run("heat_kernel_without_zero_mode", a, tau)["rho"]
