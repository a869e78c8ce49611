"""The runner's chat page in Streamlit. No decisions here: the pipeline makes them.

This module holds the page and the session (the conversation, the question log); shared caches
are in resources.py and turn.py draws one turn. Every word comes from the clinic profile (knowledge/clinic.yaml).
"""
from __future__ import annotations

import logging
from functools import partial

import streamlit as st

from assistant.answer.blocks import escape_markdown
from assistant.clinic import PROFILE_UNREADABLE, Clinic
from assistant.config import Settings
from assistant.errors import ConfigError, StoreEmpty, UsageError
from assistant.schema import Answer
from assistant.staff.question_log import QuestionLog
from assistant.ui import embed
from assistant.ui.resources import embedder_of, get_assistant, get_clinic
from assistant.ui.turn import Turn, show_turn

log = logging.getLogger(__name__)

HISTORY_TURNS = 3  # earlier turns passed to the pipeline for follow-up questions
THUMBS = {0: "down", 1: "up"}  # st.feedback("thumbs") values


def fill_empty_store(settings: Settings, words: dict) -> None:
    """First start: the store is empty, so ingest the knowledge folder with visible progress."""
    from assistant.ingest.run import run_ingest

    bar = st.progress(0.0, text=words["preparing"])

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(min(1.0, done / max(total, 1)), text=words["preparing_stage"].format(stage=stage))

    run_ingest(settings, lambda: embedder_of(settings), progress=progress)
    bar.empty()


def open_assistant(settings: Settings, clinic: Clinic):
    """The Assistant, or None after telling the runner (in the clinic's words) why not."""
    try:
        with st.spinner(clinic.chat["loading"]):
            try:
                return get_assistant(settings)
            except StoreEmpty:
                fill_empty_store(settings, clinic.chat)
                return get_assistant(settings)
    except Exception:  # a runner never sees a traceback; the server log keeps it
        log.exception("the assistant could not start")
        st.warning(f"{clinic.messages['maintenance'].strip()} {clinic.phone}")
        return None


# ------------------------------------------------------------------ the page

def chat_page() -> None:
    settings = Settings.from_env()
    try:
        clinic = get_clinic(settings)
    except ConfigError as exc:  # the profile's own words are unavailable, so the fallback's
        log.error("the clinic profile could not be read: %s", exc)
        st.error(PROFILE_UNREADABLE)
        return
    words = clinic.chat
    st.set_page_config(page_title=words["page_title"], page_icon="🏃", layout="centered")
    header(clinic)
    assistant = open_assistant(settings, clinic)
    if assistant is None:
        footer(clinic)
        return

    try:
        article = opened_from(assistant)
        if article is not None:
            st.markdown(escape_markdown(words["from_article"].format(title=article.title)))
        conversation(assistant, clinic, settings, article)
    except Exception:  # a runner never sees a traceback; the server log keeps it
        log.exception("the chat page failed")
        st.error(f"{clinic.messages['error'].strip()} {clinic.phone}")
    footer(clinic)
    # Our own script (no runner or article text in it): the live region, Escape in an iframe.
    st.html(embed.page_script(), unsafe_allow_javascript=True)


def opened_from(assistant) -> embed.Article | None:
    """The blog post the website's chat button was pressed on (?article=<its address>), when
    it is a published article."""
    return embed.find_article(assistant.retriever.manifest, st.query_params.get("article"))


def conversation(assistant, clinic: Clinic, settings: Settings, article: embed.Article | None = None) -> None:
    """Starters (until the first question), the turns so far, and the new question's reply.
    The first question prefers `article` (the post the chat was opened on) when it is relevant."""
    words, state = clinic.chat, st.session_state
    state.setdefault("turns", [])
    # st.chat_input is pinned to the bottom wherever it is called; called first, its value is
    # known before anything is drawn (a starter tap arrives through its button's callback).
    typed = st.chat_input(words["input_placeholder"], max_chars=settings.max_question_chars)
    starter = state.pop("starter", None)
    asked = typed or starter
    if not state.turns and not asked:
        starters(words)
    rated = partial(record_feedback, settings=settings, clinic=clinic)
    for turn in state.turns:
        show_turn(turn, clinic, rated)
    if asked:
        prefer = frozenset({article.source}) if article is not None and not state.turns else frozenset()
        turn = answer_turn(assistant, asked, state.turns, clinic, settings, prefer)
        state.turns = [*state.turns, turn]
        show_turn(turn, clinic, rated, fresh=True)
        announce(turn, words)
    if state.turns:
        st.button(words["new_conversation"], icon=":material/refresh:", on_click=new_conversation)


def header(clinic: Clinic) -> None:
    # The page's one h1 (a screen reader's "jump to heading 1" lands on the clinic's name).
    st.title(clinic.name, anchor=False)
    st.caption(clinic.place)
    st.markdown(clinic.messages["intro"].strip())


def starters(words: dict) -> None:
    st.caption(words["starters_heading"])
    for i, starter in enumerate(words["starters"]):
        st.button(starter, key=f"starter-{i}", on_click=choose_starter, args=(starter,),
                  width="stretch")


def choose_starter(starter: str) -> None:
    st.session_state.starter = starter


def new_conversation() -> None:
    st.session_state.turns = []


def footer(clinic: Clinic) -> None:
    st.divider()
    st.caption(clinic.disclaimer)


# ------------------------------------------------------------------ one question

def announce(turn: Turn, words: dict) -> None:
    """Screen readers read the new reply out (the live region made by embed.page_script)."""
    said = embed.plain_text(turn.answer.answer) if turn.answer else (turn.notice or "")
    st.html(embed.announce_script(words["reply_announcement"].format(reply=said)), unsafe_allow_javascript=True)


def answer_turn(assistant, asked: str, turns: list[Turn], clinic: Clinic, settings: Settings,
                prefer: frozenset[str] = frozenset()) -> Turn:
    """Ask the pipeline; failures become a short notice, never a traceback. (Too-long input
    never gets here: st.chat_input's max_chars is enforced by the server as well, and the
    pipeline caps what it reads.)"""
    # Ids never repeat within a session, so a new conversation never inherits a rating.
    number = st.session_state.get("asked", 0)
    st.session_state.asked = number + 1
    asked = asked.strip()
    history = [(t.answer.question, t.answer.answer) for t in turns if t.answer][-HISTORY_TURNS:]
    try:
        with st.spinner(clinic.chat["thinking"]):
            answer = assistant.ask(asked, history, prefer=prefer)
    except UsageError as exc:
        return Turn(number, asked, notice=str(exc))
    except Exception:
        log.exception("answering failed")
        return Turn(number, asked, notice=f"{clinic.messages['error'].strip()} {clinic.phone}")
    question_log(settings, clinic).record(answer.question, answer.status, logged_chunk_ids(answer))
    return Turn(number, answer.question, answer=answer)


def question_log(settings: Settings, clinic: Clinic) -> QuestionLog:
    return QuestionLog(settings.store_dir, clinic.question_logging)


def logged_chunk_ids(answer: Answer) -> list[str]:
    return [c.chunk_id for c in answer.citations] or list(answer.retrieved)


def record_feedback(key: str, answer: Answer, settings: Settings, clinic: Clinic) -> None:
    rating = THUMBS.get(st.session_state.get(key))
    if rating:
        question_log(settings, clinic).record(answer.question, answer.status,
                                              logged_chunk_ids(answer), feedback=rating)
