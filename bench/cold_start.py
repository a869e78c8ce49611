"""Cold start: process start to first answer, next to Python importing its runtime, and `--help`.

    .venv/bin/python bench/cold_start.py [--store DIR] [--repeat N] [--with-sentence-transformers]

Each command runs as a fresh process (as a runner's first question after a reboot would, minus
the OS file cache, which stays warm here), interleaved, so a load spike hits every command
alike; medians and each run's peak resident memory (the child's ru_maxrss) are printed.
Targets (issue 15): first answer <= 4x `python -c "import chromadb, onnxruntime, numpy"`,
its peak memory <= 350 MB at 20 articles; both `--help` < 1 s (heavy imports are lazy).
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
BASELINE = "import chromadb, onnxruntime, numpy"


def run(args: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed: {child.stderr.read().decode()[-2000:]}")
    child.stderr.close()
    return seconds, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--with-sentence-transformers", action="store_true",
                        help="also time `ask` with ASSISTANT_EMBEDDER=sentence-transformers (before issue 15)")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.store:
        env["ASSISTANT_STORE"] = args.store
    ask = ["-m", "assistant", "ask", "the outside of my knee hurts on long runs"]
    commands = {  # name: (environment added, arguments)
        "first answer (ask)": ({}, ask),
        f'python -c "{BASELINE}"': ({}, ["-c", BASELINE]),
        "ingest.py --help": ({}, ["ingest.py", "--help"]),
        "python -m assistant --help": ({}, ["-m", "assistant", "--help"]),
    }
    if args.with_sentence_transformers:
        commands["first answer (ask), sentence-transformers"] = ({"ASSISTANT_EMBEDDER": "sentence-transformers"}, ask)
    runs: dict = {name: [] for name in commands}
    load_before = os.getloadavg()[0]
    for _ in range(args.repeat):  # interleaved, so a load spike hits every command alike
        for name, (extra, command) in commands.items():
            runs[name].append(run(command, env | extra))
    print(f"load average before/after: {load_before:.2f} / {os.getloadavg()[0]:.2f}")
    for name, measured in runs.items():
        seconds = [s for s, _ in measured]
        print(f"{name:<48} median {statistics.median(seconds):6.2f} s  (runs {', '.join(f'{s:.2f}' for s in seconds)})"
              f"  peak RSS {max(mb for _, mb in measured):.0f} MB")
    median = {name: statistics.median(s for s, _ in measured) for name, measured in runs.items()}
    baseline = median[f'python -c "{BASELINE}"']
    for name in (n for n in commands if n.startswith("first answer")):
        print(f"{name} / import baseline: {median[name] / baseline:.2f}x  (target <= 4)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
