"""Ingest batches: sentence-transformers (torch) against the ONNX export, same texts, one process.

    .venv/bin/python bench/ingest_onnx.py [--knowledge DIR] [--repeat N] [--batch 256]

The texts are what an ingest of DIR embeds (every passage with title and heading, every quotable
sentence), in the ingest's own slices of `--batch`. Each round times every configuration once,
in turn, so a load spike from another process hits them alike; medians are printed, with the
load average. Configurations: sentence-transformers on all torch threads (what the ingest uses)
and on one; ONNX Runtime on all intra-op threads and on one (embed_onnx.OnnxEmbedder, which
cuts length-sorted batches of embed_onnx.BATCH texts). Also prints the largest difference
between the two kinds of vectors.
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
    parser.add_argument("--knowledge", default=str(ROOT / "knowledge"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=256, help="texts per embed call (the ingest's slice)")
    parser.add_argument("--limit", type=int, default=0, help="embed only the first N texts (0: all)")
    args = parser.parse_args()

    from assistant.config import Settings, go_offline

    go_offline()
    import numpy as np

    from assistant.embed import (
        MODEL_NAME,
        SentenceTransformerEmbedder,
        bundled_model_path,
    )
    from assistant.embed_export import ensure_cached
    from assistant.embed_onnx import OnnxEmbedder
    from assistant.ingest.chunk import chunk_article
    from assistant.ingest.load import ARTICLE_SUFFIXES, load_article

    settings = Settings(knowledge_dir=Path(args.knowledge))
    st_all = SentenceTransformerEmbedder()
    folder = ensure_cached(settings, st_all)
    onnx = {threads: OnnxEmbedder(folder / "model.onnx", bundled_model_path(), MODEL_NAME, threads)
            for threads in (0, 1)}
    chunks = [c for path in sorted(Path(args.knowledge).iterdir()) if path.suffix in ARTICLE_SUFFIXES
              for c in chunk_article(load_article(path), st_all.count_tokens, settings.chunk_max_tokens)]
    texts = list(dict.fromkeys([c.embed_text for c in chunks] + [u.text for c in chunks for u in c.units]))
    texts = texts[:args.limit] if args.limit else texts
    all_threads = st_all._batch_threads

    def sentence_transformers(threads):
        def run(part):
            st_all._batch_threads = threads  # the embedder's batch setting, as the ingest uses it
            return st_all.embed(part)
        return run

    configs = {f"sentence-transformers, {all_threads} threads": sentence_transformers(all_threads),
               "sentence-transformers, 1 thread": sentence_transformers(1),
               f"onnx runtime, {os.cpu_count()} threads": onnx[0].embed,
               "onnx runtime, 1 thread": onnx[1].embed}
    for run in configs.values():
        run(texts[:32])  # warm up
    seconds: dict = {name: [] for name in configs}
    vectors: dict = {}
    load_before = os.getloadavg()[0]
    for _ in range(args.repeat):
        for name, run in configs.items():
            started = time.perf_counter()
            vectors[name] = np.vstack([run(texts[i:i + args.batch]) for i in range(0, len(texts), args.batch)])
            seconds[name].append(time.perf_counter() - started)
    st_all._batch_threads = all_threads
    print(f"texts: {len(texts)} (passages {len(chunks)} + sentences), slices of {args.batch}; "
          f"load average before/after: {load_before:.2f} / {os.getloadavg()[0]:.2f}")
    for name, runs in seconds.items():
        median = statistics.median(runs)
        print(f"{name:<34} median {median:6.1f} s = {len(texts) / median:6.1f} texts/s  "
              f"(runs {', '.join(f'{s:.1f}' for s in runs)})")
    names = list(vectors)
    print(f"max abs difference, ONNX vs sentence-transformers: {np.abs(vectors[names[2]] - vectors[names[0]]).max():.1e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
