"""What the customer reads of a survey: each question with its buttons, in the shop profile's
wording (`surveys:` in shop/profile.yml). A button's payload is what typing it would send, so
every channel, with buttons or without, gives the same answer."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List

from bot.profile.survey_policy import SurveyPolicy

CSAT, CES, NPS, COMMENT = "csat", "ces", "nps", "comment"
#: The score questions and their scales (both ends included).
SCALES = {CSAT: (1, 5), CES: (1, 7), NPS: (0, 10)}
SKIP_BUTTON = {"title": "Skip", "payload": "skip"}


@dataclass(frozen=True)
class Question:
    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)


def question(step: str, policy: SurveyPolicy, shop_name: str) -> Question:
    if step == COMMENT:
        return Question(policy.comment_question, [dict(SKIP_BUTTON)])
    low, high = SCALES[step]
    text = {CSAT: policy.csat_question, CES: policy.ces_question,
            NPS: policy.nps_question.replace("{shop}", shop_name)}[step]
    return Question(text, [{"title": str(n), "payload": str(n)} for n in range(low, high + 1)] + [dict(SKIP_BUTTON)])


def closing(policy: SurveyPolicy, skipped: bool) -> Question:
    """After the last answer, or after the customer skipped."""
    return Question(policy.skipped if skipped else policy.thanks)

