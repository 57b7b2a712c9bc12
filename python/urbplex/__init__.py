"""urbplex: complexity science for cities.

Agent-based mobility, network percolation and urban scaling on multiscale
graphs, with a parallel C++ core. Start with :class:`Graph`,
:mod:`urbplex.generators` and :class:`Hierarchy`; results persist with
:mod:`urbplex.io`.
"""
from . import _threads

_threads.configure_wait_policy()  # before the extension loads libgomp
from . import _core  # noqa: E402
from ._threads import get_num_threads, set_num_threads, threads  # noqa: E402

_threads.warn_if_environment_oversubscribes()
from .graph import Components, Graph
from .hierarchy import Hierarchy
from .result import RunResult
from . import crs, datasets, ensemble, provenance, generators, io, interop, mobility, multiscale, percolation, routing, scaling, traffic  # noqa: E402  (modules users reach as ux.generators...)
from . import compare  # noqa: E402  (after the fields it compares)
from .io import SchemaError

__version__: str = _core.__version__


def __getattr__(name: str):
    # urbplex.agents loads numba (about half a second): only when asked for
    if name == "agents":
        import importlib

        return importlib.import_module(".agents", __name__)
    raise AttributeError(f"module 'urbplex' has no attribute {name!r}")

__all__ = ["get_num_threads", "set_num_threads", "threads", "Graph", "Components", "Hierarchy", "RunResult", "SchemaError", "generators", "io", "interop", "percolation", "scaling", "compare",
           "agents", "__version__"]
