"""The runner's chat. Renders only: every decision comes from assistant.answer.pipeline."""
from assistant.config import go_offline

go_offline()  # before Streamlit, Chroma or the model load: nothing phones home

import streamlit as st  # noqa: E402

from assistant.ui import chat, staff_page  # noqa: E402

# The chat, plus the staff page when a staff password is set (python -m assistant set-staff-password).
st.navigation(staff_page.pages(chat.chat_page)).run()
