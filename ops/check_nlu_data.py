"""Checks on the NLU data: no example under two labels, held-out paraphrases not copied from training.

`python -m ops.check_nlu_data` prints what it finds (exit code 1 on an error); tests/assistant/test_nlu_data.py
runs the same checks. Training data: data/nlu*.yml plus the FAQ questions in shop/faq.yml (read
directly, so data/generated/faq.yml need not be built). Evaluation data: tests/nlu/heldout.yml,
tests/nlu/external_style.yml, and the Chinese and Russian held-out files tests/nlu/heldout_zh.yml and
tests/nlu/heldout_ru.yml.
"""
from __future__ import annotations

import re
import sys
from difflib import SequenceMatcher
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

import yaml

from bot.core.settings import PROJECT_ROOT as ROOT
from bot.profile.faq import load_faq

TRAINING_FILES = sorted((ROOT / "data").glob("nlu*.yml"))
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
#: Written separately from the training data in deliberately other voices (shoppers' own).
EXTERNAL_STYLE = ROOT / "tests" / "nlu" / "external_style.yml"
#: The evaluation files, by the name reports use.
EVALUATION_FILES = {"heldout": HELDOUT, "external_style": EXTERNAL_STYLE}
#: Held-out files in the shop's customers' other languages, by language code: written by authors
#: who saw only a label guide, never the training data; scored beside the English ones.
LANGUAGE_FILES = {"zh": ROOT / "tests" / "nlu" / "heldout_zh.yml", "ru": ROOT / "tests" / "nlu" / "heldout_ru.yml"}
#: Training examples in those languages, not trained yet (languages/README.md): held to the same
#: rules as the training data, so the evaluation files stay unseen.
LANGUAGE_TRAINING = {code: ROOT / "languages" / code / "nlu.yml" for code in LANGUAGE_FILES}
NEAR_COPY_RATIO = 0.9  # character similarity of the normalised texts at or above which a paraphrase is a copy

Example = Tuple[str, str]  # (label, text without entity annotations)

_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_NOT_WORD = re.compile(r"[^\w$@.]+|_")  # \w: letters of every script (Chinese, Russian) and digits


def plain_text(annotated: str) -> str:
    """'return order [123456](order_number)' -> 'return order 123456'."""
    return _ANNOTATION.sub(r"\1", annotated).strip()


def normalise(text: str) -> str:
    """Lowercase words without punctuation: "What's THIS?" -> "whats this"."""
    words = _NOT_WORD.sub(" ", text.lower().replace("'", "").replace("\u2019", "")).split()
    return " ".join(w.strip(".") for w in words if w.strip("."))


def _yaml_examples(path: Path) -> List[Example]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = []
    for block in data.get("nlu") or []:
        if "intent" not in block:
            continue  # synonym, regex and lookup blocks
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                found.append((block["intent"], plain_text(line[2:])))
    return found


def training_examples(files: Iterable[Path] = TRAINING_FILES) -> List[Example]:
    examples = [ex for path in files for ex in _yaml_examples(path)]
    examples += [(f"faq/{t.key}", q) for t in load_faq() for q in t.questions]
    return examples


def heldout_examples(path: Path = HELDOUT) -> List[Example]:
    return _yaml_examples(path)


def labels_sharing_a_text(examples: List[Example]) -> Dict[str, List[str]]:
    """Normalised texts given under more than one label (a contradiction for the classifier)."""
    labels: Dict[str, set] = {}
    for label, text in examples:
        labels.setdefault(normalise(text), set()).add(label)
    return {text: sorted(found) for text, found in labels.items() if len(found) > 1}


def repeated_within_a_label(examples: List[Example]) -> List[Example]:
    """Exact repeats under one label (harmless, but wasted lines)."""
    seen, repeated = set(), []
    for label, text in examples:
        key = (label, text)
        if key in seen:
            repeated.append((label, text))
        seen.add(key)
    return repeated


def heldout_copies(training: List[Example], heldout: List[Example],
                   ratio: float = NEAR_COPY_RATIO) -> List[Tuple[str, str, str, float]]:
    """Held-out texts equal to, or nearly the same as, a training text: (label, held-out, training, ratio)."""
    train = {normalise(text): label for label, text in training}
    found = []
    for label, text in heldout:
        norm = normalise(text)
        if norm in train:
            found.append((label, text, norm, 1.0))
            continue
        best, best_ratio = "", 0.0
        matcher = SequenceMatcher(None, "", norm)
        for other in train:
            matcher.set_seq1(other)
            if matcher.real_quick_ratio() >= ratio and matcher.quick_ratio() >= ratio:
                score = matcher.ratio()
                if score > best_ratio:
                    best, best_ratio = other, score
        if best_ratio >= ratio or (best and sorted(best.split()) == sorted(norm.split())):
            found.append((label, text, best, round(best_ratio, 3)))
    return found


def main() -> int:
    """Errors: a text under two labels, a held-out text equal to a training text. Near copies are listed."""
    training = training_examples() + [ex for path in LANGUAGE_TRAINING.values() if path.exists()
                                      for ex in heldout_examples(path)]
    heldout = [ex for path in (*EVALUATION_FILES.values(), *LANGUAGE_FILES.values()) if path.exists()
               for ex in heldout_examples(path)]
    errors = 0
    for text, labels in labels_sharing_a_text(training).items():
        print(f"ERROR training text under several labels: {text!r}: {', '.join(labels)}")
        errors += 1
    for label, text in repeated_within_a_label(training):
        print(f"note: training text repeated in {label}: {text!r}")
    for label, text, other, score in heldout_copies(training, heldout):
        kind = "ERROR held-out copy" if score == 1.0 else "near copy"
        errors += score == 1.0
        print(f"{kind} {label}: {text!r} ~ training {other!r} ({score})")
    print(f"{len(training)} training and {len(heldout)} held-out examples, {errors} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
