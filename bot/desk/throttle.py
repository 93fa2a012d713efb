"""Slows down password guessing, per user name and per client address.

Each login attempt is counted *before* the ~50 ms password check, so parallel requests count
against each other; a correct password takes its own attempt back. A user name is refused
after `max_failures` recent attempts, a client address after `max_per_client` (on any names),
so one address cannot try many passwords, nor many names.
"""
from __future__ import annotations

import time
from typing import Dict, List, Optional

#: Keys remembered at most, so guesses with made-up names cannot fill the memory.
MAX_TRACKED = 10_000


class _Counter:
    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._times: Dict[str, List[float]] = {}

    def recent(self, key: str, now: float) -> List[float]:
        return [t for t in self._times.get(key, ()) if now - t < self.window]

    def full(self, key: str, now: float) -> bool:
        return len(self.recent(key, now)) >= self.limit

    def add(self, key: str, now: float) -> None:
        if len(self._times) >= MAX_TRACKED:  # many made-up names: forget the stale ones
            self._times = {k: t for k, t in self._times.items() if t and now - t[-1] < self.window}
        self._times[key] = self.recent(key, now) + [now]

    def take_back(self, key: str) -> None:
        times = self._times.get(key)
        if times:
            times.pop()


class LoginThrottle:
    """Refuses a user name, or a client address, for a while after too many attempts."""

    def __init__(self, max_failures: int = 5, window_seconds: float = 900.0,
                 max_per_client: int = 20) -> None:
        self.window = window_seconds
        self._names = _Counter(max_failures, window_seconds)
        self._clients = _Counter(max_per_client, window_seconds)

    def attempt(self, username: str, client: str = "", now: Optional[float] = None) -> bool:
        """Count an attempt before the password is checked; False means refuse it unchecked."""
        now = now or time.monotonic()
        if self._names.full(username, now) or (client and self._clients.full(client, now)):
            return False
        self._names.add(username, now)
        if client:
            self._clients.add(client, now)
        return True

    def succeeded(self, username: str, client: str = "") -> None:
        """The password was right: that attempt does not count, nor do the name's earlier ones."""
        self._names._times.pop(username, None)
        if client:
            self._clients.take_back(client)
