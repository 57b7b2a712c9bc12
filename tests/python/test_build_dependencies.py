"""A build without the C++ dependencies names all of them at once, with the
Debian packages to install (issue 18: CMake failed one dependency at a time)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SANITIZER_SKIP = pytest.mark.skipif(os.environ.get("URBPLEX_SANITIZER") == "1",
                                    reason="tooling (Node.js, Sphinx, CMake), not the C++ core: the normal job runs it")



@SANITIZER_SKIP
def test_missing_cpp_dependencies_are_listed_in_one_message(tmp_path):
    cmake = shutil.which("cmake", path=str(Path(sys.executable).parent)) or shutil.which("cmake")
    if cmake is None:
        pytest.skip("cmake is not installed")
    out = subprocess.run([cmake, "-S", str(ROOT), "-B", str(tmp_path / "b"), "-DURBPLEX_BUILD_PYTHON=OFF",
                          "-DCMAKE_DISABLE_FIND_PACKAGE_Eigen3=ON", "-DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON",
                          "-DCMAKE_DISABLE_FIND_PACKAGE_HDF5=ON"], capture_output=True, text=True, timeout=300)
    assert out.returncode != 0
    text = " ".join(out.stderr.split())
    for what in ("Eigen >= 3.4", "Boost >= 1.74", "HDF5 (C library and headers)"):
        assert what in text
    assert "sudo apt-get install libeigen3-dev libboost-graph-dev libhdf5-dev" in text
