"""gxdlib: the library behind GXD Workbench.

Nomenclature (units live in names):

=====================  ==========================================================
``slot_start``         start of a 30-minute JEPX slot, tz-aware ``Asia/Tokyo``
``*_kwh``, ``*_mwh``   energy [kWh], [MWh]
``*_kw``               power or capacity [kW]
``*_jpy``              money [JPY]
``*_jpy_per_kwh``      price [JPY/kWh]
``*_kgco2e``           emissions [kgCO2e]
``fiscal_year``        Japanese fiscal year N: 1 April N to 31 March N+1
=====================  ==========================================================

JEPX area names, in the order JEPX publishes them: ``hokkaido, tohoku, tokyo,
chubu, hokuriku, kansai, chugoku, shikoku, kyushu``; ``system`` is the system
price.
"""

from gxdlib.errors import DataFormatError, GXDError, ValidationError

__all__ = ["GXDError", "DataFormatError", "ValidationError", "__version__"]
__version__ = "0.1.0"
