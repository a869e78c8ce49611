"""The chat on the clinic's website: the snippet on a sample blog post served from a second local
port (another site than the app's: localhost vs 127.0.0.1), its button and panel, the chat in the
iframe naming the post, booking in a new tab; the snippet's files served by the app itself; the
words, the README's copy of the snippet and the article lookup without a browser."""
from __future__ import annotations

import re
import textwrap
import urllib.request

import pytest

from assistant.clinic import load_clinic
from assistant.errors import ConfigError
from assistant.ui import embed
from tests.browser_fixtures import ARTIFACTS, DESKTOP, FIRST_ANSWER_MS, PHONE, ask, open_chat, open_post
from tests.helpers import ROOT

POST_URL = "https://www.lakesregionrunningpt.example/blog/it-band-syndrome"  # it-band.md's url:
POST_TITLE = "IT Band Syndrome in Runners"
SCREENSHOT = ARTIFACTS / "website-chat-open.png"  # shown in the README
CLINIC = load_clinic(ROOT / "knowledge" / "clinic.yaml")


def test_the_button_opens_the_chat_on_the_post_and_booking_opens_a_new_tab(server, browser, website, clinic):
    words = clinic.chat["website"]
    page, requests = open_post(browser, website, DESKTOP)
    try:
        button = page.get_by_role("button", name=words["button"])
        assert button.get_attribute("aria-expanded") == "false"
        colour = embed.theme_colour()
        assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb({}, {}, {})".format(
            *(int(colour[i:i + 2], 16) for i in (1, 3, 5)))  # the chat's colour, not the theme's hot pink
        frame = open_chat(page, words)
        assert page.evaluate("document.activeElement.className") == "clinic-chat-close"  # into the panel
        page.keyboard.press("Tab")
        assert frame.locator(":focus").count() == 1  # ...and Tab goes on into the chat
        assert page.get_by_role("dialog", name=words["title"]).is_visible()
        src = page.locator("#clinic-chat-panel iframe").get_attribute("src")
        assert src.startswith(server.url + "/?embed=true&embed_options=light_theme&article=")

        opening = clinic.chat["from_article"].format(title=POST_TITLE)
        assert frame.get_by_text(opening).is_visible()  # the chat names the post it was opened on
        ask(frame, "what causes it?", 0, FIRST_ANSWER_MS)
        reply = frame.get_by_test_id("stChatMessage").nth(1)
        sources = reply.get_by_role("link", name=POST_TITLE)
        assert sources.first.is_visible()  # "it" is the post's subject: that article is preferred
        assert reply.get_by_text("[1]").first.is_visible()
        booking = reply.get_by_role("link", name=clinic.evaluation.label)
        assert booking.is_visible() and booking.get_attribute("target") == "_blank"
        frame.get_by_test_id("stChatMessage").first.evaluate("m => m.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)  # for the picture: the question, the answer and its sources
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))

        with page.context.expect_page() as opened:
            booking.click()
        tab = opened.value
        tab.wait_for_load_state()
        assert tab.url == clinic.evaluation.url  # a new tab with the booking page...
        assert frame.get_by_test_id("stChatInputTextArea").is_visible()  # ...and the chat is still here
        assert page.url == website
        tab.close()

        frame.get_by_test_id("stChatInputTextArea").focus()
        page.keyboard.press("Escape")  # pressed inside the chat's iframe
        page.get_by_role("dialog").wait_for(state="hidden", timeout=5_000)
        assert page.evaluate("document.activeElement.className") == "clinic-chat-button"  # focus is back
        assert button.get_attribute("aria-expanded") == "false"

        app_host, site_host = server.url.split("//")[1], website.split("/")[2]
        foreign = [url for url in requests if url.split("/")[2] not in (app_host, site_host)]
        assert foreign == [], foreign  # nothing from a CDN or anyone else (the booking tab aside)
    finally:
        page.context.close()


def test_on_a_phone_the_chat_takes_the_whole_screen(server, browser, website, clinic):
    page, _ = open_post(browser, website, PHONE)
    try:
        open_chat(page, clinic.chat["website"])
        box = page.locator("#clinic-chat-panel").bounding_box()
        assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, PHONE["width"], PHONE["height"])
        page.screenshot(path=str(ARTIFACTS / "website-chat-phone.png"))
        page.get_by_role("button", name=clinic.chat["website"]["close"]).click()
        assert page.get_by_role("button", name=clinic.chat["website"]["button"]).is_visible()
    finally:
        page.context.close()


def test_the_snippet_files_are_served_by_the_app(server):
    for name, kinds in (("chat-widget.js", ("text/javascript", "application/javascript")),
                        ("chat-widget.css", ("text/css",))):
        with urllib.request.urlopen(f"{server.url}/app/static/{name}", timeout=10) as response:
            assert response.headers["Content-Type"].split(";")[0] in kinds  # run, not downloaded
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert b"http" not in response.read().replace(b"https?", b"")  # no address of anyone else


# ------------------------------------------------------------------ without a browser

def test_the_readme_holds_the_snippet_as_the_app_writes_it(clinic):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```html\n(.*?\n)\s*```", readme, re.S).group(1)
    assert textwrap.dedent(block) == embed.snippet(embed.APP_ADDRESS_PLACEHOLDER, clinic)


def test_the_snippet_carries_the_words_and_a_readable_colour(clinic):
    block = embed.snippet("https://chat.clinic.example/assistant", clinic, colour="#f5c518")
    words = clinic.chat["website"]
    assert 'src="https://chat.clinic.example/assistant/app/static/chat-widget.js"' in block
    for key in embed.WEBSITE_WORDS:
        assert f'"{words[key]}"' in block
    assert 'data-text-color="#111111"' in block  # dark text on a yellow button
    assert embed.contrast(embed.theme_colour(), embed.text_colour(embed.theme_colour())) >= 4.5


def test_a_missing_button_word_names_the_key(clinic):
    from dataclasses import replace

    broken = replace(clinic, chat={**clinic.chat, "website": {"button": "Ask", "title": "Chat"}})
    with pytest.raises(ConfigError, match=r"chat\.website\.close"):
        embed.snippet("https://chat.example.com", broken)


def test_the_post_is_found_by_its_address_however_it_is_written(assistant):
    manifest = assistant.retriever.manifest
    for written in (POST_URL, POST_URL + "/", "http://lakesregionrunningpt.example/blog/it-band-syndrome?utm=x#top"):
        assert embed.find_article(manifest, written) == embed.Article("it-band.md", POST_TITLE)
    for other in ("https://www.lakesregionrunningpt.example/blog/", "javascript:alert(1)", "", None):
        assert embed.find_article(manifest, other) is None


def test_the_post_is_preferred_for_a_question_about_it_but_must_cover_it(assistant):
    about_it = assistant.ask("what causes it?", prefer=frozenset({"it-band.md"}))
    assert about_it.citations and about_it.citations[0].source == "it-band.md"
    elsewhere = assistant.ask("my heel hurts with the first steps in the morning", prefer=frozenset({"it-band.md"}))
    assert elsewhere.citations[0].source != "it-band.md"  # another article clearly wins
    uncovered = assistant.ask("what heart rate zone should my easy runs be in", prefer=frozenset({"it-band.md"}))
    assert uncovered.status == "no_match"  # the post does not make an uncovered question answered


def test_a_screen_reader_hears_the_reply_without_markers():
    said = embed.plain_text("IT band pain builds [1].\n\n- Cut back \\[runs\\] [2].\n\n**Sources**")
    assert said == "IT band pain builds. Cut back [runs]. Sources"
    script = embed.announce_script("</script><img src=x onerror=alert(1)>")
    assert "</script><img" not in script and script.count("</script>") == 1


@pytest.fixture
def app_on(built, tmp_path, monkeypatch):
    """The chat page (AppTest) opened from a blog address, on a private copy of the store."""
    from streamlit.testing.v1 import AppTest

    from tests.helpers import copy_built

    settings = copy_built(built, tmp_path)
    monkeypatch.setenv("ASSISTANT_STORE", str(settings.store_dir))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE", str(settings.knowledge_dir))

    def run(article: str | None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        if article is not None:
            at.query_params["article"] = article
        at.run()
        assert not at.exception
        return at
    return run


def test_the_opening_line_names_the_post_and_its_first_question_prefers_it(app_on):
    at = app_on(POST_URL + "/")
    opening = CLINIC.chat["from_article"].format(title=POST_TITLE)
    assert opening in [m.value for m in at.markdown]
    at.chat_input[0].set_value("what causes it?").run()
    shown = "\n".join(str(m.value) for m in at.chat_message[-1].markdown)
    assert f"\\[1\\] [{POST_TITLE}]" in shown


@pytest.mark.parametrize("address", ["https://www.lakesregionrunningpt.example/blog/", "not a url", ""])
def test_another_page_gets_the_usual_opening(app_on, address):
    at = app_on(address)
    opening = CLINIC.chat["from_article"].split("{title}")[0]
    assert not [m for m in at.markdown if str(m.value).startswith(opening)]
    assert [b.label for b in at.button] == CLINIC.chat["starters"]
