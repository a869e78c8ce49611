"""The triage rules file (knowledge/triage.yaml) as frozen dataclasses, checked on load.

A PT edits that file, so every mistake is reported with where it is and what to fix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import yaml

from assistant.answer.context import ContextRules, parse_context
from assistant.errors import ConfigError
from assistant.yaml_files import load_staff_yaml

RED_FLAG_LEVELS = ("emergency", "urgent")  # highest first
SPELLING_MIN_LENGTH = 5


@dataclass(frozen=True)
class Trigger:
    """One `when` line: every sign in `needs` present, none of `unless`."""

    needs: tuple[str, ...]
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    level: str  # "emergency" | "urgent" for red flags; "scope" for scope rules
    description: str
    triggers: tuple[Trigger, ...]
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]
    meaning_alone: bool = False  # may fire on meaning without one of its own signs (off_topic)
    confirm_with: tuple[str, ...] = ()  # looser signs that confirm a meaning match, never fire alone
    caution: tuple[Trigger, ...] = ()  # possible warning signs: the reply leads with the rule's check line


@dataclass(frozen=True)
class Tier:
    """Fire when a clause is `similarity` close to a rule's examples and `lead` closer than the
    nearest look-alike."""

    similarity: float
    lead: float


@dataclass(frozen=True)
class Semantic:
    red_flags: tuple[Tier, ...]  # meaning confirmed by one of the rule's own warning signs
    scope: tuple[Tier, ...]
    unconfirmed: tuple[Tier, ...] = ()  # meaning with no such sign in the clause (empty: never)
    caution: tuple[Tier, ...] = ()  # meaning with no such sign: a caution, not a red flag (empty: never)


@dataclass(frozen=True)
class Rules:
    signs: Mapping[str, tuple[re.Pattern, ...]]
    red_flags: tuple[Rule, ...]  # emergency rules first, then urgent; file order within a level
    scope: tuple[Rule, ...]  # file order is priority order
    everyday: tuple[str, ...]  # look-alikes shared by every red flag
    in_scope: tuple[str, ...]  # look-alikes shared by every scope rule
    semantic: Semantic
    context: ContextRules  # which mentions of a sign don't count (negated, hypothetical, historical)
    spelling: Mapping[str, str]  # a word and its one-deletion variants -> the word
    chat_spelling: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # "nite" -> "night": too short for `spelling`
    context_signs: frozenset[str] = frozenset()  # where/when signs that confirm no meaning match
    # Signs only scope rules use are asked, not reported ("should I get a cortisone shot",
    # "ignore all previous instructions"): ConText's denials and hypotheticals don't apply.
    asked_signs: frozenset[str] = frozenset()
    nearby_unless: frozenset[str] = frozenset()  # `unless` signs read only in the clause of a needed sign
    lasting_signs: frozenset[str] = frozenset()  # risk factors a date does not cancel ("a stent two years ago")

    @property
    def all_rules(self) -> tuple[Rule, ...]:
        return self.red_flags + self.scope

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.all_rules)


def load_rules(path: Path) -> Rules:
    try:
        data = load_staff_yaml(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the triage rules {path}: {exc}") from exc
    return parse_rules(data, str(path))


def parse_rules(data: object, where: str = "triage rules") -> Rules:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping with signs, red_flags and scope")
    for key in ("signs", "red_flags", "scope", "semantic", "context"):
        if key not in data:
            raise ConfigError(f"{where}: missing the `{key}` section")
    signs = {name: _patterns(patterns, f"{where}: sign `{name}`")
             for name, patterns in _mapping(data["signs"], f"{where}: signs").items()}
    red_flags = [_rule(item, i, signs, f"{where}: red_flags", red_flag=True)
                 for i, item in enumerate(_list(data["red_flags"], f"{where}: red_flags"))]
    scope = [_rule(item, i, signs, f"{where}: scope", red_flag=False)
             for i, item in enumerate(_list(data["scope"], f"{where}: scope"))]
    ids = [rule.id for rule in red_flags + scope]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(f"{where}: rule ids must be unique; repeated: {', '.join(duplicates)}")
    red_flags.sort(key=lambda rule: RED_FLAG_LEVELS.index(rule.level))  # stable: file order within a level
    return Rules(
        signs=MappingProxyType(signs),
        red_flags=tuple(red_flags),
        scope=tuple(scope),
        everyday=_strings(data.get("everyday", []), f"{where}: everyday"),
        in_scope=_strings(data.get("in_scope", []), f"{where}: in_scope"),
        semantic=_semantic(data["semantic"], f"{where}: semantic"),
        context=parse_context(data["context"], f"{where}: context"),
        spelling=MappingProxyType(_spelling(data.get("spelling", []), f"{where}: spelling")
                                  | _real_words(data.get("real_words", []), f"{where}: real_words")),
        chat_spelling=MappingProxyType(_chat_spelling(data.get("chat_spelling", {}), f"{where}: chat_spelling")),
        context_signs=_context_signs(data.get("context_signs", []), signs, f"{where}: context_signs"),
        asked_signs=frozenset(_signs_of(scope)) - frozenset(_signs_of(red_flags)),
        nearby_unless=_context_signs(data.get("nearby_unless", []), signs, f"{where}: nearby_unless"),
        lasting_signs=_context_signs(data.get("lasting_signs", []), signs, f"{where}: lasting_signs"),
    )


def _signs_of(rules: list[Rule]) -> set[str]:
    return {sign for rule in rules for trigger in rule.triggers + rule.caution
            for sign in trigger.needs + trigger.unless} | {s for rule in rules for s in rule.confirm_with}


def _rule(item: object, index: int, signs: dict, where: str, red_flag: bool) -> Rule:
    item = _mapping(item, f"{where}[{index}]")
    rule_id = item.get("id")
    if not isinstance(rule_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", rule_id):
        raise ConfigError(f"{where}[{index}]: `id` must be a lower-case name like chest_pain")
    where = f"{where} `{rule_id}`"
    level = item.get("level", "scope" if not red_flag else None)
    if red_flag and level not in RED_FLAG_LEVELS:
        raise ConfigError(f"{where}: `level` must be emergency or urgent, not {level!r}")
    triggers = tuple(_trigger(line, signs, where) for line in _list(item.get("when", []), f"{where}: when"))
    caution = tuple(_trigger(line, signs, where) for line in _list(item.get("caution") or [], f"{where}: caution"))
    if caution and not red_flag:
        raise ConfigError(f"{where}: only red-flag rules have `caution` lines")
    examples = _strings(item.get("examples", []), f"{where}: examples")
    meaning_alone = item.get("meaning_alone", False)
    if not isinstance(meaning_alone, bool):
        raise ConfigError(f"{where}: `meaning_alone` must be yes or no")
    confirm_with = tuple(_strings(item.get("confirm_with") or [], f"{where}: confirm_with"))
    for sign in confirm_with:
        if sign not in signs:
            raise ConfigError(f"{where}: unknown sign `{sign}` in confirm_with")
    if not triggers and not examples:
        raise ConfigError(f"{where}: give at least one `when` line or one example")
    return Rule(
        id=rule_id,
        level=level,
        description=str(item.get("description", "")).strip(),
        triggers=triggers,
        examples=examples,
        not_examples=_strings(item.get("not_examples") or [], f"{where}: not_examples"),
        meaning_alone=meaning_alone or not (triggers or confirm_with),  # nothing to confirm with
        confirm_with=confirm_with,
        caution=caution,
    )


def _trigger(line: object, signs: dict, where: str) -> Trigger:
    """'a + b unless c, d' -> Trigger(needs=(a, b), unless=(c, d))."""
    if not isinstance(line, str) or not line.strip():
        raise ConfigError(f"{where}: each `when` line is text like 'dark_urine + severe_muscle'")
    needs_text, _, unless_text = line.partition(" unless ")
    needs = tuple(s.strip() for s in needs_text.split("+") if s.strip())
    unless = tuple(s.strip() for s in unless_text.split(",") if s.strip())
    for sign in needs + unless:
        if sign not in signs:
            raise ConfigError(f"{where}: unknown sign `{sign}` in when line {line!r}")
    if not needs:
        raise ConfigError(f"{where}: when line {line!r} names no sign")
    return Trigger(needs=needs, unless=unless)


def _semantic(item: object, where: str) -> Semantic:
    item = _mapping(item, where)
    tiers = {key: _tiers(item.get(key), f"{where}: {key}") for key in ("red_flags", "scope")}
    return Semantic(**tiers, unconfirmed=_tiers(item.get("unconfirmed", []), f"{where}: unconfirmed"),
                    caution=_tiers(item.get("caution", []), f"{where}: caution"))


def _context_signs(names: object, signs: dict, where: str) -> frozenset[str]:
    names = _strings(names, where)
    unknown = [name for name in names if name not in signs]
    if unknown:
        raise ConfigError(f"{where}: unknown sign(s) {', '.join(unknown)}")
    return frozenset(names)


def _tiers(items: object, where: str) -> tuple[Tier, ...]:
    tiers = []
    for tier in _list(items, where):
        tier = _mapping(tier, where)
        values = [tier.get("similarity"), tier.get("lead")]
        if not all(isinstance(v, (int, float)) and -1.0 <= v <= 1.0 for v in values):
            raise ConfigError(f"{where}: each line needs `similarity` and `lead`, numbers between -1 and 1")
        tiers.append(Tier(float(values[0]), float(values[1])))
    return tuple(tiers)


def _spelling(words: object, where: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for word in _strings(words, where):
        word = word.lower()
        if len(word) < SPELLING_MIN_LENGTH:
            continue  # short words have too many real neighbours
        index[word] = word
        for i in range(len(word)):
            index.setdefault(word[:i] + word[i + 1:], word)
    for word in _strings(words, where):  # a real key word is never "corrected" to another
        index[word.lower()] = word.lower()
    return index


def _real_words(items: object, where: str) -> dict[str, str]:
    """Real words the model's vocabulary splits ("fizzy"), so `is_word` can't vouch for them: each
    maps to itself, which `spelling` reads as "never corrected" (round 21 read "fizzy" as "dizzy")."""
    return {word.lower(): word.lower() for word in _strings(items, where)}


def _chat_spelling(items: object, where: str) -> dict[str, str]:
    pairs = _mapping(items, where)
    if not all(isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip() for k, v in pairs.items()):
        raise ConfigError(f"{where}: each line is `chat spelling: word`, e.g. `nite: night`")
    return {k.strip().lower(): v.strip().lower() for k, v in pairs.items()}


def _patterns(items: object, where: str) -> tuple[re.Pattern, ...]:
    return tuple(_compile(p, where) for p in _list(items, where))


def _compile(pattern: object, where: str) -> re.Pattern:
    if not isinstance(pattern, str) or not pattern:
        raise ConfigError(f"{where}: a pattern must be non-empty text")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"{where}: bad pattern {pattern!r}: {exc}") from exc


def _strings(items: object, where: str) -> tuple[str, ...]:
    items = _list(items, where)
    if not all(isinstance(s, str) and s.strip() for s in items):
        raise ConfigError(f"{where}: every entry must be non-empty text")
    return tuple(s.strip() for s in items)


def _list(items: object, where: str) -> list:
    if not isinstance(items, list):
        raise ConfigError(f"{where}: expected a list")
    return items


def _mapping(item: object, where: str) -> dict:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected a mapping (key: value lines)")
    return item
