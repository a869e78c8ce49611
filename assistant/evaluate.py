"""Retrieval and triage figures on the question sets (the `eval` command).

Retrieval: for each question, the ranked list of distinct articles from BM25 alone, dense
alone and fused; hit@1, hit@3 (the right article among the first three) and MRR per split.
Unanswerable questions (article: null) measure `no_match` precision through the full pipeline.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from .retrieve import reciprocal_rank_fusion

DEFAULT_SETS = ("tests/eval/questions.yaml", "tests/eval/triage.yaml")


@dataclass(frozen=True)
class Question:
    text: str
    article: str | None
    split: str


def load_questions(path: Path) -> list[Question]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return [Question(q["q"], q.get("article"), q.get("split", "dev")) for q in data.get("questions", [])]


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
    """Through the whole pipeline: statuses, no_match precision, citation hit and answer time."""
    from .errors import UsageError

    times, rows = [], {}
    for question in questions:
        try:
            answer = assistant.ask(question.text)
        except UsageError:
            continue
        times.append(answer.timings_ms["total"])
        row = rows.setdefault(question.split, {"answerable": 0, "cited_right_first": 0,
                                               "cited_right_top3": 0, "unanswerable": 0,
                                               "no_match_right": 0, "no_match_wrong": 0})
        cited = [c.source.rsplit(".", 1)[0] for c in answer.citations]
        if question.article:
            row["answerable"] += 1
            row["cited_right_top3"] += question.article in cited[:3]
            row["cited_right_first"] += cited[:1] == [question.article]
            row["no_match_wrong"] += answer.status == "no_match"
        else:
            row["unanswerable"] += 1
            row["no_match_right"] += not answer.citations
    times.sort()
    return {"answers": rows, "p50_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1) if times else None}


def format_report(result: dict) -> str:
    lines = ["Retrieval (distinct articles; hit@k = the expected article among the first k)",
             f"{'mode':<7}{'split':<7}{'n':>5}{'hit@1':>8}{'hit@3':>8}{'MRR':>8}"]
    for mode in ("bm25", "dense", "fused"):
        for split, m in result["retrieval"].get(mode, {}).items():
            lines.append(f"{mode:<7}{split:<7}{m['n']:>5}{m['hit@1']:>8.3f}{m['hit@3']:>8.3f}{m['mrr']:>8.3f}")
    if "answers" in result:
        lines.append("")
        lines.append("Answers through the pipeline")
        for split, row in sorted(result["answers"].items()):
            lines.append(
                f"  {split}: right article cited first {row['cited_right_first']}/{row['answerable']}, "
                f"in first 3 citations {row['cited_right_top3']}/{row['answerable']}, "
                f"wrongly 'not covered' {row['no_match_wrong']}, "
                f"unanswerable with no citations {row['no_match_right']}/{row['unanswerable']}")
        lines.append(f"  answer time p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms")
    if result.get("misses"):
        lines.append("")
        lines.append("Fused misses (expected article not in the first 3):")
        for miss in result["misses"]:
            lines.append(f"  [{miss['split']}] {miss['q']!r}: expected {miss['expected']}, got {miss['got']}")
    if "triage_report" in result:
        lines += ["", result["triage_report"]]
    return "\n".join(lines)


def main(args) -> int:
    from .config import ROOT, Settings, go_offline
    from .errors import AssistantError
    from .pipeline import Assistant

    go_offline()
    settings = Settings.from_env(store_dir=args.store, knowledge_dir=args.knowledge)
    paths = [Path(p) for p in (args.questions or [ROOT / s for s in DEFAULT_SETS])]
    try:
        assistant = Assistant.from_settings(settings)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    result: dict = {"retrieval": {}, "misses": []}
    started = time.perf_counter()
    for path in paths:
        if not path.is_file():
            print(f"error: no question set at {path}", file=sys.stderr)
            return 2
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "questions" in data:
            questions = load_questions(path)
            result.update(evaluate_retrieval(assistant, questions))
            result.update(evaluate_answers(assistant, questions))
        if {"red_flags", "lookalikes", "scope"} & set(data):
            from .triage_eval import evaluate_triage, format_triage_report, load_cases

            triage_result = evaluate_triage(assistant.triager, load_cases(path))
            result["triage"] = triage_result
            result["triage_report"] = format_triage_report(triage_result)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, indent=1, default=str) if args.json else format_report(result))
    if args.min_hit3 is not None:
        fused = result["retrieval"].get("fused", {})
        if any(m["hit@3"] < args.min_hit3 for m in fused.values()):
            return 1
    return 0
