"""SIGKILL trials of a real `python ingest.py`: at every named stage (ASSISTANT_INGEST_HOLD) and
at random moments. After each kill the published version must be whole and answer (the old one,
or the new one if the kill came after the flip); at the end one more run must converge to the
passages of a fresh full build.

    .venv/bin/python bench/kill_trials.py [--random N] [--seed S]
"""
import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import Settings, go_offline  # noqa: E402

go_offline()
STAGES = ["reading", "copying", "embedding", "writing", "writing@2", "writing@3", "validating",
          "publishing", "publishing@2", "publishing@3", "cleaning"]


def env_for(settings: Settings, hold: str | None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), ASSISTANT_STORE=str(settings.store_dir),
               ASSISTANT_KNOWLEDGE=str(settings.knowledge_dir))
    if hold:
        env["ASSISTANT_INGEST_HOLD"] = hold
    return env


def kill_run(settings: Settings, hold: str | None, delay: float) -> str:
    proc = subprocess.Popen([sys.executable, "ingest.py", "--json"], cwd=ROOT, env=env_for(settings, hold),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if hold:
        for line in proc.stderr:
            if line.startswith("holding at"):
                break
    else:
        time.sleep(delay)
    ended = proc.poll() is not None
    os.kill(proc.pid, signal.SIGKILL) if not ended else None
    proc.wait()
    proc.stderr.close()
    return "finished before the kill" if ended else "killed"


def check(settings: Settings, embedder) -> int:
    """The active version is whole and finds every article by its title; returns its number."""
    from assistant.store import Store
    from assistant.store.versions import validate

    store = Store(settings.store_dir)
    manifest = store.catalog.active_manifest()
    validate(store, manifest)
    for source, entry in manifest.articles.items():
        found = {c.source for c, _ in store.vectors.dense_search(manifest.version, embedder.embed([entry.title])[0], 10)}
        assert source in found, (manifest.version, source)
    return manifest.version


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--random", type=int, default=10, help="kills at random moments")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    from assistant.embed import SentenceTransformerEmbedder
    from assistant.ingest.run import run_ingest
    from assistant.store import Store
    from tests.conftest import make_knowledge

    embedder = SentenceTransformerEmbedder()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(knowledge_dir=make_knowledge(Path(tmp) / "knowledge"), store_dir=Path(tmp) / "store")
        run_ingest(settings, lambda: embedder)
        article = settings.knowledge_dir / "it-band.md"
        trials = [(stage, 0.0) for stage in STAGES] + [(None, rng.uniform(0.3, 20.0)) for _ in range(args.random)]
        failures = 0
        for n, (hold, delay) in enumerate(trials, 1):
            article.write_text(article.read_text() + f"\nRunners asked about knees in trial {n}.\n")
            before = Store(settings.store_dir).catalog.active_version()
            outcome = kill_run(settings, hold, delay)
            try:
                after = check(settings, embedder)
                state = "old version answering" if after == before else f"new version {after} answering"
            except Exception as exc:  # noqa: BLE001 - a bench reports, it doesn't stop
                failures += 1
                state = f"BROKEN: {exc}"
            print(f"trial {n:2d} {hold or f'after {delay:5.1f} s':<16} {outcome:<25} {state}", flush=True)
        final = subprocess.run([sys.executable, "ingest.py", "--json"], cwd=ROOT, env=env_for(settings, None),
                               capture_output=True, text=True)
        fresh = Settings(knowledge_dir=settings.knowledge_dir, store_dir=Path(tmp) / "fresh")
        run_ingest(fresh, lambda: embedder, full=True)
        store = Store(settings.store_dir)
        same = sorted(store.catalog.active_manifest().chunk_ids) == sorted(Store(fresh.store_dir).catalog.active_manifest().chunk_ids)
        leftovers = store.vectors.versions() - set(store.catalog.known_versions())
        print(f"{len(trials)} kills, {failures} left a broken store; next run exit {final.returncode}, "
              f"converged to the fresh full build: {same}; leftover collections: {sorted(leftovers) or 'none'}")


if __name__ == "__main__":
    main()
