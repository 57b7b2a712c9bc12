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


SHARED_DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")


@pytest.fixture
def shared_data():
    """The public data sets in ../shared/data (see its README): a skip where the
    folder is absent, a failure under CI (CI=true), where it must be there."""

    def path(*parts: str) -> str:
        p = os.path.join(SHARED_DATA, *parts)
        if not os.path.exists(p):
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(f"shared data {p} is missing under CI")
            pytest.skip(f"shared data {p} is absent")
        return p

    return path


@pytest.fixture
def kansas_commuting(shared_data):
    """TDLM's Kansas data (shared/data/mobility/kansas_2000): the OD matrix and the
    distances as DataFrames keyed by FIPS, and the masses and margins."""
    import pandas as pd

    d = shared_data("mobility", "kansas_2000")
    od = pd.read_csv(f"{d}/od.csv", index_col=0)
    dist = pd.read_csv(f"{d}/distance_km.csv", index_col=0)
    od.columns = od.columns.astype(int)
    dist.columns = dist.columns.astype(int)
    return od, dist, pd.read_csv(f"{d}/mass.csv", index_col=0)
