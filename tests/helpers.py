"""What several test modules share: paths, tiny knowledge folders, subprocess environments,
servers started and stopped, free ports, the browser. Fixtures live in conftest.py."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
START_TIMEOUT_S = 90  # a Streamlit server itself; the model loads on the first page view


def make_knowledge(folder: Path, *names: str) -> Path:
    """A knowledge folder with the clinic's words and rules plus the named test articles."""
    folder.mkdir(parents=True, exist_ok=True)
    for data_file in ("clinic.yaml", "triage.yaml", "filler.yaml"):
        shutil.copy(ROOT / "knowledge" / data_file, folder / data_file)
    for name in names or [p.name for p in (DATA / "good").iterdir()]:
        shutil.copy(DATA / "good" / name, folder / name)
    return folder


def bundled_with_posts(folder: Path, embedder, *posts: Path):
    """An assistant over the bundled articles plus the given eval posts (ingested into `folder`):
    for questions where posts compete as they do on the real store."""
    from assistant.answer.pipeline import Assistant
    from assistant.ingest.run import run_ingest

    knowledge = folder / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    for post in posts:
        shutil.copy(post, knowledge / post.name)
    settings = Settings(knowledge_dir=knowledge, store_dir=folder / "store")
    run_ingest(settings, lambda: embedder)
    return Assistant.from_settings(settings, embedder=embedder)


def copy_built(built: Settings, folder: Path) -> Settings:
    """A private copy of the session's built store and its knowledge folder, to change freely
    (copying the files costs milliseconds; ingesting again costs the model seconds)."""
    shutil.copytree(built.knowledge_dir, folder / "knowledge")
    shutil.copytree(built.store_dir, folder / "store")
    return Settings(knowledge_dir=folder / "knowledge", store_dir=folder / "store")


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit was not healthy after {START_TIMEOUT_S} s:\n{log.read_text()}")


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


def run_command(main, argv: list[str], capsys, monkeypatch, settings: Settings | None = None,
                stdin: str | None = None) -> tuple[int, str, str]:
    """A command run in this process (exit code, stdout, stderr): the same `main` the console
    runs, with the store and articles of `settings` in its environment, and the session's model
    (load_embedder's cache) instead of a cold start. Each command also has one subprocess test."""
    import io
    import sys

    if settings is not None:
        monkeypatch.setenv("ASSISTANT_STORE", str(settings.store_dir))
        monkeypatch.setenv("ASSISTANT_KNOWLEDGE", str(settings.knowledge_dir))
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


@contextlib.contextmanager
def hang_guard(seconds: int, what: str):
    """Fail (instead of hanging the suite) if the block never returns: a deadline for a hang, far
    above any normal duration, not a speed check (speed is measured in bench/)."""
    def hung(signum, frame):
        raise AssertionError(f"no answer after {seconds} s: {what[:80]!r}")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
