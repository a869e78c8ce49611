"""A small error tree. Modules raise these; only the edges (CLI, UI) turn them into words."""


class AssistantError(Exception):
    """Base of every error the project raises on purpose."""


class UsageError(AssistantError):
    """Bad flags or input from the person at the keyboard (CLI exit 2)."""


class ConfigError(AssistantError):
    """A configuration file or setting is missing, unreadable or wrong: clinic.yaml, triage.yaml,
    the knowledge folder, the staff password hash. The message names the file and the key, so
    the fix is to edit that file, never to touch the store."""


class LoadError(AssistantError):
    """One article file could not be read; the reason is meant for staff to read."""

    def __init__(self, path: str, reason: str, kind: str = "unreadable", **details):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason  # English words for the CLI
        self.kind = kind  # a key of `staff.reasons` in clinic.yaml, for the staff page's own words
        self.details = details  # values the staff page's words may use ({kb}, {limit}, {pages}...)


class StoreError(AssistantError):
    """The knowledge store is missing, unreadable or inconsistent."""


class StoreEmpty(StoreError):
    """No knowledge base has been published yet."""


class ModelMismatch(StoreError):
    """The store was built with another embedding model or dimension."""


class IngestLocked(AssistantError):
    """Another ingest holds the writer lock."""
