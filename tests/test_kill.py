"""SIGKILL a real `python ingest.py` at named points of a run (ASSISTANT_INGEST_HOLD makes it
stop there): the published knowledge base keeps answering, a second ingest is refused at
once, and the next run converges to exactly what a fresh full build gives.

bench/kill_trials.py runs more of these (every stage, and kills at random moments).
"""
import os
import signal
import subprocess
import sys
import time

import pytest

from assistant.answer.retrieve import Retriever
from assistant.config import Settings
from assistant.ingest.run import run_ingest
from assistant.store import Store
from tests.helpers import ROOT, cli_env, copy_built, make_knowledge

# (hold point, what is on disk when it is killed)
STAGES = [
    ("copying", "new empty collections"),
    ("writing@2", "new passages written, keyword index not"),
    ("publishing@2", "new manifest written, pointer not flipped"),
    ("cleaning", "pointer flipped, old versions not collected"),
]


def ingest_until(settings: Settings, hold: str) -> subprocess.Popen:
    env = cli_env(settings)
    env["ASSISTANT_INGEST_HOLD"] = hold
    proc = subprocess.Popen([sys.executable, "ingest.py", "--json"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # the hold announces itself; EOF means the run ended first
        if line.startswith("holding at"):
            return proc
    raise AssertionError(f"the ingest ended (exit {proc.wait()}) before reaching {hold}")


def answers_from(settings, embedder, version):
    """The published knowledge base, opened like the app opens it, answers a knee question."""
    reader = Retriever(Store(settings.store_dir), embedder.name, embedder.dim)
    assert reader.version == version
    question = "the outside of my knee hurts on long runs"
    hits = reader.search(question, embedder.embed([question])[0], 4).hits
    assert hits and hits[0].chunk.source == "it-band.md"
    return reader


@pytest.fixture
def kb(built, tmp_path):
    settings = copy_built(built, tmp_path)
    # Pending changes for the killed runs: one edit, one removal, one new article.
    path = settings.knowledge_dir / "it-band.md"
    path.write_text(path.read_text().replace("clamshells", "monster walks with a band"))
    (settings.knowledge_dir / "shin-pain.txt").unlink()
    (settings.knowledge_dir / "hill-running.md").write_text(
        "# Hill Running\n\nHill repeats build strength in the calves and hips for runners.\n")
    return settings


def test_sigkill_at_any_stage_leaves_the_published_kb_and_the_next_run_converges(kb, embedder, tmp_path):
    store = Store(kb.store_dir)
    old_version, old_ids = store.catalog.active_version(), sorted(store.catalog.active_manifest().chunk_ids)
    for hold, _ in STAGES:
        proc = ingest_until(kb, hold)
        if hold == STAGES[0][0]:  # while it holds the lock, a second ingest is refused (not queued)
            second = subprocess.run([sys.executable, "ingest.py"], cwd=ROOT, env=cli_env(kb),
                                    capture_output=True, text=True, timeout=30)
            assert second.returncode == 3 and f"process {proc.pid}" in second.stderr
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        if hold == "cleaning":  # killed after the flip: the new version is whole and answering
            assert store.catalog.active_version() > old_version
            answers_from(kb, embedder, store.catalog.active_version())
        else:
            assert store.catalog.active_version() == old_version, hold
            assert sorted(store.catalog.active_manifest().chunk_ids) == old_ids, hold
            answers_from(kb, embedder, old_version)

    # The next run finishes the job: same passages as a fresh full build of the same folder.
    finish = subprocess.run([sys.executable, "ingest.py", "--json"], cwd=ROOT, env=cli_env(kb),
                            capture_output=True, text=True, timeout=300)
    assert finish.returncode == 0, finish.stderr
    fresh = Settings(knowledge_dir=kb.knowledge_dir, store_dir=tmp_path / "fresh")
    run_ingest(fresh, lambda: embedder, full=True)
    assert sorted(store.catalog.active_manifest().chunk_ids) == sorted(Store(fresh.store_dir).catalog.active_manifest().chunk_ids)
    active = store.catalog.active_version()
    assert run_ingest(kb, lambda: embedder).published is False  # converged: nothing left to do
    # Leftovers of the killed runs are collected: two versions kept, nothing half-built.
    assert len(store.catalog.known_versions()) == 2 and active in store.catalog.known_versions()
    assert store.catalog.unfinished_versions() == [] and store.vectors.versions() == set(store.catalog.known_versions())
    with Store(kb.store_dir).writer_lock():  # no killed run left the writer lock held
        pass
    reader = answers_from(kb, embedder, active)
    assert "monster walks" in " ".join(c.text for c in reader.chunks.values())


# ------------------------------------------------------------------ kills at random moments

RANDOM_TRIALS = 20


def chunk_count(store: Store) -> int:
    return store.vectors.counts(store.catalog.active_version())[0]


@pytest.mark.slow
def test_sigkill_at_random_moments_never_loses_the_published_kb(tmp_path, embedder):
    """Each trial flips the folder between two states (so every run has work), starts
    `python ingest.py` and SIGKILLs it after a random delay spanning a whole run. After every
    kill the published KB is one of the two complete states and answers; at the end one
    ingest converges to exactly a fresh full build."""
    import random

    rng = random.Random(8)
    settings = Settings(knowledge_dir=make_knowledge(tmp_path / "knowledge"), store_dir=tmp_path / "store")
    assert run_ingest(settings, lambda: embedder).published
    store = Store(settings.store_dir)
    extra = settings.knowledge_dir / "hill-running.md"
    text_b = "# Hill Running\n\nHill repeats build strength in the calves and hips for runners.\n"
    ids = {False: sorted(store.catalog.active_manifest().chunk_ids)}
    started = time.monotonic()
    extra.write_text(text_b)
    timed = time.monotonic()
    subprocess.run([sys.executable, "ingest.py", "--json"], cwd=ROOT, env=cli_env(settings),
                   capture_output=True, text=True, timeout=300, check=True)
    run_seconds = time.monotonic() - timed
    ids[True] = sorted(store.catalog.active_manifest().chunk_ids)
    outcomes = {"killed": 0, "finished first": 0}
    for trial in range(RANDOM_TRIALS):
        has_extra = trial % 2 == 0  # the state this run moves away from
        if has_extra:
            extra.unlink()
        else:
            extra.write_text(text_b)
        before = sorted(store.catalog.active_manifest().chunk_ids)
        proc = subprocess.Popen([sys.executable, "ingest.py", "--json"], cwd=ROOT, env=cli_env(settings),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=rng.uniform(0.2, run_seconds * 1.1))
            outcomes["finished first"] += 1
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            outcomes["killed"] += 1
        now = sorted(store.catalog.active_manifest().chunk_ids)
        assert now in (before, ids[not has_extra]), trial  # old state or new state, nothing between
        assert chunk_count(store) == len(now), trial  # the published version is whole
        answers_from(settings, embedder, store.catalog.active_version())
    finish = subprocess.run([sys.executable, "ingest.py", "--json"], cwd=ROOT, env=cli_env(settings),
                            capture_output=True, text=True, timeout=300)
    assert finish.returncode == 0, finish.stderr
    fresh = Settings(knowledge_dir=settings.knowledge_dir, store_dir=tmp_path / "fresh")
    run_ingest(fresh, lambda: embedder, full=True)
    assert sorted(store.catalog.active_manifest().chunk_ids) == sorted(Store(fresh.store_dir).catalog.active_manifest().chunk_ids)
    assert chunk_count(store) == chunk_count(Store(fresh.store_dir))
    assert run_ingest(settings, lambda: embedder).published is False
    assert store.catalog.unfinished_versions() == [] and store.vectors.versions() == set(store.catalog.known_versions())
    print(f"\n{RANDOM_TRIALS} random SIGKILL trials ({outcomes}) over a {run_seconds:.1f} s run, "
          f"{time.monotonic() - started:.0f} s in all: published KB whole every time; converged")
