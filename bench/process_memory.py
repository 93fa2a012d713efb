"""Resident memory of a server process and its children, from /proc (Linux).

`rasa run` serves from one process with the default single Sanic worker; with SANIC_WORKERS=N
it forks N workers, each loading its own model. A server's figure is its whole tree, and
`largest_peak_rss_mb` is the biggest single process of it (one worker).
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Dict, List, Optional


def _status_kb(pid: int, field: str) -> Optional[int]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def process_tree(pid: int) -> List[int]:
    """`pid` and every descendant that is still running."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            children = []
        todo.extend(int(c) for c in children)
    return tree


def rss_mb(pid: int) -> float:
    """Resident memory now, summed over the process tree, in MB."""
    return round(sum(_status_kb(p, "VmRSS") or 0 for p in process_tree(pid)) / 1024, 1)


def peak_rss_mb(pid: int) -> float:
    """The kernel's high-water mark of resident memory (VmHWM), summed over the tree, in MB."""
    return round(sum(_status_kb(p, "VmHWM") or 0 for p in process_tree(pid)) / 1024, 1)


def largest_peak_rss_mb(pid: int) -> float:
    """The largest high-water mark (VmHWM) of any one process of the tree, in MB."""
    return round(max((_status_kb(p, "VmHWM") or 0 for p in process_tree(pid)), default=0) / 1024, 1)


class MemorySampler:
    """Samples the resident memory of named processes in the background; keeps the peaks."""

    def __init__(self, pids: Dict[str, int], interval: float = 0.25) -> None:
        self.pids = pids
        self.interval = interval
        self.peaks: Dict[str, float] = {name: 0.0 for name in pids}
        self._task: Optional[asyncio.Task] = None

    def sample(self) -> None:
        for name, pid in self.pids.items():
            self.peaks[name] = max(self.peaks[name], rss_mb(pid))

    async def _run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> Dict[str, float]:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        self.sample()
        return dict(self.peaks)
