"""The benchmark commands' arithmetic: percentiles, targets, ratios, profiles, memory, tables."""
from __future__ import annotations

import json
import os

import pytest

from bench import targets
from bench.load_generator import latency_summary, reply_text
from bench.nlu import compare, rows
from bench.process_memory import largest_peak_rss_mb, peak_rss_mb, rss_mb
from bench.profile import summarize
from bench.results import table, write_report


def test_latency_percentiles_interpolate_between_ranks():
    summary = latency_summary([float(ms) for ms in range(1, 101)])
    assert summary["p50_ms"] == 50.5 and summary["p99_ms"] == 99.0 and summary["max_ms"] == 100.0
    assert latency_summary([])["p50_ms"] is None


def test_reply_text_joins_the_paragraphs_the_rest_channel_splits():
    body = [{"recipient_id": "a", "text": "Order #1"}, {"recipient_id": "a", "image": "x"},
            {"recipient_id": "a", "text": "On its way"}]
    assert reply_text(body) == "Order #1\n\n\n\nOn its way"


def _level(n, **figures):
    base = {"concurrency": n, "p50_ms": 10.0, "p95_ms": 20.0, "p99_ms": 30.0,
            "messages_per_second": 150.0, "errors": 0}
    return {**base, **figures}


def test_targets_are_met_only_with_zero_errors_and_ratios_point_to_better():
    report = {"levels": [_level(1), _level(50, errors=1, p95_ms=1400.0)],
              "seconds_to_first_answer": 10.0, "peak_rss_mb": {"Rasa server": 550.0}}
    by_name = {r["target"]: r for r in targets.load_targets(report)}
    assert by_name["p50 ms, 1 conversation"]["met"]
    assert by_name["p50 ms, 1 conversation"]["vs_baseline"] == 10.5  # 105 ms / 10 ms
    throughput = by_name["messages/s, 50 conversations, 0 errors"]
    assert not throughput["met"] and throughput["vs_baseline"] == 7.5  # 150 / 20, but 1 error
    assert by_name["seconds from start to first answer"]["vs_baseline"] == 4.0
    assert by_name["p95 ms, 50 conversations (no target)"]["vs_baseline"] == 2.0
    assert by_name["peak RSS MiB, Rasa server"]["met"]


def test_with_several_workers_the_memory_target_is_per_worker():
    report = {"levels": [_level(1)], "workers": 2,
              "peak_rss_mb": {"Rasa server": 2300.0}, "largest_process_peak_rss_mb": {"Rasa server": 1000.0}}
    by_name = {r["target"]: r for r in targets.load_targets(report)}
    assert by_name["peak RSS MiB, Rasa server (one worker)"]["met"]
    assert by_name["peak RSS MiB, Rasa server (one worker)"]["value"] == 1000.0


def test_several_workers_lock_conversations_in_redis(tmp_path):
    import yaml

    from bench.bot_servers import endpoints_file

    single = yaml.safe_load(endpoints_file(tmp_path, 5055).read_text())
    assert "lock_store" not in single and single["tracker_store"]["type"] == "stores.sql_tracker_store.PrePingSQLTrackerStore"
    shared = yaml.safe_load(endpoints_file(tmp_path, 5055, "bench1a2b").read_text())
    assert shared["lock_store"]["type"] == "stores.atomic_redis_lock.AtomicRedisLockStore"
    assert shared["lock_store"]["key_prefix"] == "bench1a2b"


def test_a_missing_level_is_reported_as_not_met():
    rows_ = targets.load_targets({"levels": [_level(1)], "peak_rss_mb": {}})
    assert not next(r for r in rows_ if r["target"].startswith("messages/s"))["met"]


def test_nlu_comparison_divides_ours_by_the_default_and_adds_a_ratio_row():
    scored = {"shop": {"in_scope_accuracy": 0.9, "in_scope_macro_f1": 0.88, "out_of_scope_handled": 0.8,
                       "examples": 10},
              "rasa_init": {"in_scope_accuracy": 0.6, "in_scope_macro_f1": 0.44,
                            "out_of_scope_handled": 0.0, "examples": 10}}
    ratios = compare(scored)
    assert ratios == {"in_scope_accuracy": 1.5, "in_scope_macro_f1": 2.0, "out_of_scope_handled": None}
    assert rows(scored, ratios)[-1][0] == "ratio shop / rasa_init"
    assert compare({"shop": scored["shop"]}) == {}
    assert [r["met"] for r in targets.nlu_targets(scored["shop"])] == [False, True]


def test_profile_summary_counts_a_recursive_function_once_per_sample():
    collapsed = "\n".join([
        "main (srv.py:1);handle (srv.py:5);parse (nlu.py:10);parse (nlu.py:12) 30",
        "main (srv.py:1);handle (srv.py:5);query (db.py:3) 10",
        "garbage line",
    ])
    summary = summarize(collapsed)
    inclusive = dict(summary["inclusive_percent"])
    assert summary["samples"] == 40
    assert inclusive["main (srv.py)"] == 100.0 and inclusive["parse (nlu.py)"] == 75.0
    assert dict(summary["self_percent"]) == {"parse (nlu.py)": 75.0, "query (db.py)": 25.0}


def test_memory_of_this_process_is_read_from_proc():
    if not os.path.exists(f"/proc/{os.getpid()}/status"):
        pytest.skip("no /proc on this system")
    now, peak = rss_mb(os.getpid()), peak_rss_mb(os.getpid())
    assert 10 < now <= peak
    assert largest_peak_rss_mb(os.getpid()) == peak  # no children here


def test_reports_carry_the_machine_and_its_load(tmp_path):
    target = write_report("x", {"figure": 1}, tmp_path)
    saved = json.loads(target.read_text())
    assert saved["figure"] == 1
    assert {"nproc", "cpu_model", "memory_gb", "rasa", "python", "load_1m"} <= set(saved["machine"])


def test_tables_align_numbers_right():
    text = table(["name", "ms"], [["a", 1.5], ["bb", 12.25]])
    assert text.splitlines() == ["name     ms", "----  -----", "a     1.500", "bb     12.2"]


def test_model_size_adds_up_each_component_of_the_archive(tmp_path):
    import io
    import tarfile

    from bench.train import model_size

    model = tmp_path / "m.tar.gz"
    with tarfile.open(model, "w:gz") as archive:
        for name, size in [("components/train_DIET/weights", 3_000_000),
                           ("components/train_DIET/meta.json", 500_000),
                           ("components/run_Tokenizer/x", 1_000_000), ("metadata.json", 10)]:
            info = tarfile.TarInfo(name)
            info.size = size
            archive.addfile(info, io.BytesIO(b"\0" * size))
    size = model_size(model)
    assert size["components_mb"] == {"train_DIET": 3.5, "run_Tokenizer": 1.0, "metadata.json": 0.0}
    assert size["unpacked_mb"] == 4.5 and size["archive_mb"] < 1  # zeros compress away


def test_pipeline_candidates_are_configs_rasa_reads_and_each_differs_from_the_shipped_one():
    import yaml
    from rasa.shared.importers.importer import TrainingDataImporter

    from bench.pipelines import CANDIDATES, candidate_model

    shipped = yaml.safe_load((CANDIDATES.parent.parent / "config.yml").read_text())["pipeline"]
    names = set()
    for config in sorted(CANDIDATES.glob("*.yml")):
        pipeline = TrainingDataImporter.load_from_config(str(config)).get_config()["pipeline"]
        assert [c["name"] for c in pipeline][:3] == ["SpacyNLP", "SpacyTokenizer", "SpacyEntityExtractor"]
        assert pipeline != shipped or config.stem == "lean", config.name
        names.add(candidate_model(config).name)
    assert len(names) >= 3  # one kept model per candidate, named by its own hash


def test_an_unknown_pipeline_candidate_is_a_clear_usage_error(capsys):
    from bench.pipelines import main

    with pytest.raises(SystemExit) as stop:
        main(["no-such-pipeline"])
    assert stop.value.code == 2
    assert "no such candidate: no-such-pipeline" in capsys.readouterr().err


def test_cost_against_conversation_length_is_read_by_turn_bucket():
    from bench.load_generator import bucket_summary

    rows_ = bucket_summary([10.0] * 40 + [20.0] * 40 + [30.0] * 5, 40)
    assert [(r["turns"], r["p50_ms"]) for r in rows_] == [("0-39", 10.0), ("40-79", 20.0), ("80-84", 30.0)]
    report = {"levels": [_level(1)], "peak_rss_mb": {},
              "growth": {"turns": 85, "buckets": rows_, "last_over_first_p50": 3.0}}
    by_name = {r["target"]: r for r in targets.load_targets(report)}
    assert not by_name["p50 of the last turn bucket / first's, one conversation"]["met"]
    assert by_name["worst bucket p50 ms, turns up to 85"]["value"] == 30.0
