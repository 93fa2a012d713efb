"""`python -m bench reports` on a small number of sessions: it fills, times and counts them."""
from __future__ import annotations

import json

from bench import reports


def test_the_summary_benchmark_counts_every_session_it_wrote(tmp_path, monkeypatch):
    monkeypatch.setattr("bench.results.REPORT_DIR", tmp_path)
    monkeypatch.setattr(reports, "write_report", lambda name, data: (tmp_path / name).write_text(json.dumps(data))
                        or tmp_path / name)
    assert reports.main(["--sessions", "400", "--days", "60", "--repeat", "1"]) == 0
    results = json.loads((tmp_path / "reports").read_text())["results"]
    assert results[0]["database"] == "SQLite" and results[0]["whole_range"]["conversations"] == 400
    assert 0 < results[0]["last_30_days"]["conversations"] < 400
    for result in results[1:]:  # PostgreSQL, where it runs here
        assert result["whole_range"]["conversations"] == 400
