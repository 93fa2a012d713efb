"""The data-scale benchmark on a tiny shop (1,000 orders, SQLite, no servers)."""
from __future__ import annotations

import json

from bench import scale


def test_scale_benchmark_times_real_lookups_and_shows_index_use(tmp_path, capsys):
    db = tmp_path / "shop.db"
    args = ["--orders", "1000", "--lookups", "20", "--sqlite-path", str(db), "--no-postgres",
            "--e2e-duration", "0", "--out-dir", str(tmp_path)]
    assert scale.main(args) == 0
    report = json.loads((tmp_path / "scale.json").read_text())
    (sqlite,) = report["databases"]
    assert sqlite["orders"] == 1000 and sqlite["generated"]
    assert all(t["calls"] == 20 and t["p50_ms"] > 0 for t in sqlite["lookups"].values())
    # the lookup by number goes through the unique index, not a scan of the orders table
    assert any("INDEX" in step for step in sqlite["query_plans"]["order by number"])
    assert "proof of ownership" in capsys.readouterr().out
    # a second run reuses the shop instead of generating it again
    assert scale.main(args) == 0
    assert not json.loads((tmp_path / "scale.json").read_text())["databases"][0]["generated"]
