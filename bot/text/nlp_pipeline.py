"""The in-repo spaCy pipeline: a blank English tokenizer plus entity patterns.

Chinese is written without spaces: the tokenizer also splits where Chinese characters meet other
characters and at full-width punctuation, so "我的订单100001在哪里？" gives 我的订单 / 100001 /
在哪里 / ？ and the patterns find the order number (the char n-gram features read the Chinese
runs). Russian needs nothing more than the spaces.

Nothing is downloaded. `build_pipeline()` makes the pipeline and `python -m bot build-nlp`
saves it where `config.yml` points Rasa's SpacyNLP component. The entity labels are the Rasa
entity names, so Rasa's SpacyEntityExtractor passes them straight through.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, cast

import spacy
from spacy.lang.tokenizer_exceptions import URL_PATTERN
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex

from bot.core.settings import PROJECT_ROOT

PIPELINE_DIR = PROJECT_ROOT / "build" / "spacy_shop_en"

# A whole-token email, so the tokenizer keeps "Li.Wei@Example.COM" in one piece. Anchored at
# both ends: a trailing full stop is split off as punctuation before this is tried again.
EMAIL_TOKEN = r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"

ORDER_NUMBER = r"^\d{6,8}$"  # 6-8 digits: longer numbers are tracking numbers
ZIP5 = r"^\d{5}$"
TRACKING_NUMBERS = [
    r"(?i)^1Z[0-9A-Z]{16}$",  # UPS
    r"^\d{20,22}$",  # USPS
    r"^\d{12}$",  # FedEx
    r"(?i)^CR\d{10}$",  # local courier
]


def entity_patterns() -> List[Dict]:
    patterns: List[Dict] = [
        {"label": "email", "pattern": [{"LIKE_EMAIL": True}]},
        {"label": "email", "pattern": [{"TEXT": {"REGEX": EMAIL_TOKEN}}]},
        {"label": "order_number", "pattern": [{"TEXT": {"REGEX": ORDER_NUMBER}}]},
        {"label": "zip_code", "pattern": [{"TEXT": {"REGEX": ZIP5}}]},
        # ZIP+4 comes out as three tokens; the ruler prefers the longest match.
        {
            "label": "zip_code",
            "pattern": [
                {"TEXT": {"REGEX": ZIP5}},
                {"TEXT": "-"},
                {"TEXT": {"REGEX": r"^\d{4}$"}},
            ],
        },
    ]
    patterns += [
        {"label": "tracking_number", "pattern": [{"TEXT": {"REGEX": rx}}]}
        for rx in TRACKING_NUMBERS
    ]
    return patterns


#: Chinese characters (CJK unified ideographs and their extensions in the basic plane).
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: CJK and full-width punctuation: ，。？！：（） and the like.
WIDE_PUNCT = "\u3000-\u303f\uff00-\uffef"
SCRIPT_INFIXES = [rf"(?<=[{CJK}])(?=[^{CJK}])", rf"(?<=[^{CJK}])(?=[{CJK}])", rf"[{WIDE_PUNCT}]"]


def build_pipeline() -> Language:
    nlp = spacy.blank("en")
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    tokenizer.token_match = re.compile(EMAIL_TOKEN).match
    tokenizer.infix_finditer = compile_infix_regex([*(nlp.Defaults.infixes or ()), *SCRIPT_INFIXES]).finditer
    # A run of text with Chinese in it is never a URL (spaCy's URL pattern would keep
    # "在哪里？邮箱是maria@example.com" in one piece).
    tokenizer.url_match = re.compile(rf"(?u)(?![^\s]*[{CJK}{WIDE_PUNCT}])" + URL_PATTERN).match
    ruler = cast(EntityRuler, nlp.add_pipe("entity_ruler", config={"validate": True}))
    ruler.add_patterns(entity_patterns())
    nlp.meta["name"] = "shop_en"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Blank English + entity patterns for the shop-support bot"
    return nlp


def save_pipeline(target: Path = PIPELINE_DIR) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline().to_disk(target)
    return target
