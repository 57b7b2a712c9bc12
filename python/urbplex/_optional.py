"""Optional dependencies: imported where used, with an ImportError that names the extra to install."""
from __future__ import annotations

import importlib

# module -> the extra of pyproject.toml that provides it
EXTRAS = {"matplotlib": "plot", "networkx": "interop", "igraph": "interop", "h5py": "interop",
          "geopandas": "geo", "shapely": "geo", "pyproj": "geo", "folium": "geo",
          "distributed": "dask", "dask": "dask"}


def require(module: str):
    """Import ``module`` (e.g. 'matplotlib.pyplot') or raise ImportError naming the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        extra = EXTRAS.get(top)
        hint = f"pip install 'urbplex[{extra}]'" if extra else f"pip install {top}"
        raise ImportError(f"this needs the optional package {top!r}, which is not installed: {hint}") from exc
