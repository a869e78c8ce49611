"""The runner's flow: message -> triage -> (follow-up rewrite) -> retrieve -> compose -> booking."""
