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
                             description="Measure retrieval (hit@1, hit@3, MRR) and triage on the question sets.")
    ev.add_argument("--store", metavar="DIR", help="store folder (default: data/chroma/)")
    ev.add_argument("--knowledge", metavar="DIR", help="folder with clinic.yaml and triage.yaml")
    ev.add_argument("--questions", metavar="FILE", action="append",
                    help="question set (default: tests/eval/questions.yaml and tests/eval/triage.yaml)")
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


def run_eval(args) -> int:
    from assistant.answer.pipeline import Assistant
    from assistant.config import ROOT, Settings, go_offline
    from assistant.errors import AssistantError
    from assistant.evaluate.gates import Thresholds, failed_gates
    from assistant.evaluate.retrieval import (
        evaluate_answers,
        evaluate_retrieval,
        format_report,
        load_questions,
    )

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
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "questions" in data:
            questions = load_questions(path)
            result.update(evaluate_retrieval(assistant, questions))
            assistant.ask(questions[0].text)  # warm-up, so p50/p95 are warm answer times
            result.update(evaluate_answers(assistant, questions))
            result["answers_timed"] = len(questions)
        if {"red_flags", "lookalikes", "scope"} & set(data):
            from assistant.evaluate.triage import evaluate_triage, load_cases

            result["triage"] = evaluate_triage(assistant.triager, load_cases(path))
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["failed"] = failed_gates(result, Thresholds(
        min_hit3=args.min_hit3, min_mrr=args.min_mrr, min_triage_recall=args.min_triage_recall,
        max_false_alarm_rate=args.max_false_alarm_rate,
        min_unanswerable_refused=args.min_unanswerable_refused,
        max_answerable_refused=args.max_answerable_refused, max_p95_ms=args.max_p95_ms))
    print(json.dumps(result, indent=1, default=str) if args.json else format_report(result))
    return 1 if result["failed"] else 0
