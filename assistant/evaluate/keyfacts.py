"""Did an answer carry the facts? Pure judging of one reply against a question's key phrases.

A key phrase is copied verbatim from the expected article (tests/eval/realistic/questions.yaml),
so finding it in the answer means the passage holding it was quoted. The answer is Markdown with
`[n]` markers and escapes, so it is turned back into the article's plain words before matching.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Sequence

# A citation marker the answer step appends ("… a long drive. [1]"). An escaped bracket
# ("\[1\]") is the article's own text, so a backslash before it keeps it.
_MARKER = re.compile(r"\s*(?<!\\)\[\d+(?:,\s*\d+)*\]")
# CommonMark lets a backslash escape any ASCII punctuation; undoing all of them (not only the
# characters escape_markdown escapes today) keeps this right when that set changes.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LIST_DASH = re.compile(r"^[ \t]*- ", re.M)
# Loaders may turn straight quotes curly (HTML entities, smart quotes in a pasted post) while the
# phrase was typed straight, or the other way round: both sides fold to straight quotes.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def fold(text: str) -> str:
    """Lower case, straight quotes, no list dashes, whitespace (line breaks too) run together:
    a quote may run over the lines of a list."""
    return " ".join(_LIST_DASH.sub("", text).translate(_QUOTES).lower().split())


def plain_text(markdown: str) -> str:
    """An answer's Markdown back to the article's words, folded (markers, escapes, dashes out)."""
    return fold(_ESCAPE.sub(r"\1", _MARKER.sub("", markdown)))


def article_id(source: str) -> str:
    """`source` is the file's path in the knowledge folder; the sets name articles by file name
    without extension ("piriformis-syndrome" for piriformis-syndrome.md)."""
    return PurePosixPath(source).stem


def phrases_in(phrases: Sequence[str], folded_text: str) -> tuple[list[str], list[str]]:
    """(found, missing), each in the order given; `folded_text` already went through fold()."""
    found = [p for p in phrases if fold(p) in folded_text]
    return found, [p for p in phrases if p not in found]


@dataclass(frozen=True)
class Reply:
    """What the figures need of an answer, whoever gave it (the assistant or the baseline)."""

    status: str  # "answered" | "no_match" | "out_of_scope" | "red_flag"
    text: str  # the answer's Markdown
    cited: tuple[tuple[str, str], ...] = ()  # (article id, quote) per citation, in order


def reply_from_answer(answer) -> Reply:
    return Reply(answer.status, answer.answer,
                 tuple((article_id(c.source), c.quote) for c in answer.citations))


@dataclass(frozen=True)
class Verdict:
    refused: bool  # nothing from the articles shown (no citations)
    no_match: bool  # refused with "our articles don't cover that"
    cited: tuple[str, ...]  # distinct articles, in citation order
    right_first: bool
    key_fact: bool  # right first AND at least half of the key phrases in the answer
    missing: tuple[str, ...]  # key phrases not found
    second_right: bool | None  # None when fewer than two articles were cited


def judge(expected: str | None, phrases: Sequence[str], reply: Reply) -> Verdict:
    """`expected` is the article id, None for a question nothing in the store answers."""
    cited = tuple(dict.fromkeys(article for article, _ in reply.cited))
    right_first = expected is not None and cited[:1] == (expected,)
    found, missing = phrases_in(phrases, plain_text(reply.text))
    return Verdict(
        refused=not cited,
        no_match=reply.status == "no_match",
        cited=cited,
        right_first=right_first,
        key_fact=right_first and 2 * len(found) >= len(phrases),
        missing=tuple(missing),
        second_right=second_article_right(expected, phrases, reply.cited) if len(cited) >= 2 else None,
    )


def second_article_right(expected: str | None, phrases: Sequence[str],
                         cited: Sequence[tuple[str, str]]) -> bool:
    """A second article earns its place when it is the expected one (the first was not), or
    when its quotes hold a key phrase the first article's quotes don't: it added a fact."""
    order = list(dict.fromkeys(article for article, _ in cited))
    first, second = order[0], order[1]
    if second == expected:
        return True
    quotes = {article: [fold(q) for a, q in cited if a == article] for article in (first, second)}

    def holds(article: str, phrase: str) -> bool:
        return any(fold(phrase) in quote for quote in quotes[article])
    return any(holds(second, p) and not holds(first, p) for p in phrases)
