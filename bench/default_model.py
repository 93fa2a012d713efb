"""The comparison bot: Rasa's default `rasa init` configuration trained on our domain and data.

`rasa init` writes a config.yml whose pipeline and policies are commented out, so training
fills in Rasa 3.6's defaults (rasa/engine/recipes/config_files/default_config.yml). We train
exactly that file, copied from the installed Rasa, on the same domain and data as our model.

The model is cached like ours: models/rasa-init-<hash>.tar.gz, the hash over that config, the
domain, the data and the training pins, so reruns skip the ~10 minutes of training. Beside it,
models/rasa-init-<hash>.train.json records how long the training took and how busy the
machine was.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Optional

import rasa

from bench.machine import load_averages
from ops import model_cache
from ops.stack import RASA

ROOT = model_cache.ROOT
MODELS = model_cache.MODELS
#: What `rasa init` writes as config.yml (pipeline and policies left to the defaults).
INIT_CONFIG = Path(rasa.__file__).parent / "cli" / "initial_project" / "config.yml"


def default_inputs_hash() -> str:
    import hashlib

    digest = hashlib.sha256(INIT_CONFIG.read_bytes())
    for path in model_cache.training_inputs():
        if path.name == "config.yml" and path.parent == ROOT or path.name == "nlp_pipeline.py":
            continue  # our config and our spaCy pipeline are not part of the default bot
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    digest.update(b"constraints.txt\0" + model_cache.training_pins())
    return digest.hexdigest()[:16]


def default_model_path() -> Path:
    return MODELS / f"rasa-init-{default_inputs_hash()}.tar.gz"


def training_record_path(model: Path) -> Path:
    return model.with_name(model.name[: -len(".tar.gz")] + ".train.json")


def train(config: Path, out_dir: Path, name: str, log: Path, nlu_only: bool = False) -> Dict[str, object]:
    """Train one model with `rasa train` (`rasa train nlu` if `nlu_only`) from a cold cache;
    how long it took and the load.

    Rasa's fingerprint cache would reuse components trained earlier and make the time
    meaningless, so every timed training gets an empty cache directory of its own.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        # Rasa rewrites an auto-configured config file in place: train a copy.
        config_copy = Path(tmp) / "config.yml"
        shutil.copyfile(config, config_copy)
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore",
                   RASA_CACHE_DIRECTORY=str(Path(tmp) / "cache"))
        command = [RASA, "train", "nlu", "--nlu", "data"] if nlu_only else [RASA, "train", "--data", "data", "--force"]
        before = load_averages()
        started = time.monotonic()
        with log.open("w") as out:
            result = subprocess.run(
                command + ["--config", str(config_copy), "--domain", "domain.yml",
                           "--out", str(out_dir), "--fixed-model-name", name],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        seconds = time.monotonic() - started
    model = out_dir / f"{name}.tar.gz"
    if result.returncode != 0 or not model.exists():
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        raise RuntimeError(f"training failed (log: {log}):\n{tail}")
    return {"model": model.name, "training_seconds": round(seconds, 1),
            "load_before": before, "load_after": load_averages()}


def ensure_default_model(retrain: bool = False) -> Path:
    """The default-pipeline model, trained (and timed) if it is missing or `retrain` is set."""
    target = default_model_path()
    if target.exists() and not retrain:
        return target
    MODELS.mkdir(exist_ok=True)
    print("==> Training the default `rasa init` pipeline on our data (about 10 minutes; "
          "log: var/logs/train-rasa-init.log)", file=sys.stderr, flush=True)
    record = train(INIT_CONFIG, MODELS, target.name[: -len(".tar.gz")],
                   ROOT / "var" / "logs" / "train-rasa-init.log")
    training_record_path(target).write_text(json.dumps(record, indent=2))
    print(f"==> Trained in {record['training_seconds']:.0f}s: {target.relative_to(ROOT)}",
          file=sys.stderr)
    return target


def training_record(model: Path) -> Optional[Dict[str, object]]:
    path = training_record_path(model)
    return json.loads(path.read_text()) if path.exists() else None
