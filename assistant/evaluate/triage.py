"""Measure triage on tests/eval/triage.yaml: confusion matrix, scope results, false alarms.

`evaluate_triage` is pure apart from calling `triager.check`; `format_triage_report` turns its
result into the plain-text table `python -m assistant eval` prints.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol, Sequence

import yaml

from assistant.answer.triage_rules import RED_FLAG_LEVELS
from assistant.errors import ConfigError
from assistant.evaluate.figures import pct, share
from assistant.schema import Triage

LEVELS = (*RED_FLAG_LEVELS, "none")  # rows of the confusion matrix (expected levels)
COLUMNS = (*RED_FLAG_LEVELS, "caution", "none")  # levels given: a caution is neither a catch nor an alarm
GROUPS = ("red_flags", "lookalikes", "scope")
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class Case:
    text: str
    group: str  # "red_flags" | "lookalikes" | "scope" | "narratives"
    level: str  # expected level: emergency | urgent | none
    rules: tuple[str, ...] = ()  # acceptable red-flag rule ids (empty: any)
    scope: str | None = None  # expected scope id for the scope group
    split: str = "dev"
    kind: str | None = None  # narratives: red_flag | everyday | mixed
    id: str | None = None  # narratives: the set's own id, so a miss can be found in the file


class Checks(Protocol):
    def check(self, message: str) -> tuple[Triage, object]: ...


def load_cases(path: Path) -> tuple[Case, ...]:
    data = _read(path)
    return tuple(_case(path, group, i, item, group == "red_flags")
                 for group in GROUPS for i, item in enumerate(data.get(group) or []))


def load_narratives(path: Path) -> tuple[Case, ...]:
    """The `narratives:` of a set like tests/eval/triage_narratives.yaml: every one carries its
    own expected level (red flags, everyday stories and mixed ones alike)."""
    data = _read(path)
    return tuple(_case(path, "narratives", i, item, True) for i, item in enumerate(data.get("narratives") or []))


def _read(path: Path) -> dict:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the triage set {path}: {exc}") from exc


def _case(path: Path, group: str, i: int, item, has_level: bool) -> Case:
    if not isinstance(item, dict) or not item.get("text"):
        raise ConfigError(f"{path}: {group}[{i}] needs a `text`")
    rules = item.get("rule") or ()
    return Case(
        text=str(item["text"]),
        group=group,
        level=item.get("level", "none") if has_level else "none",
        rules=(rules,) if isinstance(rules, str) else tuple(rules),
        scope=item.get("scope"),
        split=item.get("split", "dev"),
        kind=item.get("kind"),
        id=item.get("id"),
    )


def confusion_matrix(pairs: Iterable[tuple[str, str]], levels: Sequence[str],
                     columns: Sequence[str] | None = None) -> dict[str, dict[str, int]]:
    """Pure: (expected, got) level pairs -> {expected: {got: count}}. Rows start as `levels`,
    columns as `columns` (default: the same); a level in neither (a new one the triager learned)
    gets its own row or column, appended, rather than being dropped or crashing the count."""
    pairs = list(pairs)
    rows = dict.fromkeys([*levels, *(want for want, _ in pairs)])  # ordered, no repeats
    columns = dict.fromkeys([*(levels if columns is None else columns), *(got for _, got in pairs)])
    matrix = {want: {got: 0 for got in columns} for want in rows}
    for want, got in pairs:
        matrix[want][got] += 1
    return matrix


def evaluate_triage(triager: Checks, cases: Iterable[Case]) -> dict:
    """Run every case once; figures per split ("dev", "test") and for "all"."""
    outcomes = []
    for case in cases:
        start = time.perf_counter()
        got, _ = triager.check(case.text)
        outcomes.append((case, got, (time.perf_counter() - start) * 1000))
    result = {"splits": {}}
    for split in SPLITS + ("all",):
        chosen = [o for o in outcomes if split == "all" or o[0].split == split]
        if chosen:
            result["splits"][split] = _figures(chosen)
    return result


def _figures(outcomes: list) -> dict:
    confusion = confusion_matrix(((case.level, got.level) for case, got, _ in outcomes
                                  if case.group != "scope"), LEVELS, COLUMNS)
    scope: dict[str, dict[str, int]] = {}
    mistakes = []
    wrong_rule = 0
    wrongly_refused = 0
    for case, got, _ms in outcomes:
        if case.group == "scope":
            row = scope.setdefault(case.scope or "?", {"total": 0, "refused": 0, "right_id": 0})
            row["total"] += 1
            refused = got.scope is not None or got.level != "none"
            row["refused"] += refused
            row["right_id"] += got.scope == case.scope
            if not refused or got.scope != case.scope:
                mistakes.append(_mistake(case, got))
            continue
        if case.group == "red_flags" and got.level == case.level and case.rules and got.rule not in case.rules:
            wrong_rule += 1
            mistakes.append(_mistake(case, got))
        elif got.level != case.level:
            mistakes.append(_mistake(case, got))
        elif case.group == "lookalikes" and got.scope is not None:
            wrongly_refused += 1
            mistakes.append(_mistake(case, got))
    lookalikes = sum(confusion["none"].values())
    false_alarms = sum(confusion["none"][level] for level in RED_FLAG_LEVELS)
    times = sorted(ms for *_, ms in outcomes)
    return {
        "confusion": confusion,
        "recall": {level: share(confusion[level][level], sum(confusion[level].values()))
                   for level in ("emergency", "urgent")},
        # any level below the expected one, including ones added later (caution)
        "emergency_downgraded": sum(n for g, n in confusion["emergency"].items() if g != "emergency"),
        "red_flags_missed": sum(n for want in RED_FLAG_LEVELS for g, n in confusion[want].items()
                                if g not in RED_FLAG_LEVELS),
        "wrong_rule": wrong_rule,
        "lookalikes": lookalikes,
        "false_alarms": false_alarms,
        "false_alarm_rate": share(false_alarms, lookalikes),
        "caution": confusion["none"]["caution"],  # look-alikes given a check line, counted apart
        "wrongly_refused": wrongly_refused,
        "scope": scope,
        "scope_refused_rate": share(sum(r["refused"] for r in scope.values()),
                                     sum(r["total"] for r in scope.values())),
        "mistakes": mistakes,
        "check_ms_median": times[len(times) // 2] if times else 0.0,
    }


def _mistake(case: Case, got: Triage) -> dict:
    expected = case.scope if case.group == "scope" else f"{case.level} {'/'.join(case.rules)}".strip()
    found = got.scope if got.level == "none" and got.scope else f"{got.level} {got.rule or ''}".strip()
    return {"text": case.text, "group": case.group, "split": case.split,
            "expected": expected, "got": found}


def format_triage_report(result: dict) -> str:
    lines = []
    for split, figures in result["splits"].items():
        lines.append(f"Triage — {split} split")
        columns = list(next(iter(figures["confusion"].values()), {}))
        lines.append(f"  {'expected/got':<16}" + "".join(f"{g:>11}" for g in columns))
        for want, row in figures["confusion"].items():
            lines.append(f"  {want:<16}" + "".join(f"{row[g]:>11}" for g in columns))
        recall = figures["recall"]
        lines.append("  recall: " + ", ".join(f"{k} {pct(v)}" for k, v in recall.items())
                     + f"; emergencies downgraded: {figures['emergency_downgraded']}"
                     + f"; right level, other rule: {figures['wrong_rule']}")
        lines.append(f"  false alarms on look-alikes: {figures['false_alarms']}/{figures['lookalikes']}"
                     f" ({pct(figures['false_alarm_rate'])}), caution {figures['caution']}; look-alikes wrongly refused:"
                     f" {figures['wrongly_refused']}")
        lines.append(f"  scope refused: {pct(figures['scope_refused_rate'])}")
        for scope_id, row in sorted(figures["scope"].items()):
            lines.append(f"    {scope_id:<18} refused {row['refused']}/{row['total']},"
                         f" right reason {row['right_id']}/{row['total']}")
        lines.append(f"  median check: {figures['check_ms_median']:.1f} ms (including the embed call)")
        if split != "all":
            for m in figures["mistakes"]:
                lines.append(f"    ✗ [{m['group']}] {m['text']!r}: expected {m['expected']}, got {m['got']}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
