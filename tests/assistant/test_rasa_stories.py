"""Runs the Rasa test stories (tests/stories/) against the trained model."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from ops.model_cache import ROOT, ensure_model

STORIES = ROOT / "tests" / "stories"


def test_every_test_story_is_predicted_exactly(tmp_path: Path):
    out = tmp_path / "results"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "test", "core", "--model", str(ensure_model()),
         "--stories", str(STORIES), "--out", str(out), "--fail-on-prediction-errors"],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"},
    )
    failed = (out / "failed_test_stories.yml").read_text() if (out / "failed_test_stories.yml").exists() else ""
    assert result.returncode == 0, f"prediction errors:\n{failed}\n{result.stdout[-3000:]}{result.stderr[-3000:]}"

    expected = sum(len(yaml.safe_load(f.read_text())["stories"]) for f in STORIES.glob("*.yml"))
    report = json.loads((out / "story_report.json").read_text())["conversation_accuracy"]
    assert report["total"] == expected >= 9
    assert report["correct"] == expected
