#!/usr/bin/env bash
# Builds HDF5 1.14 once from Debian trixie's source package (the registry this
# project may use) as a static, position-independent library without the S3
# driver, szip, tools or tests, into build/hdf5-<version>, and prints that
# prefix. Every build links it: the development build and its tests
# (setup.sh), the sanitizer job and the wheel, so that all of them run the
# HDF5 users get (Debian 12's 1.10.8 crashed on full disks and on some
# damaged files). Reused while build/hdf5-<version>/lib/libhdf5.a exists.
set -euo pipefail
cd "$(dirname "$0")/.."
HDF5_VERSION=1.14.5+repack
HDF5_ROOT="$PWD/build/hdf5-$HDF5_VERSION"
if [ ! -f "$HDF5_ROOT/lib/libhdf5.a" ]; then
  src=$(mktemp -d)
  mkdir -p "$src/lists/partial" "$src/cache/archives/partial"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
    > "$src/sources.list"
  apt_opts=(-o Dir::Etc::SourceList="$src/sources.list" -o Dir::Etc::SourceParts=/dev/null -o APT::Sandbox::User=root
            -o Dir::State::Lists="$src/lists" -o Dir::Cache="$src/cache")
  apt-get "${apt_opts[@]}" -qq update >&2
  (cd "$src" && apt-get "${apt_opts[@]}" -qq source --download-only "hdf5=${HDF5_VERSION}-3" >/dev/null 2>&1)
  tar -xzf "$src/hdf5_${HDF5_VERSION}.orig.tar.gz" -C "$src"
  cmake -S "$src/hdf5-$HDF5_VERSION" -B "$src/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$HDF5_ROOT" -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DBUILD_TESTING=OFF -DHDF5_BUILD_TOOLS=OFF -DHDF5_BUILD_EXAMPLES=OFF \
    -DHDF5_BUILD_HL_LIB=OFF -DHDF5_BUILD_FORTRAN=OFF -DHDF5_BUILD_CPP_LIB=OFF -DHDF5_BUILD_JAVA=OFF \
    -DHDF5_BUILD_DOC=OFF -DHDF5_ENABLE_ROS3_VFD=OFF -DHDF5_ENABLE_SZIP_SUPPORT=OFF \
    -DHDF5_ENABLE_PLUGIN_SUPPORT=OFF -DHDF5_ENABLE_Z_LIB_SUPPORT=ON -DCMAKE_C_COMPILER_LAUNCHER=ccache >/dev/null
  cmake --build "$src/build" >/dev/null
  cmake --install "$src/build" >/dev/null
  rm -rf "$src"
fi
echo "$HDF5_ROOT"
