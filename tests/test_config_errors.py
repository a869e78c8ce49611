"""A broken clinic.yaml or triage.yaml, at every entry point: each says plainly which file and
which key is wrong (a PT can fix it), none shows a traceback, none advises a store rollback,
and nothing already published is lost."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from assistant.__main__ import main as assistant_main
from assistant.cli.ingest import main as ingest_main
from assistant.clinic import PROFILE_UNREADABLE, STAFF_PROFILE_UNREADABLE, load_clinic
from assistant.staff.passwords import hash_password
from tests.helpers import ROOT, run_command

BREAKS = {
    # a key deleted from the clinic profile: the booking link the runner would be offered
    "clinic.yaml": (lambda text: text.replace("  evaluation:\n    label: Book an evaluation\n", "  evaluation:\n"),
                    "booking.evaluation.label"),
    # a typo in a sign's name in a red-flag rule
    "triage.yaml": (lambda text: text.replace("- chest_symptom unless chest_wall_cause",
                                              "- chest_symptoms unless chest_wall_cause"),
                    "chest_symptoms"),
}
PASSWORD = "a long staff password"


@pytest.fixture(params=sorted(BREAKS))
def broken(request, kb):
    """A copy of the built store whose knowledge folder has one configuration file broken."""
    name = request.param
    change, key = BREAKS[name]
    path = kb.knowledge_dir / name
    text = path.read_text(encoding="utf-8")
    assert change(text) != text, "the break must change the file"
    path.write_text(change(text), encoding="utf-8")
    return kb, name, key


def test_ingest_names_the_file_and_key_and_still_publishes_the_articles(broken, capsys, monkeypatch):
    settings, name, key = broken
    (settings.knowledge_dir / "new-post.md").write_text(
        "# Hill repeats\n\nHill repeats build calf and hip strength for runners who race on hills.\n")
    code, out, err = run_command(ingest_main, ["--json"], capsys, monkeypatch, settings)
    assert code == 1 and "Traceback" not in err
    report = json.loads(out)
    assert report["added"] == 1 and report["published"]  # the articles are not held hostage
    (failure,) = report["failed"]
    assert failure["path"] == name and key in failure["error"] and name in failure["error"]


@pytest.mark.parametrize("command", [["ask", "my knee hurts"], ["eval", "--json"]])
def test_ask_and_eval_name_the_file_and_key(broken, command, capsys, monkeypatch):
    settings, name, key = broken
    code, _, err = run_command(assistant_main, command, capsys, monkeypatch, settings)
    assert code == 1 and "Traceback" not in err
    assert err.startswith("error: ") and name in err and key in err
    assert "--rollback" not in err  # a configuration typo is not a store fault


def test_the_chat_page_says_so_in_plain_words(broken, monkeypatch):
    settings, name, _ = broken
    monkeypatch.setenv("ASSISTANT_STORE", str(settings.store_dir))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE", str(settings.knowledge_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert not at.chat_input  # no chat without its words or its safety rules
    if name == "clinic.yaml":
        assert [e.value for e in at.error] == [PROFILE_UNREADABLE]
    else:  # the clinic's own words are there to say it
        maintenance = load_clinic(settings.clinic_file).messages["maintenance"].strip()
        assert any(maintenance in w.value for w in at.warning)


def _staff_page():
    from assistant.ui.staff_page import staff_page

    staff_page()


def test_the_staff_page_names_the_file_and_key(broken, monkeypatch):
    settings, name, key = broken
    monkeypatch.setenv("ASSISTANT_STORE", str(settings.store_dir))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE", str(settings.knowledge_dir))
    monkeypatch.setenv("ASSISTANT_STAFF_PASSWORD_HASH", hash_password(PASSWORD))
    page = AppTest.from_function(_staff_page, default_timeout=60).run()
    assert not page.exception
    if name == "clinic.yaml":
        (error,) = page.error
        prefix = STAFF_PROFILE_UNREADABLE.split("{")[0]
        assert error.value.startswith(prefix) and name in error.value and key in error.value
        return
    # The staff page needs no triage rules: staff can still sign in and see what is published.
    page.text_input(key="staff-password").input(PASSWORD)
    page.button[0].click().run()
    assert not page.exception and any("it-band.md" in t.value for t in page.text)


@pytest.mark.parametrize("name, twice", [
    ("triage.yaml", ("  cold_sweat:\n", "  cold_sweat:\n    - '\\bclammy\\b'\n  cold_sweat:\n")),
    ("clinic.yaml", ("booking:\n", "phone: \"(603) 555-0000\"\nbooking:\n")),
])
def test_a_key_given_twice_is_refused_with_its_lines(tmp_path, name, twice):
    """YAML itself keeps the last of two equal keys without a word: a sign named twice replaced
    the first (stop 22). Staff see which key and both lines instead."""
    from assistant.answer.triage_rules import load_rules
    from assistant.errors import ConfigError

    old, new = twice
    text = (ROOT / "knowledge" / name).read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    load = load_rules if name == "triage.yaml" else load_clinic
    with pytest.raises(ConfigError, match=r"is given twice \(first on line \d+\); keep one"):
        load(path)
