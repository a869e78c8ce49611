"""The Streamlit pages: the runner's chat and the staff page. They render; decisions are made elsewhere."""
