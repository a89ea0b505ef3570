"""Notebooks that need the real public data skip, with a reason, when it is absent.

A notebook says so in its metadata: ``{"gxd": {"requires_real_data": true}}``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


def _requires_real_data(path: Path) -> bool:
    metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    return bool(metadata.get("gxd", {}).get("requires_real_data"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    data_dir = os.environ.get("GXD_DATA_DIR")
    if data_dir and Path(data_dir).is_dir():
        return
    for item in items:
        path = Path(str(item.fspath))
        if path.suffix == ".ipynb" and _requires_real_data(path):
            item.add_marker(
                pytest.mark.skip(
                    reason="needs the real public data: set GXD_DATA_DIR (make test does)"
                )
            )
