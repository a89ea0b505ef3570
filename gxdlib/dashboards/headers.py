"""Security headers on every response and safe flags on every cookie the server sets.

The Content-Security-Policy is as strict as BokehJS allows: BokehJS builds
functions from strings and the served document embeds its model as an inline
script, so scripts need ``'unsafe-eval'`` and ``'unsafe-inline'``, and Panel
loads some of its modules as ``blob:`` scripts; widgets set inline styles;
the session runs over a websocket to the same host (``ws:`` or ``wss:``).
Everything else comes from the server itself. Header semantics:
MDN, "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
"Strict-Transport-Security" (https://developer.mozilla.org/docs/Web/HTTP/Headers).
"""

from __future__ import annotations

from typing import Any

from tornado import httputil
from tornado.web import OutputTransform

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval' 'unsafe-inline' blob:",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
"""The Content-Security-Policy sent with every response."""

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
"""Headers sent with every response, over HTTP and HTTPS."""

HSTS_HEADER = ("Strict-Transport-Security", "max-age=31536000")
"""Sent over HTTPS only: browsers come back over HTTPS for a year."""


def is_tls(request: httputil.HTTPServerRequest) -> bool:
    """Whether the request came over TLS (directly, or as a trusted proxy reports it)."""
    return request.protocol == "https"


class SecurityHeaders(OutputTransform):
    """Tornado output transform adding :data:`SECURITY_HEADERS` to every response.

    A transform sees every response of the application (pages, static files,
    redirects, errors), where a handler hook would miss the handlers that
    Bokeh and Panel define.
    """

    def __init__(self, request: httputil.HTTPServerRequest) -> None:
        self._tls = is_tls(request)

    def transform_first_chunk(
        self,
        status_code: int,
        headers: httputil.HTTPHeaders,
        chunk: bytes,
        finishing: bool,
    ) -> tuple[int, httputil.HTTPHeaders, bytes]:
        for name, value in SECURITY_HEADERS.items():
            headers[name] = value
        if self._tls:
            headers[HSTS_HEADER[0]] = HSTS_HEADER[1]
        return status_code, headers, chunk


class HardenedCookies:
    """Request-handler mixin: every cookie it sets is ``HttpOnly``, ``SameSite=Lax``,
    and ``Secure`` when the request came over TLS.

    Tornado writes cookies after the output transforms have run, so the flags
    are set where the cookies are made, in the handlers that make them.
    """

    def set_cookie(self, name: str, value: str | bytes, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("httponly", True)
        kwargs.setdefault("samesite", "Lax")
        if is_tls(self.request):  # type: ignore[attr-defined]
            kwargs.setdefault("secure", True)
        super().set_cookie(name, value, *args, **kwargs)  # type: ignore[misc]
