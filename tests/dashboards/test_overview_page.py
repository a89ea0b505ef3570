"""The overview page class, without a server."""

from __future__ import annotations

from pathlib import Path

import pytest

from gxdlib.dashboards.overview import OverviewDashboard
from gxdlib.sample import prices as sample_prices


@pytest.fixture
def sample_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GXD_DATA_DIR", str(tmp_path))


def table_values(page: OverviewDashboard) -> list[str]:
    return page.summary().value.iloc[:, 1].tolist()


def test_sample_data_is_announced_and_explored(sample_only: None) -> None:
    page = OverviewDashboard()
    assert page.fiscal_year == 2023
    assert "Sample data" in page.data_status().object
    system = table_values(page)
    assert system[0] == f"{sample_prices(2023)['system'].mean():.2f}"
    page.area = "kyushu"
    assert table_values(page)[0] == f"{sample_prices(2023)['kyushu'].mean():.2f}"
    assert page.heatmap().dimension_values("price").size == 17_568  # FY2023 holds 29 February


def test_language_switch_relabels(sample_only: None) -> None:
    page = OverviewDashboard(language="ja")
    assert page.summary().value.columns.tolist() == ["指標", "値"]
    assert "サンプル" in page.data_status().object
    assert page.duration().opts.get().kwargs["ylabel"] == "価格 [円/kWh]"
