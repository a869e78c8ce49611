"""Cold start: process start to first answer, and how fast `--help` comes back.

    .venv/bin/python bench/cold_start.py [--store DIR] [--repeat N]

Each command runs as a fresh process (as a runner's first question after a reboot would, minus
the OS file cache, which stays warm here). Targets (issue 7): first answer <= 15 s; both
`--help` < 1 s (heavy imports are lazy).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wall(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    env = dict(os.environ)
    if args.store:
        env["ASSISTANT_STORE"] = args.store
    commands = {
        "first answer (ask)": ["-m", "assistant", "ask", "the outside of my knee hurts on long runs"],
        "ingest.py --help": ["ingest.py", "--help"],
        "python -m assistant --help": ["-m", "assistant", "--help"],
    }
    runs = {name: [] for name in commands}
    for _ in range(args.repeat):  # interleaved, so a load spike hits every command alike
        for name, command in commands.items():
            runs[name].append(wall(command, env))
    print(f"load average: {os.getloadavg()[0]:.2f}")
    for name, seconds in runs.items():
        print(f"{name:<28} median {statistics.median(seconds):6.2f} s  (runs {', '.join(f'{s:.2f}' for s in seconds)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
