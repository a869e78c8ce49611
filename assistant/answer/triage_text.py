"""A runner's message made ready: first as any message the chat takes (`clean_question`: no
control characters, one space, a length cap), then for the triage rules: one written form, typos
in key words forgiven, and the pieces (every sentence, or the clauses of one that holds a denial)
that are compared by meaning with the rules' examples.
"""
from __future__ import annotations

import re
from typing import Callable

from assistant.answer.context import Reading
from assistant.answer.triage_rules import SPELLING_MIN_LENGTH, Rules

# Every sentence of a story is read (issue 13: the sign sits in the middle, among training
# details); the cap only bounds the one model call for a very long message.
MAX_PIECES = 12

MISSING_APOSTROPHE = re.compile(
    r"\b(can|don|didn|doesn|isn|wasn|haven|hasn|won|couldn|wouldn|shouldn|aren|weren)(t)\b")
INABILITY = re.compile(
    r"\b(couldn't|could not|cannot|can not|unable to|not able to|"
    r"(?:wasn't|was not|isn't|is not|am not|i'm not|weren't|haven't been|hasn't been) able to)(?=\W|$)")
DENIED_QUESTION = re.compile(r"[^.!?;]*\?\s*(no|nope|nah|not really)\b(?! (idea|clue)\b)[.,!]?")
SENTENCE_EDGE = re.compile(r"[.!?;\n]+|\b(?:but|however|although|though|whereas)\b")


def clean_question(message: str, limit: int) -> str:
    """Control characters and invalid surrogates out, whitespace folded, length capped."""
    message = message.encode("utf-8", "replace").decode("utf-8")
    message = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in message)
    message = re.sub(r"\s+", " ", message).strip()
    if len(message) > limit:
        message = message[:limit].rsplit(" ", 1)[0]
    return message


def normalize(message: str, rules: Rules, is_word: Callable[[str], bool] | None = None) -> str:
    """Lower case, plain quotes, single spaces, chat spellings written out ("nite"); key words with
    one typo corrected when `is_word` can tell a typo from a real word (without it, no spelling
    correction)."""
    text = message.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"\s+", " ", text).strip()
    text = MISSING_APOSTROPHE.sub(r"\1'\2", text)  # "cant", "didnt" -> "can't", "didn't"
    text = INABILITY.sub("can't", text)  # one form for the rules: "couldn't", "unable to"...
    # A question answered "no" is denied as a whole: "swollen? no, just tight" -> "just tight".
    text = DENIED_QUESTION.sub(" ", text).strip()
    if rules.chat_spelling:
        text = re.sub(r"[a-z]+", lambda m: rules.chat_spelling.get(m.group(), m.group()), text)
    if is_word is None or not rules.spelling:
        return text
    return re.sub(r"[a-z]{%d,}" % SPELLING_MIN_LENGTH, lambda m: _correct(m.group(), rules, is_word), text)


def _correct(word: str, rules: Rules, is_word: Callable[[str], bool]) -> str:
    spelling = rules.spelling
    if spelling.get(word) == word:
        return word
    candidates = [spelling[word]] if word in spelling else []  # a letter missing
    candidates += [spelling[d] for d in _deletions(word) if d in spelling]  # extra/wrong/swapped
    for candidate in candidates:
        if _one_edit(word, candidate) and not is_word(word):
            return candidate
    return word


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1:] for i in range(len(word))]


def _one_edit(a: str, b: str) -> bool:
    """Damerau distance exactly 1 (missing, extra, wrong or swapped letter)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def semantic_pieces(text: str, rules: Rules, reading: Reading | None = None) -> tuple[bool, list[str]]:
    """(whole message usable?, pieces worth embedding). A piece holding a denial, a hypothetical
    or a past event is left out, and so is the whole message when it holds one: the model cannot
    tell "no numbness" or "if I get numbness" from "numbness"."""
    reading = reading or Reading(text, rules.context)
    whole_ok = not reading.modifiers
    pieces: list[str] = []
    def kept(start: int, end: int) -> bool:
        # Nor a piece that lies wholly in a modifier's reach: in "my calf is bigger than the
        # other one, always has been" the first clause holds no trigger, but "always has been"
        # dates it, and the model would read it as a new swelling.
        return not reading.touches(start, end) and not any(
            m.before <= start and end <= m.after for m in reading.modifiers)

    for match in _spans(text, SENTENCE_EDGE):
        start, end = match
        if kept(start, end):
            pieces.append(text[start:end])
            continue
        for part_start, part_end in _spans(text[start:end], re.compile(",")):
            if kept(start + part_start, start + part_end):
                pieces.append(text[start + part_start:start + part_end])
    whole = text.strip(" .!?;,")
    pieces = [p for p in dict.fromkeys(p.strip(" .!?;,") for p in pieces)
              if p != whole and len(p.split()) >= 2]
    return whole_ok, pieces[:MAX_PIECES]


def _spans(text: str, edge: re.Pattern) -> list[tuple[int, int]]:
    """The stretches of `text` between the matches of `edge`."""
    spans, at = [], 0
    for match in edge.finditer(text):
        spans.append((at, match.start()))
        at = match.end()
    spans.append((at, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]
