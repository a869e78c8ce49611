"""The clinic profile and every user-facing word, read from knowledge/clinic.yaml.

Staff edit the YAML; code and tests read words from here, never from literals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import StoreError
from .schema import Booking, BookingLink


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
    question_logging: str = "unanswered_only"  # see assistant/question_log.py

    def booking(self, situation: str) -> Booking:
        """The booking offer that fits: `answered`, `unsure`, `no_match`, `out_of_scope`, `after_urgent`."""
        if situation in ("answered", "after_urgent"):
            links = (self.evaluation, self.discovery_call)
        else:
            links = (self.discovery_call, self.evaluation)
        return Booking(text=self.booking_text[situation], links=links, phone=self.phone)

    def rule_message(self, rule: str | None) -> str:
        return self.triage.get("rules", {}).get(rule, "") if rule else ""


def load_clinic(path: Path) -> Clinic:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StoreError(f"cannot read the clinic profile {path}: {exc}") from exc
    booking = data["booking"]
    return Clinic(
        name=data["name"],
        place=data["place"],
        phone=str(data["phone"]),
        website=data.get("website"),
        discovery_call=BookingLink(**booking["discovery_call"]),
        evaluation=BookingLink(**booking["evaluation"]),
        booking_text=dict(data["booking_text"]),
        disclaimer=data["disclaimer"].strip(),
        messages=dict(data["messages"]),
        triage=dict(data.get("triage") or {}),
        scope=dict(data.get("scope") or {}),
        chat=dict(data.get("chat") or {}),
        question_logging=_question_logging(data.get("question_logging", "unanswered_only"), path),
    )


def _question_logging(value, path: Path) -> str:
    from .question_log import MODES

    if value not in MODES:  # a typo must not silently keep (or drop) runners' questions
        raise StoreError(f"{path}: question_logging must be one of {', '.join(MODES)}, not {value!r}")
    return value
