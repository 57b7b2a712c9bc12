#!/usr/bin/env bash
# Regenerates python/urbplex/_core.pyi from the built extension (after changing the bindings).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
.venv/bin/pybind11-stubgen urbplex._core -o "$tmp"
# The build's version and git describe change with every commit: keep their types only.
sed -E 's/^(__version__|git_describe): str = .*/\1: str/' "$tmp/urbplex/_core.pyi" > python/urbplex/_core.pyi
rm -rf "$tmp"
echo "wrote python/urbplex/_core.pyi"
