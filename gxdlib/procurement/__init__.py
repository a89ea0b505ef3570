"""Renewable procurement portfolio optimisation (issue 4).

Least-cost and mean-CVaR portfolios of on-site and off-site generators
(owned or pay-as-produced PPAs), storage, grid imports and exports, and
unbundled certificates, for no target, annual renewable matching (RE100) or
hourly 24/7 carbon-free matching (Riepin & Brown, Energy Strategy Reviews
2024). Japanese default assumptions live in :mod:`gxdlib.procurement.jp`.
"""

from gxdlib.procurement.frontier import Frontier, efficient_frontier
from gxdlib.procurement.model import (
    PortfolioModel,
    PortfolioResult,
    max_reachable_score,
    optimize,
)
from gxdlib.procurement.resources import (
    Certificate,
    CVaR,
    Generator,
    Grid,
    Scenarios,
    Storage,
    Target,
)

__all__ = [
    "CVaR",
    "Certificate",
    "Frontier",
    "Generator",
    "Grid",
    "PortfolioModel",
    "PortfolioResult",
    "Scenarios",
    "Storage",
    "Target",
    "efficient_frontier",
    "max_reachable_score",
    "optimize",
]
