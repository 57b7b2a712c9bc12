"""Every example in the package's docstrings runs and prints what it shows
(issue 37: the trip_distribution example failed on a plain list of masses)."""
import doctest
import importlib
import pkgutil

import pytest

import urbplex

MODULES = sorted(m.name for m in pkgutil.walk_packages(urbplex.__path__, "urbplex.")
                 if not m.name.endswith("__main__"))


def _with_examples():
    out = []
    for name in MODULES:
        module = importlib.import_module(name)
        if any(t.examples for t in doctest.DocTestFinder().find(module)):
            out.append(name)
    return out


@pytest.mark.parametrize("name", _with_examples())
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (see above)"


def test_plain_lists_are_masses_not_one_zone():
    # list.index (a method) was read as the zone ids of a pandas input
    r = urbplex.mobility.trip_distribution(law="NGravExp", model="PCM", mass_origin=[10, 20, 30],
                                           distance=[[0, 1, 2], [1, 0, 1], [2, 1, 0]], out_trips=[5, 5, 5],
                                           param=0.5, average=True)
    assert r.matrix().shape == (3, 3)


def test_every_public_function_and_class_has_a_docstring():
    # issue 37: the start of a numpydoc validation (sections come next)
    import inspect

    missing = []
    for name in MODULES:
        if any(part.startswith("_") for part in name.split(".")[1:]):
            continue
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", None) or [a for a in dir(module) if not a.startswith("_")]:
            obj = getattr(module, attr, None)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == name and not inspect.getdoc(obj):
                missing.append(f"{name}.{attr}")
    assert missing == []
