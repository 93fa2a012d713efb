"""What the figures were measured on: the machine, the versions, and how busy it was.

The machine is shared, so every result carries the load averages taken beside it.
"""
from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Dict, Optional


def load_averages() -> Dict[str, float]:
    """The 1-, 5- and 15-minute load averages (what `uptime` prints)."""
    one, five, fifteen = os.getloadavg()
    return {"load_1m": round(one, 2), "load_5m": round(five, 2), "load_15m": round(fifteen, 2)}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> Optional[float]:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> Dict[str, object]:
    """The machine and software a result belongs to, with the current load."""
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "cpu_model": _cpu_model(),
        "python": platform.python_version(),
        "rasa": _version("rasa"),
        "rasa_sdk": _version("rasa-sdk"),
        "tensorflow": _version("tensorflow"),
        **load_averages(),
    }
