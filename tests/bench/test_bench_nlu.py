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
    assert 0 <= shop["in_scope_macro_f1"] <= 1
    assert (tmp_path / "nlu" / "shop" / "report.json").exists()
    saved = json.loads((tmp_path / "nlu.json").read_text())
    assert [t["target"] for t in saved["targets"]] == ["in-scope macro-F1", "out-of-scope handled"]
    assert saved["ratio_shop_to_rasa_init"] == {}  # one model: nothing to divide by
