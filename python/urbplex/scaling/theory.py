"""Analytic scaling exponents of Bettencourt's model (L. M. A. Bettencourt, "The origins of scaling
in cities", Science 340, 1438, 2013).

With D the spatial dimension and H the fractal dimension of the infrastructure
networks, delta = H / (D (D + H)); socio-economic outputs (interactions)
scale with beta = 1 + delta, network volume (infrastructure) with 1 - delta,
and land area with D / (D + H). For D = 2, H = 1: 7/6, 5/6 and 2/3.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Union

Number = Union[int, Fraction]


def bettencourt_exponents(D: Number = 2, H: Number = 1) -> dict:
    """Exact exponents (as Fractions when D and H are integers or Fractions)."""
    for name, v in (("D", D), ("H", H)):
        if not isinstance(v, (int, Fraction, float)) or isinstance(v, bool) or v <= 0:
            raise ValueError(f"argument '{name}': must be a positive number, got {v!r}")
    D = Fraction(D) if not isinstance(D, float) else D
    H = Fraction(H) if not isinstance(H, float) else H
    delta = H / (D * (D + H))
    return {"delta": delta, "socioeconomic": 1 + delta, "infrastructure": 1 - delta, "area": D / (D + H)}
