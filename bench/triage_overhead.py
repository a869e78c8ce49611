"""Triage's own time per message, beyond its one embed call (the model's time is the floor's).

    .venv/bin/python bench/triage_overhead.py [--set tests/eval/triage.yaml] [--repeat 3]

Every message of the set is checked `repeat` times by the real Triager on the real model; the
embed call is timed inside the check and subtracted, so what remains is the word rules, the
clause splitting, the meaning comparisons and the learned net. Prints the median and p95 in ms, for
the rules alone and for the product (rules + net), interleaved. (Moved here from
a unit test: a timing threshold flakes on a shared 2-core machine; a benchmark reports.)
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


def messages(path: Path) -> list[str]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts = [item["text"] for group in ("red_flags", "lookalikes", "scope", "narratives")
             for item in data.get(group) or []]
    return texts or [q["q"] for q in data.get("questions", [])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(ROOT / "tests" / "eval" / "triage.yaml"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from assistant.config import Settings, go_offline

    go_offline()
    from assistant.answer.triage import Triager, load_rules
    from assistant.answer.triage_net import load_net
    from assistant.embed import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    spent: list[float] = []

    class TimedEmbedder:
        name, dim, max_tokens = embedder.name, embedder.dim, embedder.max_tokens

        def embed(self, texts):
            start = time.perf_counter()
            vectors = embedder.embed(texts)
            spent.append(time.perf_counter() - start)
            return vectors

        def count_tokens(self, text):
            return embedder.count_tokens(text)

    rules = load_rules(Settings().triage_file)
    # The rules alone and the product (rules + the learned net, issue 13 round 4), interleaved
    # message by message so both see the same load.
    triagers = {"rules alone": Triager(rules, TimedEmbedder()),
                "rules + net": Triager(rules, TimedEmbedder(), load_net())}
    texts = messages(Path(args.set))
    overheads: dict[str, list[float]] = {name: [] for name in triagers}
    embeds = []
    for triager in triagers.values():
        triager.check(texts[0])  # warm-up
    for _ in range(args.repeat):
        for text in texts:
            for name, triager in triagers.items():
                spent.clear()
                start = time.perf_counter()
                triager.check(text)
                total = time.perf_counter() - start
                overheads[name].append((total - sum(spent)) * 1000)
                embeds.append(sum(spent) * 1000)
    for name, times in overheads.items():
        times.sort()
        print(f"{len(texts)} messages x {args.repeat}, {name}: triage beyond the embed call median "
              f"{statistics.median(times):.2f} ms, p95 {times[int(0.95 * (len(times) - 1))]:.2f} ms")
    print(f"embed call median {statistics.median(embeds):.2f} ms; load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
