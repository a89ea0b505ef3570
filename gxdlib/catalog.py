"""The Intake 2 catalog of GXD Workbench and its readers.

``catalogs/gxd.yaml`` names the data sets; the readers here resolve them in
``GXD_DATA_DIR`` (the real public files) through :mod:`gxdlib.io`, or generate
them with :mod:`gxdlib.sample`. Dashboards and notebooks call
:func:`load_prices`, which falls back to the sample when no real file is there
and says which one it used.

Examples
--------
>>> cat = open_catalog()
>>> sorted(cat.entries)[:3]
['jepx_fip_reference', 'jepx_spot', 'sample_demand']
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import intake
import pandas as pd
from intake.readers.readers import BaseReader

from gxdlib import sample
from gxdlib.errors import MissingDataError, ValidationError
from gxdlib.io.jepx import read_jepx_fip_reference, read_jepx_spot
from gxdlib.io.tso import read_tso_actuals

CATALOG_PATH = Path(__file__).resolve().parents[1] / "catalogs" / "gxd.yaml"
"""The catalog file of this checkout."""

DATA_DIR_VARIABLE = "GXD_DATA_DIR"

_TSO_PATTERNS: dict[str, tuple[str, ...]] = {
    # Kyushu names FY2016-2018 files by Heisei year (H28 = 2016) and later ones by Western year.
    "kyushu": (
        "kyushu/area_jyukyu_jisseki_{fy}_?Q.csv",
        "kyushu/area_jyukyu_jisseki_H{heisei}_?Q.csv",
    ),
    "tohoku": ("tohoku/juyo_{fy}_tohoku_?Q.txt",),
    "kansai": ("kansai/area_jyukyu_jisseki_{fy}.csv",),
}


def data_dir() -> Path | None:
    """The folder of real data named by ``GXD_DATA_DIR``, or None when unset or absent."""
    configured = os.environ.get(DATA_DIR_VARIABLE)
    if configured and Path(configured).is_dir():
        return Path(configured)
    return None


def _require_data_dir(what: str) -> Path:
    folder = data_dir()
    if folder is None:
        raise MissingDataError(
            f"{what}: no real data folder; set {DATA_DIR_VARIABLE} to a folder holding jepx/ "
            "(JEPX spot_summary_<FY>.csv) and tso/ (the TSOs' area actuals), or use the "
            "sample_* entries"
        )
    return folder


def jepx_file(kind: str, fiscal_year: int) -> Path:
    """The path of a JEPX file (``spot_summary`` or ``fit_fip``) for a fiscal year.

    Raises
    ------
    MissingDataError
        Naming the file and how to obtain it.
    """
    folder = _require_data_dir(f"{kind}_{fiscal_year}.csv")
    path = folder / "jepx" / f"{kind}_{fiscal_year}.csv"
    if not path.is_file():
        raise MissingDataError(
            f"{path} not found: download it from https://www.jepx.jp (market data, spot market) "
            f"into {path.parent}"
            + (
                f", or call gxdlib.io.get_jepx_spot({fiscal_year})"
                if kind == "spot_summary"
                else ""
            )
        )
    return path


def tso_files(area: str, fiscal_year: int) -> list[Path]:
    """The TSO area supply-demand files of one area and fiscal year under ``GXD_DATA_DIR``.

    Raises
    ------
    ValidationError
        For an area with no known file layout.
    MissingDataError
        When no file of that year is there, naming the pattern looked for.
    """
    if area not in _TSO_PATTERNS:
        raise ValidationError(f"area {area!r}: TSO files are known for {sorted(_TSO_PATTERNS)}")
    folder = _require_data_dir(f"TSO actuals {area} FY{fiscal_year}")
    patterns = [p.format(fy=fiscal_year, heisei=fiscal_year - 1988) for p in _TSO_PATTERNS[area]]
    paths = sorted({path for pattern in patterns for path in (folder / "tso").glob(pattern)})
    if not paths:
        looked_for = " or ".join(str(folder / "tso" / p) for p in patterns)
        raise MissingDataError(
            f"no file matching {looked_for}: download the area supply-demand actuals "
            f"(エリア需給実績) from the {area} transmission company's site"
        )
    return paths


# The catalog passes each user parameter (fiscal_year, area, kind) into a reader
# argument of another name (year, region, demand_kind): Intake 2 takes a reader
# argument that shares a parameter's name for a new value of that parameter.


class JEPXSpot(BaseReader):
    """JEPX spot prices of one fiscal year from ``GXD_DATA_DIR``."""

    output_instance = "pandas:DataFrame"

    def _read(self, year: int, **kwargs) -> pd.DataFrame:
        return read_jepx_spot(jepx_file("spot_summary", int(year)), fiscal_year=int(year))


class JEPXFipReference(BaseReader):
    """JEPX avoidable costs and FIP reference prices of one fiscal year."""

    output_instance = "pandas:DataFrame"

    def _read(self, year: int, **kwargs) -> pd.DataFrame:
        return read_jepx_fip_reference(jepx_file("fit_fip", int(year)), fiscal_year=int(year))


class TSOActuals(BaseReader):
    """Hourly area supply-demand actuals [MWh] of one area and fiscal year.

    A fiscal year that is not complete (FY2023's files end in December 2023)
    raises :class:`~gxdlib.errors.IncompleteYearError` unless the entry's
    ``partial`` parameter is true; the frame's ``attrs`` say which months it
    covers (see :func:`gxdlib.io.read_tso_actuals`).
    """

    output_instance = "pandas:DataFrame"

    def _read(
        self, region: str, year: int, accept_partial: bool | str = False, **kwargs
    ) -> pd.DataFrame:
        fiscal_year, partial = int(year), _flag(accept_partial, "partial")
        return read_tso_actuals(
            tso_files(region, fiscal_year), region, fiscal_year=fiscal_year, partial=partial
        )


def _flag(value: bool | str, name: str) -> bool:
    """A boolean catalog parameter, which Intake may pass as its text."""
    if isinstance(value, bool):
        return value
    if str(value) in ("True", "False"):
        return str(value) == "True"
    raise ValidationError(f"catalog parameter {name!r} must be true or false, got {value!r}")


class SamplePrices(BaseReader):
    """Deterministic sample JEPX prices (see :func:`gxdlib.sample.prices`)."""

    output_instance = "pandas:DataFrame"

    def _read(self, year: int, **kwargs) -> pd.DataFrame:
        return sample.prices(int(year))


class SampleProfiles(BaseReader):
    """Deterministic PV and wind output [kWh per kW] per slot, one column each."""

    output_instance = "pandas:DataFrame"

    def _read(self, year: int, **kwargs) -> pd.DataFrame:
        fiscal_year = int(year)
        return pd.DataFrame(
            {
                "pv_kwh_per_kw": sample.pv_profile_kwh_per_kw(fiscal_year=fiscal_year),
                "wind_kwh_per_kw": sample.wind_profile_kwh_per_kw(fiscal_year=fiscal_year),
            }
        )


class SampleDemand(BaseReader):
    """A deterministic office or factory demand profile [kWh per slot]."""

    output_instance = "pandas:Series"

    def _read(self, demand_kind: str, year: int, **kwargs) -> pd.Series:
        return sample.demand_kwh(demand_kind, fiscal_year=int(year))


def open_catalog(path: str | os.PathLike | None = None) -> intake.Catalog:
    """Open the GXD Workbench Intake catalog.

    Parameters
    ----------
    path : path, optional
        A catalog file; default ``catalogs/gxd.yaml`` of this checkout.

    Returns
    -------
    intake.Catalog
        Entries ``jepx_spot`` and ``jepx_fip_reference`` (parameter
        ``fiscal_year``), ``tso_actuals`` (``area``, ``fiscal_year``,
        ``partial``),
        ``sample_prices``, ``sample_profiles`` and ``sample_demand``.
    """
    return intake.from_yaml_file(str(path or CATALOG_PATH))


@dataclass(frozen=True)
class LoadedPrices:
    """Prices with a note of where they came from.

    Attributes
    ----------
    frame : pandas.DataFrame
        As :func:`gxdlib.io.read_jepx_spot`.
    is_sample : bool
        True when the real file was not available and the sample was used.
    source : str
        A sentence for the screen naming the file read by its name, publisher
        and fiscal year, or why the sample is shown; never a server's path.
    file_name : str
        The JEPX file of the fiscal year (``spot_summary_<FY>.csv``), read or
        looked for.
    fiscal_year : int
        The fiscal year (April to March).
    """

    frame: pd.DataFrame
    is_sample: bool
    source: str
    file_name: str
    fiscal_year: int


def load_prices(fiscal_year: int) -> LoadedPrices:
    """JEPX prices of a fiscal year: real when ``GXD_DATA_DIR`` holds them, else the sample.

    Only a missing file falls back to the sample; a file that is there but
    malformed, or holds rows of another fiscal year, raises its
    :class:`~gxdlib.errors.DataFormatError` (an incomplete year, its
    :class:`~gxdlib.errors.IncompleteYearError`).
    """
    # The sentences name the file, never its folder: pages show them to people
    # who have no business knowing the server's layout.
    try:
        path = jepx_file("spot_summary", fiscal_year)
    except MissingDataError:
        file_name = f"spot_summary_{fiscal_year}.csv"
        source = (
            f"Sample data (generated by gxdlib, FY{fiscal_year}): the JEPX spot summary "
            f"{file_name} is not in the data folder"
        )
        return LoadedPrices(sample.prices(fiscal_year), True, source, file_name, fiscal_year)
    frame = read_jepx_spot(path, fiscal_year=fiscal_year)
    source = f"JEPX spot summary {path.name} (JEPX, FY{fiscal_year})"
    return LoadedPrices(frame, False, source, path.name, fiscal_year)


def available_fiscal_years() -> list[int]:
    """Fiscal years with a real spot summary under ``GXD_DATA_DIR`` (empty without one)."""
    folder = data_dir()
    if folder is None:
        return []
    years = []
    for path in (folder / "jepx").glob("spot_summary_*.csv"):
        suffix = path.stem.rsplit("_", 1)[-1]
        if suffix.isdigit():
            years.append(int(suffix))
    return sorted(years)
