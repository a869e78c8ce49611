"""`python -m assistant ask`: answer questions from the command line (one, or a batch as JSON lines)."""
from __future__ import annotations

import json
import sys


def add_ask_parser(commands) -> None:
    ask = commands.add_parser("ask", help="answer a question from the clinic's articles",
                              description="Answer a question from the clinic's articles, with citations.")
    ask.add_argument("question", nargs="?", help="the question (omit with --batch)")
    ask.add_argument("--store", metavar="DIR", help="store folder (default: data/chroma/, env ASSISTANT_STORE)")
    ask.add_argument("--knowledge", metavar="DIR",
                     help="folder with clinic.yaml and triage.yaml (default: knowledge/, env ASSISTANT_KNOWLEDGE)")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--batch", metavar="FILE",
                     help="answer every line of FILE ('-' for stdin) in one process; needs --json. A line"
                          " starting with { is a conversation turn: "
                          '{"question": str, "history": [[question, answer], ...]} (oldest first)')


def run_ask(parser, args) -> int:
    if args.batch and not args.json:
        parser.error("--batch needs --json (one JSON object per line)")
    if bool(args.batch) == bool(args.question):
        parser.error("give a QUESTION or --batch FILE (not both)")
    from assistant.answer.pipeline import Assistant
    from assistant.answer.triage_text import clean_question
    from assistant.config import Settings, go_offline
    from assistant.errors import (
        AssistantError,
        ModelMismatch,
        StoreEmpty,
        StoreError,
        UsageError,
    )

    go_offline()
    settings = Settings.from_env(store_dir=args.store, knowledge_dir=args.knowledge)
    if args.batch:
        try:
            source = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8", errors="replace")
        except OSError as exc:
            print(f"error: cannot read {args.batch}: {exc.strerror}", file=sys.stderr)
            return 2
        questions = [line.rstrip("\n") for line in source]
    else:
        questions = [args.question]
    if not args.batch and not clean_question(args.question, settings.max_question_chars):
        return _empty_question(settings)  # before the model loads: a clear answer at once
    try:
        assistant = Assistant.from_settings(settings)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if isinstance(exc, StoreError) and not isinstance(exc, (StoreEmpty, ModelMismatch)):
            from assistant.cli.ingest import STORE_HELP

            print(STORE_HELP, file=sys.stderr)
        return 1
    for question in questions:
        if args.batch and not question.strip():
            continue
        history: list = []
        if args.batch and question.lstrip().startswith("{"):
            try:
                question, history = parse_turn(question)
            except ValueError as exc:
                print(json.dumps({"question": question, "error": str(exc)}, ensure_ascii=False), flush=True)
                continue
        try:
            answer = assistant.ask(question, history)
        except UsageError as exc:
            if not args.batch:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            print(json.dumps({"question": question, "error": str(exc)}))
            continue
        except AssistantError as exc:  # the store broke while answering
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(json.dumps(answer.to_json(), ensure_ascii=False) if args.json else _as_text(answer, assistant.clinic),
              flush=True)
    return 0


def parse_turn(line: str) -> tuple[str, list[tuple[str, str]]]:
    """Pure: a batch line `{"question": str, "history": [[question, answer], ...]}` (oldest first,
    history optional) -> (question, history), as the chat passes them to Assistant.ask.
    ValueError says what is wrong with it."""
    try:
        turn = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc}") from None
    if not isinstance(turn, dict) or not isinstance(turn.get("question"), str):
        raise ValueError('a conversation line needs {"question": str, "history": [[question, answer], ...]}')
    history = turn.get("history") or []
    if not isinstance(history, list) or not all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair) for pair in history):
        raise ValueError("history must be a list of [question, answer] pairs of strings, oldest first")
    return turn["question"], [(asked, said) for asked, said in history]


def _empty_question(settings) -> int:
    from assistant.clinic import load_clinic
    from assistant.errors import AssistantError

    try:
        words = load_clinic(settings.clinic_file).messages["empty_question"]
    except (AssistantError, KeyError):
        words = "the question is empty"
    print(f"error: {words}", file=sys.stderr)
    return 2


def _as_text(answer, clinic) -> str:
    lines = [answer.answer]
    if answer.citations:
        sources = " · ".join(f"[{c.n}] {c.title}" + (f" — {c.heading}" if c.heading else "")
                             for c in answer.citations)
        lines += ["", f"{clinic.messages['sources_heading']}: {sources}"]
    if answer.booking:
        links = "  ".join(f"{link.label}: {link.url}" for link in answer.booking.links)
        lines += ["", answer.booking.text, links, f"Phone: {answer.booking.phone}"]
    return "\n".join(lines)
