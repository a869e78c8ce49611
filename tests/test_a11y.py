"""Accessibility in a real browser: axe-core's rules (the npm package, installed by
tests/install_browser.sh and injected from disk) on the chat page after a conversation and on
every section of the staff page; a conversation with the keyboard only; no sideways scrolling at
320 px wide or at 200% zoom; new replies announced to screen readers."""
from __future__ import annotations

import json

import pytest

from assistant.ui import embed
from tests.browser_fixtures import (
    DESKTOP,
    FIRST_ANSWER_MS,
    STAFF_PASSWORD,
    ask,
    axe_violations,
    open_chat,
    open_page,
    open_post,
    serious,
)

KNEE = "the outside of my knee hurts on long runs"
UNCOVERED = "what heart rate zone should my easy runs be in"  # goes to the staff page's gaps
CHAT_INPUT = '[data-testid="stChatInputTextArea"]'
NARROW = {"width": 320, "height": 640}  # WCAG's reflow width
ZOOM_200 = {"width": 640, "height": 450}  # a 1280 x 900 window at 200% zoom


def report(violations: list[dict]) -> str:
    return json.dumps(violations, indent=1)


@pytest.fixture(scope="module")
def conversation(server, browser):
    """A chat page after two questions (one the articles don't cover), for the page checks."""
    page, _ = open_page(browser, server.url, DESKTOP)
    ask(page, KNEE, 0, FIRST_ANSWER_MS)
    ask(page, UNCOVERED, 1)
    yield page
    page.context.close()


def test_the_chat_page_after_a_conversation_passes_axe(conversation, axe_path, clinic):
    conversation.get_by_text(clinic.chat["quoted_passage"]).first.click()  # one passage open
    conversation.wait_for_timeout(400)
    assert conversation.locator("h1").all_inner_texts() == [clinic.name]  # one h1: the clinic
    violations = axe_violations(conversation, axe_path)
    print("\naxe, chat page:", [(v["id"], v["impact"], len(v["nodes"])) for v in violations])
    assert serious(violations) == [], report(serious(violations))


def test_every_staff_section_passes_axe(server, browser, axe_path, clinic):
    words = clinic.staff_words()
    page, _ = open_page(browser, server.url, DESKTOP)
    try:
        ask(page, UNCOVERED, 0, FIRST_ANSWER_MS)  # something for "Questions we couldn't answer"
        page.goto(f"{server.url}/staff")
        page.get_by_label(words["password_label"]).fill(STAFF_PASSWORD)
        page.get_by_role("button", name=words["sign_in"]).click()
        found = {}
        for key, label in words["sections"].items():
            page.get_by_text(label, exact=True).click()
            page.wait_for_timeout(1500)  # the section draws (the gaps group questions with the model)
            page.get_by_test_id("stSpinner").wait_for(state="detached", timeout=60_000)
            violations = axe_violations(page, axe_path)
            print(f"\naxe, staff page, {key}:", [(v["id"], v["impact"], len(v["nodes"])) for v in violations])
            found[key] = serious(violations)
            if key == "website":  # the block to paste, with the address staff opened the app on
                assert f'src="{server.url}/app/static/chat-widget.js"' in page.get_by_test_id("stCode").inner_text()
        assert found == {key: [] for key in words["sections"]}, report(found)
    finally:
        page.context.close()


def focused(page) -> str:
    """What has the keyboard focus: tag, test id or role, and its text or label."""
    return page.evaluate("""() => {
        const e = document.activeElement;
        const box = e.closest('[data-testid]');
        return [e.tagName.toLowerCase(), box ? box.dataset.testid : '', e.getAttribute('href') || '',
                (e.getAttribute('aria-label') || e.innerText || '').trim().slice(0, 60)].join('|');
    }""")


def test_a_conversation_with_the_keyboard_only(server, browser, clinic):
    page, _ = open_page(browser, server.url, DESKTOP)
    try:
        for _ in range(40):  # from the top of the freshly loaded page, Tab to the message box
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches('{CHAT_INPUT}')"):
                break
        else:
            pytest.fail("Tab never reached the message box")
        page.keyboard.type(KNEE)
        page.keyboard.press("Enter")
        reply = page.get_by_test_id("stChatMessage").nth(1)
        reply.get_by_test_id("stFeedback").wait_for(timeout=FIRST_ANSWER_MS)

        seen = []
        for _ in range(60):  # from the message box backwards through the reply
            page.keyboard.press("Shift+Tab")
            seen.append(focused(page))
            if seen[-1].startswith("summary") and "stExpander" in seen[-1]:
                break
        reached = "\n".join(seen)
        print("\nShift+Tab from the message box:\n" + reached)
        for link in (clinic.evaluation, clinic.discovery_call):
            assert f"|{link.url}|" in reached, reached  # the booking buttons
        assert seen[-1].startswith("summary"), reached  # a source's passage
        page.keyboard.press("Enter")  # opens it
        page.wait_for_timeout(300)
        assert reply.locator("details[open]").count() == 1
        page.wait_for_timeout(100)
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none" or \
            page.evaluate("getComputedStyle(document.activeElement).boxShadow") != "none"  # focus is visible
    finally:
        page.context.close()


def sideways(page) -> dict:
    """How far the page, or Streamlit's own scrolling container, is wider than the window."""
    return page.evaluate("""() => {
        const out = {};
        for (const e of [document.documentElement, document.body, ...document.querySelectorAll('.stMain, main')]) {
            const extra = e.scrollWidth - e.clientWidth;
            const style = getComputedStyle(e);
            if (extra > 1 && style.overflowX !== 'hidden' && style.overflowX !== 'clip') {
                out[e.tagName + '.' + e.className.toString().slice(0, 30)] = extra;
            }
        }
        return out;
    }""")


@pytest.mark.parametrize("viewport", [NARROW, ZOOM_200], ids=["320px", "zoom200"])
def test_no_sideways_scrolling_when_narrow_or_zoomed(server, browser, viewport):
    page, _ = open_page(browser, server.url, viewport)
    try:
        assert sideways(page) == {}
        ask(page, KNEE, 0, FIRST_ANSWER_MS)
        page.get_by_test_id("stExpander").first.locator("summary").click()
        page.wait_for_timeout(400)
        assert sideways(page) == {}
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        page.context.close()


def test_a_new_reply_is_announced_to_screen_readers(server, browser, clinic):
    page, _ = open_page(browser, server.url, DESKTOP)
    try:
        region = page.locator(f"#{embed.ANNOUNCER_ID}")
        assert region.get_attribute("aria-live") == "polite" and region.get_attribute("role") == "status"
        assert region.inner_text() == ""  # there before any reply, so its change is announced
        ask(page, KNEE, 0, FIRST_ANSWER_MS)
        lead = clinic.chat["reply_announcement"].split("{reply}")[0]
        page.wait_for_function(f"document.getElementById('{embed.ANNOUNCER_ID}').textContent.length > 0")
        said = region.text_content()
        assert said.startswith(lead) and "IT band" in said and "[1]" not in said
        ask(page, "what about stretches for it?", 1)
        page.wait_for_function(f"!document.getElementById('{embed.ANNOUNCER_ID}').textContent.includes("
                               f"{json.dumps(said)})")  # replaced by the second reply
        assert page.locator(f"#{embed.ANNOUNCER_ID}").count() == 1
    finally:
        page.context.close()


def test_the_website_button_and_the_chat_in_its_panel(server, browser, website, axe_path, clinic):
    """axe on the snippet's button and panel and on the chat inside; at 320 px wide the panel
    fills the screen and the chat in it needs no sideways scrolling either."""
    page, _ = open_post(browser, website, NARROW)
    try:
        closed = axe_violations(page, axe_path, within=".clinic-chat")
        chat = open_chat(page, clinic.chat["website"])
        ask(chat, KNEE, 0, FIRST_ANSWER_MS)
        opened = axe_violations(page, axe_path, within=".clinic-chat")
        frame = page.locator("#clinic-chat-panel iframe").element_handle().content_frame()
        inside = axe_violations(page, axe_path, frame=frame)
        for name, violations in (("closed", closed), ("open", opened), ("chat inside", inside)):
            print(f"\naxe, website snippet, {name}:", [(v["id"], v["impact"], len(v["nodes"])) for v in violations])
        assert serious(closed + opened + inside) == [], report(serious(closed + opened + inside))
        assert sideways(frame) == {} and sideways(page) == {}
    finally:
        page.context.close()
