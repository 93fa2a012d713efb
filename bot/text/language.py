"""Spotting messages in a language the bot does not speak, without any model download.

Two cheap signals: the script (Cyrillic, CJK, Arabic, …) and distinctive function words of
the common Latin-script languages. English messages, order numbers, emails and typos pass.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Dict, FrozenSet, Iterable, Optional

_SCRIPTS = {
    "CYRILLIC": "Russian", "ARABIC": "Arabic", "HEBREW": "Hebrew", "GREEK": "Greek",
    "DEVANAGARI": "Hindi", "THAI": "Thai", "HANGUL": "Korean", "HIRAGANA": "Japanese",
    "KATAKANA": "Japanese", "CJK": "Chinese",
}

# Words common in each language and rare in English customer messages.
_WORDS: Dict[str, FrozenSet[str]] = {
    "Spanish": frozenset("hola gracias dónde donde está esta mi pedido por favor quiero cuándo cuando "
                         "tengo necesito pero porque qué que para con los las una del muy sí buenos días".split()),
    "French": frozenset("bonjour merci où est mon ma commande je voudrais pourquoi quand avec pour "
                        "les des une du très oui non s'il vous plaît colis suis".split()),
    "German": frozenset("hallo danke wo ist meine mein bestellung ich möchte warum wann mit und "
                        "der die das nicht bitte paket ein eine guten tag".split()),
    "Italian": frozenset("ciao grazie dov'è dove il mio ordine vorrei perché quando con per gli "
                         "della sono buongiorno pacco".split()),
    "Portuguese": frozenset("olá obrigado obrigada onde está meu minha pedido quero por favor quando "
                            "com para não você encomenda bom dia".split()),
    "Dutch": frozenset("hallo dank bedankt waar is mijn bestelling ik wil waarom wanneer met voor "
                       "niet het een graag pakket goedemorgen".split()),
}
_ENGLISH = frozenset("the is my where i you a an to of and it for on in what when how can "
                     "order please thanks hello hi yes no not with this that have do does".split())
_GREETINGS = {"hola": "Spanish", "bonjour": "French", "ciao": "Italian", "olá": "Portuguese",
              "gracias": "Spanish", "merci": "French", "danke": "German", "grazie": "Italian",
              "obrigado": "Portuguese", "obrigada": "Portuguese", "bedankt": "Dutch"}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


def _script(ch: str) -> Optional[str]:
    name = unicodedata.name(ch, "")
    for key, language in _SCRIPTS.items():
        if name.startswith(key) or (key == "CJK" and "CJK UNIFIED" in name):
            return language
    return None


def unsupported_language(text: str) -> Optional[str]:
    """The language a message is written in, when it is clearly not English; else None."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    scripts: Dict[str, int] = {}
    for ch in letters:
        language = _script(ch)
        if language:
            scripts[language] = scripts.get(language, 0) + 1
    if scripts:
        language, count = max(scripts.items(), key=lambda kv: kv[1])
        if count / len(letters) > 0.5:
            return language
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) <= 2:
        for w in words:
            if w in _GREETINGS:
                return _GREETINGS[w]
    if len(words) < 3:
        return None
    english = sum(w in _ENGLISH for w in words)
    best, hits = max(((lang, sum(w in vocab for w in words)) for lang, vocab in _WORDS.items()),
                     key=lambda kv: kv[1])
    if hits >= 2 and hits >= 0.3 * len(words) and hits > 2 * english:
        return best
    return None


def spoken(language: str, languages: Iterable[str]) -> bool:
    """Whether `language` ("Chinese") is among the shop's languages as the profile names them
    ("English", "Chinese (Simplified)", "Russian")."""
    wanted = language.lower()
    return any(name.strip().lower().split(" ")[0] == wanted for name in languages if name.strip())


def unspoken_language(text: str, languages: Iterable[str]) -> Optional[str]:
    """The language of `text` when the shop does not speak it (the profile's support.languages);
    None for English and for the shop's other languages."""
    language = unsupported_language(text)
    return None if language is None or spoken(language, languages) else language
