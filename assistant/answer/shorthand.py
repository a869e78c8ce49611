"""Runners' shorthand, read as the words the articles use: "itbs" -> "itbs (IT band syndrome)".

Runners type "pf", "itbs", "knee oa", "my hammy"; the posts write the words out, so neither the
embedding nor BM25 connects them ("can i keep running with itbs" found the compartment-syndrome
post's "keep running" passage). The list is clinic.yaml's `shorthand:`, which staff can extend.
The expansion only serves finding passages: triage reads, and the chat shows, the runner's words.
"""
from __future__ import annotations

import re
from typing import Mapping


class Shorthand:
    def __init__(self, words: Mapping[str, str]):
        self._words = {key.lower(): value for key, value in words.items()}
        keys = sorted(self._words, key=len, reverse=True)  # "pfps" before "pf"
        self._pattern = (re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, keys)) + r")(?![\w-])", re.I)
                         if keys else None)

    def __call__(self, text: str) -> str:
        """`text` with each shorthand word followed by its meaning in brackets."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: f"{m.group(0)} ({self._words[m.group(0).lower()]})", text)
