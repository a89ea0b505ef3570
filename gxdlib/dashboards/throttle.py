"""Login throttling: how long a client must wait after wrong passwords.

The policy, per client address:

- the first :data:`FREE_FAILURES` (5) wrong passwords are answered at once;
- from then on the n-th failure makes the client wait ``2 ** (n - 6)``
  seconds before its next attempt (1 s after the sixth, 2 s after the
  seventh, ...), at most :data:`MAX_DELAY_S` (60 s); an attempt that arrives
  before the wait is over is refused without looking at the password, and
  counts as a failure;
- at :data:`LOCKOUT_FAILURES` (20) failures the client is locked out for
  :data:`LOCKOUT_S` (300 s);
- a right password, or :data:`FORGET_AFTER_S` (900 s) without a failure,
  clears the record.

With these numbers a client makes at most 20 guesses before a five-minute
lock-out, where an unthrottled server answered about 600 guesses a second.
The exponential back-off and lock-out follow OWASP's Authentication Cheat
Sheet, "Login Throttling" and "Account Lockout"
(https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

FREE_FAILURES = 5
"""Wrong passwords answered without a wait."""

MAX_DELAY_S = 60.0
"""Longest wait between two attempts before the lock-out [s]."""

LOCKOUT_FAILURES = 20
"""Failures that lock a client out."""

LOCKOUT_S = 300.0
"""Length of a lock-out [s]."""

FORGET_AFTER_S = 900.0
"""A client's failures are forgotten this long after the last one [s]."""


@dataclass
class _Record:
    failures: int
    last_failure_s: float
    next_attempt_s: float


class LoginThrottle:
    """Counts wrong passwords per client and says how long each must wait.

    Parameters
    ----------
    clock : callable, optional
        Monotonic time [s]; :func:`time.monotonic` unless a test supplies one.

    Examples
    --------
    >>> now = [0.0]
    >>> throttle = LoginThrottle(clock=lambda: now[0])
    >>> for _ in range(6):
    ...     _ = throttle.record_failure("198.51.100.7")
    >>> throttle.wait_s("198.51.100.7")
    1.0
    >>> throttle.record_success("198.51.100.7")
    >>> throttle.wait_s("198.51.100.7")
    0.0
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._records: dict[str, _Record] = {}

    def wait_s(self, client: str) -> float:
        """Seconds the client must still wait before its next attempt [s]; 0 when it may try."""
        now = self._clock()
        record = self._current(client, now)
        return 0.0 if record is None else max(0.0, record.next_attempt_s - now)

    def record_failure(self, client: str) -> float:
        """Count one failed or premature attempt; returns the wait it imposes [s]."""
        now = self._clock()
        self._forget_stale(now)
        record = self._current(client, now) or _Record(0, now, now)
        record.failures += 1
        record.last_failure_s = now
        record.next_attempt_s = max(record.next_attempt_s, now + delay_after_s(record.failures))
        self._records[client] = record
        return record.next_attempt_s - now

    def record_success(self, client: str) -> None:
        """Forget the client's failures after a right password."""
        self._records.pop(client, None)

    def _current(self, client: str, now: float) -> _Record | None:
        record = self._records.get(client)
        if record is not None and _is_stale(record, now):
            del self._records[client]
            return None
        return record

    def _forget_stale(self, now: float) -> None:
        # Bounds memory when many addresses fail once and never come back.
        for client in [c for c, r in self._records.items() if _is_stale(r, now)]:
            del self._records[client]


def delay_after_s(failures: int) -> float:
    """The wait imposed after ``failures`` failures [s] (see the module's policy).

    Examples
    --------
    >>> [delay_after_s(n) for n in (5, 6, 7, 11, 12, 19, 20)]
    [0.0, 1.0, 2.0, 32.0, 60.0, 60.0, 300.0]
    """
    if failures >= LOCKOUT_FAILURES:
        return LOCKOUT_S
    if failures <= FREE_FAILURES:
        return 0.0
    return min(2.0 ** (failures - FREE_FAILURES - 1), MAX_DELAY_S)


def _is_stale(record: _Record, now: float) -> bool:
    return now >= record.next_attempt_s and now - record.last_failure_s >= FORGET_AFTER_S
