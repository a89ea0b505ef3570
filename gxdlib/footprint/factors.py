"""Secondary emission factors: spend-based (per JPY) and average-data (per unit).

Spend-based factors come from environmentally extended input-output tables. In
Japan the Ministry of the Environment publishes them in its emissions unit
database for supply-chain accounting (排出原単位データベース), in
t-CO2eq per million JPY by input-output sector, derived from NIES's 3EID
(Nansai et al., Embodied Energy and Emission Intensity Data for Japan Using
Input-Output Tables). :meth:`SpendFactors.from_moe_database` reads a sheet in
that layout; :meth:`SpendFactors.sample` loads an illustrative table shipped in
``gxdlib/data`` (see its README for the basis of its values).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from gxdlib.errors import DataFormatError
from gxdlib.footprint.model import UNITS_OF_MEASUREMENT

__all__ = ["AverageFactors", "SpendFactors"]

# 1 t-CO2eq per million JPY = 1000 kg / 1e6 JPY.
KG_PER_JPY_PER_T_PER_MILLION_JPY = 1e-3


def _read_table(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    if not path.is_file():
        raise DataFormatError("no such factor file", source=path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    table.columns = [c.strip() for c in table.columns]
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise DataFormatError(
            f"missing column(s) {', '.join(missing)}", source=path, line=1, column=missing[0]
        )
    table.index = pd.RangeIndex(2, len(table) + 2)  # file line numbers
    return table.apply(lambda c: c.str.strip())


def _factor_values(
    text: pd.Series, path: Path | str, column: str, lines: pd.Index | None = None
) -> np.ndarray:
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        where = (lines if lines is not None else text.index)[np.flatnonzero(bad)[0]]
        raise DataFormatError(
            f"expected a non-negative number, got {text.iloc[np.flatnonzero(bad)[0]]!r}",
            source=path,
            line=int(where),
            column=column,
        )
    return values


def _unique_keys(keys: pd.Series, path: Path | str, column: str) -> None:
    empty = keys.eq("")
    if empty.any():
        raise DataFormatError(
            "value is missing", source=path, line=int(keys.index[empty][0]), column=column
        )
    dup = keys.duplicated()
    if dup.any():
        raise DataFormatError(
            f"duplicate {column} {keys[dup].iloc[0]!r}",
            source=path,
            line=int(keys.index[dup][0]),
            column=column,
        )


@dataclass(frozen=True)
class SpendFactors:
    """Spend-based emission factors by purchase sector.

    Attributes
    ----------
    table : pandas.DataFrame
        Index ``sector`` (the code a ledger's ``sector`` column uses); columns
        ``sector_name`` and ``kgco2e_per_jpy`` [kgCO2e/JPY].
    source : str
        Where the factors come from, for reports.
    """

    table: pd.DataFrame
    source: str

    @classmethod
    def from_csv(cls, path: str | PathLike, source: str | None = None) -> SpendFactors:
        """Load ``sector, sector_name, kgco2e_per_jpy`` [kgCO2e/JPY] from a CSV file."""
        path = Path(path)
        text = _read_table(path, ("sector", "kgco2e_per_jpy"))
        _unique_keys(text["sector"], path, "sector")
        values = _factor_values(text["kgco2e_per_jpy"], path, "kgco2e_per_jpy")
        names = text["sector_name"] if "sector_name" in text else text["sector"]
        table = pd.DataFrame(
            {"sector_name": names.to_numpy(), "kgco2e_per_jpy": values},
            index=pd.Index(text["sector"].to_numpy(), name="sector"),
        )
        return cls(table, source or str(path))

    @classmethod
    def sample(cls) -> SpendFactors:
        """The ILLUSTRATIVE sample table in ``gxdlib/data/spend_factors_sample.csv``.

        Invented values of realistic magnitude (see ``gxdlib/data/README.md``):
        never use them for reporting.

        Examples
        --------
        >>> SpendFactors.sample().table.loc["integrated_circuits", "kgco2e_per_jpy"]
        np.float64(0.0028)
        """
        path = resources.files("gxdlib") / "data" / "spend_factors_sample.csv"
        return cls.from_csv(
            Path(str(path)), source="gxdlib illustrative sample (not official figures)"
        )

    @classmethod
    def from_moe_database(
        cls,
        path: str | PathLike,
        sheet: str | int = 0,
        price_basis: str = "purchaser",
        header_search_rows: int = 30,
    ) -> SpendFactors:
        """Read input-output factors per million JPY in the MoE database layout.

        The Ministry of the Environment's emissions unit database lists, on its
        sheet of input-output-based factors, one row per sector under a block of
        title and header rows: a sector code column (部門コード), a sector name
        column (部門名) and the factor [t-CO2eq/百万円] by price basis
        (購入者価格 purchaser prices, 生産者価格 producer prices). Header labels
        may span up to three rows (a merged 排出原単位 cell above the price
        bases); the loader finds them by their text, not by position, so title
        rows and column order may differ between database versions.

        Parameters
        ----------
        path : str or path-like
            The workbook (``.xlsx``) or a CSV export of the sheet.
        sheet : str or int
            Sheet name or position (Excel only).
        price_basis : {"purchaser", "producer"}
            Which factor column to use; purchaser prices match what a ledger
            records as spend.
        header_search_rows : int
            How many rows from the top to search for the header.

        Returns
        -------
        SpendFactors
            ``kgco2e_per_jpy`` = factor [t-CO2eq/百万円] x 0.001.

        Raises
        ------
        DataFormatError
            No header found, no column for the price basis, a duplicate code,
            or a factor that is not a non-negative number (naming the row).
        """
        path = Path(path)
        keyword = {"purchaser": "購入者", "producer": "生産者"}.get(price_basis)
        if keyword is None:
            raise DataFormatError(
                f"price_basis must be 'purchaser' or 'producer', got {price_basis!r}",
                source=path,
            )
        if not path.is_file():
            raise DataFormatError("no such workbook", source=path)
        if path.suffix.lower() == ".csv":
            raw = pd.read_csv(
                path, header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig"
            )
        else:
            raw = pd.read_excel(
                path, sheet_name=sheet, header=None, dtype=str, keep_default_na=False
            )
        raw = raw.apply(lambda c: c.fillna("").astype(str).str.strip())
        raw.index = pd.RangeIndex(1, len(raw) + 1)  # spreadsheet row numbers
        code_col, name_col, factor_col, header_row = _find_moe_header(
            raw, keyword, header_search_rows, path
        )
        body = raw.loc[header_row + 1 :]
        body = body[body[code_col].ne("")]
        codes = body[code_col]
        _unique_keys(codes, path, "部門コード")
        values = _factor_values(body[factor_col], path, f"column {factor_col + 1}", body.index)
        table = pd.DataFrame(
            {
                "sector_name": body[name_col].to_numpy(),
                "kgco2e_per_jpy": values * KG_PER_JPY_PER_T_PER_MILLION_JPY,
            },
            index=pd.Index(codes.to_numpy(), name="sector"),
        )
        return cls(table, f"MoE emissions unit database ({price_basis} prices): {path.name}")

    def kgco2e_per_jpy(self, sectors: pd.Series) -> pd.Series:
        """Factor [kgCO2e/JPY] of each sector in ``sectors``; NaN where unknown."""
        values = self.table["kgco2e_per_jpy"].reindex(sectors.to_numpy()).to_numpy()
        return pd.Series(values, index=sectors.index, name="kgco2e_per_jpy")


def _find_moe_header(
    raw: pd.DataFrame, keyword: str, search_rows: int, path: Path
) -> tuple[int, int, int, int]:
    """Columns of code, name and factor, and the last header row (1-based)."""
    top = raw.iloc[:search_rows]
    for row in top.index:
        labels = top.loc[max(1, row - 2) : row]
        # Merged header cells are read as one value then blanks: fill rightwards.
        filled = labels.replace("", np.nan).ffill(axis=1).fillna("")
        joined = [" ".join(filled[c]) for c in labels.columns]
        own = list(top.loc[row])
        code = [i for i, t in enumerate(own) if re.search(r"部門コード|コード|code", t, re.I)]
        name = [i for i, t in enumerate(own) if re.search(r"部門名|name", t, re.I)]
        factor = [i for i, t in enumerate(joined) if keyword in t]
        below = [i for i, t in enumerate(joined) if keyword in t and own[i]]
        if code and name and factor:
            return code[0], name[0], (below or factor)[0], row
        # The price basis may sit one row below the code/name labels.
        if code and name and row + 1 in top.index:
            nxt = list(top.loc[row + 1])
            factor = [i for i, t in enumerate(nxt) if keyword in t]
            if factor:
                return code[0], name[0], factor[0], row + 1
    raise DataFormatError(
        f"no header with a sector code (部門コード), a sector name (部門名) and a "
        f"{keyword}価格 factor column in the first {search_rows} rows",
        source=path,
    )


@dataclass(frozen=True)
class AverageFactors:
    """Average-data emission factors by product category.

    Attributes
    ----------
    table : pandas.DataFrame
        Index ``category``; columns ``unit`` (a PACT unit of measurement),
        ``kgco2e_per_unit`` [kgCO2e/unit] and ``description``.
    source : str
        Where the factors come from.
    """

    table: pd.DataFrame
    source: str

    @classmethod
    def from_csv(cls, path: str | PathLike, source: str | None = None) -> AverageFactors:
        """Load ``category, unit, kgco2e_per_unit[, description]`` from a CSV file."""
        path = Path(path)
        text = _read_table(path, ("category", "unit", "kgco2e_per_unit"))
        _unique_keys(text["category"], path, "category")
        bad_unit = ~text["unit"].isin(UNITS_OF_MEASUREMENT)
        if bad_unit.any():
            raise DataFormatError(
                f"unit {text['unit'][bad_unit].iloc[0]!r} is not a PACT unit of measurement "
                f"({', '.join(UNITS_OF_MEASUREMENT)})",
                source=path,
                line=int(text.index[bad_unit][0]),
                column="unit",
            )
        values = _factor_values(text["kgco2e_per_unit"], path, "kgco2e_per_unit")
        description = text["description"] if "description" in text else text["category"]
        table = pd.DataFrame(
            {
                "unit": text["unit"].to_numpy(),
                "kgco2e_per_unit": values,
                "description": description.to_numpy(),
            },
            index=pd.Index(text["category"].to_numpy(), name="category"),
        )
        return cls(table, source or str(path))

    @classmethod
    def sample(cls) -> AverageFactors:
        """The ILLUSTRATIVE sample table in ``gxdlib/data/average_factors_sample.csv``."""
        path = resources.files("gxdlib") / "data" / "average_factors_sample.csv"
        return cls.from_csv(
            Path(str(path)), source="gxdlib illustrative sample (not official figures)"
        )
