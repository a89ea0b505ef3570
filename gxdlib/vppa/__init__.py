"""Virtual PPA engine: contract terms, settlement, FIP premium and risk.

Sign convention: a settlement is positive when the buyer receives money from
the generator, negative when the buyer pays.
"""

from gxdlib.vppa.contract import VPPAContract
from gxdlib.vppa.fip import fip_premium
from gxdlib.vppa.risk import RiskResult, breakeven_strike, simulate
from gxdlib.vppa.settlement import SettlementResult, hedge_view, settle

__all__ = [
    "RiskResult",
    "SettlementResult",
    "VPPAContract",
    "breakeven_strike",
    "fip_premium",
    "hedge_view",
    "settle",
    "simulate",
]
