#!/usr/bin/env bash
# Bounded fuzz campaigns against the HDF5 loaders and the TNTP readers
# (fuzz/campaign.py): FUZZ_SECONDS each (default 60). Findings are saved in
# fuzz-findings/ and make the script fail. Longer by hand:
#   .venv/bin/python fuzz/campaign.py --target store --count 100000
set -euo pipefail
cd "$(dirname "$0")/.."
S=${FUZZ_SECONDS:-60}
for target in store tntp; do
  .venv/bin/python fuzz/campaign.py --target "$target" --seconds "$S" --count 1000000 --seed "${FUZZ_SEED:-1}"
done
