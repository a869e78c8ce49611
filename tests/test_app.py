"""The runner's chat through Streamlit's own test runner (AppTest): real app.py, real model,
real store built from tests/data/good. Words are compared against the clinic profile."""
from __future__ import annotations

import shutil

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from assistant.clinic import load_clinic
from assistant.config import Settings
from assistant.staff.question_log import QuestionLog
from tests.helpers import ROOT

TIMEOUT_S = 180  # the first run loads the model; later runs reuse it (st.cache_resource)


def copy_of(built, base, **clinic_changes):
    """The built store and knowledge copied (the app writes its question log into the store)."""
    store, knowledge = base / "store", base / "knowledge"
    shutil.copytree(built.store_dir, store)
    shutil.copytree(built.knowledge_dir, knowledge)
    if clinic_changes:
        profile = yaml.safe_load((knowledge / "clinic.yaml").read_text(encoding="utf-8"))
        profile.update(clinic_changes)
        (knowledge / "clinic.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    return store, knowledge


@pytest.fixture(scope="module")
def app_store(built, tmp_path_factory):
    return copy_of(built, tmp_path_factory.mktemp("app"))


@pytest.fixture
def app(app_store, monkeypatch):
    store, knowledge = app_store
    monkeypatch.setenv("ASSISTANT_STORE", str(store))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE", str(knowledge))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def last_reply(at: AppTest):
    return at.chat_message[-1]


def texts(block) -> str:
    return "\n".join(str(m.value) for m in block.markdown)


def link_urls(block) -> set[str]:
    return {b.proto.url for b in block.get("link_button")}


def test_first_screen_shows_the_clinic_what_it_does_and_starters(app, clinic):
    page = "\n".join(str(m.value) for m in app.markdown) + "\n".join(c.value for c in app.caption)
    assert [h.value for h in app.title] == [clinic.name]
    assert clinic.place in page and clinic.messages["intro"].strip() in page
    assert clinic.disclaimer in page
    assert [b.label for b in app.button] == clinic.chat["starters"]
    assert app.chat_input[0].proto.placeholder == clinic.chat["input_placeholder"]


def test_a_question_gets_a_cited_answer_and_the_booking_card(app, clinic):
    ask(app, "the outside of my knee hurts on long runs")
    reply = last_reply(app)
    shown = texts(reply)
    assert "[1]" in shown and "IT Band Syndrome in Runners" in shown
    assert f"**{clinic.messages['sources_heading']}**" in shown
    assert "](https://www.lakesregionrunningpt.example/blog/it-band-syndrome)" in shown
    assert "\\[1\\] [IT Band Syndrome in Runners](https://" in shown
    labels = [e.label for e in reply.expander]
    assert labels == [f"{clinic.chat['quoted_passage']} \\[{n}\\]" for n in range(1, len(labels) + 1)]
    assert reply.expander[0].markdown[0].value  # the quoted passage
    assert link_urls(reply) == {clinic.evaluation.url, clinic.discovery_call.url}
    assert clinic.chat["call"].format(phone=clinic.phone) in [c.value for c in reply.caption]
    assert len(reply.get("feedback")) == 1
    assert [b.label for b in app.button] == [clinic.chat["new_conversation"]]  # starters gone


def test_a_starter_question_is_asked_when_tapped(app, clinic):
    app.button(key="starter-1").click().run()
    assert app.chat_message[0].markdown[0].value == clinic.chat["starters"][1]
    assert "Plantar Fasciitis" in texts(last_reply(app))


@pytest.mark.parametrize("message", [
    "chest pain while running", "my friend collapsed during the race and isn't breathing right"])
def test_a_red_flag_gets_the_emergency_reply_first_and_no_booking(app, clinic, message):
    ask(app, message)
    reply = last_reply(app)
    assert len(reply.error) == 1
    assert reply.error[0].value.startswith(f"**{clinic.triage['emergency'].strip()}**")
    assert not reply.get("link_button") and not reply.expander
    assert clinic.chat["call"].format(phone=clinic.phone) not in [c.value for c in reply.caption]


def test_an_urgent_reply_leads_with_the_doctor_and_rewords_the_booking(app, clinic):
    ask(app, "sharp pain on one spot of my shin even at night")
    reply = last_reply(app)
    assert len(reply.warning) == 1 and not reply.error
    assert reply.warning[0].value.startswith(f"**{clinic.triage['urgent'].strip()}**")
    assert clinic.booking_text["after_urgent"] in [m.value for m in reply.markdown]


def test_a_caution_shows_its_check_line_calmly_above_the_answer(app, clinic):
    ask(app, "i've been limping a bit since my long run and the outside of my knee hurts")
    reply = last_reply(app)
    assert not reply.error and not reply.warning  # not the red-flag colours
    assert [box.value for box in reply.info] == [clinic.check_line("fracture_or_dislocation")]
    assert "IT Band Syndrome in Runners" in texts(reply)
    assert reply.get("link_button")  # booking as usual


def test_a_follow_up_keeps_the_topic_and_a_new_topic_is_not_dragged_back(app):
    ask(app, "the outside of my knee hurts on long runs")
    ask(app, "what about stretches for it?")
    assert "IT Band Syndrome in Runners" in texts(last_reply(app))
    ask(app, "and my heel hurts in the morning")
    shown = texts(last_reply(app))
    assert "Plantar Fasciitis" in shown and "IT Band Syndrome in Runners" not in shown


def test_off_topic_gets_the_scope_reply(app, clinic):
    ask(app, "what's a good recipe for lasagna?")
    assert clinic.scope["off_topic"].strip() in texts(last_reply(app))


def test_new_conversation_clears_the_history(app, clinic):
    ask(app, "the outside of my knee hurts on long runs")
    app.button[-1].click().run()
    assert not app.chat_message
    assert [b.label for b in app.button] == clinic.chat["starters"]


def test_a_too_long_message_is_cut_on_the_server(app):
    limit = Settings().max_question_chars
    ask(app, "my knee hurts " * 1000)  # a tampered browser ignores the widget's max_chars
    asked = app.chat_message[-2].markdown[0].value
    assert 0 < len(asked) <= limit
    assert last_reply(app).get("feedback")  # answered normally, no traceback


def test_feedback_and_unanswered_questions_go_to_the_question_log(app, app_store, clinic):
    log = QuestionLog(app_store[0], clinic.question_logging)
    before = len(log.read())
    ask(app, "what heart rate zone should my easy runs be in, email me at runner@example.com")
    ask(app, "the outside of my knee hurts on long runs")
    app.chat_message[-1].get("feedback")[0].set_value(0).run()  # thumbs down
    kept = log.read()[before:]
    assert [(k["status"], k["feedback"]) for k in kept] == [("no_match", None), ("answered", "down")]
    assert "runner@example.com" not in kept[0]["question"] and "[email]" in kept[0]["question"]
    assert kept[1]["chunk_ids"] and all(cid.startswith("it-band") for cid in kept[1]["chunk_ids"])
    assert set(kept[0]) == {"day", "question", "status", "chunk_ids", "feedback"}  # no identity
    assert clinic.chat["feedback_thanks"] in [c.value for c in app.chat_message[-1].caption]


def test_with_logging_off_nothing_is_kept(built, tmp_path, monkeypatch):
    store, knowledge = copy_of(built, tmp_path, question_logging="off")
    monkeypatch.setenv("ASSISTANT_STORE", str(store))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE", str(knowledge))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S).run()
    ask(at, "what heart rate zone should my easy runs be in")
    at.chat_message[-1].get("feedback")[0].set_value(0).run()
    assert load_clinic(knowledge / "clinic.yaml").question_logging == "off"
    assert not QuestionLog(store, "off").path.exists()


def test_first_start_with_an_empty_store_ingests_the_knowledge_folder(built, tmp_path, monkeypatch):
    from assistant.store import Store

    store = tmp_path / "empty-store"
    monkeypatch.setenv("ASSISTANT_STORE", str(store))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE", str(built.knowledge_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S).run()
    assert not at.exception and Store(store).catalog.active_version() is not None
    ask(at, "the outside of my knee hurts on long runs")
    assert "IT Band Syndrome in Runners" in texts(last_reply(at))
