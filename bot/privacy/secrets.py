"""Secrets people type into a chat, replaced by placeholders wherever a message is kept.

Card numbers (13-19 digits passing the Luhn check) keep their last four digits; card security
codes, passwords and PINs named as such become `[hidden]`; US social security numbers keep their
last four. Used for handoff transcripts (`bot.handoff.transcript`) and for the conversation
events the tracker store saves (`bot.privacy.stored_events`).
"""
from __future__ import annotations

import re
from typing import List

HIDDEN = "[hidden]"

_DIGIT_RUN = re.compile(r"\d+(?:[ -]\d+)*")
_NAMED_CODE = re.compile(
    r"(?i)\b(cvv2?|cvc2?|csc|cid|security code|card code)(\s*(?:is|:|=|#)?\s*)\d{3,4}\b")
_PASSWORD = re.compile(
    r"(?i)\b(password|passcode|passwd|pwd|pin(?: code)?)"
    r"(\s+(?:is|was|would be|should be)\s*:?\s+|\s*[:=]\s*)"
    r"(\S+?)(?=[.,;!?)]*(?:\s|$))")
_SSN = re.compile(r"(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])")
_NAMED_SSN = re.compile(
    r"(?i)\b(ssn|social security(?: number| no\.?)?)(\s*(?:is|:|#)?\s*)(\d{5})(\d{4})\b")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _masked_card(digits: str) -> str:
    return f"•••• •••• •••• {digits[-4:]}"


def _mask_cards_in_run(run: str) -> str:
    """Within digits joined by single spaces/dashes, mask each 13-19 digit Luhn-valid span."""
    groups = re.split(r"([ -])", run)  # digit groups with their separators between
    numbers, seps = groups[0::2], groups[1::2]
    out: List[str] = []
    i = 0
    while i < len(numbers):
        found = None
        for j in range(min(len(numbers), i + 19), i, -1):  # the longest card number from group i
            digits = "".join(numbers[i:j])
            if 13 <= len(digits) <= 19 and luhn_valid(digits):
                found = j
                break
        if found is None:
            out.append(numbers[i] + (seps[i] if i < len(seps) else ""))
            i += 1
        else:
            out.append(_masked_card("".join(numbers[i:found])) + (seps[found - 1] if found - 1 < len(seps) else ""))
            i = found
    return "".join(out)


def mask_secrets(text: str) -> str:
    """Card numbers, card security codes, passwords and US SSNs replaced by placeholders."""
    text = _DIGIT_RUN.sub(lambda m: _mask_cards_in_run(m.group(0)), text)
    text = _NAMED_CODE.sub(lambda m: f"{m.group(1)}{m.group(2)}{HIDDEN}", text)
    text = _PASSWORD.sub(lambda m: f"{m.group(1)}{m.group(2)}{HIDDEN}", text)
    text = _NAMED_SSN.sub(lambda m: f"{m.group(1)}{m.group(2)}•••-••-{m.group(4)}", text)
    return _SSN.sub(lambda m: f"•••-••-{m.group(4)}", text)
