import os
import subprocess
import sys

import pytest


@pytest.fixture
def run_python():
    """Run a Python snippet in a fresh interpreter with extra environment variables."""

    def run(code: str, env_extra=None, timeout=120):
        env = dict(os.environ)
        env.update(env_extra or {})
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                              timeout=timeout)

    return run
