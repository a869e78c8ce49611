"""Triage on runners' own stories (tests/eval/triage_narratives.yaml, issue 13).

Pure apart from `triager.check`: per split, the confusion by level, each rule's catches, recall
and false alarms by message length and by kind. A red flag counts as caught when the level given
is the expected one or higher (an urgent sign raised as an emergency still sends the runner to
help); `caution` (a check line leading an ordinary answer) is not a catch and not a false alarm,
so it is counted on its own.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from assistant.evaluate.figures import LISTED_SPLITS, count, pct, share
from assistant.evaluate.triage import Case, Checks, confusion_matrix
from assistant.schema import Triage

ROWS = ("emergency", "urgent", "none")  # expected levels: nothing is expected at caution
COLUMNS = ("emergency", "urgent", "caution", "none")  # levels given
RANK = {"none": 0, "caution": 1, "urgent": 2, "emergency": 3}  # a level the triager adds later ranks as none
RED_FLAGS = ("emergency", "urgent")
SPLITS = ("dev", "test")
# Short messages name the sign; long stories bury it in training details (the set's header).
LENGTHS = (("<=20", 20), ("21-60", 60), (">60", None))


def length_bucket(text: str) -> str:
    words = len(text.split())
    return next(name for name, most in LENGTHS if most is None or words <= most)


def caught(expected: str, got: str) -> bool:
    return RANK.get(got, 0) >= RANK.get(expected, 0)


def evaluate_narratives(triager: Checks, cases: Iterable[Case]) -> dict:
    outcomes = [(case, triager.check(case.text)[0]) for case in cases]
    return narrative_figures(outcomes)


def narrative_figures(outcomes: Sequence[tuple[Case, Triage]]) -> dict:
    """{split: figures} for the splits present, dev then test."""
    return {split: _figures([o for o in outcomes if o[0].split == split], split in LISTED_SPLITS)
            for split in SPLITS if any(case.split == split for case, _ in outcomes)}


def _figures(outcomes: list, listed: bool) -> dict:
    figures = {
        "confusion": confusion_matrix(((c.level, got.level) for c, got in outcomes), ROWS, COLUMNS),
        **tally(outcomes),
        "by_rule": by_rule(outcomes),
        "by_length": {name: tally([o for o in outcomes if length_bucket(o[0].text) == name])
                      for name, _ in LENGTHS},
        "by_kind": {kind: tally([o for o in outcomes if o[0].kind == kind])
                    for kind in dict.fromkeys(c.kind or "?" for c, _ in outcomes)},
    }
    if listed:
        figures["misses"] = [_line(c, got) for c, got in outcomes
                             if c.level in RED_FLAGS and not caught(c.level, got.level)]
        figures["false_alarm_list"] = [_line(c, got) for c, got in outcomes
                                       if c.level == "none" and got.level in RED_FLAGS]
    return figures


def tally(outcomes: Sequence[tuple[Case, Triage]]) -> dict:
    """Recall per red-flag level (right level or higher) and false alarms (expected none, got
    urgent or emergency) with the cautions on expected-none messages beside them."""
    flagged = [(c, g) for c, g in outcomes if c.level in RED_FLAGS]
    calm = [g for c, g in outcomes if c.level == "none"]
    alarms = count(calm, lambda g: g.level in RED_FLAGS)

    def caught_of(pairs) -> int:
        return count(pairs, lambda p: caught(p[0].level, p[1].level))
    recall = {level: share(caught_of([p for p in flagged if p[0].level == level]),
                           count(flagged, lambda p: p[0].level == level)) for level in RED_FLAGS}
    return {"n": len(outcomes), "red_flags": len(flagged), "caught": caught_of(flagged), "recall": recall,
            "expected_none": len(calm), "false_alarms": alarms, "false_alarm_rate": share(alarms, len(calm)),
            "caution": count(calm, lambda g: g.level == "caution"),
            # levels the learned net gave (raised or cautioned) where the rules saw no red flag
            "by_net": count(outcomes, lambda o: getattr(o[1], "by_net", False))}


def by_rule(outcomes: Sequence[tuple[Case, Triage]]) -> dict:
    """For each expected rule: n, caught (right level or higher), missed, and caught by another
    rule. A story with two equally right rules counts under each of them."""
    rows: dict[str, dict] = {}
    for case, got in outcomes:
        if case.level not in RED_FLAGS:
            continue
        for rule in case.rules or ("?",):
            row = rows.setdefault(rule, {"level": case.level, "n": 0, "caught": 0, "missed": 0, "other_rule": 0})
            row["n"] += 1
            hit = caught(case.level, got.level)
            row["caught"] += hit
            row["missed"] += not hit
            row["other_rule"] += hit and bool(case.rules) and got.rule not in case.rules
    return dict(sorted(rows.items(), key=lambda item: (-RANK.get(item[1]["level"], 0), item[0])))


def _line(case: Case, got: Triage) -> dict:
    return {"id": case.id, "kind": case.kind, "text": case.text,
            "expected": f"{case.level} {'/'.join(case.rules)}".strip(),
            "got": f"{got.level} {got.rule or ''}".strip()}


def format_narratives(result: dict) -> str:
    lines: list[str] = []
    for split, figures in result.items():
        columns = list(next(iter(figures["confusion"].values()), {}))
        lines += [f"Triage narratives — {split} split (caught = the expected level or higher)",
                  f"  {'expected/got':<16}" + "".join(f"{g:>11}" for g in columns)]
        lines += [f"  {want:<16}" + "".join(f"{row[g]:>11}" for g in columns)
                  for want, row in figures["confusion"].items()]
        lines.append(f"  recall: {_recall(figures)}; false alarms {figures['false_alarms']}/{figures['expected_none']}"
                     f" ({pct(figures['false_alarm_rate'])}), caution {figures['caution']};"
                     f" levels given by the learned net {figures['by_net']}")
        lines.append(f"  {'by rule':<26}{'n':>5}{'caught':>8}{'missed':>8}{'other rule':>12}")
        lines += [f"    {rule:<24}{row['n']:>5}{row['caught']:>8}{row['missed']:>8}{row['other_rule']:>12}"
                  for rule, row in figures["by_rule"].items()]
        for title, groups in (("by length (words)", figures["by_length"]), ("by kind", figures["by_kind"])):
            lines.append(f"  {title}")
            lines += [f"    {name:<12}{_recall(row)}; false alarms {row['false_alarms']}/{row['expected_none']},"
                      f" caution {row['caution']}" for name, row in groups.items()]
        for mark, key in (("✗ missed", "misses"), ("! false alarm", "false_alarm_list")):
            lines += [f"    {mark} [{m['id']}] {_short(m['text'])!r}: expected {m['expected']}, got {m['got']}"
                      for m in figures.get(key, [])]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _short(text: str, most: int = 100) -> str:
    """Stories run long; the id finds the whole one in the set (and the JSON has it)."""
    return text if len(text) <= most else text[:most].rsplit(" ", 1)[0] + " …"


def _recall(row: dict) -> str:
    return ", ".join(f"{level} {pct(value)}" for level, value in row["recall"].items()) + \
        f" ({row['caught']}/{row['red_flags']} caught)"
