"""`python -m assistant eval`: placeholder parser; the measurement lives in evaluate.py."""
from __future__ import annotations


def add_eval_parser(commands) -> None:
    ev = commands.add_parser("eval", help="measure retrieval and triage on the question sets",
                             description="Measure retrieval (hit@1, hit@3, MRR) and triage on the question sets.")
    ev.add_argument("--store", metavar="DIR", help="store folder (default: data/chroma/)")
    ev.add_argument("--knowledge", metavar="DIR", help="folder with clinic.yaml and triage.yaml")
    ev.add_argument("--questions", metavar="FILE", action="append",
                    help="question set (default: tests/eval/questions.yaml and tests/eval/triage.yaml)")
    ev.add_argument("--json", action="store_true", help="print the figures as JSON")
    ev.add_argument("--min-hit3", type=float, default=None, help="exit 1 if fused hit@3 on any split is below this")


def run_eval(args) -> int:
    from .evaluate import main

    return main(args)
