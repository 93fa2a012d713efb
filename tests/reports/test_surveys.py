"""Surveys: asked once per session at the end, answers read strictly, anything else answered
by the bot; the figures in the summary."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
import yaml
from sqlalchemy import select

from bot.core.db import engine_for, session_scope
from bot.core.models import Alert, ConversationOutcome, Survey
from bot.profile.shop_profile import ProfileError, load_profile
from bot.reports import surveys
from bot.reports.outcomes import record
from bot.reports.summary import summary
from bot.reports.survey_answers import is_skip, read_score
from tests.conftest import SHOP_FIXTURES
from tests.reports.test_outcomes import DAY, runs, says, start

NOW = datetime(2026, 5, 28, 21, 0)


@pytest.fixture
def engine(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOP_NOW", NOW.isoformat())
    engine = engine_for(f"sqlite:///{tmp_path / 'shop.db'}")
    ConversationOutcome.__table__.create(engine)
    return engine


def profile_with(tmp_path, monkeypatch, section="surveys", **settings):
    data = yaml.safe_load((SHOP_FIXTURES / "profile.yml").read_text())
    data.setdefault(section, {}).update(settings)
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(data))
    monkeypatch.setenv("SHOP_PROFILE", str(path))


def answered_session(engine, conversation="c1", at=DAY, action="action_order_status"):
    record(conversation, start(at) + [says(at + 1, "order_status"), runs(at + 2, action)], engine)


def survey_rows(engine):
    with session_scope(engine) as s:
        return [(r.conversation_id, r.trigger, json.loads(r.steps), r.step, r.csat, r.ces, r.nps, r.comment)
                for r in s.execute(select(Survey).order_by(Survey.id)).scalars()]


@pytest.mark.parametrize("text, score", [
    ("5", 5), (" 4 ", 4), ("4/5", 4), ("4 out of 5", 4), ("3 stars", 3), ("#2", 2), ("five", 5),
    ("Five!", 5), ("\u2b50\u2b50\u2b50\u2b50", 4), ("\u2605\u2605", 2), ("5 \U0001F600", 5),
    ("I'd give it a 4", 4), ("rate you 5", 5)])
def test_scores_alone_are_read(text, score):
    assert read_score(text, 1, 5) == score


@pytest.mark.parametrize("text", [
    "6", "0", "100001", "return 2 items", "where is order 100001?", "I have 2 questions", "",
    "thanks", "5 days late and still nothing", None])
def test_anything_else_is_not_a_score(text):
    assert read_score(text, 1, 5) is None


def test_the_scales_have_their_own_ends():
    assert (read_score("0", 0, 10), read_score("10", 0, 10), read_score("7", 1, 7), read_score("8", 1, 7)) == (
        0, 10, 7, None)


@pytest.mark.parametrize("text, skip", [("skip", True), ("No thanks.", True), ("nothing to add", True),
                                        ("no", True), ("the parcel was late", False), ("5", False)])
def test_skips(text, skip):
    assert is_skip(text) is skip


def test_a_session_the_assistant_answered_gets_one_survey_and_its_answers_are_kept(engine):
    answered_session(engine)
    first = surveys.offer_after_assistant("c1", "rest", engine=engine)
    assert first.text.startswith("Before you go: how did we do today?")
    assert [b["payload"] for b in first.buttons] == ["1", "2", "3", "4", "5", "skip"]
    assert surveys.offer_after_assistant("c1", "rest", engine=engine) is None  # once per session
    assert surveys.pending_step("c1", engine=engine) == "csat"
    reply = surveys.answer("c1", "5", engine=engine)
    assert reply.text.startswith("Thank you! Anything you'd like to add?") and reply.low_csat is None
    assert surveys.answer("c1", "Quick and friendly, thanks", intent="thank", confidence=0.95, engine=engine).text \
        == "Thank you for your feedback, it helps us get better."
    assert survey_rows(engine) == [("c1", "assistant", ["csat", "comment"], None, 5, None, None,
                                    "Quick and friendly, thanks")]
    assert surveys.answer("c1", "4", engine=engine) is None  # nothing waits any more
    figures = summary(date(2026, 5, 28), date(2026, 5, 28), engine=engine)
    assert (figures["csat"], figures["csat_average"], figures["csat_responses"]) == (1.0, 5.0, 1)
    assert figures["csat_distribution"]["5"] == 1 and figures["survey_comments"] == 1


def test_no_survey_without_an_answer_or_when_the_profile_says_no(engine, tmp_path, monkeypatch):
    record("greeted", start(DAY) + [says(DAY + 1, "greet"), runs(DAY + 2, "utter_greet")], engine)
    assert surveys.offer_after_assistant("greeted", "rest", engine=engine) is None
    assert surveys.offer_after_assistant("never-seen", "rest", engine=engine) is None
    record("handed", start(DAY) + [says(DAY + 1, "faq"), runs(DAY + 2, "utter_faq"),
                                   says(DAY + 3, "human_handoff"), runs(DAY + 4, "action_handoff")], engine)
    assert surveys.offer_after_assistant("handed", "rest", engine=engine) is None  # the agent's resolution asks
    answered_session(engine)
    profile_with(tmp_path, monkeypatch, after_assistant=False)
    assert surveys.offer_after_assistant("c1", "rest", engine=engine) is None
    assert survey_rows(engine) == []


def test_a_new_session_may_be_asked_again(engine):
    answered_session(engine)
    assert surveys.offer_after_assistant("c1", "rest", engine=engine) is not None
    answered_session(engine, at=DAY + 4000)  # more than an hour later: a new session
    assert surveys.offer_after_assistant("c1", "rest", engine=engine) is not None
    assert len(survey_rows(engine)) == 2


def test_a_request_instead_of_a_rating_ends_the_survey_and_goes_to_the_bot(engine):
    answered_session(engine)
    surveys.offer_after_assistant("c1", "rest", engine=engine)
    assert surveys.answer("c1", "can I return 2 items from order 100002?", engine=engine) is None
    assert survey_rows(engine)[0][3:5] == (None, None)  # dropped, nothing recorded
    assert surveys.answer("c1", "5", engine=engine) is None  # too late: that is a new message now


def test_a_request_instead_of_a_comment_goes_to_the_bot_and_the_rating_stays(engine):
    answered_session(engine)
    surveys.offer_after_assistant("c1", "rest", engine=engine)
    surveys.answer("c1", "4", engine=engine)
    assert surveys.answer("c1", "where is my other order?", intent="order_status", confidence=0.93,
                          engine=engine) is None
    assert surveys.answer("c1", "x", engine=engine) is None
    assert survey_rows(engine)[0][3:] == (None, 4, None, None, None)


def test_an_order_number_is_never_a_comment(engine):
    answered_session(engine)
    surveys.offer_after_assistant("c1", "rest", engine=engine)
    surveys.answer("c1", "3", engine=engine)
    assert surveys.answer("c1", "and 100003 too", intent="nlu_fallback", confidence=0.3, engine=engine) is None


def test_skipping_ends_the_survey_politely(engine):
    answered_session(engine)
    surveys.offer_after_assistant("c1", "rest", engine=engine)
    assert surveys.answer("c1", "skip", engine=engine).text == "No problem. If you need anything else, just ask."
    assert survey_rows(engine)[0][3:5] == (None, None)


def test_a_low_csat_raises_an_alert_with_the_answer(engine):
    answered_session(engine)
    surveys.offer_after_assistant("c1", "rest", engine=engine)
    assert surveys.answer("c1", "1", engine=engine).low_csat == 1
    with engine.connect() as conn:
        assert conn.execute(select(Alert.kind, Alert.conversation_id, Alert.channel)).all() == [("low_csat", "c1", "rest")]


def test_a_good_csat_raises_no_alert_and_the_threshold_is_the_profile_s(engine, tmp_path, monkeypatch):
    answered_session(engine)
    surveys.offer_after_assistant("c1", "rest", engine=engine)
    assert surveys.answer("c1", "3", engine=engine).low_csat is None
    record("c2", start(DAY) + [says(DAY + 1, "order_status"), runs(DAY + 2, "action_order_status")], engine)
    profile_with(tmp_path, monkeypatch, "alerts", low_csat_at_most=3)
    surveys.offer_after_assistant("c2", "rest", engine=engine)
    assert surveys.answer("c2", "3", engine=engine).low_csat == 3
    with engine.connect() as conn:
        assert conn.execute(select(Alert.conversation_id)).scalars().all() == ["c2"]


def test_an_unanswered_question_lapses(engine, monkeypatch):
    answered_session(engine)
    surveys.offer_after_assistant("c1", "rest", engine=engine)
    monkeypatch.setenv("SHOP_NOW", (NOW + timedelta(hours=25)).isoformat())
    assert surveys.answer("c1", "5", engine=engine) is None
    assert surveys.pending_step("c1", engine=engine) is None


def test_after_a_handoff_csat_then_ces_then_nps_and_the_comment(engine, tmp_path, monkeypatch):
    profile_with(tmp_path, monkeypatch, nps_share=1)
    record("h1", start(DAY) + [says(DAY + 1, "human_handoff"), runs(DAY + 2, "action_handoff")], engine)
    first = surveys.offer_after_handoff("h1", "telegram", 7, engine=engine)
    assert first.text.startswith("Before you go: how did we do today?")
    ces = surveys.answer("h1", "4", engine=engine)
    assert "It was easy to get my issue handled" in ces.text and ces.buttons[-2]["payload"] == "7"
    nps = surveys.answer("h1", "6", engine=engine)
    assert nps.text.startswith("How likely are you to recommend Northwind Outfitters to a friend?")
    assert surveys.answer("h1", "9", engine=engine).text.startswith("Thank you! Anything")
    surveys.answer("h1", "no", engine=engine)
    assert survey_rows(engine) == [("h1", "handoff", ["csat", "ces", "nps", "comment"], None, 4, 6, 9, None)]
    assert surveys.offer_after_handoff("h1", "telegram", 8, engine=engine) is None  # one per session
    figures = summary(date(2026, 5, 28), date(2026, 5, 28), engine=engine)
    assert (figures["ces_average"], figures["nps"], figures["nps_responses"]) == (6.0, 100.0, 1)
    assert figures["by_day"][0]["ces_average"] == 6.0
    assert figures["csat"] == 1.0 and summary(date(2026, 5, 28), date(2026, 5, 28), channel="rest",
                                              engine=engine)["csat_responses"] == 0


def test_nps_goes_to_the_profile_s_share_of_sessions():
    started = datetime(2026, 5, 28)
    asked = sum(surveys.sampled(f"c{i}", started, 0.2) for i in range(2000))
    assert 330 < asked < 470
    assert surveys.sampled("c1", started, 0.2) == surveys.sampled("c1", started, 0.2)
    assert not any(surveys.sampled(f"c{i}", started, 0) for i in range(200))
    assert all(surveys.sampled(f"c{i}", started, 1) for i in range(200))


def test_nps_in_the_summary_is_promoters_minus_detractors(engine):
    with session_scope(engine) as s:
        Survey.__table__.create(engine, checkfirst=True)
        for i, score in enumerate([10, 9, 8, 7, 3]):
            s.add(Survey(conversation_id=f"n{i}", session_started_at=datetime(2026, 5, 28, 10), trigger="assistant",
                         steps="[]", nps=score, asked_at=NOW, updated_at=NOW))
    figures = summary(date(2026, 5, 28), date(2026, 5, 28), engine=engine)
    assert figures["nps"] == 20.0 and figures["nps_distribution"]["10"] == 1  # (2 - 1) / 5


def test_the_wording_and_frequency_come_from_the_profile(tmp_path, monkeypatch):
    profile_with(tmp_path, monkeypatch, csat_question="Rate us 1-5!", nps_share=0.5)
    profile = load_profile()
    assert (profile.surveys.csat_question, profile.surveys.nps_share) == ("Rate us 1-5!", 0.5)
    for bad, key in (({"nps_share": 2}, "surveys.nps_share"), ({"nps_question": "Recommend {brand}?"},
                                                               "surveys.nps_question"),
                     ({"asks": True}, "surveys.asks"), ({"after_handoff": "yes"}, "surveys.after_handoff")):
        profile_with(tmp_path, monkeypatch, **bad)
        with pytest.raises(ProfileError, match=key.replace(".", "[.]")):
            load_profile()
