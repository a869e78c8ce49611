"""The commands: one module each (ask, ingest, eval, set-staff-password); assistant/__main__.py dispatches."""
