"""Slows down password guessing: a username is refused for a while after repeated failures."""
from __future__ import annotations

import time
from typing import Dict, List, Optional

#: Usernames remembered at most, so guesses with made-up names cannot fill the memory.
MAX_TRACKED = 10_000


class LoginThrottle:
    """Refuses a username for a while after too many wrong passwords in a row."""

    def __init__(self, max_failures: int = 5, window_seconds: float = 900.0) -> None:
        self.max_failures, self.window = max_failures, window_seconds
        self._failures: Dict[str, List[float]] = {}

    def _recent(self, username: str, now: float) -> List[float]:
        return [t for t in self._failures.get(username, ()) if now - t < self.window]

    def blocked(self, username: str, now: Optional[float] = None) -> bool:
        return len(self._recent(username, now or time.monotonic())) >= self.max_failures

    def failed(self, username: str, now: Optional[float] = None) -> None:
        now = now or time.monotonic()
        if len(self._failures) >= MAX_TRACKED:  # many made-up usernames: forget the stale ones
            self._failures = {n: t for n, t in self._failures.items() if now - t[-1] < self.window}
        self._failures[username] = self._recent(username, now) + [now]

    def succeeded(self, username: str) -> None:
        self._failures.pop(username, None)
