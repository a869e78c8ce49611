"""Ingest speed next to the model's raw speed on the same texts, in one process.

    .venv/bin/python bench/ingest_throughput.py [--knowledge DIR] [--repeat N]

Raw = one call of the ingest's embedder (embed.load_batch_embedder: ONNX Runtime on every core,
or sentence-transformers with --embedder) over every text an ingest embeds (passages with title
and heading, plus every quotable sentence). Ingest = a full `run_ingest` of the same folder into
a fresh store with the already-loaded model (so model loading is not counted, as it is not
counted in raw either). Runs alternate, medians printed.
Target (issue 7): ingest chunks/s >= 0.8 x raw.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", default=str(ROOT / "knowledge"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--embedder", choices=("onnx", "sentence-transformers"), default="onnx")
    args = parser.parse_args()

    from assistant.config import Settings, go_offline

    go_offline()
    from assistant.embed import load_batch_embedder
    from assistant.ingest.chunk import chunk_article
    from assistant.ingest.load import ARTICLE_SUFFIXES, load_article
    from assistant.ingest.run import run_ingest

    knowledge = Path(args.knowledge)
    settings = Settings(knowledge_dir=knowledge, embedder=args.embedder)
    embedder = load_batch_embedder(settings)
    chunks = [c for path in sorted(knowledge.iterdir()) if path.suffix in ARTICLE_SUFFIXES
              for c in chunk_article(load_article(path), embedder.count_tokens, settings.chunk_max_tokens)]
    texts = [c.embed_text for c in chunks] + [u.text for c in chunks for u in c.units]
    embedder.embed(texts[:64])  # warm up

    raw_s, ingest_s, embed_s = [], [], []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.repeat):
            t = time.perf_counter()
            embedder.embed(texts)
            raw_s.append(time.perf_counter() - t)
            run_settings = Settings(knowledge_dir=knowledge, store_dir=Path(tmp) / f"store{n}")
            t = time.perf_counter()
            report = run_ingest(run_settings, lambda: embedder)
            ingest_s.append(time.perf_counter() - t)
            embed_s.append(report.timings.get("embed", float("nan")))
    raw, ingest = statistics.median(raw_s), statistics.median(ingest_s)
    print(f"embedder: {type(embedder).__name__}; articles: {len(report.added)}; passages: {len(chunks)}; "
          f"texts embedded (passages + sentences): "
          f"{len(texts)}; load average before/after: {load_before:.2f} / {os.getloadavg()[0]:.2f}")
    print(f"raw model: {raw:.1f} s = {len(texts) / raw:.1f} texts/s = {len(chunks) / raw:.2f} passages/s "
          f"(runs {', '.join(f'{s:.1f}' for s in raw_s)})")
    print(f"ingest:    {ingest:.1f} s = {len(chunks) / ingest:.2f} passages/s, of which embedding "
          f"{statistics.median(embed_s):.1f} s (runs {', '.join(f'{s:.1f}' for s in ingest_s)})")
    print(f"ingest / raw throughput: {raw / ingest:.2f}  (target >= 0.8)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
