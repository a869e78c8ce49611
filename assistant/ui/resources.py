"""What both pages share, made once per app process (st.cache_resource): the clinic's words,
the model, the Assistant, the word-piece counter and the sign-in throttle. Nothing here holds
anything of one runner's; sessions keep their own conversation in st.session_state."""
from __future__ import annotations

import streamlit as st

from assistant.clinic import Clinic, load_clinic
from assistant.config import Settings


@st.cache_resource(show_spinner=False)
def get_clinic(settings: Settings) -> Clinic:
    return load_clinic(settings.clinic_file)


def embedder_of(settings: Settings):
    """The model, loaded once per process and shared by every session and both pages: the
    question embedder (ONNX Runtime, so the app never imports torch; sentence-transformers
    only when the export is missing or fails its check). A staff publish uses it too."""
    from assistant.embed import load_question_embedder

    return load_question_embedder(settings)


@st.cache_resource(show_spinner=False)
def get_assistant(settings: Settings):
    """One store connection per process, shared by every session (nothing user-specific)."""
    from assistant.answer.pipeline import Assistant

    return Assistant.from_settings(settings, embedder=embedder_of(settings))


@st.cache_resource(show_spinner=False)
def get_token_counter(settings: Settings):
    from assistant.embed import load_token_counter

    return load_token_counter(settings.model_path)


@st.cache_resource(show_spinner=False)
def get_throttle():
    """One per app process, shared by every browser session (a guesser can't reopen it away)."""
    from assistant.staff.actions import LoginThrottle

    return LoginThrottle()
