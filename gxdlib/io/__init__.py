"""Readers of external formats: ``read_*`` files, ``parse_*`` buffers, ``get_*`` the network."""

from gxdlib.io.jepx import get_jepx_spot, read_jepx_fip_reference, read_jepx_spot

__all__ = ["get_jepx_spot", "read_jepx_fip_reference", "read_jepx_spot"]
