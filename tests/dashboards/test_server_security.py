"""The server's security rules without a server: throttle policy, sessions, limits, secrets."""

from __future__ import annotations

import argparse
import base64
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gxdlib.dashboards.login import SessionRegistry
from gxdlib.dashboards.server import (
    SecureServe,
    _websocket_limit,
    cookie_secret_from_env,
    websocket_limit_bytes,
)
from gxdlib.dashboards.throttle import LoginThrottle, delay_after_s
from gxdlib.errors import ValidationError


class Clock:
    def __init__(self) -> None:
        self.now_s = 1_000.0

    def __call__(self) -> float:
        return self.now_s


def test_delays_follow_the_documented_policy() -> None:
    # By hand: free up to 5, then 2**(n-6) s capped at 60 s, 300 s from the 20th on.
    expected = {1: 0, 5: 0, 6: 1, 7: 2, 8: 4, 9: 8, 10: 16, 11: 32, 12: 60, 19: 60, 20: 300}
    assert {n: delay_after_s(n) for n in expected} == expected


def test_lockout_ends_and_failures_are_forgotten() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(20):
        throttle.record_failure("203.0.113.9")
    assert throttle.wait_s("203.0.113.9") == 300.0
    assert throttle.wait_s("203.0.113.10") == 0.0  # another client is not affected

    clock.now_s += 300.0
    assert throttle.wait_s("203.0.113.9") == 0.0
    assert throttle.record_failure("203.0.113.9") == 300.0  # still suspect: locked again

    clock.now_s += 300.0 + 900.0
    assert throttle.wait_s("203.0.113.9") == 0.0
    assert throttle.record_failure("203.0.113.9") == 0.0  # forgotten: a first failure


def test_a_right_password_clears_the_record() -> None:
    throttle = LoginThrottle(clock=Clock())
    for _ in range(8):
        throttle.record_failure("client")
    assert throttle.wait_s("client") == 4.0
    throttle.record_success("client")
    assert throttle.wait_s("client") == 0.0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=120.0), min_size=1, max_size=40))
def test_waits_never_exceed_the_lockout(gaps_s: list[float]) -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for count, gap_s in enumerate(gaps_s, start=1):
        clock.now_s += gap_s
        wait_s = throttle.record_failure("client")
        assert 0.0 <= wait_s <= 300.0
        if count <= 5:
            assert wait_s == 0.0


def test_sessions_expire_and_close() -> None:
    clock = Clock()
    registry = SessionRegistry(lifetime_s=60.0, clock=clock)
    first, second = registry.open("exec"), registry.open("exec")
    assert first != second and len(first) >= 43  # 32 random bytes, URL-safe base64
    registry.close(first)
    assert registry.user(first) is None and registry.user(second) == "exec"
    clock.now_s += 60.0
    assert registry.user(second) is None
    assert registry.user("never-issued") is None


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=300_000))
def test_websocket_limit_fits_the_base64_of_an_upload(upload_bytes: int) -> None:
    encoded_bytes = len(base64.b64encode(bytes(upload_bytes)))
    assert websocket_limit_bytes(upload_bytes) == encoded_bytes + 1_048_576


def test_default_upload_limit_needs_more_than_bokehs_default(monkeypatch) -> None:
    monkeypatch.delenv("GXD_UPLOAD_LIMIT_MB", raising=False)
    bokeh_default_bytes = 20 * 1024 * 1024
    # 50 MB as base64 is 66,666,668 characters, plus 1 MiB of envelope.
    assert _websocket_limit(bokeh_default_bytes) == 67_715_244
    monkeypatch.setenv("GXD_UPLOAD_LIMIT_MB", "5")
    assert _websocket_limit(bokeh_default_bytes) == bokeh_default_bytes
    with pytest.raises(ValidationError, match="websocket-max-message-size 1000000"):
        _websocket_limit(1_000_000)


def test_cookie_secret_is_generated_or_checked(monkeypatch) -> None:
    monkeypatch.delenv("GXD_COOKIE_SECRET", raising=False)
    generated = cookie_secret_from_env()
    assert re.fullmatch(r"[0-9a-f]{64}", generated) and generated != cookie_secret_from_env()
    monkeypatch.setenv("GXD_COOKIE_SECRET", "x" * 32)
    assert cookie_secret_from_env() == "x" * 32
    monkeypatch.setenv("GXD_COOKIE_SECRET", "short")
    with pytest.raises(ValidationError, match="GXD_COOKIE_SECRET has 5 characters"):
        cookie_secret_from_env()


@pytest.mark.parametrize("option", ["--basic-auth", "--cookie-secret"])
def test_secrets_on_the_command_line_are_refused(option: str) -> None:
    parser = argparse.ArgumentParser()
    command = SecureServe(parser=parser)
    args = parser.parse_args(["apps/overview.py", option, "hunter2-hunter2"])
    with pytest.raises(ValidationError, match=f"{option} would show a secret to ps"):
        command.customize_kwargs(args, {})
