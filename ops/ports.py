"""Finding a free local port, for servers started by tests and benchmarks."""
from __future__ import annotations

import random
import socket
from typing import AbstractSet, Optional, Tuple


def free_port(within: Optional[Tuple[int, int]] = None, taken: AbstractSet[int] = frozenset()) -> int:
    """A port that nothing listens on now: any the system hands out, or one in `within` (low,
    high) that is not in `taken`."""
    if within is None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]
    low, high = within
    candidates = [p for p in range(low, high + 1) if p not in taken]
    random.shuffle(candidates)
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {low}-{high}")
