#!/usr/bin/env bash
# Bounded fuzz campaigns against the HDF5 loaders and the TNTP readers
# (fuzz/campaign.py): FUZZ_SECONDS each (default 60). Findings are saved in
# fuzz-findings/ and make the script fail. Longer by hand:
#   .venv/bin/python fuzz/campaign.py --target store --count 100000
set -euo pipefail
cd "$(dirname "$0")/.."
S=${FUZZ_SECONDS:-60}
# Any crash, hang over 5 s or exception other than a clear one fails.
.venv/bin/python fuzz/campaign.py --target store --seconds "$S" --count 1000000 --seed "${FUZZ_SEED:-1}"
.venv/bin/python fuzz/campaign.py --target tntp --seconds "$S" --count 1000000 --seed "${FUZZ_SEED:-1}"
