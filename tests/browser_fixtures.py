"""What the browser tests share, made once per session: the real app (`streamlit run app.py` on a
free localhost port, a private copy of the built store, a staff password set), Debian's
headless Chromium driven by Playwright, axe-core's rules, and the page helpers.

Test modules import the fixtures by name (`from tests.browser_fixtures import server, browser`),
so every module drives the same server and browser: one model load, one Chromium.
"""
from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM_ARGS, ROOT, cli_env, copy_built, free_port, stop, unavailable, wait_healthy

ARTIFACTS = ROOT / "tests" / "artifacts"
AXE = ROOT / "tests" / ".tools" / "node_modules" / "axe-core" / "axe.min.js"  # tests/install_browser.sh
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
FIRST_ANSWER_MS = 120_000  # first page view loads the model
ANSWER_MS = 30_000
STAFF_PASSWORD = "Knie-2026 for the browser tests"


@dataclass(frozen=True)
class Server:
    url: str
    log: Path
    store: Path  # the app's private store (its question log is written there)

    def __iter__(self):  # `url, log = server`
        return iter((self.url, self.log))


@pytest.fixture(scope="session")
def server(built, chromium_path, tmp_path_factory):
    """The real app on a free port; always terminated, even when a test fails."""
    from assistant.staff.passwords import ENV_VAR, hash_password

    base = tmp_path_factory.mktemp("server")
    settings = copy_built(built, base)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = base / "streamlit.log"
    env = cli_env(settings) | {"STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
                               ENV_VAR: hash_password(STAFF_PASSWORD)}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, process, log)
        yield Server(url, log, settings.store_dir)
    finally:
        stop(process)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def axe_path() -> Path:
    if not AXE.exists():
        unavailable(f"{AXE} is missing: run tests/install_browser.sh (npm install of axe-core)")
    return AXE


def open_page(browser, url: str, viewport: dict):
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE,
                                  has_touch=viewport is PHONE)
    page = context.new_page()
    page.set_default_timeout(ANSWER_MS)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url, timeout=FIRST_ANSWER_MS)
    page.get_by_test_id("stChatInputTextArea").wait_for(timeout=FIRST_ANSWER_MS)
    return page, dialogs


def ask(page, question: str, replies_before: int, timeout_ms: int = ANSWER_MS) -> float:
    """Type a question, press Enter and wait for the whole reply (its feedback thumbs come
    last); the milliseconds the runner waited. `page` may be a Page or a FrameLocator."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    messages = page.get_by_test_id("stChatMessage")
    reply = messages.nth(2 * replies_before + 1)
    reply.get_by_test_id("stFeedback").wait_for(state="visible", timeout=timeout_ms)
    return (time.perf_counter() - started) * 1000.0


def screenshot(page, name: str) -> Path:
    """The whole conversation: Streamlit scrolls inside its own container, so the viewport is
    grown to the content's height for the picture (a plain full_page shot shows one screen)."""
    ARTIFACTS.mkdir(exist_ok=True)
    viewport = page.viewport_size
    for _ in range(3):  # growing the viewport can reflow the page: measure until it fits
        page.wait_for_timeout(400)  # layout settles, expander animations finish
        height = page.evaluate(
            "Math.max(0, ...[...document.querySelectorAll('main, .stMain')].map(e => e.scrollHeight))")
        height = min(max(int(height), viewport["height"]), 8000)
        if height == page.viewport_size["height"]:
            break
        page.set_viewport_size({"width": viewport["width"], "height": height})
    page.evaluate("document.querySelectorAll('main, .stMain').forEach(e => e.scrollTo(0, 0))")
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    page.set_viewport_size(viewport)
    print(f"\nscreenshot: {path.relative_to(ROOT)}")
    return path


def axe_violations(page, axe_path: Path, frame=None) -> list[dict]:
    """axe-core's violations on the page (or one of its frames), injected from the local copy."""
    target = frame or page.main_frame
    target.add_script_tag(path=str(axe_path))
    return target.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]
