#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer job: builds the C++ core, its
# GoogleTest suite and the Python extension with -fsanitize=address,undefined
# (every report fatal) in build/asan, runs ctest, then the whole pytest suite
# against that extension (python itself is not instrumented: the ASan runtime
# is preloaded), except the long statistical tests marked `slow`, whose code
# paths fast tests run too (they take 2-5x longer under the sanitizers and
# would add 5 minutes to CI). Run after ./scripts/setup.sh (the venv and the Debian packages).
# Pass extra pytest arguments after the command.
set -euo pipefail
cd "$(dirname "$0")/.."
B=build/asan
PY=.venv/bin/python
FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
HDF5_ROOT=$(./scripts/hdf5.sh)  # the HDF5 every build links (built once by setup.sh)
cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DURBPLEX_STATIC_HDF5=ON -DURBPLEX_HDF5_ROOT="$HDF5_ROOT" \
  -DCMAKE_CXX_FLAGS="$FLAGS" -DCMAKE_EXE_LINKER_FLAGS="$FLAGS" -DCMAKE_SHARED_LINKER_FLAGS="$FLAGS" \
  -DCMAKE_MODULE_LINKER_FLAGS="$FLAGS" -DURBPLEX_BUILD_TESTS=ON -DURBPLEX_BUILD_BENCHMARKS=OFF \
  -DPython_EXECUTABLE="$PY" -Dpybind11_DIR="$("$PY" -m pybind11 --cmakedir)" > /dev/null
cmake --build "$B" -j "$(nproc)"

export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:detect_stack_use_after_return=0:allocator_may_return_null=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
echo "== C++ tests under ASan+UBSan (ctest)"
ctest --test-dir "$B" --output-on-failure -j "$(nproc)"

# The package as installed, with the instrumented extension in place of the normal one.
rm -rf "$B/pkg" && mkdir -p "$B/pkg"
cp -r python/urbplex "$B/pkg/"
rm -f "$B"/pkg/urbplex/_core*.so
cp "$B"/python/urbplex/_core*.so "$B/pkg/urbplex/"
echo "== Python tests under ASan+UBSan (pytest)"
LD_PRELOAD="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)" \
  PYTHONPATH="$PWD/$B/pkg" URBPLEX_SANITIZER=1 "$PY" -m pytest -q -p no:cacheprovider -m "not slow" "$@"
