"""Writing a benchmark's results: JSON under reports/bench/ and a readable table."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Sequence

from bench.machine import describe
from bot.core.settings import PROJECT_ROOT as ROOT

REPORT_DIR = ROOT / "reports" / "bench"


def write_report(name: str, results: Dict[str, Any], out_dir: Path = REPORT_DIR) -> Path:
    """reports/bench/<name>.json holding the results and the machine they were taken on."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.json"
    target.write_text(json.dumps({"machine": describe(), **results}, indent=2, default=str))
    return target


def table(headers: Sequence[str], rows: List[Sequence[Any]]) -> str:
    """A plain-text table with aligned columns (numbers right-aligned)."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    numeric = [all(isinstance(row[i], (int, float)) for row in rows) if rows else False
               for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells])


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return "" if value is None else str(value)
