"""Supply-chain emissions page: `panel serve apps/*.py`, path /footprint."""

from gxdlib.dashboards.footprint import FootprintDashboard

FootprintDashboard().servable(title="GXD Workbench")
