"""Writes docs/api.md from the docstrings and signatures of the public API.

Run after changing the API: .venv/bin/python docs/gen_api.py
(tests/python/test_docs.py fails when docs/api.md is out of date).
"""
from __future__ import annotations

import inspect
import sys
from pathlib import Path

import urbplex as ux

SECTIONS = [
    ("urbplex (threads: set_num_threads, get_num_threads, threads)", ux._threads),
    ("urbplex.Graph", ux.Graph),
    ("urbplex.Components", ux.Components),
    ("urbplex.Hierarchy", ux.Hierarchy),
    ("urbplex.RunResult", ux.RunResult),
    ("urbplex.generators", ux.generators),
    ("urbplex.io", ux.io),
    ("urbplex.interop", ux.interop),
    ("urbplex.ensemble", ux.ensemble),
    ("urbplex.ensemble.Ensemble", ux.ensemble.Ensemble),
]
SECTIONS += [("urbplex.percolation", ux.percolation), ("urbplex.percolation.theory", ux.percolation.theory)]
for cls in ("PercolationResult", "AttackResult", "ThresholdResult", "DistanceResult", "MutualResult", "CascadeResult"):
    SECTIONS.append((f"urbplex.percolation.{cls}", getattr(ux.percolation, cls)))
SECTIONS += [("urbplex.mobility", ux.mobility), ("urbplex.mobility.measures", ux.mobility.measures)]
for cls in ("Locations", "FlowResult", "GravityFit", "AgentsResult"):
    SECTIONS.append((f"urbplex.mobility.{cls}", getattr(ux.mobility, cls)))
SECTIONS += [("urbplex.multiscale", ux.multiscale), ("urbplex.multiscale.Multilayer", ux.multiscale.Multilayer),
             ("urbplex.multiscale.EntropyResult", ux.multiscale.EntropyResult),
             ("urbplex.multiscale.CommunityResult", ux.multiscale.CommunityResult)]
SECTIONS += [("urbplex.routing", ux.routing), ("urbplex.routing.tntp", ux.routing.tntp),
             ("urbplex.routing.AssignmentResult", ux.routing.AssignmentResult), ("urbplex.datasets", ux.datasets)]
SECTIONS += [("urbplex.scaling", ux.scaling), ("urbplex.scaling.theory", ux.scaling.theory)]
for cls in ("ScalingFit", "PowerLawResult", "TieFormationResult"):
    SECTIONS.append((f"urbplex.scaling.{cls}", getattr(ux.scaling, cls)))


def doc(obj) -> str:
    return inspect.cleandoc(obj.__doc__ or "").strip()


def members(obj):
    if inspect.ismodule(obj):
        names = getattr(obj, "__all__", None) or [n for n in vars(obj) if not n.startswith("_")]
        for name in names:
            member = getattr(obj, name)
            if inspect.ismodule(member):
                continue
            if (inspect.isfunction(member) or inspect.isclass(member)) and member.__module__.startswith(obj.__name__):
                yield name, member
    else:
        for name, member in vars(obj).items():
            if name.startswith("_"):
                continue
            if isinstance(member, (classmethod, staticmethod)):
                member = member.__func__
            if inspect.isfunction(member) or isinstance(member, property):
                yield name, member


def signature(name, member) -> str:
    if isinstance(member, property):
        return f"{name}  *(property)*"
    try:
        return f"{name}{inspect.signature(member)}"
    except (TypeError, ValueError):
        return name


def render() -> str:
    out = ["# API reference", "", "Generated from the docstrings by `docs/gen_api.py`.", ""]
    for title, obj in SECTIONS:
        out += [f"## {title}", "", doc(obj), ""]
        for name, member in members(obj):
            out += [f"### `{signature(name, member)}`", ""]
            text = doc(member.fget if isinstance(member, property) else member)
            if text:
                out += [text, ""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    target = Path(__file__).with_name("api.md")
    target.write_text(render())
    print(f"wrote {target}", file=sys.stderr)
