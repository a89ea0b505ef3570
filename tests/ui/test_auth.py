"""Served behind Panel's basic auth, the dashboards refuse unauthenticated requests."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import requests

from tests.ui.conftest import ARTIFACTS, serve

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def served_with_password() -> Iterator[str]:
    ARTIFACTS.mkdir(exist_ok=True)
    process, base = serve(
        ["--basic-auth", PASSWORD, "--cookie-secret", secrets.token_hex(32)], ready_path="/login"
    )
    yield base
    process.terminate()
    process.wait(timeout=30)


def test_unauthenticated_requests_are_refused(served_with_password: str) -> None:
    for page in ("/overview", "/"):
        response = requests.get(served_with_password + page, allow_redirects=False, timeout=30)
        assert response.status_code in (302, 401, 403)
        assert "login" in response.headers.get("Location", "login")
        assert "bk-root" not in response.text and "GXD Workbench" not in response.text


def test_wrong_password_is_refused_and_right_one_admitted(served_with_password: str) -> None:
    session = requests.Session()
    login = served_with_password + "/login"
    wrong = session.post(login, data={"username": "exec", "password": "guess"}, timeout=30)
    assert "GXD Workbench" not in wrong.text
    assert session.get(served_with_password + "/overview", allow_redirects=False).status_code != 200

    right = session.post(login, data={"username": "exec", "password": PASSWORD}, timeout=60)
    assert right.status_code == 200
    page = session.get(served_with_password + "/overview", timeout=60)
    assert page.status_code == 200 and "GXD Workbench" in page.text
