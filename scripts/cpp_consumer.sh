#!/usr/bin/env bash
# The C++ package as its users get it: builds urbplex without Python,
# installs it (headers, static core, CMake package) into build/cpp-prefix,
# then builds examples/cpp_consumer against it with find_package(urbplex) and
# runs it. Run after ./scripts/setup.sh (Debian packages, HDF5); part of
# ./scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
HDF5_ROOT=$(./scripts/hdf5.sh)
B=build/cpp
PREFIX="$PWD/build/cpp-prefix"
cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DURBPLEX_BUILD_PYTHON=OFF \
  -DURBPLEX_STATIC_HDF5=ON -DURBPLEX_HDF5_ROOT="$HDF5_ROOT" -DCMAKE_INSTALL_PREFIX="$PREFIX" > /dev/null
cmake --build "$B" -j "$(nproc)"
rm -rf "$PREFIX"
cmake --install "$B" > /dev/null
cmake -S examples/cpp_consumer -B build/cpp-consumer -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$PREFIX" > /dev/null
cmake --build build/cpp-consumer
./build/cpp-consumer/consumer
