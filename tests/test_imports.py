"""Importing the library has no display side effects; each check runs in a fresh interpreter.

HoloViews and Panel extensions load when a notebook or a page asks for them:
``import gxdlib`` imports neither Panel nor HoloViews (nor hypothesis, a test
dependency), the plot and page modules register no plotting backend and load
no extension, and the first plot built registers the Bokeh backend only.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAINS = "gxdlib.vppa, gxdlib.footprint, gxdlib.procurement, gxdlib.scenarios, gxdlib.catalog"
VIZ = "gxdlib.viz, gxdlib.viz.vppa, gxdlib.viz.footprint, gxdlib.viz.procurement"
PAGES = (
    "gxdlib.dashboards.overview, gxdlib.dashboards.vppa, "
    "gxdlib.dashboards.procurement, gxdlib.dashboards.footprint"
)


def run(code: str) -> str:
    """Run ``code`` in a new interpreter; return what it printed, failing with its stderr."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("modules", "absent"),
    [
        ("gxdlib", ("panel", "holoviews", "bokeh", "hvplot", "hypothesis")),
        (DOMAINS, ("panel", "holoviews", "bokeh", "hvplot")),
        (VIZ, ("panel", "bokeh", "hvplot")),
    ],
    ids=["gxdlib", "domains", "viz"],
)
def test_imports_leave_libraries_unloaded(modules: str, absent: tuple[str, ...]) -> None:
    loaded = run(f"import sys, {modules}; print(sorted(set({absent!r}) & set(sys.modules)))")
    assert loaded == "[]"


@pytest.mark.parametrize("modules", [VIZ, PAGES], ids=["viz", "pages"])
def test_plot_and_page_modules_load_no_extension(modules: str) -> None:
    state = run(
        f"import {modules}; import holoviews as hv, panel as pn; "
        "print(sorted(hv.Store.renderers), hv.extension._loaded, pn.extension._loaded)"
    )
    assert state == "[] False False"


def test_building_a_plot_registers_the_bokeh_backend_without_the_notebook_extension() -> None:
    state = run(
        "import pandas as pd, holoviews as hv; from gxdlib import viz; "
        "prices = pd.Series([5.0, 0.01, 12.5], name='price'); "
        "curve = viz.duration_curve(prices, title='t', xlabel='x', ylabel='y'); "
        "print(sorted(hv.Store.renderers), hv.extension._loaded, "
        "hv.Store.lookup_options('bokeh', curve, 'plot').kwargs['height'])"
    )
    assert state == "['bokeh'] False 300"


def test_a_builder_using_option_helpers_works_in_a_fresh_interpreter() -> None:
    """``hv.opts.Curve`` exists only once a backend is selected, not merely imported."""
    kind = run(
        "import pandas as pd; from gxdlib.viz.procurement import cost_curve; "
        "costs = pd.DataFrame({'office': [21.9, 29.6]}, index=[80, 90]); "
        "print(type(cost_curve(costs, title='t', xlabel='x', ylabel='y')).__name__)"
    )
    assert kind == "Overlay"
