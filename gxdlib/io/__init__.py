"""Readers of external formats: ``read_*`` files, ``parse_*`` buffers, ``get_*`` the network."""

from gxdlib.io.jepx import get_jepx_spot, read_jepx_fip_reference, read_jepx_spot
from gxdlib.io.pact import parse_pact, read_pact, write_pact
from gxdlib.io.purchases import read_purchases
from gxdlib.io.tso import read_tso_actuals

__all__ = [
    "get_jepx_spot",
    "parse_pact",
    "read_jepx_fip_reference",
    "read_jepx_spot",
    "read_pact",
    "read_purchases",
    "read_tso_actuals",
    "write_pact",
]
