"""Sync the store with the knowledge folder: new and changed articles are embedded, removed
ones dropped, unchanged ones carried over with their vectors (no model load when nothing
changed). Each run publishes a whole new version and flips the pointer only after checking it.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .chunk import chunk_article
from .config import Settings
from .errors import LoadError, StoreError
from .load import ARTICLE_SUFFIXES, MAX_FILE_BYTES, parse_article
from .lock import WriterLock
from .schema import Article, Chunk
from .store import Manifest, Store, check_model, now_iso

# Bump when loading or chunking changes meaning, so every article is rebuilt once.
PIPELINE_VERSION = "1"
DATA_SUFFIXES = {".yaml", ".yml"}  # the clinic profile and triage rules live beside the articles
KEEP_VERSIONS = 2  # the active one and the previous one, for rollback

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class IngestReport:
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (path, reason)
    chunks: int = 0  # chunks in the published knowledge base
    embedded: int = 0  # chunks embedded by this run
    version: int | None = None
    published: bool = False
    dry_run: bool = False
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"added": len(self.added), "updated": len(self.updated), "removed": len(self.removed),
                "unchanged": len(self.unchanged), "chunks": self.chunks,
                "failed": [{"path": p, "error": e} for p, e in self.failed],
                "seconds": round(self.seconds, 3), "version": self.version,
                "published": self.published, "dry_run": self.dry_run,
                "files": {"added": list(self.added), "updated": list(self.updated),
                          "removed": list(self.removed)}}


def discover(folder: Path) -> tuple[list[tuple[str, Path]], list[tuple[str, str]]]:
    """(articles as (source id, path), files that are not articles as (path, reason))."""
    if not folder.is_dir():
        raise StoreError(f"the knowledge folder {folder} does not exist")
    articles, skipped = [], []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in DATA_SUFFIXES:
            continue
        if suffix in ARTICLE_SUFFIXES:
            articles.append((relative.as_posix(), path))
        else:
            skipped.append((relative.as_posix(), f"unsupported file type '{suffix or 'none'}' "
                                                 "(use .md, .html, .txt or .pdf)"))
    return articles, skipped


def content_hash(raw: bytes, settings: Settings) -> str:
    digest = hashlib.sha256()
    digest.update(f"{PIPELINE_VERSION}|{settings.chunk_max_tokens}|".encode())
    digest.update(raw)
    return digest.hexdigest()


def _read(path: Path, source: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoadError(source, f"too large ({size // 1024} kB; the limit is {MAX_FILE_BYTES // 1024} kB)")
        return path.read_bytes()
    except OSError as exc:
        raise LoadError(source, f"cannot be read ({exc.strerror or exc})") from exc


def run_ingest(settings: Settings, embedder_factory: Callable, full: bool = False,
               dry_run: bool = False, progress: Progress | None = None) -> IngestReport:
    started = time.perf_counter()
    store = Store(settings.store_dir, settings.chroma_host, settings.chroma_port)
    if dry_run:
        return _ingest(settings, store, embedder_factory, full, True, progress, started)
    with WriterLock(settings.store_dir / "ingest.lock"):
        return _ingest(settings, store, embedder_factory, full, False, progress, started)


def _ingest(settings, store: Store, embedder_factory, full, dry_run, progress, started) -> IngestReport:
    progress = progress or (lambda stage, done, total: None)
    manifest = store.active_manifest()
    previous = manifest.articles if manifest else {}
    files, failed = discover(settings.knowledge_dir)
    failed = list(failed)
    changed: list[tuple[str, str, Article]] = []  # (source, hash, article)
    unchanged, kept = [], []  # kept: failed now, but the published copy stays (nothing is lost)
    for index, (source, path) in enumerate(files):
        progress("reading", index + 1, len(files))
        try:
            raw = _read(path, source)
        except LoadError as exc:
            failed.append((source, exc.reason))
            if source in previous:
                kept.append(source)
            continue
        digest = content_hash(raw, settings)
        if not full and previous.get(source, {}).get("hash") == digest:
            unchanged.append(source)
            continue
        try:
            article = parse_article(raw, path.suffix.lower(), source)
        except LoadError as exc:
            failed.append((source, exc.reason))
            if source in previous:
                kept.append(source)
            continue
        changed.append((source, digest, article))
    present = {source for source, _ in files}
    removed = tuple(sorted(s for s in previous if s not in present))
    added = tuple(s for s, _, _ in changed if s not in previous)
    updated = tuple(s for s, _, _ in changed if s in previous)
    report = dict(added=added, updated=updated, removed=removed, unchanged=tuple(unchanged),
                  failed=tuple(failed), dry_run=dry_run)
    nothing_to_do = not changed and not removed and manifest is not None and not full
    if dry_run or nothing_to_do:
        chunks = len(manifest.chunk_ids) if manifest else 0
        return IngestReport(**report, chunks=chunks, version=manifest.version if manifest else None,
                            seconds=time.perf_counter() - started)
    if manifest is None and not changed:
        return IngestReport(**report, seconds=time.perf_counter() - started)

    timings = {}
    t = time.perf_counter()
    embedder = embedder_factory()
    timings["model_load"] = time.perf_counter() - t
    if manifest is not None and not full:
        check_model(manifest, embedder.name, embedder.dim)
    version = max(store.known_versions() + [manifest.version if manifest else 0]) + 1
    store.create_version(version, embedder.name, embedder.dim)

    # Carry over what did not change, with its vectors.
    carried_sources = [s for s in unchanged + kept] if manifest else []
    carry_ids = [cid for s in carried_sources for cid in previous[s]["chunks"]]
    t = time.perf_counter()
    carried = store.copy_chunks(manifest.version, version, carry_ids) if carry_ids else []
    timings["copy"] = time.perf_counter() - t

    t = time.perf_counter()
    new_chunks: list[Chunk] = []
    per_article: dict[str, list[str]] = {}
    for source, _, article in changed:
        chunks = chunk_article(article, embedder.count_tokens, settings.chunk_max_tokens)
        per_article[source] = [c.id for c in chunks]
        new_chunks.extend(chunks)
    timings["chunk"] = time.perf_counter() - t

    t = time.perf_counter()
    chunk_vectors, unit_vectors = _embed(embedder, new_chunks, progress)
    timings["embed"] = time.perf_counter() - t
    t = time.perf_counter()
    store.add_chunks(version, new_chunks, chunk_vectors, unit_vectors)

    from .lexical import LexicalIndex

    all_chunks = carried + new_chunks
    LexicalIndex.build(all_chunks).save(store.lexical_dir(version))
    timings["write"] = time.perf_counter() - t

    stamp = now_iso()
    articles = {s: previous[s] for s in carried_sources}
    for source, digest, article in changed:
        articles[source] = {"hash": digest, "title": article.title, "slug": article.slug,
                            "url": article.url, "chunks": per_article[source], "ingested_at": stamp}
    new_manifest = Manifest(version=version, model=embedder.name, dim=embedder.dim,
                            articles=articles, published_at=stamp)
    t = time.perf_counter()
    _validate(store, new_manifest, embedder, [a for _, _, a in changed])
    timings["validate"] = time.perf_counter() - t
    store.publish(new_manifest)
    _collect_garbage(store, version)
    return IngestReport(**report, chunks=len(all_chunks), embedded=len(new_chunks), version=version,
                        published=True, seconds=time.perf_counter() - started, timings=timings)


def _embed(embedder, chunks: list[Chunk], progress: Progress, batch: int = 256):
    """Chunk vectors (title and heading prepended) and one vector per quotable sentence."""
    import numpy as np

    texts = [c.embed_text for c in chunks] + [u.text for c in chunks for u in c.units]
    vectors = []
    for start in range(0, len(texts), batch):
        vectors.append(embedder.embed(texts[start:start + batch]))
        progress("embedding", min(start + batch, len(texts)), len(texts))
    matrix = np.vstack(vectors) if vectors else np.zeros((0, embedder.dim), np.float32)
    chunk_vectors = matrix[:len(chunks)]
    unit_vectors, offset = [], len(chunks)
    for chunk in chunks:
        unit_vectors.append(matrix[offset:offset + len(chunk.units)])
        offset += len(chunk.units)
    return chunk_vectors, unit_vectors


def _validate(store: Store, manifest: Manifest, embedder, changed: list[Article]) -> None:
    """Before the flip: every expected chunk is there, and each new article is findable by its title."""
    expected = manifest.chunk_ids
    chunk_count, unit_count = store.counts(manifest.version)
    if chunk_count != len(expected) or len(set(expected)) != len(expected):
        raise StoreError(f"the new version has {chunk_count} chunks, expected {len(expected)}; "
                         "nothing was published")
    if not changed:
        return
    vectors = embedder.embed([a.title for a in changed])
    for article, vector in zip(changed, vectors):
        found = {c.source for c, _ in store.dense_search(manifest.version, vector, 10)}
        if article.source not in found:
            raise StoreError(f"'{article.title}' ({article.source}) could not be found by its own title "
                             "in the new version; nothing was published")


def _collect_garbage(store: Store, active: int) -> None:
    for version in store.known_versions():
        if version <= active - KEEP_VERSIONS:
            store.drop_version(version)
    # Collections of runs that died before publishing (no manifest) are dropped too.
    known = set(store.known_versions())
    for collection in store.client.list_collections():
        name = collection if isinstance(collection, str) else collection.name
        if name.startswith("kb-v") and name[4:8].isdigit():
            version = int(name[4:8])
            if version not in known and version != active:
                try:
                    store.client.delete_collection(name)
                except Exception:
                    pass
