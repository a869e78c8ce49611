"""`python -m assistant ask|eval ...`: the runner's questions from the command line."""
from __future__ import annotations

import argparse
import sys

EPILOG = """examples:
  python -m assistant ask "the outside of my knee hurts on long runs"
  python -m assistant ask --json "heel pain in the morning"
  python -m assistant ask --json --batch questions.txt     one JSON object per line
  python -m assistant eval                                  retrieval and triage figures
  python -m assistant set-staff-password                    turn on the staff page

exit codes: 0 ok, 1 the store is missing or unreadable, 2 bad usage"""


def build_parser() -> argparse.ArgumentParser:
    from assistant.cli.ask import add_ask_parser
    from assistant.cli.eval import add_eval_parser
    from assistant.cli.staff import add_password_parser

    parser = argparse.ArgumentParser(prog="python -m assistant",
                                     description="Ask the clinic's assistant, or measure it.",
                                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_ask_parser(commands)
    add_eval_parser(commands)
    add_password_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "eval":
        from assistant.cli.eval import run_eval

        return run_eval(args)
    if args.command == "set-staff-password":
        from assistant.cli.staff import run_set_password

        return run_set_password(args)
    from assistant.cli.ask import run_ask

    return run_ask(parser, args)


if __name__ == "__main__":
    sys.exit(main())
