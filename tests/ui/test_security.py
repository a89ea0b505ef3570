"""The dashboards as ``make serve`` starts them with a password: over real HTTP on loopback.

Every test is bounded: a few dozen requests at most, on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import secrets
import signal
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import WebSocketClosedError, websocket_connect

from tests.ui.conftest import ARTIFACTS, REPO_ROOT, free_port, wait_until_served

pytestmark = pytest.mark.ui

PASSWORD = "a long passphrase for the security tests"
PAGES = ("/overview", "/vppa", "/procurement", "/footprint")
HEX_SECRET = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Served:
    base: str
    process: subprocess.Popen
    cookie_secret: str | None


def make_serve(env: dict[str, str], tls: tuple[Path, Path] | None = None) -> Served:
    """Start ``make serve`` on a free loopback port, in its own process group."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    log = open(ARTIFACTS / f"make-serve-{port}.log", "w")  # closed when the server stops
    process = subprocess.Popen(
        # -o: never reinstall the environment from a test, even if pyproject.toml is newer.
        [
            "make",
            "-o",
            ".venv/.installed",
            "serve",
            f"PORT={port}",
            "ADDRESS=127.0.0.1",
            f"ORIGINS=127.0.0.1:{port}",
            *([f"TLS_CERTFILE={tls[0]}", f"TLS_KEYFILE={tls[1]}"] if tls else []),
        ],
        cwd=REPO_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**_without_secrets(os.environ), **env},
        start_new_session=True,
    )
    base = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    try:
        wait_until_served(base + "/login", process)
    except Exception:
        stop(process)
        raise
    return Served(base, process, env.get("GXD_COOKIE_SECRET"))


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)  # make and the server it started
    process.wait(timeout=30)


def _without_secrets(environ: os._Environ[str]) -> dict[str, str]:
    return {k: v for k, v in environ.items() if k not in ("GXD_PASSWORD", "GXD_COOKIE_SECRET")}


@pytest.fixture(scope="module")
def served_safely() -> Iterator[Served]:
    served = make_serve({"GXD_PASSWORD": PASSWORD, "GXD_COOKIE_SECRET": secrets.token_hex(32)})
    yield served
    stop(served.process)


def logged_in(base: str, **request_kwargs) -> requests.Session:
    session = requests.Session()
    session.get(base + "/login", timeout=30, **request_kwargs)
    response = session.post(
        base + "/login",
        data={"username": "exec", "password": PASSWORD, "_xsrf": session.cookies["_xsrf"]},
        timeout=60,
        **request_kwargs,
    )
    assert response.status_code == 200 and "gxd_session" in session.cookies
    return session


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, read from ``/proc``."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except (OSError, IndexError):
                continue  # the process ended while we looked
    found, frontier = [pid], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def test_secrets_never_reach_a_command_line(served_safely: Served) -> None:
    command_lines = {
        pid: Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        for pid in descendants(served_safely.process.pid)
    }
    servers = [pid for pid, line in command_lines.items() if "gxdlib.dashboards.server" in line]
    assert servers, command_lines
    for line in command_lines.values():
        assert PASSWORD not in line
        assert served_safely.cookie_secret not in line
    # The secrets travel in the environment, which only the server's own user can read.
    environ = Path(f"/proc/{servers[0]}/environ")
    assert stat.S_IMODE(environ.stat().st_mode) == 0o400
    assert f"GXD_PASSWORD={PASSWORD}".encode() in environ.read_bytes().split(b"\0")


def test_unauthenticated_requests_to_every_route_are_refused(served_safely: Served) -> None:
    for route in (*PAGES, "/", "/overview/autoload.js?bokeh-autoload-element=p1"):
        response = requests.get(served_safely.base + route, allow_redirects=False, timeout=30)
        assert response.status_code in (302, 401, 403), route
        assert "login" in response.headers.get("Location", "login"), route
        assert "bk-root" not in response.text and "GXD Workbench" not in response.text


def test_websocket_needs_an_open_session(served_safely: Served) -> None:
    session = logged_in(served_safely.base)
    token, cookie = bokeh_token_and_cookie(session, served_safely.base)

    assert run_apart(websocket_answers(served_safely.base, token, cookie))
    assert not run_apart(websocket_answers(served_safely.base, token, cookie=None))
    session.get(served_safely.base + "/logout", timeout=30)
    assert not run_apart(websocket_answers(served_safely.base, token, cookie))


def test_websocket_limit_lets_the_upload_limit_through(served_safely: Served) -> None:
    session = logged_in(served_safely.base)
    token, cookie = bokeh_token_and_cookie(session, served_safely.base)
    # 25 MiB is above Bokeh's default limit (20 MiB) and below ours (67,715,244 bytes for 50 MB):
    # Bokeh reads the message and answers; beyond our limit Tornado closes the connection.
    assert run_apart(websocket_answers(served_safely.base, token, cookie, "x" * 25 * 2**20))
    assert not run_apart(websocket_answers(served_safely.base, token, cookie, "x" * 67_715_245))


def bokeh_token_and_cookie(session: requests.Session, base: str) -> tuple[str, str]:
    """The session token the overview page hands its websocket, and the browser's Cookie header."""
    page = session.get(base + "/overview", timeout=60)
    token = re.search(r'"token":\s*"([^"]+)"', page.text).group(1)
    return token, "; ".join(f"{k}={v}" for k, v in session.cookies.items())


def run_apart(coroutine) -> object:
    """Run ``coroutine`` on an event loop of its own thread.

    Browser tests earlier in the session leave Playwright's loop running in
    the main thread, where ``asyncio.run`` refuses to start another.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=180)


async def websocket_answers(
    base: str, token: str, cookie: str | None, message: str | None = None
) -> bool:
    """Whether ``/overview/ws`` accepts a connection, greets it and answers ``message``."""
    headers = {"Origin": base, **({"Cookie": cookie} if cookie else {})}
    request = HTTPRequest(base.replace("http", "ws") + "/overview/ws", headers=headers)
    try:
        connection = await asyncio.wait_for(
            websocket_connect(request, subprotocols=["bokeh", token]), timeout=30
        )
    except HTTPClientError:
        return False
    try:
        # Bokeh greets an accepted connection with an ACK; a refused one is closed.
        if await asyncio.wait_for(connection.read_message(), timeout=30) is None:
            return False
        if message is not None:
            await connection.write_message(message)
            return await asyncio.wait_for(connection.read_message(), timeout=60) is not None
        return True
    except WebSocketClosedError:
        return False
    finally:
        connection.close()


def test_security_headers_on_pages_static_files_and_errors(served_safely: Served) -> None:
    session = logged_in(served_safely.base)
    for route in ("/login", "/overview", "/static/js/bokeh.min.js", "/no-such-page"):
        headers = session.get(served_safely.base + route, allow_redirects=False, timeout=60).headers
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "connect-src 'self' ws: wss:" in policy
        assert "'unsafe-eval'" in policy.split("script-src", 1)[1].split(";", 1)[0]
        assert headers["X-Frame-Options"] == "DENY", route
        assert headers["X-Content-Type-Options"] == "nosniff", route
        assert headers["Referrer-Policy"] == "same-origin", route
        assert "Strict-Transport-Security" not in headers  # HTTPS only


def test_cookies_are_httponly_samesite_and_not_secure_over_http(served_safely: Served) -> None:
    session = requests.Session()
    first = session.get(served_safely.base + "/login", timeout=30)
    login = session.post(
        served_safely.base + "/login",
        data={"username": "exec", "password": PASSWORD, "_xsrf": session.cookies["_xsrf"]},
        allow_redirects=False,
        timeout=60,
    )
    set_cookies = first.raw.headers.getlist("Set-Cookie") + login.raw.headers.getlist("Set-Cookie")
    names = {line.split("=", 1)[0] for line in set_cookies}
    assert {"_xsrf", "user", "gxd_session"} <= names
    for line in set_cookies:
        flags = {flag.strip().lower() for flag in line.split(";")[1:]}
        assert "httponly" in flags and "samesite=lax" in flags, line
        assert "secure" not in flags, line


def test_login_form_needs_its_xsrf_token(served_safely: Served) -> None:
    response = requests.post(
        served_safely.base + "/login",
        data={"password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 403 and "gxd_session" not in response.cookies


def test_logout_revokes_a_captured_cookie(served_safely: Served) -> None:
    session = logged_in(served_safely.base)
    captured = dict(session.cookies)
    assert (
        requests.get(served_safely.base + "/vppa", cookies=captured, timeout=60).status_code == 200
    )

    session.get(served_safely.base + "/logout", timeout=30)
    after = requests.get(
        served_safely.base + "/vppa", cookies=captured, allow_redirects=False, timeout=30
    )
    assert after.status_code == 302 and "login" in after.headers["Location"]


def test_components_route_serves_only_panel_after_login(served_safely: Served) -> None:
    foreign = "/components/gxdlib.dashboards.overview/OverviewDashboard/__css__/x.css"
    anonymous = requests.get(served_safely.base + foreign, allow_redirects=False, timeout=30)
    assert anonymous.status_code == 302 and "login" in anonymous.headers["Location"]
    session = logged_in(served_safely.base)
    assert session.get(served_safely.base + foreign, timeout=30).status_code == 403
    # An import-free refusal: the module named is never imported.
    assert "gxdlib.io" not in session.get(served_safely.base + "/components/os/x/y/z").text


@pytest.fixture
def self_signed_certificate(tmp_path: Path) -> tuple[Path, Path]:
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key


def test_throttling_then_lockout_over_tls(
    self_signed_certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # requests trusts the test's own certificate, and nothing else, for this server.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(self_signed_certificate[0]))
    served = make_serve({"GXD_PASSWORD": PASSWORD}, tls=self_signed_certificate)
    try:
        session = requests.Session()
        session.get(served.base + "/login", timeout=30)

        def attempt(password: str) -> requests.Response:
            data = {"password": password, "_xsrf": session.cookies["_xsrf"]}
            return session.post(
                served.base + "/login", data=data, allow_redirects=False, timeout=30
            )

        # Five wrong passwords are answered at once, with Panel's error message.
        for _ in range(5):
            wrong = attempt("guess")
            assert wrong.status_code == 302 and "error=" in wrong.headers["Location"]
        # The sixth starts a one-second wait; attempts during it are refused unread.
        assert attempt("guess").status_code == 302
        early = attempt(PASSWORD)
        assert early.status_code == 429 and 1 <= int(early.headers["Retry-After"]) <= 2
        # Thirteen more premature attempts make twenty failures: a five-minute lock-out.
        for _ in range(13):
            assert attempt("guess").status_code == 429
        locked = attempt(PASSWORD)
        assert locked.status_code == 429 and 295 <= int(locked.headers["Retry-After"]) <= 300
        assert "gxd_session" not in session.cookies

        command_lines = [
            Path(f"/proc/{pid}/cmdline").read_bytes() for pid in descendants(served.process.pid)
        ]
        assert not any(HEX_SECRET.search(line.decode()) for line in command_lines)
        # Over TLS the cookies are Secure and browsers are told to stay on HTTPS.
        fresh = requests.get(served.base + "/login", timeout=30)
        assert "secure" in fresh.headers["Set-Cookie"].lower()
        assert fresh.headers["Strict-Transport-Security"] == "max-age=31536000"
    finally:
        stop(served.process)


def test_a_page_renders_in_chromium_with_the_headers_on(page: Page, served_safely: Served) -> None:
    page.goto(served_safely.base + "/overview")
    page.fill("input[name=username]", "exec")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button, form input[type=submit]").first.click()
    page.wait_for_url("**/overview")

    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.reload()
    expect(page.locator(".tabulator").first).to_be_visible(timeout=60_000)
    expect(page.locator("canvas").first).to_be_visible(timeout=60_000)
    page.screenshot(path=ARTIFACTS / "security-overview-with-csp.png", full_page=True)
    # The policy may block only what a template asks of other sites (web fonts): never a
    # script, the websocket, or anything the server itself serves.
    violations = [text for text in messages if "Content Security Policy" in text]
    off_site = re.compile(r"Loading the (stylesheet|font|image) 'https://(?!127\.0\.0\.1)")
    assert all(off_site.match(text) for text in violations), violations
