"""Train the Rasa model only when its inputs changed.

The model is named after a hash of everything training reads (config, domain, training data,
the in-repo spaCy pipeline's source, the pinned package versions), so an unchanged checkout
reuses models/shop-<hash>.tar.gz and a changed one trains once. Prints the model's path.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from bot.core.settings import PROJECT_ROOT as ROOT

MODELS = ROOT / "models"
INPUTS = ["config.yml", "domain.yml", "bot/text/nlp_pipeline.py"]
# Of the pinned packages, only those that change what training produces are hashed, so adding a
# test tool to constraints.txt does not retrain the model.
TRAINING_PACKAGES = ("rasa", "rasa-sdk", "tensorflow", "keras", "numpy", "scipy", "scikit-learn",
                     "spacy", "thinc", "protobuf", "sklearn-crfsuite", "joblib")


def training_pins() -> bytes:
    lines = (ROOT / "constraints.txt").read_text().splitlines()
    keep = [line for line in lines
            if line.split("==")[0].strip().lower().startswith(TRAINING_PACKAGES)]
    return "\n".join(sorted(keep)).encode()


def training_inputs() -> list[Path]:
    files = [ROOT / name for name in INPUTS]
    files += sorted((ROOT / "data").rglob("*.yml"))
    return files


def inputs_hash() -> str:
    digest = hashlib.sha256()
    for path in training_inputs():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    digest.update(b"constraints.txt\0" + training_pins())
    return digest.hexdigest()[:16]


def model_path() -> Path:
    return MODELS / f"shop-{inputs_hash()}.tar.gz"


def ensure_model() -> Path:
    target = model_path()
    if target.exists():
        return target
    MODELS.mkdir(exist_ok=True)
    log = ROOT / "var" / "logs" / "train.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"==> Training the model (data or config changed; log: {log.relative_to(ROOT)})",
          file=sys.stderr, flush=True)
    started = time.monotonic()
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore")
    with log.open("w") as out:
        result = subprocess.run(
            [
                str(Path(sys.executable).parent / "rasa"), "train",
                "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
                "--out", str(MODELS), "--fixed-model-name", target.name[: -len(".tar.gz")],
            ],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env,
        )
    if result.returncode != 0 or not target.exists():
        tail = log.read_text(errors="replace").splitlines()[-25:]
        print("\n".join(tail), file=sys.stderr)
        sys.exit(f"error: training failed; the whole log is in {log}")
    print(f"==> Model trained in {time.monotonic() - started:.0f}s: {target.relative_to(ROOT)}",
          file=sys.stderr)
    return target


if __name__ == "__main__":
    print(ensure_model().relative_to(ROOT))
