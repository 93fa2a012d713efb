"""`python -m bench nlu`: understanding of our model against Rasa's default pipeline.

Both models are scored by ops/evaluate_nlu.py on the same held-out file in the same run
(the default one trained on our data first if it is not cached, see bench/default_model.py).
Each model's full report lands in reports/bench/nlu/<name>/; the comparison in
reports/bench/nlu.json.
"""
from __future__ import annotations

import argparse
import logging
import warnings
from pathlib import Path
from typing import Any, Dict, List, Optional

from bench import targets
from bench.machine import load_averages
from bench.results import REPORT_DIR, table, write_report

HEADERS = ["model", "in-scope accuracy", "in-scope macro-F1", "out-of-scope handled", "examples"]
MEASURES = ("in_scope_accuracy", "in_scope_macro_f1", "out_of_scope_handled")


def score_models(models: Dict[str, Path], heldout: Path, out_dir: Path) -> Dict[str, Dict[str, Any]]:
    """ops/evaluate_nlu.py's scores for each named model (full reports under out_dir/<name>/)."""
    from ops.evaluate_nlu import evaluate

    scored = {}
    for name, model in models.items():
        before = load_averages()
        scores = evaluate(model, heldout, out_dir / name)
        scored[name] = {k: scores[k] for k in ("model", "examples", "in_scope_examples",
                                               "out_of_scope_examples", *MEASURES)}
        scored[name]["load_before"] = before
    return scored


def compare(scored: Dict[str, Dict[str, Any]], ours: str = "shop", other: str = "rasa_init") -> Dict[str, Any]:
    """Ours divided by the other model's, per measure (the headline is macro-F1)."""
    if ours not in scored or other not in scored:
        return {}
    return {m: round(scored[ours][m] / scored[other][m], 2) if scored[other][m] else None
            for m in MEASURES}


def rows(scored: Dict[str, Dict[str, Any]], ratios: Dict[str, Any]) -> List[List[Any]]:
    out = [[name, s["in_scope_accuracy"], s["in_scope_macro_f1"], s["out_of_scope_handled"],
            s["examples"]] for name, s in scored.items()]
    if ratios:
        out.append(["ratio shop / rasa_init", ratios["in_scope_accuracy"],
                    ratios["in_scope_macro_f1"], ratios["out_of_scope_handled"], None])
    return out


def run(models: Dict[str, Path], heldout: Path, out_dir: Path = REPORT_DIR) -> Dict[str, Any]:
    scored = score_models(models, heldout, out_dir / "nlu")
    ratios = compare(scored)
    report = {"heldout": str(heldout), "models": scored, "ratio_shop_to_rasa_init": ratios,
              "targets": targets.nlu_targets(scored["shop"]) if "shop" in scored else []}
    report["report_file"] = str(write_report("nlu", report, out_dir))
    return report


def main(argv: Optional[List[str]] = None) -> int:
    from ops.evaluate_nlu import HELDOUT

    parser = argparse.ArgumentParser(prog="python -m bench nlu", description=__doc__)
    parser.add_argument("--heldout", type=Path, default=HELDOUT, help="held-out NLU file")
    parser.add_argument("--retrain-default", action="store_true",
                        help="train the default-pipeline model again even if it is cached")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # library deprecation chatter
    logging.getLogger("matplotlib").setLevel(logging.ERROR)

    from bench.default_model import ensure_default_model
    from ops.model_cache import ensure_model

    models = {"shop": ensure_model(), "rasa_init": ensure_default_model(args.retrain_default)}
    report = run(models, args.heldout)
    print(table(HEADERS, rows(report["models"], report["ratio_shop_to_rasa_init"])))
    print()
    print(table(targets.TARGET_HEADERS, targets.target_table(report["targets"])))
    print(f"\nReport: {report['report_file']} (per-model reports in reports/bench/nlu/)")
    return 0
