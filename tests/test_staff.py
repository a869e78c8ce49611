"""The staff workflow: password, sign-in throttle, uploads (preview, publish, duplicates),
inventory and removal, the question log's redaction and retention, the content-gap list, and
the page itself through Streamlit's AppTest. Real files, real model, real Chroma."""
import subprocess
import sys
import unicodedata
from datetime import date, timedelta

import pytest

from assistant.clinic import load_clinic
from assistant.config import Settings
from assistant.errors import ConfigError, LoadError
from assistant.ingest.guard import GuardedParser
from assistant.ingest.run import run_ingest
from assistant.staff import actions as staff
from assistant.staff.passwords import (
    fingerprint,
    hash_password,
    read_secrets,
    save_hash,
    verify_password,
)
from assistant.staff.question_log import QuestionLog
from assistant.store import Store
from tests.helpers import DATA, ROOT, cli_env, copy_built, make_knowledge

WORDS = load_clinic(ROOT / "knowledge" / "clinic.yaml").staff_words()
PASSWORD = "Läufer-Knie 2026 ✓"


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory, embedder):
    """A small knowledge base, built once: two articles."""
    base = tmp_path_factory.mktemp("two")
    settings = Settings(knowledge_dir=make_knowledge(base / "knowledge", "it-band.md", "shin-pain.txt"),
                        store_dir=base / "store")
    assert run_ingest(settings, lambda: embedder).published
    return settings


@pytest.fixture
def kb(two_articles, tmp_path):
    """A private, writable copy of it."""
    return copy_built(two_articles, tmp_path)


@pytest.fixture(scope="module")
def parser():
    with GuardedParser() as guarded:
        yield guarded


def preview(kb, name, data, parser, embedder):
    return staff.preview_upload(name, data, kb, parser, embedder.count_tokens)


# --- password and sign-in -------------------------------------------------------------

def test_passwords_are_salted_hashes_and_non_ascii_works():
    stored = hash_password(PASSWORD)
    assert PASSWORD not in stored and stored != hash_password(PASSWORD)  # salted
    assert verify_password(PASSWORD, stored)
    assert verify_password(unicodedata.normalize("NFD", PASSWORD), stored)  # é typed decomposed
    assert not verify_password(PASSWORD[:-1], stored) and not verify_password("", stored)
    with pytest.raises(ConfigError):
        verify_password(PASSWORD, "scrypt$not-a-hash")


def test_set_staff_password_writes_only_a_hash_and_keeps_other_secrets(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('other = "kept"\n')
    result = subprocess.run([sys.executable, "-m", "assistant", "set-staff-password", "--secrets", str(secrets)],
                            input=PASSWORD + "\n", capture_output=True, text=True, env=cli_env(), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    values = read_secrets(secrets)
    assert values["other"] == "kept" and verify_password(PASSWORD, values["staff_password_hash"])
    assert PASSWORD not in secrets.read_text() and secrets.stat().st_mode & 0o077 == 0
    save_hash(secrets, hash_password("another one"))  # replaced, not appended
    assert secrets.read_text().count("staff_password_hash") == 1


def test_failures_past_five_wait_longer_and_longer():
    now = [1000.0]
    throttle = staff.LoginThrottle(clock=lambda: now[0])
    stored = hash_password(PASSWORD)
    for _ in range(staff.FREE_ATTEMPTS - 1):
        assert staff.sign_in("wrong", stored, throttle) == staff.SignIn(False, 0.0)
    assert staff.sign_in("wrong", stored, throttle).wait == 2.0  # the fifth failure starts the delay
    assert staff.sign_in(PASSWORD, stored, throttle) == staff.SignIn(False, 2.0)  # not even checked
    now[0] += 2.0
    assert staff.sign_in("wrong", stored, throttle).wait == 4.0
    now[0] += 4.0
    assert staff.sign_in(PASSWORD, stored, throttle).ok
    assert throttle.wait_seconds() == 0.0


def test_a_session_ends_when_the_password_changes_or_it_sits_idle():
    stored = hash_password(PASSWORD)
    session = staff.new_session(stored, now=0.0)
    assert session["fingerprint"] == fingerprint(stored) and staff.session_valid(session, stored, 60.0)
    assert not staff.session_valid(session, hash_password(PASSWORD), 60.0)  # re-set: everyone signed out
    assert not staff.session_valid(session, None, 60.0)  # password removed: page off
    assert not staff.session_valid(session, stored, staff.SESSION_IDLE_SECONDS + 1)
    assert not staff.session_valid(None, stored, 0.0)


# --- uploads --------------------------------------------------------------------------

@pytest.mark.parametrize("name, safe", [("../../etc/passwd.md", "passwd.md"), ("C:\\Users\\pt\\Knee.MD", "Knee.md"),
                                        ("Héel pain?<b>.txt", "Héel pain-b.txt"), (".hidden.html", "hidden.html"),
                                        ("   .pdf", "article.pdf")])
def test_upload_names_are_sanitised(name, safe):
    assert staff.sanitise_name(name) == safe


@pytest.mark.parametrize("name", ["notes.docx", "run.exe", "article", "page.md.exe"])
def test_upload_types_outside_the_list_are_refused(name):
    with pytest.raises(LoadError) as caught:
        staff.sanitise_name(name)
    assert caught.value.kind == "unsupported_type"


def test_every_reason_a_file_can_fail_for_has_staff_words():
    kinds = {"unsupported_type", "empty", "unreadable", "unreadable_pdf", "encrypted_pdf", "too_large",
             "too_many_pages", "not_text", "not_pdf", "no_text", "no_text_layer", "bad_front_matter",
             "timed_out", "too_complex", "unchanged", "duplicate"}
    assert kinds <= set(WORDS["reasons"])
    error = LoadError("big.pdf", "too large", "too_large", kb=9000, limit_kb=5120)
    assert staff.reason_words(WORDS, error) == WORDS["reasons"]["too_large"].format(kb=9000, limit_kb=5120)


def test_content_is_checked_not_just_the_extension(kb, parser, embedder):
    for name, data, kind in [("binary.md", (DATA / "bad" / "binary.txt").read_bytes(), "not_text"),
                             ("fake.pdf", b"# Not a PDF\n\nJust text about knees.\n", "not_pdf"),
                             ("hamstring.txt", (DATA / "good" / "hamstring.pdf").read_bytes(), "not_text")]:
        with pytest.raises(LoadError) as caught:
            preview(kb, name, data, parser, embedder)
        assert caught.value.kind == kind
        assert staff.reason_words(WORDS, caught.value) == WORDS["reasons"][kind]


def test_preview_shows_what_was_parsed(kb, parser, embedder):
    shown = preview(kb, "Heel Pain.html", (DATA / "good" / "heel-pain.html").read_bytes(), parser, embedder)
    assert shown.source == "Heel Pain.html" and shown.title and shown.chunks >= 1 and shown.headings
    assert shown.blocked is None and ("replaces" not in dict(shown.warnings))


def test_preview_shows_what_the_assistant_will_ignore(kb, parser, embedder):
    shown = staff.preview_upload("hip.txt", (DATA / "blog" / "hip-flexor-strain.txt").read_bytes(), kb, parser,
                                 embedder.count_tokens, embed=embedder.embed)
    tags = {tag for _, tag, _ in shown.blocks}
    assert "sales" in tags and "content" in tags
    assert any("two to four weeks" in text for _, tag, text in shown.blocks if tag == "content")


def _blocks_page():
    from assistant.clinic import load_clinic
    from assistant.ui.staff_sections import blocks as _blocks
    from tests.helpers import ROOT

    _blocks(load_clinic(ROOT / "knowledge" / "clinic.yaml").staff_words(),
            (("Signs", "content", "Pain in the front of the hip"), ("Signs", "sales", "Book today!\n- Call us")))


def test_the_preview_strikes_through_what_is_ignored_and_says_why():
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_function(_blocks_page).run()
    shown = [m.value for m in page.markdown]
    assert "Pain in the front of the hip" in shown
    struck = next(m for m in shown if m.startswith("~~"))
    assert "~~Book today!~~" in struck and "~~- Call us~~" in struck
    assert WORDS["filler_kinds"]["sales"] in struck


def test_upload_of_a_published_file_updates_it_and_never_duplicates(kb, parser, embedder):
    original = (kb.knowledge_dir / "it-band.md").read_bytes()
    same = preview(kb, "it-band.md", original, parser, embedder)
    assert same.blocked == ("unchanged", {"file": "it-band.md"})
    copy = preview(kb, "IT band copy.md", original, parser, embedder)
    assert copy.blocked[0] == "duplicate" and copy.blocked[1]["file"] == "it-band.md"
    with pytest.raises(LoadError):
        staff.publish_upload(copy, original, kb, lambda: embedder)
    edited = original.replace(b"clamshells", b"side planks")
    update = preview(kb, "IT-BAND.md", edited, parser, embedder)  # another capitalisation, same article
    assert update.source == "it-band.md" and update.blocked is None
    assert dict(update.warnings)["replaces"]["file"] == "it-band.md"
    report = staff.publish_upload(update, edited, kb, lambda: embedder)
    assert report.updated == ("it-band.md",) and not report.added
    assert sorted(row.source for row in staff.inventory(kb)) == ["it-band.md", "shin-pain.txt"]
    assert sorted(p.name for p in kb.knowledge_dir.iterdir() if p.suffix != ".yaml") == ["it-band.md",
                                                                                        "shin-pain.txt"]


def test_inventory_and_confirmed_removal(kb, embedder):
    rows = staff.inventory(kb)
    assert [(r.source, r.chunks > 0, len(r.ingested_at) > 0) for r in rows] == [
        ("it-band.md", True, True), ("shin-pain.txt", True, True)]
    report = staff.remove_article("shin-pain.txt", kb, lambda: embedder)
    assert report.removed == ("shin-pain.txt",) and report.embedded == 0
    assert [r.source for r in staff.inventory(kb)] == ["it-band.md"]
    assert [p.name.endswith("shin-pain.txt") for p in (kb.knowledge_dir / ".removed").iterdir()] == [True]
    done = staff.roll_back(kb)  # and the page's undo brings it back
    assert "shin-pain.txt" in Store(kb.store_dir).catalog.active_manifest().articles and done.replaced > done.version


# --- question log and content gaps ----------------------------------------------------

def test_question_log_redacts_and_forgets_after_the_retention_period(tmp_path):
    log = QuestionLog(tmp_path)
    log.record("my heel hurts, call me on (603) 555-0199 or mail sam.runner@example.com", "no_match", [])
    kept = log.recent()
    assert len(kept) == 1 and "555" not in kept[0]["question"] and "@" not in kept[0]["question"]
    assert "[phone]" in kept[0]["question"] and "[email]" in kept[0]["question"]
    today = date.today()
    assert log.prune(today + timedelta(days=log.retention_days)) == 0  # 90 days old: still kept
    assert log.prune(today + timedelta(days=log.retention_days + 1)) == 1
    assert log.recent() == [] and log.path.read_text() == ""


def test_content_gaps_group_similar_questions_most_frequent_first(embedder):
    day = date.today().isoformat()
    entry = lambda q, status="no_match", feedback=None, chunks=(): {  # noqa: E731
        "day": day, "question": q, "status": status, "chunk_ids": list(chunks), "feedback": feedback}
    from assistant.staff.gaps import content_gaps

    entries = [entry("What heart rate zone should my easy runs be in?"),
               entry("what heart rate should easy runs be at"),
               entry("Which heart rate zone is right for an easy run?"),
               entry("Best trail shoes for muddy races?"),
               entry("how do I treat IT band pain", "answered", "down", ["it-band#a", "it-band#b"]),
               entry("how do I treat IT band pain", "answered", None),  # answered and not rated: no gap
               entry("Knee pain on long runs", "answered", "up")]
    gaps = content_gaps(entries, embedder.embed)
    assert [g.count for g in gaps] == [3, 1, 1]
    assert all("heart rate" in q for q in gaps[0].questions)
    down = next(g for g in gaps if g.thumbs_down)
    assert down.chunk_ids == ("it-band#a", "it-band#b")


# --- the page itself (AppTest) --------------------------------------------------------

def _page():
    from assistant.ui.staff_page import staff_page

    staff_page()


@pytest.fixture
def page(built, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ASSISTANT_STORE", str(built.store_dir))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE", str(built.knowledge_dir))
    monkeypatch.delenv("ASSISTANT_STAFF_PASSWORD_HASH", raising=False)
    return AppTest.from_function(_page, default_timeout=60)


def test_the_staff_page_is_off_without_a_password(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here
    page.run()
    assert not page.exception
    assert [i.value for i in page.info] == [WORDS["page_off"]] and not page.text_input


def test_the_staff_page_refuses_a_wrong_password_and_accepts_the_right_one(page):
    page.secrets["staff_password_hash"] = hash_password(PASSWORD)
    page.run()
    page.text_input(key="staff-password").input("wrong password")
    page.button[0].click().run()
    assert [e.value for e in page.error] == [WORDS["wrong_password"]]
    assert not page.radio  # nothing of the staff page is shown
    page.text_input(key="staff-password").input(PASSWORD)
    page.button[0].click().run()
    assert not page.exception and not page.error
    assert page.radio(key="staff-section").value == "inventory"
    assert any("it-band.md" in t.value for t in page.text)
    page.button(key="staff-sign-out").click().run()
    assert [s.value for s in page.success] == [WORDS["signed_out"]]
    page.run()
    assert page.text_input(key="staff-password") and not page.radio  # signed out stays out
