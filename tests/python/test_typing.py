"""Typing: the compiled core's stubs are current, and pyright finds no error in
the examples (notebooks and every python block of the docs), issue 18."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SANITIZER_SKIP = pytest.mark.skipif(os.environ.get("URBPLEX_SANITIZER") == "1",
                                    reason="tooling (Node.js, Sphinx, CMake), not the C++ core: the normal job runs it")



def _tool(name):
    exe = Path(sys.executable).with_name(name)
    if exe.exists():
        return str(exe)
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is not installed (requirements-dev.txt)")
    pytest.skip(f"{name} is not installed")


@SANITIZER_SKIP
def test_core_stubs_are_current(tmp_path):
    out = subprocess.run([_tool("pybind11-stubgen"), "urbplex._core", "-o", str(tmp_path)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    fresh = (tmp_path / "urbplex" / "_core.pyi").read_text()
    fresh = re.sub(r"(?m)^(__version__|git_describe): str = .*$", r"\1: str", fresh)  # as gen_stubs.sh writes them
    assert fresh == (ROOT / "python" / "urbplex" / "_core.pyi").read_text(), "run ./scripts/gen_stubs.sh"


def _example_sources(folder: Path) -> None:
    for nb in sorted((ROOT / "examples").glob("*.ipynb")):
        cells = json.loads(nb.read_text())["cells"]
        code = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        code = "\n".join(line for line in code.split("\n") if not line.lstrip().startswith(("%", "!")))
        (folder / f"{nb.stem}_ipynb.py").write_text(code + "\n")
    for page in ("docs/getting-started.md", "docs/agents.md", "docs/design.md", "README.md"):
        blocks = re.findall(r"```python\n(.*?)```", (ROOT / page).read_text(), re.S)
        (folder / (Path(page).stem.replace("-", "_") + "_md.py")).write_text("\n".join(blocks))


@SANITIZER_SKIP
def test_pyright_finds_no_error_in_the_examples(tmp_path):
    pyright = _tool("pyright")
    _example_sources(tmp_path)
    out = subprocess.run([pyright, "--pythonpath", sys.executable, "--outputjson", str(tmp_path)],
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    report = json.loads(out.stdout)
    errors = [f"{Path(d['file']).name}:{d['range']['start']['line'] + 1}: {d['message']}"
              for d in report["generalDiagnostics"] if d["severity"] == "error"]
    assert report["summary"]["filesAnalyzed"] >= 6
    assert errors == []


@SANITIZER_SKIP
def test_pyright_sees_the_signatures_of_decorated_models(tmp_path):
    # issue 35 item 19: @records_lineage hid 29 signatures, so a misspelt keyword passed
    pyright = _tool("pyright")
    (tmp_path / "typo.py").write_text("import numpy as np\nimport urbplex as ux\n"
                                      "g = ux.generators.square_lattice(8)\n"
                                      "ux.percolation.site(g, realizationz=3)\n"
                                      "xy = np.array([0.0, 1.0])\n"
                                      "ux.mobility.radiation(ux.mobility.Locations(xy, xy, xy), modle='x')\n")
    out = subprocess.run([pyright, "--pythonpath", sys.executable, "--outputjson", str(tmp_path)],
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    report = json.loads(out.stdout)
    errors = [(d["range"]["start"]["line"] + 1, d["message"]) for d in report["generalDiagnostics"]
              if d["severity"] == "error"]
    assert [line for line, _ in errors] == [4, 6], errors
    assert "realizationz" in errors[0][1] and "modle" in errors[1][1]
