"""The eval command: its pure parts by hand, then one real run on the small test store."""
import json
import subprocess
import sys

from assistant.__main__ import main as assistant_main
from assistant.evaluate.gates import Thresholds, failed_gates
from assistant.evaluate.retrieval import (
    distinct_articles,
    format_report,
    new_answer_row,
    percentile,
    rank_metrics,
    tally_answer,
    with_rates,
)
from tests.helpers import ROOT, cli_env, run_command


def test_distinct_articles_keeps_first_appearance_and_skips_unknown_chunks():
    slug_of = {"a#1": "a", "a#2": "a", "b#1": "b"}
    assert distinct_articles(["a#2", "x#9", "b#1", "a#1"], slug_of) == ["a", "b"]


def test_rank_metrics_by_hand():
    ranked = [["a", "b", "c"], ["b", "a"], ["c", "d", "e", "a"], ["z"]]
    expected = ["a", "a", "a", "a"]
    # hit@1: 1 of 4; hit@3: 2 of 4; MRR: (1 + 1/2 + 1/4 + 0) / 4
    assert rank_metrics(ranked, expected) == {"n": 4, "hit@1": 0.25, "hit@3": 0.5, "mrr": round(1.75 / 4, 3)}


def test_answer_rates_split_refusals_into_right_and_wrong():
    row = new_answer_row()
    tally_answer(row, "it-band", ["it-band.md", "shin.md"])  # right article first
    tally_answer(row, "it-band", ["shin.md", "it-band.md"])  # right article second
    tally_answer(row, "it-band", [])  # answerable but refused
    tally_answer(row, None, [])  # unanswerable, refused: right
    tally_answer(row, None, [])
    tally_answer(row, None, ["shin.md"])  # unanswerable but answered
    rates = with_rates(row)
    assert (rates["cited_right_first"], rates["cited_right_top3"], rates["answerable_refused"]) == (1, 2, 1)
    assert rates["unanswerable_refused_rate"] == round(2 / 3, 3)
    assert rates["no_match_precision"] == round(2 / 3, 3)  # 3 refused, 2 rightly
    assert rates["answerable_refused_rate"] == round(1 / 3, 3)
    assert with_rates(new_answer_row())["no_match_precision"] is None


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50 and percentile(values, 95) == 95 and percentile([], 50) is None


def _result(hit3=1.0, emergency=1.0, refused=0.5, p95=100.0):
    return {"retrieval": {"fused": {"dev": {"n": 3, "hit@1": 1.0, "hit@3": hit3, "mrr": 1.0}}},
            "answers": {"dev": {**with_rates(new_answer_row()), "unanswerable_refused_rate": refused,
                                "answerable_refused_rate": 0.0}},
            "p50_ms": p95 / 2, "p95_ms": p95,
            "triage": {"splits": {"dev": {"recall": {"emergency": emergency, "urgent": 1.0},
                                          "false_alarm_rate": 0.0},
                                  "all": {"recall": {"emergency": 0.0, "urgent": 0.0}, "false_alarm_rate": 1.0}}}}


def test_gates_name_each_figure_that_misses_and_ignore_unset_thresholds():
    limits = Thresholds(min_hit3=0.95, min_triage_recall=1.0, min_unanswerable_refused=0.4, max_p95_ms=500)
    assert failed_gates(_result(), limits) == []
    assert failed_gates(_result(hit3=0.5, emergency=0.9, refused=0.1, p95=900), Thresholds()) == []
    failures = failed_gates(_result(hit3=0.5, emergency=0.9, refused=0.1, p95=900), limits)
    assert len(failures) == 4
    assert any("hit@3 [dev]" in f for f in failures) and any("emergency recall [dev]" in f for f in failures)


def test_report_is_a_table_with_every_mode():
    result = {k: v for k, v in _result().items() if k != "triage"}  # triage has its own report
    text = format_report({**result, "misses": [], "failed": ["fused hit@3 [dev] 0.500 < 0.95"]})
    assert "fused  dev" in text and "FAILED: fused hit@3" in text


def test_eval_cli_on_the_small_store_prints_json_and_gates(built, tmp_path, capsys, monkeypatch):
    questions = tmp_path / "questions.yaml"
    questions.write_text(
        "questions:\n"
        "  - {q: the outside of my knee hurts on long runs, article: it-band, split: dev}\n"
        "  - {q: what causes pain on the outside of the knee, article: it-band, split: test}\n"
        "  - {q: what heart rate zone should my easy runs be in, article: null, split: dev}\n"
        "red_flags:\n"
        "  - {text: crushing chest pain on my run and my arm is numb, level: emergency, rule: chest_pain}\n"
        "lookalikes:\n"
        "  - {text: my chest is sore from push-ups yesterday}\n", encoding="utf-8")
    command = [sys.executable, "-m", "assistant", "eval", "--questions", str(questions), "--json"]
    done = subprocess.run(command + ["--min-hit3", "0.5"], cwd=ROOT, env=cli_env(built),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result["retrieval"]) == {"bm25", "dense", "fused"}
    assert result["retrieval"]["fused"]["dev"]["hit@3"] == 1.0
    assert result["answers"]["dev"]["unanswerable"] == 1 and result["p95_ms"] > 0
    assert result["triage"]["splits"]["dev"]["confusion"]["emergency"]["emergency"] == 1
    assert result["failed"] == []
    code, out, _ = run_command(assistant_main, command[3:] + ["--max-p95-ms", "0.001"], capsys, monkeypatch, built)
    assert code == 1 and json.loads(out)["failed"]
