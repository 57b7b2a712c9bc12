#!/usr/bin/env bash
# Builds the documentation site into docs/_build/html (warnings are errors).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python docs/gen_api.py
exec .venv/bin/python -m sphinx -W --keep-going -b html docs docs/_build/html "$@"
