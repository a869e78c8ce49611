"""Retrieval and triage figures on the question sets (the `eval` command).

Retrieval: for each question, the ranked list of distinct articles from BM25 alone, dense
alone and fused; hit@1, hit@3 (the right article among the first three) and MRR per split.
Unanswerable questions (article: null) measure `no_match` precision through the full pipeline.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.answer.retrieve import reciprocal_rank_fusion
from assistant.evaluate.figures import percentile, share


@dataclass(frozen=True)
class Question:
    text: str
    article: str | None
    split: str
    key_phrases: tuple[str, ...] = ()  # verbatim from the article (realistic set): see keyfacts.py
    aspect: str | None = None  # what | why | tell | help | keep_running | how_long | other
    style: str | None = None  # plain | is_it


def load_questions(path: Path) -> list[Question]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return [Question(q["q"], q.get("article"), q.get("split", "dev"), tuple(q.get("key_phrases") or ()),
                     q.get("aspect"), q.get("style"))
            for q in data.get("questions", [])]


def distinct_articles(chunk_ids: list[str], slug_of: dict[str, str]) -> list[str]:
    seen: list[str] = []
    for cid in chunk_ids:
        slug = slug_of.get(cid)
        if slug and slug not in seen:
            seen.append(slug)
    return seen


def rank_metrics(ranked: list[list[str]], expected: list[str]) -> dict:
    """Pure: hit@1, hit@3 and MRR of ranked article lists against the expected articles."""
    n = len(expected) or 1
    hit1 = sum(1 for r, e in zip(ranked, expected) if r[:1] == [e]) / n
    hit3 = sum(1 for r, e in zip(ranked, expected) if e in r[:3]) / n
    mrr = sum(1.0 / (r.index(e) + 1) for r, e in zip(ranked, expected) if e in r) / n
    return {"n": len(expected), "hit@1": round(hit1, 3), "hit@3": round(hit3, 3), "mrr": round(mrr, 3)}


def evaluate_retrieval(assistant, questions: list[Question]) -> dict:
    retriever = assistant.retriever
    slug_of = {cid: chunk.slug for cid, chunk in retriever.chunks.items()}
    answerable = [q for q in questions if q.article]
    vectors = assistant.embedder.embed([q.text for q in answerable])
    per_mode: dict[str, dict[str, tuple[list, list]]] = {}
    misses = []
    for question, vector in zip(answerable, vectors):
        dense, lexical = retriever.rankings(question.text, vector)
        dense_ids, lexical_ids = [c for c, _ in dense], [c for c, _ in lexical]
        fused_ids = [c for c, _ in reciprocal_rank_fusion([dense_ids, lexical_ids], retriever.rrf_k)]
        for mode, ids in (("bm25", lexical_ids), ("dense", dense_ids), ("fused", fused_ids)):
            ranked = distinct_articles(ids, slug_of)
            bucket = per_mode.setdefault(mode, {}).setdefault(question.split, ([], []))
            bucket[0].append(ranked)
            bucket[1].append(question.article)
            if mode == "fused" and question.article not in ranked[:3]:
                misses.append({"q": question.text, "split": question.split, "expected": question.article,
                               "got": ranked[:3]})
    result = {mode: {split: rank_metrics(r, e) for split, (r, e) in sorted(splits.items())}
              for mode, splits in per_mode.items()}
    return {"retrieval": result, "misses": misses}


def evaluate_answers(assistant, questions: list[Question]) -> dict:
    """Through the whole pipeline: statuses, no_match figures, citation hit and answer time."""
    return answer_figures(questions, ask_all(assistant, questions))


def ask_all(assistant, questions: list[Question]) -> list:
    """Each question through the whole pipeline once: its Answer, or None when it was empty.
    The answers feed both these figures and the key-fact ones (keyfacts.py)."""
    from assistant.errors import UsageError

    answers = []
    for question in questions:
        try:
            answers.append(assistant.ask(question.text))
        except UsageError:
            answers.append(None)
    return answers


def answer_figures(questions: list[Question], answers: list) -> dict:
    times, rows = [], {}
    for question, answer in zip(questions, answers):
        if answer is None:
            continue
        times.append(answer.timings_ms["total"])
        row = rows.setdefault(question.split, new_answer_row())
        tally_answer(row, question.article, [c.source for c in answer.citations])
    return {"answers": {split: with_rates(row) for split, row in sorted(rows.items())},
            "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95)}


def new_answer_row() -> dict:
    return {"answerable": 0, "cited_right_first": 0, "cited_right_top3": 0, "answerable_refused": 0,
            "unanswerable": 0, "unanswerable_refused": 0}


def tally_answer(row: dict, expected: str | None, cited_sources: list[str]) -> None:
    """Pure: count one answer. `expected` is the article slug, None for an unanswerable question.
    "Refused" means no citations (no_match, out_of_scope, a bare red flag): nothing from the
    articles was shown."""
    cited = [source.rsplit(".", 1)[0] for source in cited_sources]
    refused = not cited
    if expected:
        row["answerable"] += 1
        row["cited_right_top3"] += expected in cited[:3]
        row["cited_right_first"] += cited[:1] == [expected]
        row["answerable_refused"] += refused
    else:
        row["unanswerable"] += 1
        row["unanswerable_refused"] += refused


def with_rates(row: dict) -> dict:
    """Pure: the shares behind the counts.
    - unanswerable_refused_rate: unanswerable questions that got no citations (the issue's
      "no_match precision": how often "not covered" is said when it should be);
    - no_match_precision: of the questions refused, the share that really were unanswerable;
    - answerable_refused_rate: answerable questions wrongly told "not covered" (recall side)."""
    refused = row["unanswerable_refused"] + row["answerable_refused"]
    return {**row,
            "unanswerable_refused_rate": share(row["unanswerable_refused"], row["unanswerable"]),
            "no_match_precision": share(row["unanswerable_refused"], refused),
            "answerable_refused_rate": share(row["answerable_refused"], row["answerable"]),
            "cited_right_first_rate": share(row["cited_right_first"], row["answerable"])}


def format_report(result: dict) -> str:
    lines = ["Retrieval (distinct articles; hit@k = the expected article among the first k)",
             f"{'mode':<7}{'split':<7}{'n':>5}{'hit@1':>8}{'hit@3':>8}{'MRR':>8}"]
    for mode in ("bm25", "dense", "fused"):
        for split, m in result["retrieval"].get(mode, {}).items():
            lines.append(f"{mode:<7}{split:<7}{m['n']:>5}{m['hit@1']:>8.3f}{m['hit@3']:>8.3f}{m['mrr']:>8.3f}")
    if "answers" in result:
        lines += ["", "Answers through the pipeline (refused = no citations: \"not covered\" or out of scope)",
                  f"{'split':<7}{'answerable':>11}{'right 1st':>10}{'in top 3':>9}{'refused':>8}"
                  f"{'unanswerable':>13}{'refused':>8}{'no_match precision':>19}"]
        for split, row in sorted(result["answers"].items()):
            lines.append(
                f"{split:<7}{row['answerable']:>11}{row['cited_right_first']:>10}{row['cited_right_top3']:>9}"
                f"{row['answerable_refused']:>8}{row['unanswerable']:>13}{row['unanswerable_refused']:>8}"
                f"{_fmt(row['no_match_precision']):>19}")
        lines.append(f"answer time: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms"
                     f" ({result.get('answers_timed', '?')} answers, warm)")
    if result.get("misses"):
        lines.append("")
        lines.append("Fused misses (expected article not in the first 3):")
        for miss in result["misses"]:
            lines.append(f"  [{miss['split']}] {miss['q']!r}: expected {miss['expected']}, got {miss['got']}")
    if "triage" in result:
        from assistant.evaluate.triage import format_triage_report

        lines += ["", format_triage_report(result["triage"])]
    if {"key_facts", "follow_up"} & set(result):
        from assistant.evaluate.answer_report import format_answer_sections

        lines += ["", format_answer_sections(result)]
    if "narratives" in result:
        from assistant.evaluate.narratives import format_narratives

        lines += ["", format_narratives(result["narratives"])]
    if result.get("failed"):
        lines += ["", "FAILED: " + "; ".join(result["failed"])]
    return "\n".join(lines)


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"
