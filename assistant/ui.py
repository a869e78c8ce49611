"""Streamlit views for the runner's chat. No decisions here: the pipeline makes them."""
from __future__ import annotations

import streamlit as st

from .clinic import load_clinic
from .config import Settings
from .errors import AssistantError, StoreEmpty, UsageError

STARTERS = (
    "The outside of my knee hurts on long runs",
    "My heel hurts with the first steps in the morning",
    "How do I get back to running after an injury?",
    "What happens at a physical therapy evaluation?",
)


@st.cache_resource(show_spinner=False)
def get_assistant(settings: Settings):
    """One model and one store per process, shared by every session (nothing user-specific)."""
    from .pipeline import Assistant

    return Assistant.from_settings(settings)


@st.cache_resource(show_spinner=False)
def get_clinic(settings: Settings):
    return load_clinic(settings.clinic_file)


def ensure_knowledge_base(settings: Settings) -> None:
    """First start: an empty store is filled from the knowledge folder, with visible progress."""
    from .store import Store

    if Store(settings.store_dir).active_version() is not None:
        return
    from .embed import SentenceTransformerEmbedder
    from .ingest import run_ingest

    bar = st.progress(0.0, text="Preparing the clinic's articles (first start only)…")

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(min(1.0, done / max(total, 1)), text=f"Preparing the clinic's articles: {stage}…")

    run_ingest(settings, lambda: SentenceTransformerEmbedder(settings.model_path, settings.torch_threads),
               progress=progress)
    bar.empty()


def chat_page() -> None:
    settings = Settings.from_env()
    try:
        clinic = get_clinic(settings)
    except AssistantError:
        st.error("The assistant is not set up yet. Please call the clinic.")
        return
    st.title(clinic.name)
    st.caption(clinic.place)
    st.write(clinic.messages["intro"])
    if "turns" not in st.session_state:
        st.session_state.turns = []
    try:
        ensure_knowledge_base(settings)
        with st.spinner("Loading…"):
            assistant = get_assistant(settings)
    except StoreEmpty:
        st.warning(clinic.messages["maintenance"] + f" {clinic.phone}")
        return
    except AssistantError:
        st.error(clinic.messages["maintenance"] + f" {clinic.phone}")
        return

    asked = None
    if not st.session_state.turns:
        columns = st.columns(2)
        for i, starter in enumerate(STARTERS):
            if columns[i % 2].button(starter, key=f"starter-{i}", use_container_width=True):
                asked = starter
    for turn in st.session_state.turns:
        render_turn(turn, clinic)
    typed = st.chat_input("Ask about a running ache or injury", max_chars=settings.max_question_chars)
    asked = typed or asked
    if asked:
        turn = {"question": asked}
        try:
            turn["answer"] = assistant.ask(asked)
        except UsageError as exc:
            turn["notice"] = str(exc)
        except Exception:  # a runner never sees a traceback
            turn["notice"] = f"{clinic.messages['error']} {clinic.phone}"
        st.session_state.turns.append(turn)
        render_turn(turn, clinic)
    if st.session_state.turns and st.button("New conversation"):
        st.session_state.turns = []
        st.rerun()
    st.divider()
    st.caption(clinic.disclaimer)


def render_turn(turn: dict, clinic) -> None:
    with st.chat_message("user"):
        st.text(turn["question"])
    with st.chat_message("assistant"):
        if "notice" in turn:
            st.info(turn["notice"])
            return
        answer = turn["answer"]
        if answer.status == "red_flag":
            box = st.error if answer.triage == "emergency" else st.warning
            box(answer.answer)
        else:
            st.markdown(answer.answer)
        if answer.citations:
            st.markdown(f"**{clinic.messages['sources_heading']}**")
            for citation in answer.citations:
                title = citation.title.replace("[", "\\[").replace("]", "\\]")
                label = f"[{citation.n}] {title}" + (f" — {citation.heading}" if citation.heading else "")
                if citation.url and citation.url.startswith(("https://", "http://")):
                    st.markdown(f"[{label}]({citation.url})")
                else:
                    st.markdown(label)
                with st.expander("Quoted passage"):
                    st.text(citation.quote)
        if answer.booking:
            st.write(answer.booking.text)
            columns = st.columns(len(answer.booking.links))
            for column, link in zip(columns, answer.booking.links):
                column.link_button(link.label, link.url, use_container_width=True)
            if answer.booking.phone:
                st.caption(f"Or call {answer.booking.phone}")
