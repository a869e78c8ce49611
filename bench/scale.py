"""Query time, memory and ingest time as the knowledge base grows (20, 200, 2,000 articles).

    .venv/bin/python bench/scale.py [--sizes 20 200 2000] [--work DIR] [--repeat N]

For each size: bench/synthetic_kb.py writes the articles, one in-process `run_ingest` builds
the store (ingest seconds per article printed), then a fresh process opens the store the way
the app does and answers the eval questions (warm): p50/p95 of Assistant.ask and of the
retrieval stage, and that process's resident memory (VmRSS now, VmHWM peak, from
/proc/self/status). A fresh process, so the ingest's own memory is not counted; it embeds
questions as the app does (ONNX Runtime on the store's checked export; the embedder and whether
torch was imported are printed).
Targets: p95 at 2,000 within 1.3x of p95 at 20 (issue 7); peak RSS at 2,000 <= 600 MB (issue 15).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def memory_mb() -> dict:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return {key: int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM")}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def query_figures(store: Path, knowledge: Path, repeat: int) -> dict:
    import yaml

    from assistant.config import Settings, go_offline

    go_offline()
    from assistant.answer.pipeline import Assistant

    assistant = Assistant.from_settings(Settings(knowledge_dir=knowledge, store_dir=store))
    questions = [q["q"] for q in yaml.safe_load((ROOT / "tests/eval/questions.yaml").read_text())["questions"]]
    for q in questions[:10]:
        assistant.ask(q)
    total, retrieve = [], []
    for _ in range(repeat):
        for q in questions:
            timings = assistant.ask(q).timings_ms
            total.append(timings["total"])
            if "retrieve" in timings:
                retrieve.append(timings["retrieve"])
    return {"chunks": len(assistant.retriever.chunks), "ask_p50": statistics.median(total),
            "ask_p95": p95(total), "retrieve_p50": statistics.median(retrieve), "retrieve_p95": p95(retrieve),
            "load": os.getloadavg()[0], "embedder": type(assistant.embedder).__name__,
            "torch": "torch" in sys.modules, **memory_mb()}


def build(size: int, work: Path, skip_check: bool = False) -> tuple[Path, Path, float, bool]:
    from assistant.config import Settings, go_offline

    go_offline()
    from synthetic_kb import make_kb

    from assistant.embed import load_batch_embedder
    from assistant.embed_export import ensure_export
    from assistant.errors import StoreError
    from assistant.ingest.run import run_ingest

    knowledge, store = work / f"kb{size}", work / f"store{size}"
    settings = Settings(knowledge_dir=knowledge, store_dir=store)
    if not (store / "ACTIVE.json").exists():
        make_kb(size, knowledge)
        embedder = load_batch_embedder(settings)  # what the ingest CLI uses
        started = time.perf_counter()
        try:
            if skip_check:
                raise StoreError("--skip-title-check")
            checked = run_ingest(settings, lambda: embedder).published
        except StoreError:  # see publish_unchecked; only its own time is counted
            started = time.perf_counter()
            publish_unchecked(settings, embedder)
            checked = False
        seconds = time.perf_counter() - started
        (work / f"ingest{size}.json").write_text(json.dumps({"seconds": seconds, "checked": checked}))
    ensure_export(settings)  # the ingest's hook (publish_unchecked and older stores skip it); cheap when done
    figures = json.loads((work / f"ingest{size}.json").read_text())
    return knowledge, store, figures["seconds"], figures.get("checked", True)


def publish_unchecked(settings, embedder) -> None:
    """The ingest's own steps minus its title self-check. With ~13 near-copies of one article
    (200 synthetic articles from 16 real ones) an article's title no longer finds its own
    passages among the 50 nearest, so run_ingest refuses to publish; that check is a property
    of this synthetic set, not what is being timed here. Rows built this way are marked."""
    from assistant.ingest.chunk import chunk_article
    from assistant.ingest.load import load_article
    from assistant.ingest.run import _embed
    from assistant.store import ArticleEntry, Manifest, Store
    from assistant.store.catalog import now_iso
    from assistant.store.lexical import LexicalIndex
    from assistant.store.versions import begin

    store = Store(settings.store_dir)
    version = max(store.catalog.known_versions() + store.catalog.unfinished_versions() + [0]) + 1
    begin(store, version, embedder.name, embedder.dim)
    articles, chunks = {}, []
    for path in sorted(settings.knowledge_dir.glob("*.md")):
        article = load_article(path)
        part = chunk_article(article, embedder.count_tokens, settings.chunk_max_tokens)
        articles[path.name] = ArticleEntry(hash="", title=article.title, slug=article.slug, url=None,
                                           chunks=tuple(c.id for c in part), ingested_at=now_iso())
        chunks.extend(part)
    chunk_vectors, unit_vectors = _embed(embedder, chunks, lambda *_: None)
    store.vectors.add_chunks(version, chunks, chunk_vectors, unit_vectors)
    store.keywords.save(version, LexicalIndex.build(chunks))
    store.vectors.write_sentences(version, chunks, dict(zip((c.id for c in chunks), unit_vectors)), None,
                                  embedder.dim)
    store.catalog.publish(Manifest(version=version, model=embedder.name, dim=embedder.dim, articles=articles,
                                   published_at=now_iso()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 2000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/assistant-scale"))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--skip-title-check-from", type=int, default=200, metavar="N",
                        help="build stores of N+ articles without the ingest's title self-check "
                             "(it fails on this synthetic set from 200 articles; trying it first doubles the build)")
    parser.add_argument("--query", nargs=2, type=Path, metavar=("STORE", "KNOWLEDGE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query:  # the fresh measuring process
        print(json.dumps(query_figures(*args.query, args.repeat)))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"{'articles':>8}{'passages':>9}{'ingest s/article':>17}{'ask p50':>9}{'ask p95':>9}"
          f"{'retrieve p50':>13}{'retrieve p95':>13}{'RSS MB':>8}{'peak MB':>8}{'load':>6}  embedder", flush=True)
    for size in args.sizes:
        knowledge, store, seconds, checked = build(size, args.work, size >= args.skip_title_check_from)
        done = subprocess.run([sys.executable, __file__, "--query", str(store), str(knowledge),
                               "--repeat", str(args.repeat)], capture_output=True, text=True, check=True)
        f = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{size:>8}{f['chunks']:>9}{seconds / size:>17.2f}{f['ask_p50']:>9.1f}{f['ask_p95']:>9.1f}"
              f"{f['retrieve_p50']:>13.1f}{f['retrieve_p95']:>13.1f}{f['VmRSS']:>8.0f}{f['VmHWM']:>8.0f}"
              f"{f['load']:>6.2f}  {f['embedder']}{' + torch' if f['torch'] else ''}"
              + ("" if checked else "  (title self-check skipped)"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
