"""What the staff page does, without Streamlit: sign-in, uploads, inventory, the question log, content gaps."""
