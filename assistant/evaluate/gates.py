"""Thresholds for `python -m assistant eval`: which figures fell short (pure, so CI can gate).

Each gate reads the result dict that `eval` builds (cli/eval.py) and names every split that missed, so
the failure message says exactly what to look at.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    min_hit3: float | None = None  # fused hit@3, every split
    min_mrr: float | None = None  # fused MRR, every split
    min_triage_recall: float | None = None  # emergency and urgent recall, every split
    max_false_alarm_rate: float | None = None  # look-alikes raised as red flags, every split
    min_unanswerable_refused: float | None = None  # unanswerable questions given no citations
    max_answerable_refused: float | None = None  # answerable questions told "not covered"
    max_p95_ms: float | None = None  # answer time through the pipeline
    min_key_facts: float | None = None  # right article first with its key phrases (realistic set)
    min_uncovered_no_match: float | None = None  # uncovered questions answered `no_match`
    min_follow_up: float | None = None  # follow-ups citing the expected article first


def failed_gates(result: dict, limits: Thresholds) -> list[str]:
    """Human-readable reasons, empty when every given threshold is met."""
    failures: list[str] = []

    def below(name: str, value, floor) -> None:
        if floor is not None and value is not None and value < floor:
            failures.append(f"{name} {value:.3f} < {floor}")

    def above(name: str, value, ceiling) -> None:
        if ceiling is not None and value is not None and value > ceiling:
            failures.append(f"{name} {value:.3f} > {ceiling}")

    for split, m in result.get("retrieval", {}).get("fused", {}).items():
        below(f"fused hit@3 [{split}]", m["hit@3"], limits.min_hit3)
        below(f"fused MRR [{split}]", m["mrr"], limits.min_mrr)
    for split, row in result.get("answers", {}).items():
        below(f"unanswerable refused [{split}]", row.get("unanswerable_refused_rate"),
              limits.min_unanswerable_refused)
        above(f"answerable refused [{split}]", row.get("answerable_refused_rate"),
              limits.max_answerable_refused)
    above("answer p95 ms", result.get("p95_ms"), limits.max_p95_ms)
    for split, row in result.get("key_facts", {}).items():
        below(f"key facts [{split}]", row["key_fact_rate"], limits.min_key_facts)
        below(f"uncovered no_match [{split}]", row["uncovered_no_match_rate"], limits.min_uncovered_no_match)
    for split, row in result.get("follow_up", {}).items():
        below(f"follow-up right first [{split}]", row["right_first_rate"], limits.min_follow_up)
    for split, figures in result.get("triage", {}).get("splits", {}).items():
        if split == "all":
            continue
        for level, value in figures["recall"].items():
            below(f"triage {level} recall [{split}]", value, limits.min_triage_recall)
        above(f"triage false-alarm rate [{split}]", figures["false_alarm_rate"], limits.max_false_alarm_rate)
    return failures
