#!/usr/bin/env bash
# The main job: set up (idempotent), then run the demo pipeline, which writes
# demo-output/demo.h5 and prints a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/python -m urbplex demo --out demo-output/demo.h5 "$@"
.venv/bin/python -m urbplex info demo-output/demo.h5
