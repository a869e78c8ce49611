"""Answer figures for question sets with key phrases (tests/eval/realistic/questions.yaml).

Pure: the questions and their verdicts (keyfacts.judge) in, one row of figures per split out. The
same row serves the assistant and the single-chunk baseline (baseline.py), so the two compare
like for like.
"""
from __future__ import annotations

from typing import Sequence

from assistant.evaluate.figures import LISTED_SPLITS, count, share
from assistant.evaluate.keyfacts import Reply, Verdict, judge


def judge_all(questions: Sequence, replies: Sequence[Reply | None]) -> list[Verdict | None]:
    return [None if reply is None else judge(q.article, q.key_phrases, reply)
            for q, reply in zip(questions, replies)]


def key_fact_figures(questions: Sequence, verdicts: Sequence[Verdict | None], details: bool = True) -> dict:
    """{split: row}. Questions that could not be asked (empty) have no verdict and are left out.
    `details` adds the question-by-question lists, for the listed (dev) splits only."""
    by_split: dict[str, list] = {}
    for question, verdict in zip(questions, verdicts):
        if verdict is not None:
            by_split.setdefault(question.split, []).append((question, verdict))
    return {split: key_fact_row(pairs, details and split in LISTED_SPLITS)
            for split, pairs in sorted(by_split.items())}


def key_fact_row(pairs: list, listed: bool) -> dict:
    """- key fact: the expected article cited first and at least half its key phrases quoted;
    - refused: no citations at all (said "not covered", out of scope, a bare red flag);
    - uncovered (article null): answered `no_match`, and refused in any way;
    - is_it: "is it X?" questions the articles answer, which must not be refused as diagnoses;
    - second article: of the answerable questions answered, those citing two or more articles,
      and of those, the ones where the addition was right (keyfacts.second_article_right).
      Uncovered questions are left out here: any article there is already counted wrong."""
    answerable = [(q, v) for q, v in pairs if q.article]
    uncovered = [(q, v) for q, v in pairs if not q.article]
    answered = [(q, v) for q, v in answerable if not v.refused]
    two = [(q, v) for q, v in answered if v.second_right is not None]
    is_it = [(q, v) for q, v in answerable if q.style == "is_it"]
    key_fact = count(answerable, lambda p: p[1].key_fact)
    right_first = count(answerable, lambda p: p[1].right_first)
    refused = count(answerable, lambda p: p[1].refused)
    no_match = count(uncovered, lambda p: p[1].no_match)
    uncovered_refused = count(uncovered, lambda p: p[1].refused)
    second_right = count(two, lambda p: p[1].second_right)
    row = {
        "answerable": len(answerable),
        "key_fact": key_fact, "key_fact_rate": share(key_fact, len(answerable)),
        "right_first": right_first, "right_first_rate": share(right_first, len(answerable)),
        "answerable_refused": refused, "answerable_refused_rate": share(refused, len(answerable)),
        "uncovered": len(uncovered),
        "uncovered_no_match": no_match, "uncovered_no_match_rate": share(no_match, len(uncovered)),
        "uncovered_refused": uncovered_refused,
        "uncovered_refused_rate": share(uncovered_refused, len(uncovered)),
        "is_it": len(is_it), "is_it_refused": count(is_it, lambda p: p[1].refused),
        "answered": len(answered),
        "two_articles": len(two), "two_articles_rate": share(len(two), len(answered)),
        "second_right": second_right, "second_right_rate": share(second_right, len(two)),
        "by_aspect": by_aspect(answerable),
    }
    if listed:
        row["is_it_refused_questions"] = [q.text for q, v in is_it if v.refused]
        row["misses"] = [miss(q, v) for q, v in pairs if (not v.key_fact if q.article else not v.refused)]
    return row


def by_aspect(answerable: list) -> dict:
    """Key-fact rate per `aspect` ("how_long", "keep_running", ...), in name order."""
    groups: dict[str, list] = {}
    for question, verdict in answerable:
        groups.setdefault(question.aspect or "?", []).append(verdict)
    return {aspect: {"n": len(vs), "key_fact": count(vs, lambda v: v.key_fact),
                     "key_fact_rate": share(count(vs, lambda v: v.key_fact), len(vs))}
            for aspect, vs in sorted(groups.items())}


def miss(question, verdict: Verdict) -> dict:
    """One wrong answer: an answerable question without its key fact, or an uncovered one that
    was answered anyway (expected null)."""
    return {"q": question.text, "expected": question.article, "cited": list(verdict.cited),
            "missing": list(verdict.missing)}
