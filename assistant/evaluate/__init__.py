"""The figures behind `python -m assistant eval`: retrieval and answers, triage, and the CI gates."""
