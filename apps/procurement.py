"""Procurement portfolio page: `panel serve apps/*.py`, then open /procurement."""

from gxdlib.dashboards.procurement import ProcurementDashboard

ProcurementDashboard().servable(title="GXD Workbench")
