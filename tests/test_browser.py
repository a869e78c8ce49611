"""End to end in a real browser: `streamlit run app.py` on a free localhost port against a store
built from tests/data/good, driven by Playwright in Debian's headless Chromium.

Screenshots go to tests/artifacts/ (git-ignored). Without /usr/bin/chromium the test is skipped,
except in CI (CI=true), where a missing browser is a failure.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM_ARGS, ROOT, cli_env, free_port, stop, wait_healthy

ARTIFACTS = ROOT / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
FIRST_ANSWER_MS = 120_000  # first page view loads the model
ANSWER_MS = 30_000
KNEE = "the outside of my knee hurts on long runs"
WARM_QUESTIONS = ("my shins ache all along the inside edge",
                  "why does my heel hurt with the first steps in the morning",
                  "pulled my hamstring doing strides, how long until I can run")
XSS = ("<img src=x onerror=alert(1)>", "[x](javascript:alert(1))")


@pytest.fixture(scope="module")
def server(built, chromium_path, tmp_path_factory):
    """The real app on a free port; always terminated, even when a test fails."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    env = cli_env(built) | {"STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, process, log)
        yield url, log
    finally:
        stop(process)


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            yield browser
        finally:
            browser.close()


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
    last); the milliseconds the runner waited."""
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


def test_a_runner_asks_on_a_phone_and_gets_sources_and_booking(server, browser, clinic):
    url, _ = server
    page, dialogs = open_page(browser, url, PHONE)
    try:
        for starter in clinic.chat["starters"]:
            assert page.get_by_role("button", name=starter).is_visible()
        screenshot(page, "chat-phone-start.png")
        ask(page, KNEE, 0, FIRST_ANSWER_MS)
        reply = page.get_by_test_id("stChatMessage").nth(1)
        assert reply.get_by_text(clinic.messages["sources_heading"], exact=True).is_visible()
        assert reply.get_by_role("link", name="IT Band Syndrome in Runners").first.is_visible()
        for link in (clinic.evaluation, clinic.discovery_call):
            button = reply.get_by_role("link", name=link.label)
            assert button.is_visible() and button.get_attribute("href") == link.url
        reply.get_by_text(clinic.chat["quoted_passage"]).first.click()  # open one quoted passage
        page.wait_for_timeout(300)
        assert reply.locator("details[open]").count() == 1
        title = reply.get_by_role("link", name="IT Band Syndrome in Runners").first
        assert title.get_attribute("target") == "_blank"  # opens the article, keeps the chat
        screenshot(page, "chat-phone.png")

        warm = [ask(page, question, i) for i, question in enumerate(WARM_QUESTIONS, start=1)]
        print(f"\nwarm answer time seen by the browser (Enter to the whole reply): median "
              f"{statistics.median(warm):.0f} ms of {', '.join(f'{ms:.0f}' for ms in warm)}")
        assert not dialogs
    finally:
        page.context.close()


def test_a_red_flag_in_the_browser_has_no_booking_card(server, browser, clinic):
    url, _ = server
    page, _ = open_page(browser, url, DESKTOP)
    try:
        ask(page, "chest pain while running", 0, FIRST_ANSWER_MS)
        reply = page.get_by_test_id("stChatMessage").nth(1)
        assert reply.get_by_text(clinic.triage["emergency"].strip()).is_visible()
        assert reply.get_by_role("link", name=clinic.evaluation.label).count() == 0
        screenshot(page, "chat-emergency.png")
    finally:
        page.context.close()


def test_a_caution_in_the_browser_leads_with_its_check_line_and_keeps_the_booking(server, browser, clinic):
    url, _ = server
    page, _ = open_page(browser, url, DESKTOP)
    try:
        ask(page, "i've been limping a bit since my long run and the outside of my knee hurts", 0, FIRST_ANSWER_MS)
        reply = page.get_by_test_id("stChatMessage").nth(1)
        assert reply.get_by_text(clinic.check_line("fracture_or_dislocation")).is_visible()
        assert reply.get_by_test_id("stAlertContentInfo").count() == 1  # calm, not the red-flag boxes
        assert reply.get_by_role("link", name=clinic.evaluation.label).is_visible()
        screenshot(page, "chat-caution.png")
    finally:
        page.context.close()


def test_markup_typed_as_a_question_is_shown_as_text(server, browser):
    url, _ = server
    page, dialogs = open_page(browser, url, DESKTOP)
    try:
        for i, payload in enumerate(XSS):
            ask(page, payload, i, FIRST_ANSWER_MS)
            asked = page.get_by_test_id("stChatMessage").nth(2 * i)
            assert asked.inner_text().strip().endswith(payload)
        page.wait_for_timeout(300)  # give a smuggled onerror handler the chance to fire
        assert not dialogs
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("a[href^='javascript:' i]").count() == 0
        assert page.locator("main img").count() == 0  # no images at all, remote or not
    finally:
        page.context.close()


def test_desktop_screenshot_and_a_clean_server_log(server, browser):
    url, log = server
    page, _ = open_page(browser, url, DESKTOP)
    try:
        ask(page, KNEE, 0, FIRST_ANSWER_MS)
        ask(page, "what about stretches for it?", 1)
        screenshot(page, "chat-desktop.png")
    finally:
        page.context.close()
    text = log.read_text()
    assert "Traceback" not in text and "is not a valid config option" not in text, text
