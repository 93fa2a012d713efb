"""What each kind of alert is called, and the text an agent reads."""
from __future__ import annotations

from typing import Optional

COMPLAINT, ANGRY, ABUSIVE, LOW_CSAT = "complaint", "angry", "abusive", "low_csat"
LATE_PARCEL, LOST_PARCEL, REPEATED_PROBLEM = "late_parcel", "lost_parcel", "repeated_problem"

LABELS = {
    COMPLAINT: "Complaint",
    ANGRY: "Angry customer",
    ABUSIVE: "Abusive message",
    LOW_CSAT: "Low rating",
    LATE_PARCEL: "Late parcel",
    LOST_PARCEL: "Lost parcel",
    REPEATED_PROBLEM: "Same problem, several customers",
}
KINDS = tuple(LABELS)
#: What a problem key's first part means, for the repeated-problem text.
PROBLEM_WORDS = {LATE_PARCEL: "late parcels", LOST_PARCEL: "lost parcels"}


def label(kind: str) -> str:
    return LABELS.get(kind, kind.replace("_", " ").capitalize())


def quoted(words: str, limit: int = 200) -> str:
    words = " ".join(str(words).split())
    return f"\u201c{words[:limit - 1]}\u2026\u201d" if len(words) > limit else f"\u201c{words}\u201d"


def message_text(kind: str, words: str) -> str:
    what = "An abusive message" if kind == ABUSIVE else "An angry message"
    return f"{what} from the customer: {quoted(words)}"


def complaint_text(handoff_id: int, words: Optional[str]) -> str:
    said = f": {quoted(words)}" if words else "."
    return f"A complaint, handed to the team as handoff #{handoff_id}{said}"


def low_csat_text(csat: int, trigger: str) -> str:
    after = "after an agent resolved their handoff" if trigger == "handoff" else "after talking to the assistant"
    return f"The customer rated us {csat} out of 5 {after}."


def parcel_text(kind: str, order_number: str, carrier: Optional[str], days_late: int) -> str:
    state = "lost" if kind == LOST_PARCEL else "late"
    by = f" with {carrier}" if carrier else ""
    late = f", {days_late} day{'s' if days_late != 1 else ''} late" if days_late else ""
    return f"The customer reports order {order_number}{by} has not arrived: it is {state}{late}."


def problem_name(problem: str) -> str:
    """'late_parcel:UPS' -> 'late parcels with UPS'."""
    kind, _, subject = problem.partition(":")
    words = PROBLEM_WORDS.get(kind, label(kind).lower())
    return f"{words} with {subject}" if subject else words


def repeated_text(problem: str, customers: int, minutes: int) -> str:
    return (f"{customers} customers reported {problem_name(problem)} within {minutes} minutes: "
            "this may be one cause, worth checking.")
