"""How close a warm answer is to the least any answer can cost.

Floor = (a) embedding the question alone + (b) one Chroma query with that vector, in the same
process and store. Then the full Assistant.ask per question. Prints medians and the ratio.
Run: .venv/bin/python bench/answer_floor.py [--store DIR] [--questions FILE] [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None)
    parser.add_argument("--questions", default=str(ROOT / "tests" / "eval" / "questions.yaml"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import yaml

    from assistant.config import Settings, go_offline

    go_offline()
    from assistant.pipeline import Assistant

    settings = Settings.from_env(store_dir=args.store)
    assistant = Assistant.from_settings(settings)
    questions = [q["q"] for q in yaml.safe_load(Path(args.questions).read_text())["questions"]]
    embedder, store, retriever = assistant.embedder, assistant.retriever.store, assistant.retriever
    for q in questions[:10]:  # warm up: index pages, tokenizer caches
        assistant.ask(q)

    embed_ms, query_ms, ask_ms, stages = [], [], [], {}
    for _ in range(args.repeat):
        for q in questions:
            t = time.perf_counter()
            vector = embedder.embed([q])[0]
            t1 = time.perf_counter()
            store.dense_search(retriever.version, vector, settings.dense_k)
            t2 = time.perf_counter()
            answer = assistant.ask(q)
            t3 = time.perf_counter()
            embed_ms.append((t1 - t) * 1000)
            query_ms.append((t2 - t1) * 1000)
            ask_ms.append((t3 - t2) * 1000)
            for stage, ms in answer.timings_ms.items():
                stages.setdefault(stage, []).append(ms)
    floor = statistics.median(embed_ms) + statistics.median(query_ms)
    full = statistics.median(ask_ms)
    ask_sorted = sorted(ask_ms)
    print(f"questions: {len(questions)} x {args.repeat}; chunks in store: {len(retriever.chunks)}")
    print(f"floor: embed {statistics.median(embed_ms):.1f} ms + chroma query {statistics.median(query_ms):.1f} ms "
          f"= {floor:.1f} ms (medians)")
    print(f"Assistant.ask: median {full:.1f} ms, p95 {ask_sorted[int(0.95 * (len(ask_sorted) - 1))]:.1f} ms")
    print("stages (median ms): " + ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in stages.items()))
    print(f"ratio ask / floor: {full / floor:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
