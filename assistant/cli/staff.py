"""`python -m assistant set-staff-password`: turn the staff page on (or change its password).

Only a salted hash is written: to `.streamlit/secrets.toml` by default, or printed for the
ASSISTANT_STAFF_PASSWORD_HASH environment variable with --print.
"""
from __future__ import annotations

import sys


def add_password_parser(commands) -> None:
    command = commands.add_parser(
        "set-staff-password", help="set the staff page's password (stores a salted hash)",
        description="Set the password of the staff page. Type it twice (or pipe it on stdin). "
                    "Restart the app afterwards; everyone signed in is signed out.")
    command.add_argument("--secrets", metavar="FILE",
                         help="secrets file to write (default: .streamlit/secrets.toml of the app)")
    command.add_argument("--print", dest="print_only", action="store_true",
                         help="print an ASSISTANT_STAFF_PASSWORD_HASH=... line instead of writing a file")


def run_set_password(args) -> int:
    from getpass import getpass
    from pathlib import Path

    from assistant.config import ROOT
    from assistant.staff.passwords import ENV_VAR, MIN_LENGTH, hash_password, save_hash

    if sys.stdin.isatty():
        password = getpass("New staff password: ")
        if getpass("Once more: ") != password:
            print("error: the two passwords differ; nothing was changed", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_LENGTH:
        print(f"error: use at least {MIN_LENGTH} characters; nothing was changed", file=sys.stderr)
        return 2
    stored = hash_password(password)
    if args.print_only:
        print(f"{ENV_VAR}='{stored}'")
        return 0
    target = Path(args.secrets) if args.secrets else ROOT / ".streamlit" / "secrets.toml"
    try:
        save_hash(target, stored)
    except OSError as exc:
        print(f"error: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"Saved the staff password's hash to {target}. Restart the app to use it.")
    return 0
