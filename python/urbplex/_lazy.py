"""Modules imported on first use: scipy.stats and friends take ~0.3 s to
import, which every ``import urbplex`` paid (issue 35.18)."""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule(ModuleType):
    """Stands for module ``name`` and imports it on the first attribute read."""

    def __init__(self, name: str):
        super().__init__(name)
        self.__dict__["_lazy_target"] = None

    def __getattr__(self, attr: str) -> Any:
        target = self.__dict__["_lazy_target"]
        if target is None:
            target = self.__dict__["_lazy_target"] = importlib.import_module(self.__name__)
        return getattr(target, attr)


def lazy(name: str) -> Any:
    """A stand-in for ``import name`` that costs nothing until used."""
    return LazyModule(name)
