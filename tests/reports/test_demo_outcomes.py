"""`python -m bot seed-demo` fills four weeks of outcomes and surveys for the Reports page; real
ones stay."""
from __future__ import annotations

from datetime import date, datetime, timezone

from bot.core.db import engine_for
from bot.reports.demo import has_demo_outcomes, write_demo_outcomes
from bot.reports.outcomes import record
from bot.reports.summary import summary


def test_demo_outcomes_fill_the_weeks_before_now_and_leave_real_ones(tmp_path):
    engine = engine_for(f"sqlite:///{tmp_path / 'shop.db'}")
    assert not has_demo_outcomes(engine)
    now = datetime(2026, 11, 23, 12, 0)
    real = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc).timestamp()
    record("real-one", [{"event": "user", "timestamp": real}], engine)
    written = write_demo_outcomes(engine, now)
    assert write_demo_outcomes(engine, now) == written  # replaced, not doubled
    figures = summary(date(2026, 10, 26), date(2026, 11, 22), engine=engine)
    assert figures["conversations"] == written + 1 and has_demo_outcomes(engine)
    assert 0.5 < figures["containment_rate"] < 0.7 and 0.05 < figures["handoff_rate"] < 0.25
    assert len(figures["by_day"]) == 28 and set(figures["by_channel"]) >= {"socketio", "telegram"}
    assert summary(date(2026, 11, 23), date(2026, 11, 30), engine=engine)["conversations"] == 0
    # with survey answers: CSAT, CES and NPS all have figures to draw
    assert 150 < figures["csat_responses"] < 400 and 0.6 < figures["csat"] < 0.9
    assert figures["ces_responses"] > 20 and 4 < figures["ces_average"] < 7
    assert figures["nps_responses"] > 20 and -100 < figures["nps"] < 100
