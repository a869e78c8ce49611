"""The runner's chat. Renders only: every decision comes from assistant.pipeline."""
from assistant.config import go_offline

go_offline()

import streamlit as st  # noqa: E402

from assistant import ui  # noqa: E402

st.set_page_config(page_title="Running injury questions", page_icon="🏃", layout="centered")
ui.chat_page()
