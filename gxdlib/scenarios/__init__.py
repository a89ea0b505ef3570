"""Joint price x generation scenarios for risk analysis.

Two ways to draw them, with one interface (:class:`ScenarioSource`) that
:func:`gxdlib.vppa.simulate` consumes chunk by chunk:

- :func:`bootstrap`: calendar-matched blocks (days or weeks) copied from
  history, prices and generation from the same slots, so their correlation
  and the 0.01 JPY/kWh floor are kept exactly.
- :func:`parametric`: prices drawn from a fitted :class:`PriceModel`
  (seasonal shape, mean reversion, spikes, the floor as a point mass), with
  generation drawn as calendar-matched blocks of history.
"""

from gxdlib.scenarios._blocks import BLOCK_DAYS, SERIES_COLUMN
from gxdlib.scenarios.bootstrap import ScenarioSet, ScenarioSource, bootstrap
from gxdlib.scenarios.parametric import (
    ParametricScenarioSet,
    PriceModel,
    fit_price_model,
    parametric,
)

__all__ = [
    "BLOCK_DAYS",
    "SERIES_COLUMN",
    "ParametricScenarioSet",
    "PriceModel",
    "ScenarioSet",
    "ScenarioSource",
    "bootstrap",
    "fit_price_model",
    "parametric",
]
