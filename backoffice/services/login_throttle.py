"""Failed-login throttling per username, in memory.

After `max_failures` failed logins in a row for one username, every login for it (even with
the right password) is refused with `TooManyLogins` (HTTP 429) for `lockout_s` seconds; a
successful login clears the count. The counts live in this process only: they reset on a
restart, and several worker processes each keep their own (so N workers allow up to N times
as many guesses). That is accepted for the one-process back office; a shared store would be
needed otherwise. Locking by username lets someone lock a known account out for the lockout
period: the price of stopping password guessing without knowing client addresses.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from backoffice.errors import TooManyLogins

MAX_FAILURES = 5
LOCKOUT_S = 300.0
MAX_TRACKED = 10_000  # usernames tracked at once: guessing random names cannot grow memory


@dataclass
class _Failures:
    count: int
    last: float
    locked_until: float | None = None


class LoginThrottle:
    def __init__(
        self,
        *,
        max_failures: int = MAX_FAILURES,
        lockout_s: float = LOCKOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, _Failures] = {}

    def check(self, username: str) -> None:
        """Raise TooManyLogins while `username` is locked out."""
        now = self.clock()
        with self._lock:
            entry = self._failures.get(username)
            if entry is None or entry.locked_until is None:
                return
            if now < entry.locked_until:
                raise TooManyLogins(entry.locked_until - now)
            del self._failures[username]  # the lockout is over: a fresh count

    def failed(self, username: str) -> bool:
        """Count a failed login; True when this failure locked the username out."""
        now = self.clock()
        with self._lock:
            entry = self._failures.get(username)
            if entry is None:
                if len(self._failures) >= MAX_TRACKED:
                    self._forget_oldest(now)
                entry = self._failures[username] = _Failures(0, now)
            entry.count += 1
            entry.last = now
            if entry.count >= self.max_failures and entry.locked_until is None:
                entry.locked_until = now + self.lockout_s
                return True
            return False

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(username, None)

    def _forget_oldest(self, now: float) -> None:
        """Drop unlocked counts (oldest first), keeping running lockouts, to make room."""
        for name, entry in sorted(self._failures.items(), key=lambda item: item[1].last):
            if entry.locked_until is None or entry.locked_until <= now:
                del self._failures[name]
                if len(self._failures) < MAX_TRACKED // 2:
                    return
        if len(self._failures) >= MAX_TRACKED:  # all locked: drop the oldest anyway
            del self._failures[min(self._failures, key=lambda n: self._failures[n].last)]
