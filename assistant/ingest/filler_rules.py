"""knowledge/filler.yaml as frozen dataclasses, checked on load (a PT edits that file, so every
mistake names the file and the key)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.errors import ConfigError
from assistant.schema import TAGS
from assistant.yaml_files import load_staff_yaml

KINDS = TAGS[1:]  # every tag but content


@dataclass(frozen=True)
class FillerKind:
    name: str
    headings: tuple[re.Pattern, ...]
    patterns: tuple[re.Pattern, ...]
    examples: tuple[str, ...]
    trim: tuple[re.Pattern, ...] = ()  # back-references: a leading pointer cut from a sentence
    continues: tuple[re.Pattern, ...] = ()  # a sentence of this kind when the one before it is ("We'll ...")


@dataclass(frozen=True)
class FillerRules:
    kinds: tuple[FillerKind, ...]
    content: tuple[str, ...]  # examples that are answers, however chatty
    similarity: float
    lead: float

    def heading_kind(self, heading: str | None) -> str | None:
        text = (heading or "").strip().lower()
        return next((k.name for k in self.kinds if text and any(p.search(text) for p in k.headings)), None)

    def pattern_kind(self, sentence: str) -> str | None:
        text = sentence.strip().lower()
        return next((k.name for k in self.kinds if any(p.search(text) for p in k.patterns)), None)

    def continued_kind(self, sentence: str, before: str) -> str | None:
        """`before`'s kind when `sentence` carries it on ("Come and see us in Durango. We'll test
        the nerve and build a plan": the pitch goes on, though its second sentence sells nothing)."""
        text = sentence.strip().lower()
        kind = next((k for k in self.kinds if k.name == before), None)
        return before if kind and any(p.search(text) for p in kind.continues) else None

    def trimmed(self, sentence: str) -> str | None:
        """The sentence without a leading back-reference ("Like I said above, ..."), or None."""
        for kind in self.kinds:
            for pattern in kind.trim:
                match = pattern.match(sentence.strip().lower())
                if match:
                    rest = sentence.strip()[match.end():]
                    return rest[:1].upper() + rest[1:]
        return None

    @property
    def examples(self) -> list[tuple[str, str]]:
        """(kind, example) for every kind's examples."""
        return [(k.name, e) for k in self.kinds for e in k.examples]


NO_RULES = FillerRules(kinds=(), content=(), similarity=1.0, lead=1.0)


def load_filler(path: Path) -> FillerRules:
    """The rules in `path`; none at all (nothing is filler) when the file does not exist."""
    path = Path(path)
    if not path.is_file():
        return NO_RULES
    try:
        data = load_staff_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the filler rules {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("kinds"), dict):
        raise ConfigError(f"{path}: expected a `kinds` section")
    meaning = data.get("meaning") or {}
    numbers = [meaning.get("similarity", 0.72), meaning.get("lead", 0.08)]
    if not all(isinstance(n, (int, float)) and 0 <= n <= 1 for n in numbers):
        raise ConfigError(f"{path}: `meaning.similarity` and `meaning.lead` must be numbers between 0 and 1")
    kinds = []
    for name, item in data["kinds"].items():
        where = f"{path}: kinds.{name}"
        if name not in KINDS:
            raise ConfigError(f"{where}: unknown kind; use one of {', '.join(KINDS)}")
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: expected `key: value` lines")
        kinds.append(FillerKind(name=name, headings=_patterns(item, "headings", where),
                                patterns=_patterns(item, "patterns", where),
                                examples=_strings(item.get("examples") or [], f"{where}.examples"),
                                trim=_patterns(item, "trim", where),
                                continues=_patterns(item, "continues", where)))
    return FillerRules(kinds=tuple(kinds), content=_strings(data.get("content") or [], f"{path}: content"),
                       similarity=float(numbers[0]), lead=float(numbers[1]))


def _patterns(item: dict, key: str, where: str) -> tuple[re.Pattern, ...]:
    compiled = []
    for pattern in _strings(item.get(key) or [], f"{where}.{key}"):
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ConfigError(f"{where}.{key}: bad pattern {pattern!r}: {exc}") from exc
    return tuple(compiled)


def _strings(items, where: str) -> tuple[str, ...]:
    if not isinstance(items, list) or not all(isinstance(s, str) and s.strip() for s in items):
        raise ConfigError(f"{where}: expected a list of non-empty texts")
    return tuple(s.strip() for s in items)
