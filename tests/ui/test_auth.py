"""Served as `make serve` serves them with a password, the dashboards refuse anonymous requests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.ui.test_security import make_serve, stop

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def served_with_password() -> Iterator[str]:
    served = make_serve({"GXD_PASSWORD": PASSWORD})
    yield served.base
    stop(served.process)


def test_unauthenticated_requests_are_refused(served_with_password: str) -> None:
    for page in ("/overview", "/"):
        response = requests.get(served_with_password + page, allow_redirects=False, timeout=30)
        assert response.status_code in (302, 401, 403)
        assert "login" in response.headers.get("Location", "login")
        assert "bk-root" not in response.text and "GXD Workbench" not in response.text


def test_wrong_password_is_refused_and_right_one_admitted(served_with_password: str) -> None:
    session = requests.Session()
    login = served_with_password + "/login"
    session.get(login, timeout=30)  # the form sets the XSRF cookie its post must echo
    form = {"username": "exec", "_xsrf": session.cookies["_xsrf"]}
    wrong = session.post(login, data={**form, "password": "guess"}, timeout=30)
    assert "GXD Workbench" not in wrong.text
    assert session.get(served_with_password + "/overview", allow_redirects=False).status_code != 200

    right = session.post(login, data={**form, "password": PASSWORD}, timeout=60)
    assert right.status_code == 200
    page = session.get(served_with_password + "/overview", timeout=60)
    assert page.status_code == 200 and "GXD Workbench" in page.text
