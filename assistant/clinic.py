"""The clinic profile and every user-facing word, read from knowledge/clinic.yaml.

Staff edit the YAML; code and tests read words from here, never from literals. This is the
one place that parses the file: a missing or misspelt key is reported as a ConfigError that
names the file and the key, never as a KeyError in front of a runner.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.errors import ConfigError
from assistant.schema import Booking, BookingLink
from assistant.yaml_files import load_staff_yaml

# Shown only when clinic.yaml itself cannot be read, so its words are unavailable.
PROFILE_UNREADABLE = "The assistant is not set up yet. Please call the clinic."
FALLBACK_PAGE_TITLES = {"chat": "Ask about a running injury", "staff": "Staff"}
SITUATIONS = ("answered", "unsure", "no_match", "out_of_scope", "after_urgent")
MESSAGE_WORDS = ("intro", "no_match", "empty_question", "sources_heading", "error", "maintenance",
                 "exam_only", "more_in_article")
CHAT_WORDS = ("page_title", "starters_heading", "starters", "input_placeholder", "thinking",
              "loading", "preparing", "preparing_stage", "quoted_passage", "call",
              "feedback_thanks", "new_conversation")
STAFF_WORDS = ("title", "page_off", "sign_in", "sign_out", "signed_out", "password_label", "wrong_password",
               "wait", "damaged_password", "sections", "section_label", "stages", "publishing", "locked",
               "failed_file", "error", "published", "nothing_published", "columns", "remove",
               "remove_confirm", "remove_yes", "removed", "cancel", "upload_label", "upload_help",
               "preview_heading", "preview_title", "preview_file", "preview_link", "preview_sections",
               "preview_counts", "preview_blocks", "filler_kinds", "warnings", "reasons", "publish", "gaps_intro", "gaps_off", "gaps_empty",
               "gaps_loading", "gaps_asked", "gaps_thumbs_down", "gaps_wordings", "gaps_shown",
               "gaps_none_shown", "current_version", "rollback_intro", "rollback_none", "rollback_confirm",
               "rollback_button", "rolled_back")
# Shown on the staff page when clinic.yaml can't give the staff page its words; {error} names
# the file and the key, which a PT can fix.
STAFF_PROFILE_UNREADABLE = "The staff page cannot start: {error}"


@dataclass(frozen=True)
class Clinic:
    name: str
    place: str
    phone: str
    website: str | None
    discovery_call: BookingLink
    evaluation: BookingLink
    booking_text: dict
    disclaimer: str
    messages: dict
    triage: dict
    scope: dict
    chat: dict = field(default_factory=dict)  # the chat page's own words (starters, labels...)
    staff: dict = field(default_factory=dict)  # the staff page's words (empty: no staff page words)
    question_logging: str = "unanswered_only"  # see assistant/staff/question_log.py
    shorthand: dict = field(default_factory=dict)  # runners' short forms -> the articles' words
    source: str = "clinic.yaml"  # the file it came from, for error messages

    def booking(self, situation: str) -> Booking:
        """The booking offer that fits: one of SITUATIONS."""
        if situation in ("answered", "after_urgent"):
            links = (self.evaluation, self.discovery_call)
        else:
            links = (self.discovery_call, self.evaluation)
        return Booking(text=self.booking_text[situation], links=links, phone=self.phone)

    def staff_words(self) -> dict:
        """The staff page's words; ConfigError (naming the key) when one it needs is missing."""
        _Section(self.staff, self.source, "staff").words(STAFF_WORDS)
        return self.staff

    def rule_message(self, rule: str | None) -> str:
        """Why a red flag matters: its rule's line, or, for one the learned net raised with no rule
        close by meaning, the `unnamed` line."""
        if rule is None:
            return str(self.triage.get("unnamed") or "")
        return self.triage.get("rules", {}).get(rule, "")

    def check_line(self, rule: str | None) -> str:
        """The one short check line a `caution` reply leads with: the rule's own, or the default."""
        caution = self.triage.get("caution") or {}
        return str((caution.get("rules") or {}).get(rule) or caution.get("default") or "").strip()


def load_clinic(path: Path) -> Clinic:
    try:
        data = load_staff_yaml(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the clinic profile {path}: {exc}") from exc
    profile = _Section(data, str(path))
    booking = profile.section("booking")
    return Clinic(
        name=profile.text("name"),
        place=profile.text("place"),
        phone=profile.text("phone"),
        website=profile.optional("website"),
        discovery_call=_link(booking.section("discovery_call")),
        evaluation=_link(booking.section("evaluation")),
        booking_text=profile.section("booking_text").words(SITUATIONS),
        disclaimer=profile.text("disclaimer"),
        messages=profile.section("messages").words(MESSAGE_WORDS),
        triage=_triage_words(profile.section("triage")),
        scope=profile.section("scope").mapping,
        chat=profile.section("chat").words(CHAT_WORDS),
        staff=profile.section("staff", required=False).mapping,
        question_logging=_question_logging(profile.optional("question_logging") or "unanswered_only", path),
        shorthand=_shorthand(profile.section("shorthand", required=False)),
        source=str(path),
    )


def _shorthand(section: "_Section") -> dict:
    """`shorthand:` lines: a short form and the words it stands for, both plain text."""
    words = {}
    for key, value in section.mapping.items():
        if not isinstance(key, str) or not key.strip() or not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{section.where}: `shorthand.{key}` must be a short form and its words, "
                              f"like `itbs: IT band syndrome`")
        words[key.strip()] = value.strip()
    return words


class _Section:
    """A mapping of clinic.yaml with the dotted path of where it sits, for the error message."""

    def __init__(self, mapping: object, where: str, key: str = ""):
        if not isinstance(mapping, dict):
            raise ConfigError(f"{where}: `{key or 'the file'}` must be a list of `key: value` lines")
        self.mapping, self.where, self.key = dict(mapping), where, key

    def _path(self, name: str) -> str:
        return f"{self.key}.{name}" if self.key else name

    def _missing(self, name: str) -> ConfigError:
        return ConfigError(f"{self.where}: the key `{self._path(name)}` is missing")

    def section(self, name: str, required: bool = True) -> "_Section":
        if name not in self.mapping and required:
            raise self._missing(name)
        return _Section(self.mapping.get(name) or {}, self.where, self._path(name))

    def text(self, name: str) -> str:
        value = self.mapping.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise self._missing(name)
        return str(value).strip()

    def optional(self, name: str) -> str | None:
        value = self.mapping.get(name)
        return None if value is None else str(value).strip()

    def words(self, required: tuple[str, ...]) -> dict:
        for name in required:
            if name not in self.mapping:
                raise self._missing(name)
        return self.mapping


def _triage_words(section: _Section) -> dict:
    """The red-flag lead lines, and the caution check lines (a default at least)."""
    section.words(("emergency", "urgent"))
    section.section("caution").text("default")
    return section.mapping


def _link(section: _Section) -> BookingLink:
    return BookingLink(label=section.text("label"), url=section.text("url"))


def _question_logging(value, path: Path) -> str:
    from assistant.staff.question_log import MODES

    if value not in MODES:  # a typo must not silently keep (or drop) runners' questions
        raise ConfigError(f"{path}: `question_logging` must be one of {', '.join(MODES)}, not {value!r}")
    return value
