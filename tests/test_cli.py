"""The CLI contract of DESIGN.md, through real subprocesses."""
import json
import subprocess
import sys

import pytest

from tests.conftest import DATA, ROOT, cli_env, make_knowledge


def run(args, settings=None, stdin=None, env=None):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env or cli_env(settings), input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("args", [["ingest.py", "--help"], ["-m", "assistant", "--help"],
                                  ["-m", "assistant", "ask", "--help"], ["-m", "assistant", "eval", "--help"]])
def test_help_for_every_command_is_instant_and_says_how(args):
    result = run(args)
    assert result.returncode == 0 and "usage:" in result.stdout
    assert "torch" not in result.stderr


def test_ask_json_has_the_contract_fields(built):
    result = run(["-m", "assistant", "ask", "--json", "the outside of my knee hurts on long runs"], built)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert {"question", "answer", "citations", "triage", "status", "booking", "timings_ms"} <= set(answer)
    assert answer["status"] == "answered" and answer["triage"] == "none"
    citation = answer["citations"][0]
    assert {"n", "title", "url", "source", "heading", "quote"} <= set(citation)
    assert citation["source"] == "it-band.md" and citation["n"] == 1
    assert {"text", "links"} <= set(answer["booking"])
    assert all({"label", "url"} <= set(link) for link in answer["booking"]["links"])


def test_batch_answers_every_line_in_order_in_one_process(built, tmp_path):
    questions = ["sharp heel pain in the morning", "", "what heart rate zone should my easy runs be in",
                 "the outside of my knee hurts on long runs"]
    batch = tmp_path / "questions.txt"
    batch.write_text("\n".join(questions) + "\n")
    result = run(["-m", "assistant", "ask", "--json", "--batch", str(batch)], built)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == [q for q in questions if q]
    assert [line["status"] for line in lines] == ["answered", "no_match", "answered"]
    assert lines[1]["citations"] == []


def test_ask_text_output_shows_sources_and_booking(built, clinic):
    result = run(["-m", "assistant", "ask", "sharp heel pain with the first steps in the morning"], built)
    assert result.returncode == 0
    assert "[1]" in result.stdout and clinic.messages["sources_heading"] in result.stdout
    assert clinic.evaluation.url in result.stdout


def test_usage_errors_exit_2(built):
    assert run(["-m", "assistant", "ask", "--json", "   "], built).returncode == 2
    assert run(["-m", "assistant", "ask"], built).returncode == 2
    assert run(["-m", "assistant", "ask", "--batch", "x.txt"], built).returncode == 2
    assert run(["ingest.py", "--no-such-flag"], built).returncode == 2


def test_a_missing_store_is_explained_with_exit_1(tmp_path, built):
    env = cli_env(built)
    env["ASSISTANT_STORE"] = str(tmp_path / "nothing-here")
    result = run(["-m", "assistant", "ask", "knee pain"], env=env)
    assert result.returncode == 1 and "ingest.py" in result.stderr and "Traceback" not in result.stderr


def test_ingest_json_summary_and_exit_codes(tmp_path):
    knowledge = make_knowledge(tmp_path / "knowledge", "it-band.md", "shin-pain.txt")
    store = tmp_path / "store"
    args = ["ingest.py", "--knowledge", str(knowledge), "--store", str(store), "--json"]
    first = run(args)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert {"added", "updated", "removed", "unchanged", "chunks", "failed", "seconds"} <= set(summary)
    assert summary["added"] == 2 and summary["failed"] == []
    (knowledge / "binary.txt").write_bytes((DATA / "bad" / "binary.txt").read_bytes())
    second = run(args)
    assert second.returncode == 1
    summary = json.loads(second.stdout)
    assert summary["unchanged"] == 2 and summary["failed"][0]["path"] == "binary.txt"
    assert "binary" in summary["failed"][0]["error"]
    missing = run(["ingest.py", "--knowledge", str(tmp_path / "nope"), "--store", str(store)])
    assert missing.returncode == 2 and "does not exist" in missing.stderr
