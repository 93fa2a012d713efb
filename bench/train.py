"""`python -m bench train`: training time and model size, our config against Rasa's default.

Training is slow (minutes), so the figures come from the timed trainings on record: the
default-pipeline model records its own (bench/default_model.py); `--retrain` trains it again,
`--retrain-shipped` also trains our config.yml into a temporary folder (the cached model is
left alone). Both timed trainings start from an empty Rasa cache.
"""
from __future__ import annotations

import argparse
import json
import tarfile
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional

from bench.default_model import ROOT, ensure_default_model, train, training_record
from bench.results import table, write_report

HEADERS = ["model", "config", "training s", "load 1m at start", "size MB", "unpacked MB"]


def model_size(model: Path) -> Dict[str, Any]:
    """The archive's size, its unpacked size, and the unpacked size of each graph component."""
    parts: Counter = Counter()
    with tarfile.open(model) as archive:
        for member in archive.getmembers():
            if member.isfile():
                top = member.name.split("/")[1] if member.name.count("/") >= 2 else member.name
                parts[top] += member.size
    return {"archive_mb": round(model.stat().st_size / 1e6, 2),
            "unpacked_mb": round(sum(parts.values()) / 1e6, 2),
            "components_mb": {k: round(v / 1e6, 2) for k, v in parts.most_common(10)}}


def shipped_record(model: Path, retrain: bool, seconds: Optional[float]) -> Optional[Dict[str, Any]]:
    if retrain:
        with tempfile.TemporaryDirectory(prefix="bench-shipped-") as tmp:
            return train(ROOT / "config.yml", Path(tmp), "shipped",
                         ROOT / "var" / "logs" / "train-bench-shipped.log")
    if seconds is not None:
        return {"training_seconds": seconds, "source": "timed outside this command (--shipped-seconds)"}
    return None


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench train", description=__doc__)
    parser.add_argument("--retrain", action="store_true", help="train the default model again")
    parser.add_argument("--retrain-shipped", action="store_true",
                        help="also time a training of our config (about 8 minutes)")
    parser.add_argument("--shipped-seconds", type=float,
                        help="our model's training time measured elsewhere (e.g. `make model`)")
    args = parser.parse_args(argv)

    from ops.model_cache import ensure_model

    shipped = ensure_model()
    default = ensure_default_model(args.retrain)
    models = {
        "shop": {"model": shipped.name, "config": "config.yml",
                 "training": shipped_record(shipped, args.retrain_shipped, args.shipped_seconds),
                 **model_size(shipped)},
        "rasa_init": {"model": default.name, "config": "rasa init (Rasa 3.6 defaults)",
                      "training": training_record(default), **model_size(default)},
    }
    report_rows = []
    for name, m in models.items():
        t = m["training"] or {}
        report_rows.append([name, m["config"], t.get("training_seconds"),
                            (t.get("load_before") or {}).get("load_1m"), m["archive_mb"], m["unpacked_mb"]])
    target = write_report("train", {"models": models})
    print(table(HEADERS, report_rows))
    for name, m in models.items():
        print(f"{name} components (unpacked MB): " + json.dumps(m["components_mb"]))
    print(f"\nReport: {target}")
    return 0
