"""Broken stores: a torn pointer, a torn Chroma database, a torn keyword index, a store path that
is not a folder, a read-only store, a damaged active version. The app shows the maintenance
message (never a traceback), the CLIs explain what to do, and `ingest.py --rollback` recovers.
"""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from assistant.__main__ import main as assistant_main
from assistant.answer.pipeline import Assistant
from assistant.cli.ingest import main as ingest_main
from assistant.config import Settings
from assistant.errors import StoreError
from assistant.ingest.run import run_ingest
from assistant.store import Store
from tests.helpers import ROOT, cli_env, run_command, unavailable

KNEE = "the outside of my knee hurts on long runs"


def copy_store(built, base) -> Settings:
    shutil.copytree(built.store_dir, base / "store")
    return Settings(knowledge_dir=built.knowledge_dir, store_dir=base / "store")


def tear(path, keep: int) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:keep])


def damage(kind: str, settings: Settings) -> None:
    store = settings.store_dir
    if kind == "torn pointer":
        tear(store / "ACTIVE.json", 15)
    elif kind == "torn database":
        tear(store / "chroma.sqlite3", 50_000)
    elif kind == "not a folder":
        shutil.rmtree(store)
        store.write_text("not a folder")
    else:
        raise ValueError(kind)




@pytest.mark.parametrize("kind", ["torn pointer", "torn database", "not a folder"])
def test_the_app_shows_the_maintenance_message(kind, built, tmp_path, monkeypatch, clinic):
    settings = copy_store(built, tmp_path)
    damage(kind, settings)
    monkeypatch.setenv("ASSISTANT_STORE", str(settings.store_dir))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE", str(settings.knowledge_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert not at.exception
    assert any(clinic.messages["maintenance"].strip() in w.value for w in at.warning), kind
    assert not at.chat_input  # no chat over a broken store


@pytest.mark.parametrize("kind", ["torn pointer", "torn database", "not a folder"])
def test_the_cli_explains_what_to_do(kind, built, tmp_path, capsys, monkeypatch):
    settings = copy_store(built, tmp_path)
    damage(kind, settings)
    code, _, err = run_command(assistant_main, ["ask", KNEE], capsys, monkeypatch, settings)
    assert code == 1 and "Traceback" not in err, err
    assert "\nerror: " in "\n" + err and "--rollback" in err
    if kind == "torn database":
        return  # ingest finds nothing changed without opening Chroma; ask has said what to do
    code, _, err = run_command(ingest_main, [], capsys, monkeypatch, settings)
    assert code in (2, 3) and "Traceback" not in err, err
    assert err.startswith("error: ")


def test_a_torn_pointer_is_repaired_by_rollback(built, tmp_path, embedder, capsys, monkeypatch):
    settings = copy_store(built, tmp_path)
    version = Store(settings.store_dir).catalog.active_version()
    damage("torn pointer", settings)
    code, out, err = run_command(ingest_main, ["--rollback"], capsys, monkeypatch, settings)
    assert code == 0 and "repaired" in out, err
    assert Store(settings.store_dir).catalog.active_version() == version
    assert Assistant.from_settings(settings, embedder=embedder).ask(KNEE).status == "answered"


def test_a_damaged_active_version_is_rolled_back(built, tmp_path, embedder, capsys, monkeypatch):
    settings = copy_store(built, tmp_path)
    shutil.copytree(built.knowledge_dir, tmp_path / "knowledge")
    settings = Settings(knowledge_dir=tmp_path / "knowledge", store_dir=settings.store_dir)
    (settings.knowledge_dir / "shin-pain.txt").unlink()
    store = Store(settings.store_dir)
    old = store.catalog.active_version()
    assert run_ingest(settings, lambda: embedder).published
    new = store.catalog.active_version()
    store.vectors.client.delete_collection(store.vectors.names(new)[0])  # the active version loses its passages
    with pytest.raises(StoreError):
        Assistant.from_settings(settings, embedder=embedder)
    code, _, err = run_command(ingest_main, ["--rollback", "--json"], capsys, monkeypatch, settings)
    assert code == 0, err
    assert Store(settings.store_dir).catalog.active_version() == old
    assert Assistant.from_settings(settings, embedder=embedder).ask(KNEE).status == "answered"


def test_a_torn_keyword_index_is_rebuilt_from_the_passages(built, tmp_path, embedder):
    settings = copy_store(built, tmp_path)
    store = Store(settings.store_dir)
    for path in store.keywords.folder(store.catalog.active_version()).iterdir():
        tear(path, 10)
    answer = Assistant.from_settings(settings, embedder=embedder).ask(KNEE)
    assert answer.status == "answered" and answer.citations[0].source == "it-band.md"


def test_a_read_only_store_is_explained(built, tmp_path):
    """As root, permissions don't stop writes: a read-only bind mount in a mount namespace does."""
    settings = copy_store(built, tmp_path)
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        unavailable(f"unshare -m is not permitted here: {probe.stderr.strip()}")
    store = str(settings.store_dir)
    script = (f"mount --bind -o ro {store} {store} && {sys.executable} ingest.py; echo rc=$?; "
              f"{sys.executable} ingest.py --rollback; echo rc=$?")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT, env=cli_env(settings),
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stdout.count("rc=3") == 2, (done.stdout, done.stderr)
    assert "cannot write to the store folder" in done.stderr and "what to do" in done.stderr
