"""How close a warm answer is to the least any answer can cost.

Floor = (a) embedding the question alone (with the embedder the Assistant uses: ONNX Runtime
when the store has its checked export, see --embedder) + (b) one raw Chroma query with that
vector (the chunks collection, k nearest with distances and metadata), in the same process and store.
Then the full Assistant.ask of the same question. The three are interleaved per question, so a
load spike from another process hits floor and full path alike. Prints medians and the ratio.

    .venv/bin/python bench/answer_floor.py [--store DIR] [--questions FILE] [--repeat N] [--threads N]
        [--embedder onnx|sentence-transformers]

Target (issue 15): Assistant.ask median <= 1.3x the floor.
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


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None)
    parser.add_argument("--questions", default=str(ROOT / "tests" / "eval" / "questions.yaml"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0,
                        help="torch threads for sentence-transformers' batches (0: torch's default)")
    parser.add_argument("--embedder", choices=("onnx", "sentence-transformers"), default=None,
                        help="the question embedder (default: Settings, i.e. onnx)")
    args = parser.parse_args()

    import yaml

    from assistant.config import Settings, go_offline

    go_offline()
    from assistant.answer.pipeline import Assistant

    settings = Settings.from_env(store_dir=args.store, torch_threads=args.threads or None,
                                 embedder=args.embedder)
    assistant = Assistant.from_settings(settings)
    questions = [q["q"] for q in yaml.safe_load(Path(args.questions).read_text())["questions"]]
    embedder, retriever = assistant.embedder, assistant.retriever
    chunk_collection = retriever.store.vectors.chunk_collection(retriever.version)
    for q in questions[:10]:  # warm up: index pages, tokenizer caches
        assistant.ask(q)

    embed_ms, query_ms, ask_ms, stages = [], [], [], {}
    load_before = os.getloadavg()[0]
    for _ in range(args.repeat):
        for q in questions:
            t = time.perf_counter()
            vector = embedder.embed([q])[0]
            t1 = time.perf_counter()
            chunk_collection.query(query_embeddings=[vector], n_results=settings.dense_k,
                                   include=["metadatas", "distances"])
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
    print(f"questions: {len(questions)} x {args.repeat}; chunks in store: {len(retriever.chunks)}; "
          f"embedder: {type(embedder).__name__}; load average before/after: "
          f"{load_before:.2f} / {os.getloadavg()[0]:.2f}")
    print(f"floor: embed {statistics.median(embed_ms):.1f} ms + chroma query {statistics.median(query_ms):.1f} ms "
          f"= {floor:.1f} ms (medians)")
    print(f"Assistant.ask: median {full:.1f} ms, p95 {p95(ask_ms):.1f} ms")
    print("stages (median ms): " + ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in stages.items()))
    print(f"ratio ask / floor: {full / floor:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
