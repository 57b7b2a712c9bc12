"""Runs one dense linear-algebra task for urbplex._interrupt in a child process.

Executed as a script (``python _lapack_child.py DIR TASK``), so it imports
numpy and scipy only, not urbplex: it reads the matrix from DIR/a.npz (sparse)
or DIR/a.npy (dense) and DIR/args.npy, writes its results to DIR/out_*.npy,
and is killed when the user presses Ctrl-C.
"""
import os
import sys

import numpy as np


def main(folder: str, task: str) -> None:
    if os.path.exists(os.path.join(folder, "a.npz")):
        from scipy import sparse

        a = sparse.load_npz(os.path.join(folder, "a.npz")).toarray()
    else:
        a = np.load(os.path.join(folder, "a.npy"))
    if task == "eigvalsh":
        out = {"w": np.linalg.eigvalsh(a)}
    elif task == "heat_kernel_without_zero_mode":
        # rho = sum over modes k >= 1 of exp(-tau (lambda_k - lambda_1)) v_k v_k^T
        tau = float(np.load(os.path.join(folder, "args.npy"))[0])
        lam, vec = np.linalg.eigh(a)
        lam, vec = lam[1:], vec[:, 1:]
        out = {"rho": (vec * np.exp(-tau * (lam - lam[0]))) @ vec.T}
    else:
        raise SystemExit(f"unknown task {task!r}")
    for name, value in out.items():
        np.save(os.path.join(folder, f"out_{name}.npy"), value)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
