"""The question log keeps what staff need to write missing articles, and nothing about who asked."""
import json

import pytest

from assistant.staff.question_log import QuestionLog, redact


@pytest.mark.parametrize("text, kept", [
    ("call me on (603) 555-0199 about my knee", "call me on [phone] about my knee"),
    ("text 603.555.0199 or +1 603 555 0199", "text [phone] or [phone]"),
    ("mail jo.runner+pt@example.co.uk please", "mail [email] please"),
    ("I ran 26.2 miles in 3:45 at 10 km/h, 2 times", "I ran 26.2 miles in 3:45 at 10 km/h, 2 times"),
])
def test_emails_and_phone_numbers_are_redacted_and_running_numbers_kept(text, kept):
    assert redact(text) == kept


def test_unanswered_only_keeps_no_match_and_thumbs_down(tmp_path):
    log = QuestionLog(tmp_path, "unanswered_only")
    assert log.record("what zone for easy runs", "no_match", ["a#1"])
    assert not log.record("my knee hurts", "answered", ["b#1"])
    assert not log.record("my knee hurts", "answered", ["b#1"], feedback="up")
    assert log.record("my knee hurts", "answered", ["b#1"], feedback="down")
    assert not log.record("chest pain", "red_flag", [])
    lines = [json.loads(line) for line in log.path.read_text(encoding="utf-8").splitlines()]
    assert [(line["status"], line["feedback"]) for line in lines] == [("no_match", None), ("answered", "down")]
    assert all(set(line) == {"day", "question", "status", "chunk_ids", "feedback"} for line in lines)
    assert all(len(line["day"]) == len("2026-01-31") for line in lines)  # a date, never a time


def test_all_keeps_everything_and_off_keeps_nothing(tmp_path):
    everything = QuestionLog(tmp_path / "all", "all")
    assert everything.record("my knee hurts", "answered", ["b#1"])
    assert everything.record("my knee hurts", "answered", ["b#1"], feedback="up")
    assert len(everything.read()) == 2
    off = QuestionLog(tmp_path / "off", "off")
    assert not off.record("what zone", "no_match", []) and not off.record("x", "answered", [], "down")
    assert not off.path.exists() and not (tmp_path / "off").exists()


def test_an_unknown_setting_in_the_clinic_profile_is_refused(tmp_path):
    from assistant.clinic import load_clinic
    from assistant.errors import ConfigError
    from tests.helpers import ROOT

    profile = (ROOT / "knowledge" / "clinic.yaml").read_text(encoding="utf-8")
    (tmp_path / "clinic.yaml").write_text(
        profile.replace("question_logging: unanswered_only", "question_logging: sometimes"), encoding="utf-8")
    with pytest.raises(ConfigError, match="question_logging"):
        load_clinic(tmp_path / "clinic.yaml")
