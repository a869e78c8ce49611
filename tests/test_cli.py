"""The CLI contract of DESIGN.md. One real subprocess per command (the contract as a script sees
it, cold start included); the other cases call the same `main` in this process."""
import json
import subprocess
import sys

import pytest

from assistant.__main__ import main as assistant_main
from assistant.cli.ingest import main as ingest_main
from tests.helpers import DATA, ROOT, cli_env, make_knowledge, run_command


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


def test_batch_answers_every_line_in_order_in_one_process(built, tmp_path, capsys, monkeypatch):
    questions = ["sharp heel pain in the morning", "", "what heart rate zone should my easy runs be in",
                 "the outside of my knee hurts on long runs"]
    batch = tmp_path / "questions.txt"
    batch.write_text("\n".join(questions) + "\n")
    code, out, err = run_command(assistant_main, ["ask", "--json", "--batch", str(batch)], capsys, monkeypatch, built)
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["question"] for line in lines] == [q for q in questions if q]
    assert [line["status"] for line in lines] == ["answered", "no_match", "answered"]
    assert lines[1]["citations"] == []


def test_ask_json_says_caution_when_a_check_line_leads(built, clinic, capsys, monkeypatch):
    question = "i've been limping a bit since my long run and the outside of my knee hurts"
    code, out, err = run_command(assistant_main, ["ask", "--json", question], capsys, monkeypatch, built)
    assert code == 0, err
    answer = json.loads(out)
    assert (answer["triage"], answer["status"]) == ("caution", "answered")
    assert answer["answer"].startswith(clinic.check_line("fracture_or_dislocation"))
    assert answer["citations"] and answer["booking"]["links"]


def test_ask_text_output_shows_sources_and_booking(built, clinic, capsys, monkeypatch):
    code, out, _ = run_command(assistant_main, ["ask", "sharp heel pain with the first steps in the morning"],
                               capsys, monkeypatch, built)
    assert code == 0
    assert "[1]" in out and clinic.messages["sources_heading"] in out
    assert clinic.evaluation.url in out


def test_usage_errors_exit_2(built, capsys, monkeypatch):
    for argv in (["ask", "--json", "   "], ["ask"], ["ask", "--batch", "x.txt"]):
        assert run_command(assistant_main, argv, capsys, monkeypatch, built)[0] == 2, argv
    assert run_command(ingest_main, ["--no-such-flag"], capsys, monkeypatch, built)[0] == 2


def test_a_missing_store_is_explained_with_exit_1(tmp_path, built, capsys, monkeypatch):
    code, _, err = run_command(assistant_main, ["ask", "knee pain", "--store", str(tmp_path / "nothing-here")],
                               capsys, monkeypatch, built)
    assert code == 1 and "ingest.py" in err and "Traceback" not in err


def test_ingest_json_summary_and_exit_codes(tmp_path):
    knowledge = make_knowledge(tmp_path / "knowledge", "it-band.md", "shin-pain.txt")
    store = tmp_path / "store"
    args = ["ingest.py", "--knowledge", str(knowledge), "--store", str(store), "--json"]
    first = run(args)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert {"added", "updated", "removed", "unchanged", "chunks", "failed", "seconds"} <= set(summary)
    assert summary["added"] == 2 and summary["failed"] == []


def test_ingest_reports_a_bad_file_and_a_missing_folder(kb, tmp_path, capsys, monkeypatch):
    (kb.knowledge_dir / "binary.txt").write_bytes((DATA / "bad" / "binary.txt").read_bytes())
    code, out, _ = run_command(ingest_main, ["--json"], capsys, monkeypatch, kb)
    assert code == 1
    summary = json.loads(out)
    assert summary["unchanged"] == 5 and summary["failed"][0]["path"] == "binary.txt"
    assert "binary" in summary["failed"][0]["error"]
    code, _, err = run_command(ingest_main, ["--knowledge", str(tmp_path / "nope")], capsys, monkeypatch, kb)
    assert code == 2 and "does not exist" in err


def test_parse_turn_reads_a_conversation_line_or_says_what_is_wrong():
    from assistant.cli.ask import parse_turn

    assert parse_turn('{"question": "how long?", "history": [["knee hurts", "IT band [1]"]]}') == \
        ("how long?", [("knee hurts", "IT band [1]")])
    assert parse_turn('{"question": "knee hurts"}') == ("knee hurts", [])
    for bad in ('{"question": "x", "history": [["only one"]]}', '{"history": []}', '{"question": 3}', "{oops",
                '{"question": "x", "history": "knee"}'):
        with pytest.raises(ValueError):
            parse_turn(bad)


def test_batch_takes_conversation_turns_and_reports_a_bad_line_in_place(built, tmp_path, capsys, monkeypatch):
    first = "the outside of my knee hurts on long runs"
    turn = json.dumps({"question": "what helps at home?", "history": [[first, "IT band syndrome … [1]"]]})
    batch = tmp_path / "turns.txt"
    batch.write_text("\n".join([first, turn, '{"question": "knee", "history": [["oops"]]}',
                                "sharp heel pain in the morning"]) + "\n")
    code, out, err = run_command(assistant_main, ["ask", "--json", "--batch", str(batch)], capsys, monkeypatch, built)
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["question"] for line in lines] == [first, "what helps at home?",
                                                    '{"question": "knee", "history": [["oops"]]}',
                                                    "sharp heel pain in the morning"]
    assert lines[1]["status"] == "answered" and lines[1]["citations"][0]["source"] == "it-band.md"
    assert "history" in lines[2]["error"] and "status" not in lines[2]
    assert lines[3]["status"] == "answered"
