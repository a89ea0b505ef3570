"""Shared fixtures: where the real public data lives, and opt-in markers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-network", action="store_true", default=False, help="run tests marked network"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-network"):
        return
    skip = pytest.mark.skip(reason="reaches the internet; run with --run-network")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


def real_data_dir() -> Path | None:
    """The real public data folder: GXD_DATA_DIR, else ../shared/data, else None."""
    configured = os.environ.get("GXD_DATA_DIR")
    candidates = [Path(configured)] if configured else [REPO_ROOT.parent / "shared" / "data"]
    for path in candidates:
        if path.is_dir():
            return path
    return None


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real data folder; tests that use it skip with a reason when it is absent."""
    path = real_data_dir()
    if path is None:
        pytest.skip("real public data not found: set GXD_DATA_DIR or provide ../shared/data")
    return path


def _subfolder(data_dir: Path, name: str) -> Path:
    path = data_dir / name
    if not path.is_dir():
        pytest.skip(f"no {name}/ folder under {data_dir}")
    return path


@pytest.fixture(scope="session")
def jepx_dir(data_dir: Path) -> Path:
    """The JEPX spot summaries and FIP reference files."""
    return _subfolder(data_dir, "jepx")


@pytest.fixture(scope="session")
def tso_dir(data_dir: Path) -> Path:
    """The TSO area supply-demand actuals, one folder per area."""
    return _subfolder(data_dir, "tso")
