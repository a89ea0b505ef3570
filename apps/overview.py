"""Overview page: `panel serve apps/*.py --index overview`."""

from gxdlib.dashboards.overview import OverviewDashboard

OverviewDashboard().servable(title="GXD Workbench")
