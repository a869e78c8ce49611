"""End to end in a real browser: `streamlit run app.py` on a free localhost port against a store
built from tests/data/good, driven by Playwright in Debian's headless Chromium (the server and
browser are shared with the other browser tests: tests/browser_fixtures.py).

Screenshots go to tests/artifacts/ (git-ignored). Without /usr/bin/chromium the test is skipped,
except in CI (CI=true), where a missing browser is a failure.
"""
from __future__ import annotations

import statistics

from tests.browser_fixtures import DESKTOP, FIRST_ANSWER_MS, PHONE, ask, open_page, screenshot

KNEE = "the outside of my knee hurts on long runs"
WARM_QUESTIONS = ("my shins ache all along the inside edge",
                  "why does my heel hurt with the first steps in the morning",
                  "pulled my hamstring doing strides, how long until I can run")
XSS = ("<img src=x onerror=alert(1)>", "[x](javascript:alert(1))")


def test_a_runner_asks_on_a_phone_and_gets_sources_and_booking(server, browser, clinic):
    url, _ = server
    page, dialogs = open_page(browser, url, PHONE)
    try:
        for starter in clinic.chat["starters"]:  # drawn just after the message box
            page.get_by_role("button", name=starter).wait_for(state="visible", timeout=10_000)
        screenshot(page, "chat-phone-start.png")
        ask(page, KNEE, 0, FIRST_ANSWER_MS)
        reply = page.get_by_test_id("stChatMessage").nth(1)
        assert reply.get_by_text(clinic.messages["sources_heading"], exact=True).is_visible()
        assert reply.get_by_role("link", name="IT Band Syndrome in Runners").first.is_visible()
        for link in (clinic.evaluation, clinic.discovery_call):
            button = reply.get_by_role("link", name=link.label)
            assert button.is_visible() and button.get_attribute("href") == link.url
            assert button.get_attribute("target") == "_blank"  # a new tab, also from inside an iframe
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
