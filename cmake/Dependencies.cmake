# The C++ dependencies, looked up together so that one message lists every
# missing one with the Debian package that provides it (not one per run).
#
# URBPLEX_STATIC_HDF5 links HDF5 (and its szip/zlib) statically with its
# symbols hidden: the wheel then needs no libhdf5 on the target machine, does
# not clash with h5py's own HDF5 in the same process, and leaves out HDF5's
# read-only S3 driver and with it libcurl and OpenSSL (nothing references it).

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
  set(HDF5_USE_STATIC_LIBRARIES ON)
endif()
find_package(HDF5 QUIET COMPONENTS C)
_urbplex_need(HDF5_FOUND "HDF5 (C library and headers)" "libhdf5-dev")
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
  # HDF5's own static archive and the compression libraries it was built with,
  # but not its "extra libraries" (libcurl, libcrypto: only the S3 driver uses them).
  find_library(URBPLEX_HDF5_A NAMES libhdf5.a PATHS /usr/lib/x86_64-linux-gnu/hdf5/serial PATH_SUFFIXES lib REQUIRED)
  find_library(URBPLEX_SZ_A NAMES libsz.a REQUIRED)
  find_library(URBPLEX_AEC_A NAMES libaec.a REQUIRED)
  find_library(URBPLEX_Z_A NAMES libz.a REQUIRED)
  set(URBPLEX_HDF5_LIBRARIES ${URBPLEX_HDF5_A} ${URBPLEX_SZ_A} ${URBPLEX_AEC_A} ${URBPLEX_Z_A} ${CMAKE_DL_LIBS} m pthread)
else()
  set(URBPLEX_HDF5_LIBRARIES ${HDF5_C_LIBRARIES})
endif()
