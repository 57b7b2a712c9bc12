#!/usr/bin/env bash
# Acceptance check of the self-contained wheel (issue 18): install dist/*.whl
# into a fresh venv inside a minimal Debian chroot (debootstrap minbase plus
# python3-venv: no compiler, no -dev packages, no libhdf5, no libboost) and run
# the whole Python test suite there, as CI does (CI=true).
#
#   ./scripts/build_wheel.sh && sudo ./scripts/check_wheel_clean_debian.sh [CHROOT_DIR]
#
# Needs root (debootstrap, chroot, bind mounts) and Debian's and PyPI's
# registries. Takes about 10 minutes the first time (the chroot is kept).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
root=${1:-/srv/chroot-bookworm}
wheel=$(ls -t dist/urbplex-*manylinux*.whl | head -1)

if [ ! -x "$root/usr/bin/python3" ]; then
  command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap
  debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$root" \
    http://deb.debian.org/debian
fi
forbidden=$(chroot "$root" dpkg-query -W -f='${Package}\n' | grep -E '^(libhdf5|libboost|libeigen|gcc(-[0-9]+)?$|g\+\+|cpp|cmake)|-dev$' || true)
if [ -n "$forbidden" ]; then
  echo "error: the chroot is not clean, it has: $forbidden" >&2
  exit 1
fi

work="$root/opt/check"
cleanup() {
  for m in "$work/shared" "$root/dev/shm" "$root/dev" "$root/proc"; do umount "$m" 2>/dev/null || true; done
}
trap cleanup EXIT
rm -rf "$work" && mkdir -p "$work/urbplex" "$work/shared"
# The tests, docs and examples of this checkout, but not its sources: the wheel is what is tested.
tar -C "$repo" -cf - tests docs examples README.md CHANGELOG.md LICENSE pyproject.toml requirements-dev.txt python/urbplex/_core.pyi \
  | tar -C "$work/urbplex" -xf -
cp "$wheel" "$work/"
mount --bind /proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/shm "$root/dev/shm"
mount --bind -o ro "$repo/../shared" "$work/shared"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# This machine's certificate authorities (a registry proxy may sign with its own).
cp /etc/ssl/certs/ca-certificates.crt "$root/opt/check/host-ca.crt"

chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin CI=true LANG=C.UTF-8 \
  PIP_CERT=/opt/check/host-ca.crt PIP_DISABLE_PIP_VERSION_CHECK=1 /bin/bash -euo pipefail -c "
  python3 -m venv --clear /opt/venv  # fresh each run: the same version would not be reinstalled
  /opt/venv/bin/pip install -q --upgrade pip
  grep -vE '^(scikit-build-core|pybind11|cmake|ninja)([<>=]|$)' /opt/check/urbplex/requirements-dev.txt > /tmp/req.txt
  /opt/venv/bin/pip install -q -r /tmp/req.txt
  /opt/venv/bin/pip install -q /opt/check/$(basename "$wheel")
  /opt/venv/bin/python -c 'import urbplex, sys; print(\"urbplex\", urbplex.__version__, \"HDF5\", urbplex._core.hdf5_version(), \"from\", urbplex.__file__)'
  ldd /opt/venv/lib/python3*/site-packages/urbplex/_core*.so
  cd /opt/check/urbplex && /opt/venv/bin/python -m pytest -q -p no:cacheprovider tests/python
"
