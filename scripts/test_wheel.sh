#!/usr/bin/env bash
# Installs the wheel that ./scripts/build_wheel.sh made into a fresh venv (no
# access to this checkout's sources or build) and runs the tests that exercise
# the compiled core, the store (HDF5 1.14 inside the wheel, next to h5py's own)
# and pickling across processes. The full suite in a clean Debian chroot:
# ./scripts/check_wheel_clean_debian.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
wheel=$(ls -t dist/urbplex-*manylinux*.whl | head -1)
venv=build/wheel-venv
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q "${wheel}[test]"
cd tests  # not the repository root: python/ must not shadow the installed package
"../$venv/bin/python" -c 'import urbplex, sys; assert "site-packages" in urbplex.__file__, urbplex.__file__; print("wheel:", urbplex.__file__, "HDF5", urbplex._core.hdf5_version())'
"../$venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir=.. -c ../pyproject.toml \
  python/test_graph.py python/test_store.py python/test_store_integrity.py python/test_store_provenance.py \
  python/test_real_world_graphs.py python/test_pickling.py python/test_ensemble.py
