"""What runners asked that the articles did not answer well, for the staff to write about.

File: `<store folder>/question_log.jsonl`, UTF-8, one JSON object per line, appended:

    {"day": "2026-11-26",                 # the date only: never a finer time
     "question": "…",                     # as asked (cleaned, length-capped), emails and
                                           #   phone numbers replaced by [email] / [phone]
     "status": "no_match",                 # the Answer's status
     "chunk_ids": ["it-band#…", …],        # what the answer cited (retrieved, when none cited)
     "feedback": null | "up" | "down"}     # null: logged when asked; else the runner's rating

Nothing about who asked is kept: no IP, session, browser or time of day. A question can
appear twice: once when asked (no_match) and again when rated. What is kept is the clinic's
choice, `question_logging` in clinic.yaml:
- `unanswered_only` (default): questions the articles did not cover (no_match), and any answer
  rated thumbs-down;
- `all`: every question and every rating;
- `off`: nothing; the file is never created.
"""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Sequence

FILE_NAME = "question_log.jsonl"
MODES = ("unanswered_only", "all", "off")
UNANSWERED = frozenset({"no_match"})

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# 7+ digits with the usual separators: (603) 555-0142, 603.555.0142, +1 603 555 0142.
_PHONE = re.compile(r"(?<!\w)[+(]?\d[\d\s().-]{5,}\d(?!\w)")
RETENTION_DAYS = 90  # entries older than this are deleted (see prune)
_APPEND = threading.Lock()  # sessions share the process; one line at a time


def redact(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    return _PHONE.sub(lambda m: "[phone]" if sum(c.isdigit() for c in m.group()) >= 7 else m.group(), text)


@dataclass(frozen=True)
class QuestionLog:
    store_dir: Path
    mode: str = "unanswered_only"
    retention_days: int = RETENTION_DAYS

    @property
    def path(self) -> Path:
        return Path(self.store_dir) / FILE_NAME

    def wants(self, status: str, feedback: str | None = None) -> bool:
        if self.mode == "all":
            return True
        if self.mode == "unanswered_only":
            return feedback == "down" or (feedback is None and status in UNANSWERED)
        return False

    def record(self, question: str, status: str, chunk_ids: Sequence[str],
               feedback: str | None = None) -> bool:
        """Append one line when the clinic's setting keeps this kind of question; True if kept."""
        if not self.wants(status, feedback):
            return False
        line = json.dumps({"day": date.today().isoformat(), "question": redact(question),
                           "status": status, "chunk_ids": list(chunk_ids), "feedback": feedback},
                          ensure_ascii=False)
        with _APPEND:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
        return True

    def read(self) -> list[dict]:
        """Every line kept so far (for the staff page and tests)."""
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line]

    # --- retention (added for the staff page's content-gap list) -------------------------

    def _cutoff(self, today: date | None) -> str:
        return ((today or date.today()) - timedelta(days=self.retention_days)).isoformat()

    def recent(self, today: date | None = None) -> list[dict]:
        """Entries within the retention period; a damaged line (a crash mid-append) is skipped."""
        if not self.path.exists():
            return []
        cutoff, kept = self._cutoff(today), []
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and str(entry.get("day", "")) >= cutoff:
                kept.append(entry)
        return kept

    def prune(self, today: date | None = None) -> int:
        """Delete entries older than the retention period; returns how many went.

        Rewritten whole (write-temp-then-rename). Lines appended by this process wait on the
        append lock; a line appended by another process between the read and the rename could
        be lost, which costs one logged question at worst."""
        if not self.path.exists():
            return 0
        from assistant.store.files import write_atomic

        with _APPEND:
            before = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
            kept = self.recent(today)
            if len(kept) == len(before):
                return 0
            write_atomic(self.path, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in kept))
        return len(before) - len(kept)
