"""`python -m assistant eval`: the parser and its thresholds; the measurement lives in evaluate.py."""
from __future__ import annotations


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
    from .evaluate import main

    return main(args)
