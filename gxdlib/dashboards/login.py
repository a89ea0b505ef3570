"""Password login for the served dashboards: Panel's login form, throttled, with revocable sessions.

:class:`PasswordAuthProvider` keeps Panel's ``/login`` and ``/logout`` routes
and its login page, and adds what Panel's basic auth lacks:

- wrong passwords are throttled per client address (:mod:`gxdlib.dashboards.throttle`);
- the password is compared in constant time and never read from ``panel.config``;
- a login opens a server-side session, named by a random id in a signed
  cookie; ``/logout`` closes it, so a cookie captured before the logout is
  refused afterwards (Panel's own logout only asks the browser to forget it);
- the login form carries Tornado's XSRF token, and every cookie is
  ``HttpOnly``, ``SameSite=Lax`` and, over TLS, ``Secure``.
"""

from __future__ import annotations

import hmac
import math
import secrets
import time
from collections.abc import Callable
from typing import Any

from panel.auth import BasicAuthProvider, BasicLoginHandler, LogoutHandler
from panel.config import config
from panel.io.resources import CDN_DIST

from gxdlib.dashboards.headers import HardenedCookies
from gxdlib.dashboards.throttle import LoginThrottle

SESSION_COOKIE = "gxd_session"
"""Signed cookie naming the server-side session of a logged-in browser."""


class SessionRegistry:
    """Open login sessions: random id -> (user, expiry).

    Parameters
    ----------
    lifetime_s : float
        How long a session stays open after login [s].
    clock : callable, optional
        Wall-clock time [s]; :func:`time.time` unless a test supplies one.

    Examples
    --------
    >>> registry = SessionRegistry(lifetime_s=60.0)
    >>> session_id = registry.open("exec")
    >>> registry.user(session_id)
    'exec'
    >>> registry.close(session_id)
    >>> registry.user(session_id) is None
    True
    """

    def __init__(self, lifetime_s: float, clock: Callable[[], float] = time.time) -> None:
        self._lifetime_s = lifetime_s
        self._clock = clock
        self._sessions: dict[str, tuple[str, float]] = {}

    def open(self, user: str) -> str:
        """Open a session for ``user``; returns its id (256 random bits, URL-safe)."""
        now = self._clock()
        self._sessions = {sid: s for sid, s in self._sessions.items() if s[1] > now}
        session_id = secrets.token_urlsafe(32)
        self._sessions[session_id] = (user, now + self._lifetime_s)
        return session_id

    def user(self, session_id: str) -> str | None:
        """The user of an open session, or None when it is unknown, closed or expired."""
        session = self._sessions.get(session_id)
        if session is None or session[1] <= self._clock():
            return None
        return session[0]

    def close(self, session_id: str) -> None:
        """Close a session; closing an unknown one does nothing."""
        self._sessions.pop(session_id, None)


class PasswordAuthProvider(BasicAuthProvider):
    """Panel's basic auth provider, with one password, throttling and revocable sessions.

    Parameters
    ----------
    password : str
        The password every user logs in with (any user name).
    throttle : LoginThrottle, optional
        Counts wrong passwords per client; a fresh one by default.

    Attributes
    ----------
    throttle : LoginThrottle
        Wrong passwords per client address.
    sessions : SessionRegistry
        Open login sessions; they last ``panel.config.oauth_expiry`` days (1 by default).
    """

    def __init__(self, password: str, throttle: LoginThrottle | None = None) -> None:
        super().__init__()
        self._password = password.encode("utf-8")
        self.throttle = throttle or LoginThrottle()
        self.sessions = SessionRegistry(lifetime_s=config.oauth_expiry * 86_400.0)

    def password_matches(self, password: str) -> bool:
        """Constant-time comparison with the configured password."""
        return hmac.compare_digest(password.encode("utf-8"), self._password)

    @property
    def get_user(self) -> Callable[[Any], str | None]:
        panel_get_user = super().get_user

        def get_user(handler: Any) -> str | None:
            # Panel trusts any validly signed "user" cookie; the session must also be open.
            session_id = handler.get_secure_cookie(SESSION_COOKIE, max_age_days=config.oauth_expiry)
            if session_id is None:
                return None
            user = panel_get_user(handler)
            if user is None or self.sessions.user(session_id.decode("ascii")) != user:
                return None
            return user

        return get_user

    @property
    def login_handler(self) -> type[BasicLoginHandler]:
        return _bind(
            ThrottledLoginHandler,
            provider=self,
            _login_endpoint=self._login_endpoint,
            _login_template=self._login_template,
        )

    @property
    def logout_handler(self) -> type[LogoutHandler]:
        return _bind(
            RevokingLogoutHandler,
            provider=self,
            _login_endpoint=self._login_endpoint,
            _logout_template=self._logout_template,
        )


class XSRFLoginForm(HardenedCookies, BasicLoginHandler):
    """Panel's login handler, its form carrying Tornado's XSRF token."""

    def write(self, chunk: str | bytes | dict) -> None:
        # Panel renders its own template; the token goes into its one form.
        if isinstance(chunk, str) and "</form>" in chunk:
            chunk = chunk.replace("</form>", self.xsrf_form_html() + "</form>", 1)
        super().write(chunk)


class ThrottledLoginHandler(XSRFLoginForm):
    """``POST /login``: throttled per client, opening a server-side session on success."""

    provider: PasswordAuthProvider

    def post(self) -> None:
        throttle = self.provider.throttle
        if throttle.wait_s(self._client) > 0:
            throttle.record_failure(self._client)  # hammering during the wait costs more waiting
            self._refuse_for(throttle.wait_s(self._client))
            return
        super().post()

    def _validate(self, username: str, password: str) -> bool:
        matches = self.provider.password_matches(password)
        if matches:
            self.provider.throttle.record_success(self._client)
        else:
            self.provider.throttle.record_failure(self._client)
        return matches

    @property
    def _client(self) -> str:
        return self.request.remote_ip or "unknown"

    def set_current_user(self, user: str) -> None:
        super().set_current_user(user)
        if user:
            self.set_secure_cookie(
                SESSION_COOKIE,
                self.provider.sessions.open(user),
                expires_days=config.oauth_expiry,
                path=config.cookie_path,
            )

    def _refuse_for(self, wait_s: float) -> None:
        seconds = math.ceil(wait_s)
        self.set_status(429)
        self.set_header("Retry-After", str(seconds))
        self.write(
            self._login_template.render(
                login_endpoint=self._login_endpoint,
                errormessage=f"Too many wrong passwords: try again in {seconds} s.",
                PANEL_CDN=CDN_DIST,
            )
        )


class RevokingLogoutHandler(HardenedCookies, LogoutHandler):
    """``GET /logout``: closes the server-side session, then Panel's logout."""

    provider: PasswordAuthProvider

    def get(self) -> None:
        session_id = self.get_secure_cookie(SESSION_COOKIE, max_age_days=config.oauth_expiry)
        if session_id is not None:
            self.provider.sessions.close(session_id.decode("ascii"))
        self.clear_cookie(SESSION_COOKIE, path=config.cookie_path)
        super().get()


def _bind(handler: type, **attributes: Any) -> type:
    """A subclass of ``handler`` carrying its provider and Panel's settings as class attributes.

    Bokeh registers handler classes, not instances; a subclass per provider
    keeps Panel's own handler classes untouched.
    """
    return type(handler.__name__, (handler,), attributes)
