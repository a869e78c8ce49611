"""Shared fixtures: the real packaged model (loaded once) and a real Chroma store built from
the tiny articles in tests/data/good (ingested once per session). Helpers are in helpers.py."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import Settings, go_offline  # noqa: E402
from tests.helpers import CHROMIUM, ROOT, copy_built, make_knowledge, unavailable  # noqa: E402
# The browser tests' shared server, browser, sample website and axe-core (one of each per session).
from tests.browser_fixtures import axe_path, browser, server, website  # noqa: E402, F401

go_offline()


@pytest.fixture(scope="session")
def embedder():
    from assistant.embed import load_embedder

    return load_embedder()  # the same copy the commands get when a test calls them in-process


@pytest.fixture(scope="session")
def built(tmp_path_factory, embedder):
    """Settings of a store ingested from tests/data/good (read-only for tests: copy to change)."""
    from assistant.ingest.run import run_ingest

    base = tmp_path_factory.mktemp("kb")
    settings = Settings(knowledge_dir=make_knowledge(base / "knowledge"), store_dir=base / "store")
    report = run_ingest(settings, lambda: embedder)
    assert report.published and not report.failed, report
    return settings


@pytest.fixture
def kb(built, tmp_path):
    """A private copy of the built store and its articles, for a test that changes them."""
    return copy_built(built, tmp_path)


@pytest.fixture(scope="session")
def assistant(built, embedder):
    from assistant.answer.pipeline import Assistant

    return Assistant.from_settings(built, embedder=embedder)


@pytest.fixture(scope="session")
def rules():
    from assistant.answer.triage import load_rules

    return load_rules(ROOT / "knowledge" / "triage.yaml")


@pytest.fixture(scope="session")
def triager(rules, embedder):
    """The real triager on the real model (its examples embedded once per session), with the
    shipped learned net beside the rules, as the product runs it."""
    from assistant.answer.triage import Triager
    from assistant.answer.triage_net import load_net

    return Triager(rules, embedder, load_net())


@pytest.fixture
def clinic():
    from assistant.clinic import load_clinic

    return load_clinic(ROOT / "knowledge" / "clinic.yaml")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: run tests/install_browser.sh (or apt-get install chromium)")
    return str(CHROMIUM)
