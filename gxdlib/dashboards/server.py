"""Serve the dashboard pages safely, as ``make serve`` does.

``python -m gxdlib.dashboards.server apps/*.py --index overview --port 5006``

It takes every option of ``panel serve`` except the secrets, which come
from the environment so that ``ps`` and ``/proc/<pid>/cmdline`` never show them:

``GXD_PASSWORD``
    Puts every page behind Panel's login form (any user name, this password),
    with the throttling and revocable sessions of :mod:`gxdlib.dashboards.login`.
``GXD_COOKIE_SECRET``
    Signs the cookies (at least 32 characters); when absent a random one is
    generated at start, so a restart logs everybody out.
``GXD_UPLOAD_LIMIT_MB``
    The pages' upload limit; the websocket message limit is raised to match
    (:func:`websocket_limit_bytes`).
``GXD_BEHIND_PROXY``
    ``1`` when a reverse proxy terminates TLS: the client address and scheme
    are then read from its ``X-Forwarded-For``/``X-Real-IP`` and
    ``X-Forwarded-Proto`` headers. Never set it without a proxy, or a client
    could choose its own address and escape the throttle.

On top of Panel it adds security headers and cookie flags
(:mod:`gxdlib.dashboards.headers`), Tornado's XSRF check on the login form,
and restricts the ``/components/<module>/...`` route, which imports the named
module before any authentication, to Panel's own modules behind the login.
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import sys
from typing import Any

from bokeh.server.server import Server
from bokeh.server.tornado import DEFAULT_WEBSOCKET_MAX_MESSAGE_SIZE_BYTES
from panel.command.serve import Serve
from panel.config import config
from panel.io.server import AuthenticatedStaticFileHandler, ComponentResourceHandler
from tornado.web import HTTPError

from gxdlib.dashboards.headers import SecurityHeaders
from gxdlib.dashboards.login import SESSION_COOKIE, PasswordAuthProvider
from gxdlib.dashboards.uploads import upload_limit_bytes
from gxdlib.errors import ValidationError

MIN_COOKIE_SECRET_CHARS = 32
"""Shortest accepted ``GXD_COOKIE_SECRET`` [characters]."""

WEBSOCKET_ENVELOPE_BYTES = 1 << 20
"""Room for the JSON message around an uploaded file's base64 text [bytes]."""

COMPONENT_MODULES = ("panel",)
"""Top-level packages whose components ``/components/`` may serve."""

SECRET_OPTIONS = ("basic_auth", "cookie_secret", "oauth_secret", "oauth_encryption_key")
"""``panel serve`` options that would put a secret on the command line."""


def websocket_limit_bytes(upload_bytes: int) -> int:
    """Websocket message limit that lets an upload of ``upload_bytes`` through [bytes].

    Panel's FileInput sends the file as base64 text inside one JSON message:
    4 characters per 3 bytes (RFC 4648, section 4), plus an envelope of
    :data:`WEBSOCKET_ENVELOPE_BYTES`.

    Examples
    --------
    >>> websocket_limit_bytes(50_000_000)  # the default 50 MB upload limit
    67715244
    """
    return 4 * math.ceil(upload_bytes / 3) + WEBSOCKET_ENVELOPE_BYTES


def cookie_secret_from_env() -> str:
    """``GXD_COOKIE_SECRET``, or a fresh random secret (256 bits) when it is not set.

    Raises
    ------
    ValidationError
        When ``GXD_COOKIE_SECRET`` is shorter than :data:`MIN_COOKIE_SECRET_CHARS`.
    """
    configured = os.environ.get("GXD_COOKIE_SECRET", "")
    if not configured:
        return secrets.token_hex(32)
    if len(configured) < MIN_COOKIE_SECRET_CHARS:
        raise ValidationError(
            f"GXD_COOKIE_SECRET has {len(configured)} characters; expected at least "
            f"{MIN_COOKIE_SECRET_CHARS} (for example: python -c 'import secrets; "
            "print(secrets.token_hex(32))')"
        )
    return configured


def _websocket_limit(requested_bytes: int) -> int:
    """The websocket limit to serve with: the upload limit's unless one was asked for [bytes]."""
    needed_bytes = websocket_limit_bytes(upload_limit_bytes())
    if requested_bytes == DEFAULT_WEBSOCKET_MAX_MESSAGE_SIZE_BYTES:
        return max(requested_bytes, needed_bytes)
    if requested_bytes < needed_bytes:
        raise ValidationError(
            f"--websocket-max-message-size {requested_bytes} is below the {needed_bytes} bytes "
            "an upload of GXD_UPLOAD_LIMIT_MB needs; lower GXD_UPLOAD_LIMIT_MB instead"
        )
    return requested_bytes


class PanelComponentsOnly(AuthenticatedStaticFileHandler, ComponentResourceHandler):
    """``/components/<module>/<class>/<attribute>/<path>``: Panel's modules only, after login."""

    def parse_url_path(self, path: str) -> str:
        package = path.split("/", 1)[0].split(".", 1)[0]
        if package not in COMPONENT_MODULES:
            raise HTTPError(403, "Only Panel's own components are served.")
        return super().parse_url_path(path)


class SecureServe(Serve):
    """``panel serve`` with secrets from the environment, login throttling and security headers."""

    name = "serve"

    def customize_kwargs(
        self, args: argparse.Namespace, server_kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        for option in SECRET_OPTIONS:
            if getattr(args, option, None):
                raise ValidationError(
                    f"--{option.replace('_', '-')} would show a secret to ps; "
                    "set GXD_PASSWORD / GXD_COOKIE_SECRET in the environment instead"
                )
        if config.basic_auth:
            raise ValidationError(
                "PANEL_BASIC_AUTH is set: use GXD_PASSWORD, which adds login throttling"
            )
        password = os.environ.get("GXD_PASSWORD", "")
        if password and server_kwargs.get("num_procs", 1) != 1:
            raise ValidationError(
                "--num-procs must be 1 with GXD_PASSWORD: the login throttle and the "
                "sessions live in one process"
            )
        config.cookie_secret = cookie_secret_from_env()
        kwargs = super().customize_kwargs(args, server_kwargs)
        kwargs["cookie_secret"] = config.cookie_secret
        if password:
            kwargs["auth_provider"] = PasswordAuthProvider(password)
        kwargs["xsrf_cookies"] = True
        kwargs["xsrf_cookie_kwargs"] = {"httponly": True, "samesite": "Lax"}
        requested_bytes = kwargs["websocket_max_message_size"]
        kwargs["websocket_max_message_size"] = _websocket_limit(requested_bytes)
        if not (kwargs.get("include_cookies") or kwargs.get("exclude_cookies")):
            # Bokeh copies request cookies into the page's session token, readable by scripts.
            kwargs["exclude_cookies"] = [SESSION_COOKIE, "_xsrf"]
        if os.environ.get("GXD_BEHIND_PROXY") == "1":
            kwargs["use_xheaders"] = True
        return kwargs

    def customize_server(self, server: Server) -> Server:
        app = server._tornado
        app.add_transform(SecurityHeaders)
        restricted = 0
        for rule in app.wildcard_router.rules:
            if rule.target is ComponentResourceHandler:
                rule.target = PanelComponentsOnly
                restricted += 1
        if restricted != 1:
            raise RuntimeError(
                f"expected one /components/ route in Panel's server, found {restricted}; "
                "Panel changed how it serves components"
            )
        return super().customize_server(server)


def main(argv: list[str] | None = None) -> None:
    """Parse ``panel serve`` options (without secrets) and serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m gxdlib.dashboards.server",
        description=__doc__.split("\n", 1)[0],
    )
    command = SecureServe(parser=parser)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    command.invoke(args)


if __name__ == "__main__":
    main()
