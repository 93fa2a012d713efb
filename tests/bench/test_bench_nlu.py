"""The NLU comparison scores models with ops/evaluate_nlu.py (tiny held-out set, no training)."""
from __future__ import annotations

import json

from bench.nlu import run
from ops.model_cache import ensure_model

TINY_HELDOUT = """version: "3.1"
nlu:
- intent: order_status
  examples: |
    - where is my parcel
    - has my order shipped yet
- intent: out_of_scope
  examples: |
    - who won the football game last night
"""


def test_comparison_report_scores_each_model_on_the_given_file(tmp_path):
    heldout = tmp_path / "heldout.yml"
    heldout.write_text(TINY_HELDOUT)
    report = run({"shop": ensure_model()}, heldout, tmp_path)
    shop = report["models"]["shop"]
    assert (shop["examples"], shop["in_scope_examples"], shop["out_of_scope_examples"]) == (3, 2, 1)
    detail = json.loads((tmp_path / "nlu" / "shop" / "report.json").read_text())
    assert detail["model"] == ensure_model().name
    # The accuracy is the share of the two in-scope messages not listed among the errors.
    wrong = [e for e in detail["errors"] if e["expected"] != "out_of_scope"]
    assert shop["in_scope_accuracy"] == (2 - len(wrong)) / 2
    saved = json.loads((tmp_path / "nlu.json").read_text())
    assert [t["target"] for t in saved["targets"]] == ["in-scope macro-F1", "out-of-scope handled"]
    assert saved["ratio_shop_to_rasa_init"] == {}  # one model: nothing to divide by
