"""Shared fixtures: the real packaged model (loaded once) and a real Chroma store built from
the tiny articles in tests/data/good (ingested once per session)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
sys.path.insert(0, str(ROOT))

from assistant.config import Settings, go_offline  # noqa: E402

go_offline()


@pytest.fixture(scope="session")
def embedder():
    from assistant.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


def make_knowledge(folder: Path, *names: str) -> Path:
    """A knowledge folder with the clinic's words and rules plus the named test articles."""
    folder.mkdir(parents=True, exist_ok=True)
    for data_file in ("clinic.yaml", "triage.yaml"):
        shutil.copy(ROOT / "knowledge" / data_file, folder / data_file)
    for name in names or [p.name for p in (DATA / "good").iterdir()]:
        shutil.copy(DATA / "good" / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory, embedder):
    """Settings of a store ingested from tests/data/good (read-only for tests: copy to change)."""
    from assistant.ingest import run_ingest

    base = tmp_path_factory.mktemp("kb")
    settings = Settings(knowledge_dir=make_knowledge(base / "knowledge"), store_dir=base / "store")
    report = run_ingest(settings, lambda: embedder)
    assert report.published and not report.failed, report
    return settings


@pytest.fixture(scope="session")
def assistant(built, embedder):
    from assistant.pipeline import Assistant

    return Assistant.from_settings(built, embedder=embedder)


@pytest.fixture
def clinic():
    from assistant.clinic import load_clinic

    return load_clinic(ROOT / "knowledge" / "clinic.yaml")


def unavailable(reason: str) -> None:
    """A tool a test needs is missing: a failure in CI (CI=true), a skip on a laptop."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def stop(process) -> None:
    """End a server a test started: politely, then firmly."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


class CountingEmbedder:
    """The real embedder, counting its calls (a question must cost exactly one)."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0
        self.name, self.dim, self.max_tokens = inner.name, inner.dim, inner.max_tokens

    def embed(self, texts):
        self.calls += 1
        return self.inner.embed(texts)

    def count_tokens(self, text):
        return self.inner.count_tokens(text)


def cli_env(settings: Settings | None = None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    if settings is not None:
        env["ASSISTANT_STORE"] = str(settings.store_dir)
        env["ASSISTANT_KNOWLEDGE"] = str(settings.knowledge_dir)
    return env
