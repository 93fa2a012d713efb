"""The `surveys:` section of the shop profile: when the customer is asked how it went, and the
questions' wording. Parsed with the profile's key reader by `bot.profile.shop_profile.parse_profile`;
asking and recording is in `bot.reports.surveys`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SurveyPolicy:
    after_assistant: bool  # CSAT once the assistant answered a request and the customer says thanks or bye
    after_handoff: bool  # CSAT and CES once an agent resolved the customer's handoff
    nps_share: float  # this share of surveyed sessions is asked NPS too (0 to 1)
    ask_comment: bool  # an optional comment after the ratings
    answer_within_hours: int  # a question left this long unanswered is dropped
    csat_question: str
    ces_question: str
    nps_question: str  # "{shop}" is the shop's name
    comment_question: str
    thanks: str  # after the last answer
    skipped: str  # after "skip" or "no thanks"


DEFAULTS = {
    "after_assistant": True,
    "after_handoff": True,
    "nps_share": 0.2,
    "ask_comment": True,
    "answer_within_hours": 24,
    "csat_question": "Before you go: how did we do today? Reply with a number from 1 (poor) to 5 (excellent).",
    "ces_question": "How much do you agree: \"It was easy to get my issue handled\"? "
                    "Reply from 1 (strongly disagree) to 7 (strongly agree).",
    "nps_question": "How likely are you to recommend {shop} to a friend? "
                    "Reply from 0 (not at all likely) to 10 (extremely likely).",
    "comment_question": "Thank you! Anything you'd like to add? Just type it, or tap Skip.",
    "thanks": "Thank you for your feedback, it helps us get better.",
    "skipped": "No problem. If you need anything else, just ask.",
}
TEXTS = ("csat_question", "ces_question", "nps_question", "comment_question", "thanks", "skipped")


def parse_survey_policy(reader: Any) -> SurveyPolicy:
    """Read the optional `surveys:` section with the profile's reader."""
    section = reader.settings("surveys", DEFAULTS)

    def value(key: str, read):
        return read(f"surveys.{key}") if key in section else DEFAULTS[key]

    share = value("nps_share", reader.raw)
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        raise reader.fail("surveys.nps_share", f"must be a number from 0 to 1 (0.2 = one in five), got {share!r}")
    texts = {key: value(key, reader.text) for key in TEXTS}
    if "{" in texts["nps_question"].replace("{shop}", ""):
        raise reader.fail("surveys.nps_question", "the only placeholder it may use is {shop}")
    return SurveyPolicy(
        after_assistant=value("after_assistant", reader.flag),
        after_handoff=value("after_handoff", reader.flag),
        nps_share=float(share),
        ask_comment=value("ask_comment", reader.flag),
        answer_within_hours=value("answer_within_hours", lambda k: reader.whole(k, 1, 24 * 30)),
        **texts,
    )
