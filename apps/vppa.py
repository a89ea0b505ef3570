"""Virtual PPA page: `panel serve apps/*.py`, then open /vppa."""

from gxdlib.dashboards.vppa import VPPADashboard

VPPADashboard().servable(title="GXD Workbench")
