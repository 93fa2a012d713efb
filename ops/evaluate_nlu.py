"""Evaluate the trained model's understanding on the evaluation files (ops.check_nlu_data):
tests/nlu/heldout.yml and tests/nlu/external_style.yml, and per language the Chinese and Russian
held-out files (tests/nlu/heldout_zh.yml, heldout_ru.yml), scored as if the shop's profile
spoke that language (`speaking`: the language gate lets it through; the shipped profile names only
the languages the replies are written in).

`make evaluate-nlu` writes, per file, report.json (per-intent precision/recall/F1, FAQ topics,
out-of-scope handling, a fallback-threshold table) and confusion_matrix.png: the held-out file's
in reports/nlu/, the others' in reports/nlu/<name>/. The model is loaded in-process and every
message parsed, so the ranking before the fallback is seen too.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

from bot.core.settings import PROJECT_ROOT as ROOT
from ops.check_nlu_data import EVALUATION_FILES, HELDOUT, LANGUAGE_FILES

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # Rasa logs every parse at debug level otherwise

REPORT_DIR = ROOT / "reports" / "nlu"
OUT_OF_SCOPE = {"out_of_scope", "nlu_fallback", "unsupported_language"}
#: Small talk: an off-topic message answered with one of these was not taken for a shop question.
CHITCHAT = {"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "insult"}
#: An off-topic message counts as handled when it gets one of these, not a shop intent or FAQ topic.
HANDLED_OFF_TOPIC = OUT_OF_SCOPE | CHITCHAT
THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]


@dataclass
class Prediction:
    text: str
    expected: str  # intent, or faq/<topic> for FAQ questions
    predicted: str  # after the fallback; faq/<topic> when the FAQ intent won
    raw_intent: str  # the top intent before the fallback
    raw_confidence: float
    faq_key: Optional[str] = None  # the response selector's pick, whatever the intent
    faq_confidence: Optional[float] = None
    parse_ms: Optional[float] = None  # in-process, one message at a time


def _faq_response(parse: Dict) -> Dict:
    """The FAQ response selector's pick. Ours is trained for the `faq` retrieval intent; one
    left without `retrieval_intent` (Rasa's default pipeline) reports under `default`."""
    selectors = parse.get("response_selector", {})
    return (selectors.get("faq") or selectors.get("default") or {}).get("response", {})


def _label(parse: Dict) -> str:
    name = parse["intent"]["name"]
    if name == "faq":
        return _faq_response(parse).get("intent_response_key") or "faq"
    return name


@lru_cache(maxsize=1)
def _agent(model: Path) -> Any:
    """The loaded model, once for all the evaluation files scored in one run."""
    from rasa.core.agent import Agent

    return Agent.load(str(model))


async def _predict(model: Path, heldout: Path) -> List[Prediction]:
    import logging

    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # otherwise every parse is logged at debug level

    agent = _agent(model)
    predictions = []
    for example in load_data(str(heldout)).intent_examples:
        expected = example.get("intent")
        if example.get("intent_response_key"):
            expected = example.get("intent_response_key")
        elif example.get("response_key"):
            expected = f"{expected}/{example.get('response_key')}"
        text = example.get("text")
        started = time.perf_counter()
        parse = await agent.parse_message(text)
        parse_ms = (time.perf_counter() - started) * 1000
        raw = next((i for i in parse.get("intent_ranking", []) if i["name"] != "nlu_fallback"), parse["intent"])
        faq = _faq_response(parse)
        predictions.append(Prediction(text, expected, _label(parse), raw["name"], float(raw["confidence"] or 0),
                                      faq.get("intent_response_key"), faq.get("confidence"), parse_ms))
    return predictions


def _scores(predictions: List[Prediction]) -> Dict:
    from sklearn.metrics import classification_report, f1_score

    in_scope = [p for p in predictions if p.expected not in OUT_OF_SCOPE]
    labels = sorted({p.expected for p in in_scope})
    y_true = [p.expected for p in in_scope]
    y_pred = [p.predicted for p in in_scope]
    per_label = classification_report(y_true, y_pred, labels=labels, output_dict=True, zero_division=0)
    oos = [p for p in predictions if p.expected == "out_of_scope"]
    return {
        "examples": len(predictions),
        "in_scope_examples": len(in_scope),
        "in_scope_accuracy": round(sum(t == p for t, p in zip(y_true, y_pred)) / max(1, len(in_scope)), 4),
        "in_scope_macro_f1": round(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0), 4),
        "out_of_scope_examples": len(oos),
        "out_of_scope_handled": round(sum(p.predicted in HANDLED_OFF_TOPIC for p in oos) / max(1, len(oos)), 4),
        "per_label": {k: {m: round(v, 4) for m, v in per_label[k].items()} for k in labels},
        "thresholds": _threshold_table(predictions),
        "faq_thresholds": _faq_threshold_table(predictions),
        "parse_ms": _parse_times(predictions),
    }


def _parse_times(predictions: List[Prediction]) -> Optional[Dict]:
    """Median and mean in-process parse time: the model's own cost, without HTTP or dialogue."""
    times = sorted(p.parse_ms for p in predictions if p.parse_ms is not None)
    if not times:
        return None
    return {"p50": round(times[len(times) // 2], 2), "mean": round(sum(times) / len(times), 2)}


def _threshold_table(predictions: List[Prediction]) -> List[Dict]:
    """For each candidate fallback threshold: in-scope messages lost to it, out-of-scope caught."""
    rows = []
    in_scope = [p for p in predictions if p.expected not in OUT_OF_SCOPE]
    oos = [p for p in predictions if p.expected == "out_of_scope"]
    for t in THRESHOLDS:
        lost = sum(p.raw_confidence < t for p in in_scope)
        caught = sum(p.raw_confidence < t or p.raw_intent == "out_of_scope" for p in oos)
        rows.append({"threshold": t, "in_scope_falling_back": round(lost / max(1, len(in_scope)), 4),
                     "out_of_scope_handled": round(caught / max(1, len(oos)), 4)})
    return rows


def _faq_threshold_table(predictions: List[Prediction]) -> List[Dict]:
    """For messages the FAQ intent won: right FAQ answers lost, wrong ones caught, per threshold."""
    won = [(p, c) for p in predictions if p.raw_intent == "faq" and (c := p.faq_confidence) is not None]
    right = [c for p, c in won if p.faq_key == p.expected]  # the confidence of each
    wrong = [c for p, c in won if p.faq_key != p.expected]
    return [
        {"min_faq_confidence": t,
         "right_answers_lost": sum(c < t for c in right),
         "wrong_answers_caught": sum(c < t for c in wrong),
         "right_answers": len(right), "wrong_answers": len(wrong)}
        for t in (0.1, 0.15, 0.2, 0.3, 0.5)
    ]


def _confusion_image(predictions: List[Prediction], target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    labels = sorted({p.expected for p in predictions} | {p.predicted for p in predictions})
    matrix = confusion_matrix([p.expected for p in predictions], [p.predicted for p in predictions], labels=labels)
    size = max(8, len(labels) * 0.32)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j]:
                ax.text(j, i, matrix[i, j], ha="center", va="center", fontsize=6,
                        color="white" if matrix[i, j] > matrix.max() / 2 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected")
    ax.set_title(f"NLU evaluation ({target.parent.name}): intents and FAQ topics")
    fig.tight_layout()
    fig.savefig(target, dpi=110)
    plt.close(fig)


def evaluate(model: Path, heldout: Path = HELDOUT, out: Path = REPORT_DIR) -> Dict:
    predictions = asyncio.run(_predict(model, heldout))
    scores = _scores(predictions)
    scores["model"] = model.name
    scores["errors"] = [
        {"text": p.text, "expected": p.expected, "predicted": p.predicted, "confidence": round(p.raw_confidence, 3)}
        for p in predictions if p.expected != p.predicted
        and not (p.expected == "out_of_scope" and p.predicted in HANDLED_OFF_TOPIC)
    ]
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(scores, indent=2))
    _confusion_image(predictions, out / "confusion_matrix.png")
    return scores


#: The name the profile's support.languages gives each evaluated language.
LANGUAGE_NAMES = {"zh": "Chinese", "ru": "Russian"}


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """The shop's profile with the language added to support.languages, while in the block."""
    import tempfile

    import yaml

    from bot.profile.shop_profile import PROFILE_ENV, profile_path

    data = yaml.safe_load(profile_path().read_text(encoding="utf-8"))
    data["support"]["languages"] = [*data["support"]["languages"], LANGUAGE_NAMES[code]]
    before = os.environ.get(PROFILE_ENV)
    with tempfile.TemporaryDirectory(prefix="profile-") as folder:
        path = Path(folder) / "profile.yml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        os.environ[PROFILE_ENV] = str(path)
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(PROFILE_ENV, None)
            else:
                os.environ[PROFILE_ENV] = before


def evaluate_language(model: Path, code: str, out: Path) -> Dict:
    """`evaluate` on the language's held-out file, the shop speaking the language."""
    with speaking(code):
        return evaluate(model, LANGUAGE_FILES[code], out)


def _print(path: Path, scores: Dict, out: Path) -> None:
    print(f"{path.relative_to(ROOT)}: {scores['examples']} examples ({scores['in_scope_examples']} in scope)")
    print(f"  in-scope accuracy: {scores['in_scope_accuracy']:.3f}   macro-F1: {scores['in_scope_macro_f1']:.3f}")
    print(f"  off-topic handled (out of scope, fallback or small talk): {scores['out_of_scope_handled']:.1%}")
    worst = sorted(scores["per_label"].items(), key=lambda kv: kv[1]["f1-score"])[:5]
    print("  weakest: " + ", ".join(f"{k} {v['f1-score']:.2f}" for k, v in worst))
    print(f"  report: {out.relative_to(ROOT)}/report.json and confusion_matrix.png")


def main(argv: Optional[List[str]] = None) -> int:
    import logging
    import warnings

    warnings.simplefilter("ignore")  # library deprecation chatter, not about this evaluation
    logging.getLogger("matplotlib").setLevel(logging.ERROR)
    from ops.model_cache import ensure_model

    model = ensure_model()
    for name, path in EVALUATION_FILES.items():
        if path.exists():
            out = REPORT_DIR if path == HELDOUT else REPORT_DIR / name
            _print(path, evaluate(model, path, out), out)
    for code, path in LANGUAGE_FILES.items():
        if path.exists():
            out = REPORT_DIR / f"heldout_{code}"
            _print(path, evaluate_language(model, code, out), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
