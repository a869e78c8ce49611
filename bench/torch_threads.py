"""Single-question embedding time with 1 vs 2 torch threads, interleaved in one process.

    .venv/bin/python bench/torch_threads.py [--repeat N] [--threads 1 2]

A question is ~10-30 word pieces; splitting so small a matrix product across cores may cost
more in synchronisation than it saves, and another process (a second session, an ingest) may
hold the other core. Settings alternate in blocks of ten questions, so load spikes
hit all settings alike. Sets ASSISTANT_TORCH_THREADS in production (README, Configuration).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    import torch
    import yaml

    from assistant.config import go_offline

    go_offline()
    from assistant.embed import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    questions = [q["q"] for q in yaml.safe_load((ROOT / "tests/eval/questions.yaml").read_text())["questions"]]
    embedder.embed(questions[:10])
    times = {n: [] for n in args.threads}
    block = 10  # settings alternate every 10 questions: a switch's own cost is paid once per block
    for _ in range(args.repeat):
        for start in range(0, len(questions), block):
            for n in args.threads:
                torch.set_num_threads(n)
                embedder.embed([questions[start]])  # the first call after a switch is not counted
                for q in questions[start:start + block]:
                    t = time.perf_counter()
                    embedder.embed([q])
                    times[n].append((time.perf_counter() - t) * 1000)
    print(f"{len(questions)} questions x {args.repeat}; load average {os.getloadavg()[0]:.2f}")
    for n, ms in times.items():
        ordered = sorted(ms)
        print(f"torch threads {n}: median {statistics.median(ms):.1f} ms, p95 {ordered[int(0.95 * (len(ordered) - 1))]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
