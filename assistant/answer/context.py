"""Which mentions of a warning sign count: ConText (negated, hypothetical, historical), as data.

ConText (Chapman, Chu & Dowling 2007; Harkema et al. 2009) reads a sentence for trigger terms
("no", "if I ever get", "years ago") and gives each one a scope: the words after it (forward) or
before it (backward), up to the end of the sentence, a terminator of its category ("but", a
comma for denials), another trigger of the same category, or a reach of a few words. A sign
inside that scope takes the trigger's category. Pseudo-triggers look like triggers but are not
("no idea", "not sure", "not going away"), and where two triggers overlap the longer one wins.

Why a port and not the library: medspaCy implements ConText on spaCy, but on Python 3.11 it pins
spacy<3.8, whose thinc 8.2 is compiled against numpy 1.x and fails to import beside our numpy 2
("numpy.dtype size changed"); negspacy fits the stack (spacy 3.8) but is NegEx, negation only:
it left "if I get numbness" and "fainted once years ago" counted, and would bring spaCy, thinc
and a dozen packages to tokenize text our signs already match as regexes. So the algorithm is
this module and the trigger terms, ported from medspaCy's English ConText rules (MIT) and reworded
for runners, are the `context:` section of knowledge/triage.yaml, where a PT can edit them.

Other people's mentions (ConText's "experiencer") are not a category here on purpose: "my friend
collapsed" is a red flag for the runner, who has to get help. Hedges (ConText's "possible
existence": "probably nothing but...") are not one either: a hedge never cancels a sign.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Mapping

from assistant.errors import ConfigError

SENTENCE_END = re.compile(r"[.!?;\n]+")  # ends every scope
WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Category:
    """One ConText category: its triggers by direction, what ends their scope, and how far
    (in words) a trigger reaches."""

    name: str
    reach: int
    forward: re.Pattern | None = None  # reach the words after them
    backward: re.Pattern | None = None  # reach the words before them
    both: re.Pattern | None = None  # reach both ways ("years ago")
    ends_at: re.Pattern | None = None


@dataclass(frozen=True)
class ContextRules:
    categories: tuple[Category, ...]
    pseudo: re.Pattern | None = None


@dataclass(frozen=True)
class Modifier:
    """A trigger found in the text, with its scope: text[before:start] behind it (backward) and
    text[end:after] ahead of it (forward); an empty side when it does not reach that way."""

    category: str
    start: int
    end: int
    before: int
    after: int

    def modifies(self, start: int, end: int) -> bool:
        """Does this trigger's scope take in the sign found at text[start:end]? Ahead: a sign
        that begins in the scope ("no [numbness]"), or whose words run through the trigger and end
        in the scope ("[calf isn't swollen]"), or that begins inside the trigger itself, after its
        first word, and ends in the scope ("if my [calf swells]": the trigger takes in its subject
        to see the verb; a sign that starts with the trigger, "[didn't even feel myself wee]", says
        the denial itself and still counts). Behind: a sign that ends in it ("[fainted] once,
        15 years ago")."""
        if self.after > self.end and (self.end <= start < self.after
                                      or (start < self.start and self.end <= end <= self.after)
                                      or (self.start < start < self.end and end <= self.after)):
            return True
        return self.before < self.start and self.before <= end <= self.start and start < self.start


class Reading:
    """The triggers of one (normalized) text with their scopes; ask it about a sign's span."""

    def __init__(self, text: str, rules: ContextRules):
        self.text = text
        ends = [0] + [p for m in SENTENCE_END.finditer(text) for p in (m.start(), m.end())] + [len(text)]
        self._sentence_starts = ends[0::2]  # each sentence is [starts[i], stops[i])
        self._sentence_stops = ends[1::2]
        words = [(m.start(), m.end()) for m in WORD.finditer(text)]
        self._word_starts = [s for s, _ in words]
        self._word_ends = [e for _, e in words]
        self.modifiers = self._modifiers(text, rules)

    def cancelled_by(self, start: int, end: int) -> str | None:
        """The category (negated, hypothetical, historical) that cancels the sign at
        text[start:end], or None when the sign counts."""
        return next((m.category for m in self.modifiers if m.modifies(start, end)), None)

    def touches(self, start: int, end: int) -> bool:
        """Does a trigger sit inside text[start:end]? (Such a piece is not given to the model,
        which cannot tell "no numbness" from "numbness".)"""
        return any(start <= m.start and m.end <= end for m in self.modifiers)

    # ------------------------------------------------------------------ building the scopes

    def _modifiers(self, text: str, rules: ContextRules) -> tuple[Modifier, ...]:
        if not text:
            return ()
        pseudo = [m.span() for m in rules.pseudo.finditer(text)] if rules.pseudo else []
        found = []  # (start, end, category, (ahead, behind))
        for category in rules.categories:
            for ways, pattern in (((True, False), category.forward), ((False, True), category.backward),
                                  ((True, True), category.both)):
                if pattern is None:
                    continue
                found += [(m.start(), m.end(), category, ways) for m in pattern.finditer(text)
                          if m.end() > m.start() and not _overlaps(m.span(), pseudo)]
        kept = _longest_first(found)
        stops: dict[str, list[tuple[int, int]]] = {}
        for category in rules.categories:
            ends_at = [m.span() for m in category.ends_at.finditer(text)] if category.ends_at else []
            stops[category.name] = sorted(ends_at + [(s, e) for s, e, c, _ in kept if c.name == category.name])
        return tuple(self._scoped(s, e, c, ways, stops[c.name]) for s, e, c, ways in sorted(kept, key=lambda k: k[0]))

    def _scoped(self, start: int, end: int, category: Category, ways: tuple[bool, bool],
                stops: list[tuple[int, int]]) -> Modifier:
        i = bisect_right(self._sentence_starts, start) - 1
        sentence_start, sentence_stop = self._sentence_starts[i], self._sentence_stops[i]
        after, before = end, start
        if ways[0]:  # ahead: to the sentence's end, a terminator, or `reach` words
            first = bisect_left(self._word_starts, end)
            last = min(first + category.reach, len(self._word_ends)) - 1
            reach = self._word_ends[last] if first < len(self._word_starts) else end
            after = min([s for s, _ in stops if s >= end] + [sentence_stop, max(reach, end)])
        if ways[1]:  # behind: to the sentence's start, a terminator, or `reach` words
            done = bisect_right(self._word_ends, start)  # words that end before the trigger
            reach = self._word_starts[max(done - category.reach, 0)] if done else start
            before = max([e for _, e in stops if e <= start] + [sentence_start, min(reach, start)])
        return Modifier(category.name, start, end, before, after)


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in others)


def _longest_first(found: list) -> list:
    """Where triggers overlap, the longest stands (ConText's pruning)."""
    kept: list = []
    for item in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if not _overlaps(item[:2], [k[:2] for k in kept]):
            kept.append(item)
    return kept


# ---------------------------------------------------------------------------- the data

def parse_context(data: object, where: str) -> ContextRules:
    """The `context:` section: `pseudo:` patterns, then one mapping per category with `reach`
    (words), `forward` / `backward` / `both` trigger patterns and `ends_at` terminators."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping of categories (negated, hypothetical, ...)")
    categories = []
    for name, item in data.items():
        if name == "pseudo":
            continue
        here = f"{where}: `{name}`"
        if not isinstance(item, dict):
            raise ConfigError(f"{here}: expected `reach`, `forward`, `backward`, `both`, `ends_at`")
        reach = item.get("reach")
        if not isinstance(reach, int) or reach < 1:
            raise ConfigError(f"{here}: `reach` must be a whole number of words, 1 or more")
        patterns: Mapping[str, re.Pattern | None] = {
            key: _alternation(item.get(key), f"{here}: {key}") for key in ("forward", "backward", "both", "ends_at")}
        if all(patterns[key] is None for key in ("forward", "backward", "both")):
            raise ConfigError(f"{here}: give at least one `forward`, `backward` or `both` trigger")
        categories.append(Category(name=str(name), reach=reach, **patterns))
    if not categories:
        raise ConfigError(f"{where}: name at least one category (negated, hypothetical, historical)")
    return ContextRules(categories=tuple(categories), pseudo=_alternation(data.get("pseudo"), f"{where}: pseudo"))


def _alternation(items: object, where: str) -> re.Pattern | None:
    """A list of patterns as one regex (one scan of the text per list)."""
    if items is None or items == []:
        return None
    if not isinstance(items, list) or not all(isinstance(p, str) and p for p in items):
        raise ConfigError(f"{where}: expected a list of patterns")
    for pattern in items:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}: bad pattern {pattern!r}: {exc}") from exc
    return re.compile("|".join(f"(?:{p})" for p in items))
