"""Serve the dashboards on a free port and drive them with Debian's chromium.

The browser is ``/usr/bin/chromium`` (``make test`` installs it through apt
when it can); Playwright never downloads a browser of its own. Screenshots go
to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "test-artifacts"
PANEL = Path(sys.executable).with_name("panel")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} not found: install Debian's chromium (sudo apt-get install chromium)"
    )
    for item in items:
        if "ui" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1700}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_served(url: str, process: subprocess.Popen, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"panel serve exited with {process.returncode}")
        try:
            if requests.get(url, timeout=5).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout_s} s")


def serve(
    extra_args: list[str], env: dict[str, str] | None = None, ready_path: str = "/overview"
) -> tuple[subprocess.Popen, str]:
    """Start ``panel serve apps/*.py`` on a free port; returns the process and the base URL."""
    port = free_port()
    apps = sorted(str(p) for p in (REPO_ROOT / "apps").glob("*.py"))
    command = [
        str(PANEL),
        "serve",
        *apps,
        "--index",
        "overview",
        "--port",
        str(port),
        "--address",
        "127.0.0.1",
        "--allow-websocket-origin",
        f"127.0.0.1:{port}",
        *extra_args,
    ]
    log = open(ARTIFACTS / f"panel-serve-{port}.log", "w")  # closed when the server stops
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_served(base + ready_path, process)
    except Exception:
        process.terminate()
        raise
    return process, base


@pytest.fixture(scope="session")
def served() -> Iterator[str]:
    """Base URL of the dashboards served without a password."""
    ARTIFACTS.mkdir(exist_ok=True)
    process, base = serve([])
    yield base
    process.terminate()
    process.wait(timeout=30)
