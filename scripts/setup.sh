#!/usr/bin/env bash
# Installs everything urbplex needs on a fresh Debian machine, idempotently:
# Debian packages for the C++ core, a virtualenv in .venv with the Python
# dependencies, and the package itself (built with the C++ tests, so that one
# compile serves both pytest and ctest).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(build-essential cmake ninja-build ccache pkg-config
  libeigen3-dev libboost-graph-dev libhdf5-dev librandom123-dev libxxhash-dev
  libgtest-dev libbenchmark-dev python3-venv python3-dev)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements-dev.txt

# HDF5 1.14, built once from Debian's source package: every build (this one,
# the sanitizer job's, the wheel) links the HDF5 users get.
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}
HDF5_ROOT=$(./scripts/hdf5.sh)

# Build (incrementally, in build/py) and install the package with its C++ tests.
.venv/bin/python -m pip install -q --no-build-isolation \
  -C build-dir=build/py -C cmake.define.URBPLEX_BUILD_TESTS=ON \
  -C cmake.define.URBPLEX_STATIC_HDF5=ON -C cmake.define.URBPLEX_HDF5_ROOT="$HDF5_ROOT" \
  -C cmake.define.URBPLEX_BUILD_BENCHMARKS=${URBPLEX_BUILD_BENCHMARKS:-ON} .
