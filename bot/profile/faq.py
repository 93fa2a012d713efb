"""The FAQ knowledge base (shop/faq.yml) and the Rasa training data made from it.

Operators edit shop/faq.yml: per topic, the ways customers ask and one answer. Answers name
shop settings as {placeholders} filled from the shop profile, so they never contradict the
policy-driven flows. `python -m bot build-faq` writes data/generated/faq.yml: the retrieval
intents faq/<topic> with their examples, and the responses utter_faq/<topic>.
"""
from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bot.core.settings import PROJECT_ROOT
from bot.profile.shop_profile import ShopProfile

#: The FAQ the shop edits; the training data is built from it. SHOP_FAQ names another file for
#: what reads the FAQ while the bot runs (the tests point it at a fixture of their own).
FAQ_FILE = PROJECT_ROOT / "shop" / "faq.yml"
FAQ_ENV = "SHOP_FAQ"
GENERATED_FILE = PROJECT_ROOT / "data" / "generated" / "faq.yml"
MIN_QUESTIONS = 5
_TOPIC = re.compile(r"^[a-z][a-z0-9_]*$")


class FaqError(ValueError):
    """A bad FAQ file; the message names the topic and the field."""


@dataclass(frozen=True)
class FaqTopic:
    key: str
    questions: Tuple[str, ...]
    answer: str  # with {placeholders}
    buttons: Tuple[Dict[str, str], ...]


def _placeholders(text: str) -> List[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def faq_path() -> Path:
    return Path(os.environ.get(FAQ_ENV) or FAQ_FILE)


def load_faq(path: Optional[Path] = None, allowed: Tuple[str, ...] = ()) -> List[FaqTopic]:
    """The topics of the FAQ file (`faq_path()` unless `path` is given); FaqError when bad."""
    path = path or faq_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise FaqError(f"{path}: cannot read the FAQ file: {err}") from None
    topics = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(topics, dict) or not topics:
        raise FaqError(f"{path}: expected a 'topics:' mapping of topic -> questions and answer")
    result = []
    for key, entry in topics.items():
        where = f"{path}: topics.{key}"
        if not isinstance(key, str) or not _TOPIC.match(key):
            raise FaqError(f"{where}: a topic name is lowercase letters, digits and _")
        if not isinstance(entry, dict):
            raise FaqError(f"{where}: expected 'questions' and 'answer'")
        questions = entry.get("questions")
        if not isinstance(questions, list) or len(questions) < MIN_QUESTIONS or not all(
            isinstance(q, str) and q.strip() for q in questions
        ):
            raise FaqError(f"{where}.questions: give at least {MIN_QUESTIONS} questions as texts")
        answer = entry.get("answer")
        if not isinstance(answer, str) or not answer.strip():
            raise FaqError(f"{where}.answer: missing")
        try:
            names = _placeholders(answer)
        except ValueError as err:
            raise FaqError(f"{where}.answer: {err} (write a literal brace as {{{{ or }}}})") from None
        unknown = sorted(set(names) - set(allowed)) if allowed else []
        if unknown:
            raise FaqError(f"{where}.answer: unknown placeholder {{{unknown[0]}}}; known: {', '.join(allowed)}")
        buttons = entry.get("buttons") or []
        if not isinstance(buttons, list) or not all(
            isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
            for b in buttons
        ):
            raise FaqError(f"{where}.buttons: each button needs a title and a payload")
        result.append(
            FaqTopic(key, tuple(q.strip() for q in questions), answer.strip(),
                     tuple({"title": b["title"], "payload": b["payload"]} for b in buttons))
        )
    return result


def training_data(topics: List[FaqTopic], profile: ShopProfile) -> Dict[str, Any]:
    """Rasa 3.1 YAML content: the faq/<topic> examples and the utter_faq/<topic> responses."""
    values = profile.placeholders()
    responses: Dict[str, Any] = {}
    for topic in topics:
        response: Dict[str, Any] = {"text": topic.answer.format(**values)}
        if topic.buttons:
            response["buttons"] = [dict(b) for b in topic.buttons]
        responses[f"utter_faq/{topic.key}"] = [response]
    # Replies outside the FAQ that also quote the profile.
    responses["utter_human_contact"] = [{"text": (
        "You can reach our support team by email at {support_email} or by phone at "
        "{support_phone}, {support_hours}. Please mention your order number if you have one."
    ).format(**values)}]
    responses["utter_unsupported_language"] = [{"text": (
        "Sorry, I can only chat in {languages}. Our support team can help you at {support_email}."
    ).format(**values)}]
    return {
        "version": "3.1",
        "nlu": [
            {"intent": f"faq/{t.key}", "examples": "".join(f"- {q}\n" for q in t.questions)}
            for t in topics
        ],
        "responses": responses,
    }


def write_training_data(profile: ShopProfile, source: Path = FAQ_FILE,
                        target: Path = GENERATED_FILE) -> Path:
    topics = load_faq(source, tuple(profile.placeholders()))
    content = yaml.safe_dump(training_data(topics, profile), sort_keys=False, allow_unicode=True, width=1000)
    target.parent.mkdir(parents=True, exist_ok=True)
    header = "# Generated from shop/faq.yml and shop/profile.yml by `python -m bot build-faq`. Do not edit.\n"
    target.write_text(header + content, encoding="utf-8")
    return target
