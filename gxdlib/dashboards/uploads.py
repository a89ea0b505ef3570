"""The one guard every dashboard upload goes through.

A refused file always gives a readable message (too large, wrong type, or the
reader's own :class:`~gxdlib.errors.GXDError` naming the line or field), never
a traceback.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from gxdlib.errors import GXDError

T = TypeVar("T")

DEFAULT_LIMIT_MB = 50.0
"""Upload size limit [MB] unless ``GXD_UPLOAD_LIMIT_MB`` says otherwise."""

_log = logging.getLogger(__name__)


def upload_limit_bytes() -> int:
    """The configured upload size limit [bytes] (``GXD_UPLOAD_LIMIT_MB``, default 50 MB)."""
    configured = os.environ.get("GXD_UPLOAD_LIMIT_MB")
    megabytes = float(configured) if configured else DEFAULT_LIMIT_MB
    return int(megabytes * 1_000_000)


@dataclass(frozen=True)
class UploadOutcome(Generic[T]):
    """What became of one uploaded file.

    Attributes
    ----------
    value : object or None
        What the parser returned, when the file was accepted.
    message : str or None
        Why the file was refused, for the screen; None when accepted.
    """

    value: T | None
    message: str | None

    @property
    def accepted(self) -> bool:
        return self.message is None


def guard_upload(
    filename: str | None,
    data: bytes | None,
    parse: Callable[[bytes, str], T],
    *,
    suffixes: tuple[str, ...],
    limit_bytes: int | None = None,
) -> UploadOutcome[T]:
    """Check an uploaded file and parse it, turning every refusal into a message.

    Parameters
    ----------
    filename : str or None
        The name the browser sent.
    data : bytes or None
        The file's content.
    parse : callable
        ``parse(data, filename)``: reads the bytes, raising a
        :class:`~gxdlib.errors.GXDError` for bad content.
    suffixes : tuple of str
        Accepted file name endings, such as ``(".csv", ".xlsx")``.
    limit_bytes : int, optional
        Size limit [bytes]; default :func:`upload_limit_bytes`.

    Returns
    -------
    UploadOutcome

    Examples
    --------
    >>> guard_upload("prices.txt", b"1", lambda d, n: d, suffixes=(".csv",)).message
    'prices.txt: expected a file ending in .csv'
    """
    limit = upload_limit_bytes() if limit_bytes is None else limit_bytes
    name = filename or "upload"
    if data is None:
        return UploadOutcome(None, f"{name}: no content received")
    if not name.lower().endswith(tuple(s.lower() for s in suffixes)):
        return UploadOutcome(None, f"{name}: expected a file ending in {' or '.join(suffixes)}")
    if len(data) > limit:
        return UploadOutcome(
            None,
            f"{name}: {len(data) / 1e6:.3g} MB is larger than the limit of {limit / 1e6:.3g} MB",
        )
    try:
        return UploadOutcome(parse(data, name), None)
    except GXDError as exc:
        return UploadOutcome(None, str(exc))
    except Exception as exc:  # a dashboard shows a message, never a traceback
        _log.exception("unexpected error reading upload %s", name)
        return UploadOutcome(None, f"{name}: could not be read ({type(exc).__name__}: {exc})")
