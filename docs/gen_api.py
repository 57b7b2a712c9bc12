"""Writes docs/api.rst: Sphinx autodoc directives for every public member.

Run after changing the API: .venv/bin/python docs/gen_api.py
(tests/python/test_docs.py fails when docs/api.rst is out of date, and when a
public member has no docstring). The site itself: ./scripts/docs.sh.
"""
from __future__ import annotations

import inspect
import sys
from pathlib import Path

import urbplex as ux

SECTIONS = [
    ("urbplex._threads", ux._threads),
    ("urbplex.Graph", ux.Graph),
    ("urbplex.Components", ux.Components),
    ("urbplex.Hierarchy", ux.Hierarchy),
    ("urbplex.RunResult", ux.RunResult),
    ("urbplex.generators", ux.generators),
    ("urbplex.io", ux.io),
    ("urbplex.crs", ux.crs),
    ("urbplex.provenance", ux.provenance),
    ("urbplex.interop", ux.interop),
    ("urbplex.ensemble", ux.ensemble),
    ("urbplex.ensemble.Ensemble", ux.ensemble.Ensemble),
]
SECTIONS += [("urbplex.percolation", ux.percolation), ("urbplex.percolation.theory", ux.percolation.theory)]
for cls in ("PercolationResult", "AttackResult", "ThresholdResult", "DistanceResult", "MutualResult", "CascadeResult",
            "KCoreResult", "ExplosiveResult", "ContinuumResult"):
    SECTIONS.append((f"urbplex.percolation.{cls}", getattr(ux.percolation, cls)))
SECTIONS += [("urbplex.mobility", ux.mobility), ("urbplex.mobility.measures", ux.mobility.measures)]
for cls in ("Locations", "FlowResult", "GravityFit", "AgentsResult", "TripDistributionResult"):
    SECTIONS.append((f"urbplex.mobility.{cls}", getattr(ux.mobility, cls)))
SECTIONS += [("urbplex.compare", ux.compare)]
for cls in ("Fitted", "FitValue", "Measure", "Model", "Leaderboard", "FlowData", "TripLawModel", "GravityModel", "RadiationModel",
            "ScalingData", "ScalingModel", "NetworkData", "AttackModel", "PowerLawData", "PowerLawModel",
            "AlternativeModel", "AssignmentData", "AssignmentModel"):
    SECTIONS.append((f"urbplex.compare.{cls}", getattr(ux.compare, cls)))
SECTIONS += [("urbplex.multiscale", ux.multiscale), ("urbplex.multiscale.Multilayer", ux.multiscale.Multilayer),
             ("urbplex.multiscale.EntropyResult", ux.multiscale.EntropyResult),
             ("urbplex.multiscale.CommunityResult", ux.multiscale.CommunityResult)]
SECTIONS += [("urbplex.routing", ux.routing), ("urbplex.routing.tntp", ux.routing.tntp),
             ("urbplex.routing.AssignmentResult", ux.routing.AssignmentResult), ("urbplex.datasets", ux.datasets)]
SECTIONS += [("urbplex.traffic", ux.traffic), ("urbplex.traffic.TrafficNetwork", ux.traffic.TrafficNetwork),
             ("urbplex.traffic.TrafficRun", ux.traffic.TrafficRun)]
SECTIONS += [("urbplex.scaling", ux.scaling), ("urbplex.scaling.theory", ux.scaling.theory)]
for cls in ("ScalingFit", "PowerLawResult", "TieFormationResult"):
    SECTIONS.append((f"urbplex.scaling.{cls}", getattr(ux.scaling, cls)))
SECTIONS += [("urbplex.agents", ux.agents), ("urbplex.agents.random", ux.agents.random),
             ("urbplex.agents.examples", ux.agents.examples)]
for cls in ("Agents", "Model", "Stage", "Grid"):
    SECTIONS.append((f"urbplex.agents.{cls}", getattr(ux.agents, cls)))


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


def dotted(title: str, obj) -> str:
    return obj.__name__ if inspect.ismodule(obj) else title


def render() -> str:
    out = ["API reference", "=============", "",
           ".. Generated from the public API by docs/gen_api.py; do not edit.", ""]
    own_sections = {id(obj) for _, obj in SECTIONS}
    for title, obj in SECTIONS:
        name = dotted(title, obj)
        out += [title, "-" * len(title), ""]
        if inspect.ismodule(obj):
            out += [f".. automodule:: {name}", "   :no-members:", ""]
            for member_name, member in members(obj):
                if id(member) in own_sections:
                    continue
                if inspect.isclass(member):
                    public = [n for n, _ in members(member)]
                    out += [f".. autoclass:: {name}.{member_name}"]
                    out += [f"   :members: {', '.join(public)}" if public else "   :no-members:", ""]
                else:
                    out += [f".. autofunction:: {name}.{member_name}", ""]
        else:
            public = [n for n, _ in members(obj)]
            out += [f".. autoclass:: {name}"]
            out += [f"   :members: {', '.join(public)}" if public else "   :no-members:", ""]
    return "\n".join(out).rstrip() + "\n"


def undocumented() -> list:
    """Public members without a docstring (the test requires none)."""
    missing = []
    for title, obj in SECTIONS:
        if not doc(obj):
            missing.append(title)
        for name, member in members(obj):
            if not doc(member.fget if isinstance(member, property) else member):
                missing.append(f"{dotted(title, obj)}.{name}")
    return missing


if __name__ == "__main__":
    target = Path(__file__).with_name("api.rst")
    target.write_text(render())
    print(f"wrote {target}", file=sys.stderr)
