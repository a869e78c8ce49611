"""The staff page (Streamlit). Renders only: decisions are in staff/actions.py, words in clinic.yaml.

Every run re-checks the session against the configured password hash, so removing or
changing the password, or signing out, ends staff access at the next click.
"""
from __future__ import annotations

import os
import time

import streamlit as st

from assistant.clinic import FALLBACK_PAGE_TITLES, STAFF_PROFILE_UNREADABLE
from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.staff import actions as staff
from assistant.staff.passwords import configured_hash
from assistant.ui import staff_sections as sections_ui
from assistant.ui.resources import (
    get_clinic,
    get_throttle,
)

SESSION_KEY = "staff_session"


def _secrets() -> dict:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets.toml at all: Streamlit raises rather than returning nothing
        return {}


def password_hash() -> str | None:
    return configured_hash(_secrets(), os.environ)


def pages(chat_page) -> list:
    """The app's pages for st.navigation: the chat, and the staff page only when a staff
    password is configured (otherwise it does not exist, not even as a link)."""
    try:
        clinic = get_clinic(Settings.from_env())
        chat_words, staff_words = clinic.chat, clinic.staff
    except ConfigError:  # each page reports a broken profile in its own place
        chat_words, staff_words = {}, {}
    chat = st.Page(chat_page, title=chat_words.get("page_title") or FALLBACK_PAGE_TITLES["chat"], default=True)
    # On the clinic's website (?embed=true) runners get the chat alone: no link to the staff
    # page, and no staff page inside someone else's frame.
    if not password_hash() or st.context.is_embedded:
        return [chat]
    return [chat, st.Page(staff_page, title=staff_words.get("nav_title") or FALLBACK_PAGE_TITLES["staff"],
                          url_path="staff")]


def staff_page(settings: Settings | None = None) -> None:
    settings = settings or Settings.from_env()
    try:
        words = get_clinic(settings).staff_words()
    except ConfigError as exc:  # staff can fix the file: say which and what
        st.error(STAFF_PROFILE_UNREADABLE.format(error=exc))
        return
    st.title(words["title"])
    stored = password_hash()
    if not stored:
        st.info(words["page_off"])
        return
    try:
        if not staff.session_valid(st.session_state.get(SESSION_KEY), stored, time.time()):
            st.session_state.pop(SESSION_KEY, None)
            _sign_in_form(words, stored)
            return
    except ConfigError:
        st.error(words["damaged_password"])
        return
    st.session_state[SESSION_KEY]["seen"] = time.time()
    if st.sidebar.button(words["sign_out"], key="staff-sign-out"):
        st.session_state.pop(SESSION_KEY, None)
        st.success(words["signed_out"])
        return
    sections = words["sections"]
    choice = st.radio(words["section_label"], list(sections), format_func=sections.get, horizontal=True,
                      key="staff-section")
    {"inventory": sections_ui.inventory, "upload": sections_ui.upload, "gaps": sections_ui.gaps,
     "versions": sections_ui.versions, "website": sections_ui.website}[choice](settings, words)


def _sign_in_form(words: dict, stored: str) -> None:
    with st.form("staff-sign-in"):
        password = st.text_input(words["password_label"], type="password", key="staff-password")
        submitted = st.form_submit_button(words["sign_in"])
    if not submitted:
        return
    try:
        result = staff.sign_in(password, stored, get_throttle())
    except ConfigError:
        st.error(words["damaged_password"])
        return
    if result.ok:
        st.session_state[SESSION_KEY] = staff.new_session(stored, time.time())
        st.rerun()
    elif result.wait > 0:
        st.error(words["wait"].format(seconds=int(result.wait + 0.999)))
    else:
        st.error(words["wrong_password"])
