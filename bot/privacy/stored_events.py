"""Conversation events as they are kept: proofs of ownership, sign-in tokens and secrets masked.

The tracker store (stores/sql_tracker_store.py) passes each event it is about to save, and each
event it sends to the event broker, through `mask_events`. The running conversation still sees
what the customer typed while their message is handled (the ZIP is checked in that turn); what
is saved, and so what every later turn, the tracker API, the event broker and a database reader
see, holds none of:

- the proof the customer gave (the ZIP or email the ownership form took, `PROOF_SLOT`): its value
  in the slot, and wherever it appears in the texts and entities of the same events;
- the signed-in customer's token in message metadata (`customer_token.METADATA_KEY`), also as
  kept in Rasa's `session_started_metadata` slot;
- card numbers, card security codes, passwords and SSNs in any text (`secrets.mask_secrets`),
  including text slots such as a claim's description.

A new shipping address keeps its ZIP in its slot (`ADDRESS_SLOTS`): the address change needs it
in the next turn, and the same address goes into the shop's order record anyway.

Events are the plain dicts of Rasa's `Event.as_dict()`; a new dict is returned, the input is
left as it is.
"""
from __future__ import annotations

import copy
import re
from typing import Any, Collection, Dict, Iterable, List, Mapping, Set

from bot.orders.customer_token import METADATA_KEY as TOKEN_METADATA_KEY
from bot.orders.lookup import normalize_proof
from bot.orders.proof_guard import PROOF_SLOT
from bot.privacy.secrets import HIDDEN, mask_secrets

#: Slots whose value is the signed-in customer's metadata (Rasa's own).
METADATA_SLOTS = ("session_started_metadata",)
#: Slots holding an address the customer asked the shop to use: a ZIP in it is a place, and the
#: next turn needs it as typed (its confirmation), so only secrets are masked there. The
#: message that carried it is still masked like any other.
ADDRESS_SLOTS = ("new_address",)


def proofs_in(events: Iterable[Mapping[str, Any]]) -> Set[str]:
    """The proofs (normalised ZIPs and emails) that these events put into the proof slot."""
    found: Set[str] = set()
    for event in events:
        if event.get("event") == "slot" and event.get("name") == PROOF_SLOT:
            proof = normalize_proof(event.get("value"))
            if proof is not None:
                found.add(proof.value)
    return found


def _proof_pattern(proofs: Collection[str]) -> "re.Pattern[str] | None":
    parts = []
    for proof in sorted(proofs, key=len, reverse=True):
        if proof.isdigit():  # a ZIP: not inside a longer number (an order or tracking number)
            parts.append(rf"(?<!\d){re.escape(proof)}(?:-\d{{4}})?(?!\d)")
        else:
            parts.append(re.escape(proof))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _text(value: Any, proofs: "re.Pattern[str] | None") -> Any:
    if not isinstance(value, str):
        return value
    if proofs is not None:
        value = proofs.sub(HIDDEN, value)
    return mask_secrets(value)


def _metadata(value: Any) -> Any:
    if isinstance(value, dict) and TOKEN_METADATA_KEY in value:
        return {**value, TOKEN_METADATA_KEY: HIDDEN}
    return value


def _parse_data(parse: Dict[str, Any], proofs: "re.Pattern[str] | None") -> None:
    if "text" in parse:
        parse["text"] = _text(parse["text"], proofs)
    if "metadata" in parse:
        parse["metadata"] = _metadata(parse["metadata"])
    for entity in parse.get("entities") or []:
        if isinstance(entity, dict) and "value" in entity:
            entity["value"] = _text(entity["value"], proofs)


def mask_event(event: Mapping[str, Any], proofs: "re.Pattern[str] | None") -> Dict[str, Any]:
    """One event with `proofs` (from `_proof_pattern`) and secrets masked."""
    masked = copy.deepcopy(dict(event))
    kind = masked.get("event")
    if kind in ("user", "bot"):
        masked["text"] = _text(masked.get("text"), proofs)
        if isinstance(masked.get("parse_data"), dict):
            _parse_data(masked["parse_data"], proofs)
        if "metadata" in masked:
            masked["metadata"] = _metadata(masked["metadata"])
    elif kind == "slot":
        name = masked.get("name")
        if name == PROOF_SLOT and masked.get("value") is not None:
            masked["value"] = HIDDEN
        elif name in METADATA_SLOTS:
            masked["value"] = _metadata(masked.get("value"))
        elif name in ADDRESS_SLOTS:
            masked["value"] = _text(masked.get("value"), None)
        else:
            masked["value"] = _text(masked.get("value"), proofs)
    elif kind == "session_started" and "metadata" in masked:
        masked["metadata"] = _metadata(masked["metadata"])
    return masked


def mask_events(events: Iterable[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """The events as they may be kept: the proofs they carry and every secret masked."""
    events = list(events)
    pattern = _proof_pattern(proofs_in(events))
    return [mask_event(event, pattern) for event in events]


def is_masked_proof(value: Any) -> bool:
    """A proof slot value that a later turn read back from storage: no proof any more."""
    return value == HIDDEN
