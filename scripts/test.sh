#!/usr/bin/env bash
# Runs every test: sets up (idempotent), then the C++ suite (ctest) and the
# Python suite (pytest). Pass extra pytest arguments after the command.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
echo "== C++ tests (ctest)"
ctest --test-dir build/py --output-on-failure -j "$(nproc)"
echo "== The installed C++ package and a project using it (find_package(urbplex))"
./scripts/cpp_consumer.sh
echo "== Python tests (pytest)"
.venv/bin/python -m pytest -q "$@"
