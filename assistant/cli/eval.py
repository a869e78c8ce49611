"""`python -m assistant eval`: the parser, its thresholds and the run; the measurements live in
assistant/evaluate/."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import yaml

DEFAULT_SETS = ("tests/eval/questions.yaml", "tests/eval/triage.yaml")


def add_eval_parser(commands) -> None:
    ev = commands.add_parser("eval", help="measure retrieval and triage on the question sets",
                             description="Measure retrieval (hit@1, hit@3, MRR), answers (key facts,"
                                         " follow-ups) and triage on the question sets.")
    ev.add_argument("--store", metavar="DIR", help="store folder (default: data/chroma/)")
    ev.add_argument("--knowledge", metavar="DIR", help="folder with clinic.yaml and triage.yaml")
    ev.add_argument("--questions", metavar="FILE", action="append",
                    help="question set, repeatable: questions (with key_phrases: key-fact figures and"
                         " a single-chunk baseline), conversations, triage cases or narratives"
                         " (default: tests/eval/questions.yaml and tests/eval/triage.yaml)")
    ev.add_argument("--json", action="store_true", help="print the figures as JSON")
    gates = ev.add_argument_group("thresholds (exit 1 when any is missed on any split; for CI)")
    gates.add_argument("--min-hit3", type=float, help="fused retrieval hit@3, e.g. 0.95")
    gates.add_argument("--min-mrr", type=float, help="fused retrieval MRR")
    gates.add_argument("--min-triage-recall", type=float, help="emergency and urgent red-flag recall, e.g. 1.0")
    gates.add_argument("--max-false-alarm-rate", type=float, help="share of look-alikes raised as red flags")
    gates.add_argument("--min-unanswerable-refused", type=float,
                       help="share of unanswerable questions given no citations")
    gates.add_argument("--max-answerable-refused", type=float,
                       help="share of answerable questions given no citations")
    gates.add_argument("--max-p95-ms", type=float, help="answer time p95 through the pipeline")
    gates.add_argument("--min-key-facts", type=float,
                       help="share of answerable questions with the right article first and its key phrases")
    gates.add_argument("--min-uncovered-no-match", type=float,
                       help="share of uncovered questions (article null) answered no_match")
    gates.add_argument("--min-follow-up", type=float,
                       help="share of follow-ups citing the expected article first")


def run_eval(args) -> int:
    from assistant.answer.pipeline import Assistant
    from assistant.config import ROOT, Settings, go_offline
    from assistant.errors import AssistantError
    from assistant.evaluate.gates import Thresholds, failed_gates
    from assistant.evaluate.retrieval import format_report

    go_offline()
    settings = Settings.from_env(store_dir=args.store, knowledge_dir=args.knowledge)
    paths = [Path(p) for p in (args.questions or [ROOT / s for s in DEFAULT_SETS])]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"error: no question set at {missing[0]}", file=sys.stderr)
        return 2
    try:
        assistant = Assistant.from_settings(settings)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    result: dict = {"retrieval": {}, "misses": []}
    started = time.perf_counter()
    measure(assistant, sets_by_kind(paths), result)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["failed"] = failed_gates(result, Thresholds(
        min_hit3=args.min_hit3, min_mrr=args.min_mrr, min_triage_recall=args.min_triage_recall,
        max_false_alarm_rate=args.max_false_alarm_rate,
        min_unanswerable_refused=args.min_unanswerable_refused,
        max_answerable_refused=args.max_answerable_refused, max_p95_ms=args.max_p95_ms,
        min_key_facts=args.min_key_facts, min_uncovered_no_match=args.min_uncovered_no_match,
        min_follow_up=args.min_follow_up))
    print(json.dumps(result, indent=1, default=str) if args.json else format_report(result))
    return 1 if result["failed"] else 0


KINDS = {"questions": ("questions",), "conversations": ("conversations",), "narratives": ("narratives",),
         "triage": ("red_flags", "lookalikes", "scope")}  # a set's kind, by its top-level keys


def sets_by_kind(paths: list[Path]) -> dict[str, list[Path]]:
    """The files of each kind, in the order given. Two files of one kind are measured as one set
    (their entries joined, each keeping its split), not the last one replacing the first."""
    kinds: dict[str, list[Path]] = {}
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for kind, keys in KINDS.items():
            if set(keys) & set(data):
                kinds.setdefault(kind, []).append(path)
    return kinds


def measure(assistant, kinds: dict[str, list[Path]], result: dict) -> None:
    """Add the figures each kind of set calls for to `result`."""
    from assistant.evaluate import retrieval

    if "questions" in kinds:
        questions = [q for path in kinds["questions"] for q in retrieval.load_questions(path)]
        result.update(retrieval.evaluate_retrieval(assistant, questions))
        assistant.ask(questions[0].text)  # warm-up, so p50/p95 are warm answer times
        answers = retrieval.ask_all(assistant, questions)
        result.update(retrieval.answer_figures(questions, answers))
        result["answers_timed"] = len(questions)
        if any(q.key_phrases for q in questions):
            from assistant.evaluate.answers import judge_all, key_fact_figures
            from assistant.evaluate.baseline import evaluate_baseline
            from assistant.evaluate.figures import LISTED_SPLITS
            from assistant.evaluate.keyfacts import reply_from_answer

            # A set with key phrases holds its test split back: no question-by-question lines.
            result["misses"] = [m for m in result["misses"] if m["split"] in LISTED_SPLITS]
            replies = [None if a is None else reply_from_answer(a) for a in answers]
            result["key_facts"] = key_fact_figures(questions, judge_all(questions, replies))
            result["baseline"] = evaluate_baseline(assistant, questions)
    if "conversations" in kinds:
        from assistant.evaluate.conversations import (
            evaluate_conversations,
            load_conversations,
        )

        result["follow_up"] = evaluate_conversations(
            assistant, [c for path in kinds["conversations"] for c in load_conversations(path)])
    if "narratives" in kinds:
        from assistant.evaluate.narratives import evaluate_narratives
        from assistant.evaluate.triage import load_narratives

        result["narratives"] = evaluate_narratives(
            assistant.triager, tuple(c for path in kinds["narratives"] for c in load_narratives(path)))
    if "triage" in kinds:
        from assistant.evaluate.triage import evaluate_triage, load_cases

        result["triage"] = evaluate_triage(
            assistant.triager, tuple(c for path in kinds["triage"] for c in load_cases(path)))
