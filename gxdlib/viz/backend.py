"""HoloViews' Bokeh backend, registered when the first plot is built, not on import.

``hv.extension("bokeh")`` does two things: it registers the Bokeh backend (its
plot options and renderer) and, in a notebook, sends BokehJS to the browser.
Importing :mod:`gxdlib.viz` does neither, so a computation or a test that
never draws pays for neither, and whoever shows plots chooses when the
JavaScript loads: a notebook calls ``hv.extension("bokeh")``, a Panel page
brings its own resources. A builder needs only the first part, because
HoloViews checks ``.opts(...)`` keywords against a registered backend;
:func:`bokeh_builder` registers it on a builder's first call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import holoviews as hv

P = ParamSpec("P")
R = TypeVar("R")


def require_bokeh_backend() -> None:
    """Register HoloViews' Bokeh plotting backend unless it already is.

    Examples
    --------
    >>> require_bokeh_backend()
    >>> "bokeh" in hv.Store.renderers
    True
    """
    if "bokeh" not in hv.Store.renderers or not hasattr(hv.opts, "Curve"):
        # Registers the backend and selects it, which builds the ``hv.opts.<Element>``
        # helpers; importing holoviews.plotting.bokeh alone does only the first.
        hv.renderer("bokeh")


def legend_below(frame_height_px: int) -> dict[str, object]:
    """Plot options that put the legend below the plot area, where it covers no data.

    One entry a line, because Bokeh does not wrap a legend and a row of long
    labels is wider than a phone's plot; the plot area keeps its height and the
    legend adds to the plot's, so a long legend never squeezes the data.

    Parameters
    ----------
    frame_height_px : int
        Height of the plot area, without title, axes and legend [px].

    Examples
    --------
    >>> legend_below(240)["legend_position"]
    'bottom'
    """
    return {
        "legend_position": "bottom",
        "legend_opts": {"orientation": "vertical"},
        "frame_height": frame_height_px,
    }


def bokeh_builder(build: Callable[P, R]) -> Callable[P, R]:
    """Decorate a plot builder so that it registers the Bokeh backend before it runs."""

    @functools.wraps(build)
    def with_backend(*args: P.args, **kwargs: P.kwargs) -> R:
        require_bokeh_backend()
        return build(*args, **kwargs)

    return with_backend
