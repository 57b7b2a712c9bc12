# The C++ dependencies, looked up together so that one message lists every
# missing one with the Debian package that provides it (not one per run).
#
# URBPLEX_STATIC_HDF5 links a static, position-independent HDF5 built from
# source by ./scripts/build_wheel.sh (URBPLEX_HDF5_ROOT: its install prefix;
# built without the S3 driver, so without libcurl and OpenSSL) with its symbols
# hidden: the wheel then needs no libhdf5 on the target machine and does not
# clash with h5py's own HDF5 in the same process. Debian's libhdf5.a cannot
# be used: it is not compiled with -fPIC.

set(_urbplex_missing "")
set(_urbplex_packages "")
macro(_urbplex_need found what package)
  if(NOT ${found})
    list(APPEND _urbplex_missing "${what}")
    list(APPEND _urbplex_packages "${package}")
  endif()
endmacro()

find_package(OpenMP QUIET)
_urbplex_need(OpenMP_CXX_FOUND "OpenMP for C++ (libgomp)" "g++")
find_package(Eigen3 3.4 QUIET NO_MODULE)
_urbplex_need(Eigen3_FOUND "Eigen >= 3.4" "libeigen3-dev")
find_package(Boost 1.74 QUIET CONFIG)
_urbplex_need(Boost_FOUND "Boost >= 1.74 (Boost.Graph headers)" "libboost-graph-dev")
if(URBPLEX_STATIC_HDF5)
  find_library(URBPLEX_HDF5_A NAMES libhdf5.a HINTS ${URBPLEX_HDF5_ROOT}/lib NO_DEFAULT_PATH)
  _urbplex_need(URBPLEX_HDF5_A "a static PIC HDF5 in URBPLEX_HDF5_ROOT (${URBPLEX_HDF5_ROOT})"
                "(run ./scripts/build_wheel.sh, which builds it)")
  find_package(ZLIB QUIET)
  _urbplex_need(ZLIB_FOUND "zlib" "zlib1g-dev")
else()
  find_package(HDF5 QUIET COMPONENTS C)
  _urbplex_need(HDF5_FOUND "HDF5 (C library and headers)" "libhdf5-dev")
endif()
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h)
_urbplex_need(RANDOM123_INCLUDE_DIR "Random123 (counter-based RNG headers)" "librandom123-dev")
find_path(XXHASH_INCLUDE_DIR xxhash.h)
_urbplex_need(XXHASH_INCLUDE_DIR "xxHash (header)" "libxxhash-dev")

if(_urbplex_missing)
  list(JOIN _urbplex_missing "\n  - " _missing_text)
  list(JOIN _urbplex_packages " " _packages_text)
  message(FATAL_ERROR
    "urbplex cannot be built: these C++ dependencies were not found:\n  - ${_missing_text}\n"
    "On Debian or Ubuntu install them with:\n  sudo apt-get install ${_packages_text}\n"
    "(./scripts/setup.sh does this), or point CMAKE_PREFIX_PATH at your own installs.")
endif()

if(URBPLEX_STATIC_HDF5)
  # zlib stays shared: libz.so.1 is one of the libraries every manylinux system has.
  set(URBPLEX_HDF5_LIBRARIES ${URBPLEX_HDF5_A} ZLIB::ZLIB ${CMAKE_DL_LIBS} m pthread)
  set(HDF5_C_INCLUDE_DIRS ${URBPLEX_HDF5_ROOT}/include)
  set(HDF5_C_DEFINITIONS "")
else()
  set(URBPLEX_HDF5_LIBRARIES ${HDF5_C_LIBRARIES})
endif()
