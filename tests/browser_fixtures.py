"""What the browser tests share, made once per session: the real app (`streamlit run app.py` on a
free localhost port, a private copy of the built store, a staff password set), Debian's
headless Chromium driven by Playwright, a sample blog post with the website snippet on a second
local port, axe-core's rules, and the page helpers.

tests/conftest.py imports the fixtures, so every test module drives the same server and browser
(one model load, one Chromium); the modules import the helpers below.
"""
from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM_ARGS, DATA, ROOT, cli_env, copy_built, free_port, stop, unavailable, wait_healthy

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


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test output is for the test
        pass


@pytest.fixture(scope="session")
def website(server, tmp_path_factory):
    """The clinic's blog post with the snippet pasted in, on its own port, 127.0.0.1 only;
    its address says `localhost`, so the chat's iframe is on another site, as on a real blog."""
    from assistant.clinic import load_clinic
    from assistant.ui.embed import snippet

    folder = tmp_path_factory.mktemp("website")
    (folder / "blog").mkdir()
    page = (DATA / "website" / "it-band-post.html").read_text(encoding="utf-8")
    block = snippet(server.url, load_clinic(ROOT / "knowledge" / "clinic.yaml"))
    (folder / "blog" / "it-band-syndrome.html").write_text(page.replace("<!-- SNIPPET -->", block), encoding="utf-8")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{httpd.server_port}/blog/it-band-syndrome.html"
    finally:
        httpd.shutdown()
        httpd.server_close()


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


def open_post(browser, website: str, viewport: dict):
    """The blog post in a fresh browser context; the clinic's booking pages answered locally
    (there is no network), and every request the page makes recorded."""
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    context.route(re.compile(r"https://www\.lakesregionrunningpt\.example/.*"),
                  lambda route: route.fulfill(content_type="text/html", body="<title>Booking</title>Booking"))
    page = context.new_page()
    page.set_default_timeout(FIRST_ANSWER_MS)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(website)
    return page, requests


def open_chat(page, words: dict):
    button = page.get_by_role("button", name=words["button"])
    button.focus()
    page.keyboard.press("Enter")  # the keyboard opens it as well as a tap
    frame = page.frame_locator("#clinic-chat-panel iframe")
    frame.get_by_test_id("stChatInputTextArea").wait_for(timeout=FIRST_ANSWER_MS)
    return frame


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


def axe_violations(page, axe_path: Path, frame=None, within: str | None = None) -> list[dict]:
    """axe-core's violations on the page (or one of its frames; or only `within` a selector),
    injected from the local copy. Frames inside are checked on their own (iframes: false)."""
    target = frame or page.main_frame
    target.add_script_tag(path=str(axe_path))
    return target.evaluate("""async (within) => {
        const result = await axe.run(within || document, {resultTypes: ['violations'], iframes: false});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""", within)


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]
