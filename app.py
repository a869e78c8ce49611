"""The runner's chat. Renders only: every decision comes from assistant.pipeline."""
from assistant.config import go_offline

go_offline()  # before Streamlit, Chroma or the model load: nothing phones home

import streamlit as st  # noqa: E402

from assistant import staff_view, ui  # noqa: E402

# The chat, plus the staff page when a staff password is set (python -m assistant set-staff-password).
st.navigation(staff_view.pages(ui.chat_page)).run()
