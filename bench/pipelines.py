"""`python -m bench pipelines`: candidate NLU pipelines trained and scored side by side.

Each `bench/pipelines/<name>.yml` is a config whose pipeline differs from config.yml in one
or two settings. Each is trained NLU-only (`rasa train nlu`, from an empty Rasa cache, timed),
scored on the held-out file with the code of `make evaluate-nlu`, and timed on an in-process
parse. The shipped model (config.yml) is scored from the model cache as the reference row.
Trained candidates are kept in var/bench/pipelines/ by a hash of their config and the
training inputs, so a rerun only trains what changed. Writes reports/bench/pipelines.json.
This is how the shipped settings were chosen (docs/benchmarks.md, "Choosing the settings").
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

from bench.default_model import train, training_record, training_record_path
from bench.machine import load_averages
from bench.results import table, write_report
from bot.core.settings import PROJECT_ROOT as ROOT

CANDIDATES = ROOT / "bench" / "pipelines"
MODELS = ROOT / "var" / "bench" / "pipelines"
HEADERS = ["pipeline", "macro-F1", "accuracy", "out of scope", "parse p50 ms", "train s", "unpacked MB"]


def candidate_model(config: Path) -> Path:
    from ops.model_cache import inputs_hash

    digest = hashlib.sha256(config.read_bytes() + inputs_hash().encode()).hexdigest()[:12]
    return MODELS / f"{config.stem}-{digest}.tar.gz"


def train_nlu(config: Path, model: Path) -> float:
    """Train `config`'s NLU pipeline into `model` from an empty cache (timed, with its record)."""
    model.parent.mkdir(parents=True, exist_ok=True)
    record = train(config, model.parent, model.name[: -len(".tar.gz")],
                   model.with_suffix("").with_suffix(".log"), nlu_only=True)
    training_record_path(model).write_text(json.dumps(record, indent=2))
    return record["training_seconds"]


def score(name: str, model: Path, seconds: Optional[float]) -> Dict[str, Any]:
    from bench.train import model_size
    from ops.evaluate_nlu import evaluate

    scores = evaluate(model, out=ROOT / "reports" / "bench" / "pipelines" / name)
    return {"name": name, "model": model.name, "training_seconds": seconds,
            "in_scope_macro_f1": scores["in_scope_macro_f1"],
            "in_scope_accuracy": scores["in_scope_accuracy"],
            "out_of_scope_handled": scores["out_of_scope_handled"],
            "parse_ms": scores["parse_ms"], **model_size(model)}


def row(result: Dict[str, Any]) -> List[Any]:
    return [result["name"], result["in_scope_macro_f1"], result["in_scope_accuracy"],
            f"{result['out_of_scope_handled']:.1%}", (result["parse_ms"] or {}).get("p50"),
            result["training_seconds"], result["unpacked_mb"]]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench pipelines", description=__doc__)
    parser.add_argument("names", nargs="*", help="candidates to run (default: all in bench/pipelines/)")
    parser.add_argument("--retrain", action="store_true", help="train candidates even if kept")
    args = parser.parse_args(argv)

    from ops.model_cache import ensure_model

    configs = sorted(CANDIDATES.glob("*.yml"))
    if args.names:
        unknown = set(args.names) - {c.stem for c in configs}
        if unknown:
            parser.error(f"no such candidate: {', '.join(sorted(unknown))} "
                         f"(have: {', '.join(c.stem for c in configs)})")
        configs = [c for c in configs if c.stem in args.names]
    results = [score("shipped (config.yml)", ensure_model(), None)]
    print(table(HEADERS, [row(results[0])]), flush=True)
    for config in configs:
        model = candidate_model(config)
        if args.retrain or not model.exists():
            print(f"==> training {config.stem} (NLU only)", flush=True)
            seconds: Optional[float] = train_nlu(config, model)
        else:
            seconds = (training_record(model) or {}).get("training_seconds")
        results.append(score(config.stem, model, seconds))
        print(table(HEADERS, [row(results[-1])]), flush=True)
    target = write_report("pipelines", {"load": load_averages(), "candidates": results})
    print()
    print(table(HEADERS, [row(r) for r in results]))
    print(f"\nReport: {target}")
    return 0
