"""Scale-out: a real `chroma run` server on a free loopback port, the ingester and two app
processes sharing it. The version pointer and the ingest lock live in the server (kb-meta),
nothing on the app machines' disks; each replica rebuilds its keyword index from the server.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.store import Store
from tests.helpers import ROOT, cli_env, free_port, make_knowledge, stop, unavailable

CHROMA = Path(sys.executable).parent / "chroma"
HILL = "how do hill repeats help runners"

REPLICA = textwrap.dedent("""
    import json, sys
    from assistant.config import Settings, go_offline
    go_offline()
    from assistant.answer.pipeline import Assistant
    assistant = Assistant.from_settings(Settings.from_env())
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        answer = assistant.ask(line.strip())
        print(json.dumps({"version": assistant.retriever.version, "status": answer.status,
                          "sources": [c.source for c in answer.citations]}), flush=True)
""")


@pytest.fixture
def chroma_server(tmp_path):
    if not CHROMA.exists():
        unavailable(f"{CHROMA} is missing (chromadb's server CLI)")
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    proc = subprocess.Popen([str(CHROMA), "run", "--host", "127.0.0.1", "--port", str(port),
                             "--path", str(tmp_path / "chroma-data")], stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, ANONYMIZED_TELEMETRY="False"))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"chroma did not start: {(tmp_path / 'chroma.log').read_text()[-2000:]}")
                time.sleep(0.3)
        yield "127.0.0.1", port
    finally:
        stop(proc)
        log.close()


def server_env(settings: Settings, host: str, port: int) -> dict:
    return cli_env(settings) | {"CHROMA_HOST": host, "CHROMA_PORT": str(port)}


def start_replica(env: dict) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", REPLICA], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return proc


def ask(proc: subprocess.Popen, question: str) -> dict:
    proc.stdin.write(question + "\n")
    proc.stdin.flush()
    return json.loads(proc.stdout.readline())


@pytest.mark.slow
def test_two_app_processes_share_a_chroma_server_and_follow_a_publish(chroma_server, tmp_path):
    host, port = chroma_server
    settings = Settings(knowledge_dir=make_knowledge(tmp_path / "knowledge"), store_dir=tmp_path / "local",
                        chroma_host=host, chroma_port=port)
    env = server_env(settings, host, port)
    first = subprocess.run([sys.executable, "ingest.py", "--json"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    store = Store(settings.store_dir, host, port)
    v1 = store.catalog.active_version()
    assert v1 is not None and not (settings.store_dir / "ACTIVE.json").exists()

    replicas = [start_replica(env) for _ in range(2)]
    try:
        for proc in replicas:
            assert json.loads(proc.stdout.readline()) == {"ready": True}
        for proc in replicas:
            seen = ask(proc, "the outside of my knee hurts on long runs")
            assert seen["version"] == v1 and seen["sources"][0] == "it-band.md"

        # While one ingest holds the server's lock, another (any machine) is refused at once.
        (settings.knowledge_dir / "hill-running.md").write_text(
            "# Hill Running\n\nHill repeats build strength in the calves and hips for runners.\n"
            "Running uphill shortens the stride and spares the knees on easy days.\n")
        holder = subprocess.Popen([sys.executable, "ingest.py"], cwd=ROOT, env=env | {"ASSISTANT_INGEST_HOLD": "copying"},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in holder.stderr:
            if line.startswith("holding at"):
                break
        other = subprocess.run([sys.executable, "ingest.py"], cwd=ROOT, env=env | {"ASSISTANT_STORE": str(tmp_path / "elsewhere")},
                               capture_output=True, text=True, timeout=120)
        assert other.returncode == 3 and f"process {holder.pid}" in other.stderr, other.stderr
        os.kill(holder.pid, signal.SIGKILL)  # its lock is taken over: same machine, process gone
        holder.wait()
        holder.stderr.close()
        assert store.catalog.active_version() == v1

        second = subprocess.run([sys.executable, "ingest.py", "--json"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=300)
        assert second.returncode == 0, second.stderr
        v2 = store.catalog.active_version()
        assert v2 > v1
        for proc in replicas:  # both replicas follow the server's pointer, no restart
            seen = ask(proc, HILL)
            assert seen["version"] == v2 and "hill-running.md" in seen["sources"], seen
        assert not (settings.store_dir / "ingest.lock").exists()
        assert not (settings.store_dir / "lexical").exists()  # rebuilt in memory by each replica
    finally:
        for proc in replicas:
            proc.kill()
            proc.wait()


def _staff_page():
    from assistant.ui.staff_page import staff_page

    staff_page()


def test_the_staff_page_reads_the_chroma_server_not_the_local_folder(chroma_server, tmp_path, embedder,
                                                                     monkeypatch):
    from streamlit.testing.v1 import AppTest

    from assistant.clinic import load_clinic
    from assistant.ingest.run import run_ingest
    from assistant.staff.passwords import hash_password

    host, port = chroma_server
    settings = Settings(knowledge_dir=make_knowledge(tmp_path / "knowledge", "it-band.md", "shin-pain.txt"),
                        store_dir=tmp_path / "local", chroma_host=host, chroma_port=port)
    assert run_ingest(settings, lambda: embedder).published
    assert not (settings.store_dir / "ACTIVE.json").exists()  # the pointer lives in the server
    for key, value in server_env(settings, host, port).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("ASSISTANT_STAFF_PASSWORD_HASH", hash_password("a long staff password"))
    page = AppTest.from_function(_staff_page, default_timeout=60).run()
    page.text_input(key="staff-password").input("a long staff password")
    page.button[0].click().run()
    assert not page.exception and not page.error
    shown = " ".join(t.value for t in page.text)
    assert "it-band.md" in shown and "shin-pain.txt" in shown  # the server's articles
    page.radio(key="staff-section").set_value("versions").run()
    manifest = Store.from_settings(settings).catalog.active_manifest()
    words = load_clinic(settings.clinic_file).staff_words()
    expected = words["current_version"].format(version=manifest.version, published_at=manifest.published_at,
                                               articles=2, chunks=len(manifest.chunk_ids))
    assert not page.exception and expected in [m.value for m in page.markdown]


def test_server_mode_keeps_sentence_vectors_in_the_server_and_answers_like_a_local_store(
        chroma_server, built, tmp_path, embedder):
    """A local store keeps sentence vectors in a file per version (store/sentences.py); the app
    replicas of a server cannot see its folder, so there they stay in the server's collection."""
    from assistant.answer.pipeline import Assistant
    from assistant.ingest.run import run_ingest

    host, port = chroma_server
    served = Settings(knowledge_dir=built.knowledge_dir, store_dir=tmp_path / "app", chroma_host=host,
                      chroma_port=port)
    assert run_ingest(served, lambda: embedder).published
    assert not (tmp_path / "app" / "sentences").exists()
    local, remote = (Assistant.from_settings(s, embedder=embedder) for s in (built, served))
    for question in ("the outside of my knee hurts on long runs", "my shins ache after running on pavement",
                     "heel pain first thing in the morning", "tight hamstring when sprinting", HILL):
        here, there = local.ask(question), remote.ask(question)
        assert (there.status, there.answer, there.citations) == (here.status, here.answer, here.citations)
