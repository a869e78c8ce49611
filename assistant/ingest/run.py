"""Sync the store with the knowledge folder: new and changed articles are embedded, removed
ones dropped, unchanged ones carried over with their vectors (no model load when nothing
changed). Each run publishes a whole new version and flips the pointer only after checking it.
"""
from __future__ import annotations

import hashlib
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .chunk import chunk_article
from .config import Settings
from .errors import LoadError, StoreError
from .load import ARTICLE_SUFFIXES, read_capped, unsupported
from .load_guard import GuardedParser, Limits
from .schema import Article, Chunk
from .store import Manifest, Store, check_model, now_iso
from .versions import collect_garbage, needs_collecting, rollback_target, validate

# Bump when loading or chunking changes meaning, so every article is rebuilt once.
PIPELINE_VERSION = "1"
DATA_SUFFIXES = {".yaml", ".yml"}  # the clinic profile and triage rules live beside the articles

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class IngestReport:
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (path, reason in English, for the CLI)
    failure_kinds: tuple[tuple[str, str, dict], ...] = ()  # (path, kind, details): the staff page's words
    chunks: int = 0  # chunks in the published knowledge base
    embedded: int = 0  # chunks embedded by this run
    version: int | None = None
    published: bool = False
    dry_run: bool = False
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)
    article_chunks: dict = field(default_factory=dict)  # source -> passages, for changed articles

    def to_json(self) -> dict:
        return {"added": len(self.added), "updated": len(self.updated), "removed": len(self.removed),
                "unchanged": len(self.unchanged), "chunks": self.chunks,
                "failed": [{"path": p, "error": e} for p, e in self.failed],
                "seconds": round(self.seconds, 3), "version": self.version,
                "published": self.published, "dry_run": self.dry_run,
                "timings": {stage: round(seconds, 3) for stage, seconds in self.timings.items()},
                "files": {"added": list(self.added), "updated": list(self.updated),
                          "removed": list(self.removed)}}


def discover(folder: Path) -> tuple[list[tuple[str, Path]], list[LoadError]]:
    """(articles as (source id, path), files that are not articles)."""
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
        source = canonical_source(relative.as_posix())
        if suffix in ARTICLE_SUFFIXES:
            articles.append((source, path))
        else:
            skipped.append(unsupported(source, suffix))
    return articles, skipped


def canonical_source(relative: str) -> str:
    """An article's id: its path under the knowledge folder, '/'-separated, Unicode NFC. The CLI
    and the staff upload both name files this way, so one file is one article however it came
    (macOS writes names decomposed; a name typed in a browser arrives composed)."""
    return unicodedata.normalize("NFC", relative.replace("\\", "/"))


def content_hash(raw: bytes, settings: Settings) -> str:
    digest = hashlib.sha256()
    digest.update(f"{PIPELINE_VERSION}|{settings.chunk_max_tokens}|".encode())
    digest.update(raw)
    return digest.hexdigest()


def run_ingest(settings: Settings, embedder_factory: Callable, full: bool = False,
               dry_run: bool = False, progress: Progress | None = None, limits: Limits = Limits(),
               parser=None, lock_held: bool = False) -> IngestReport:
    """`parser`: anything with `parse(raw, suffix, source) -> Article` (default: a GuardedParser).
    `lock_held`: the caller already holds `writer_lock(settings)` (the staff page writes the
    uploaded file and ingests it under one lock)."""
    started = time.perf_counter()
    store = Store(settings.store_dir, settings.chroma_host, settings.chroma_port)
    own_parser = parser is None
    parser = parser or GuardedParser(limits)
    try:
        if dry_run or lock_held:
            return _ingest(settings, store, embedder_factory, full, dry_run, progress, started, limits, parser)
        with writer_lock(settings):
            return _ingest(settings, store, embedder_factory, full, False, progress, started, limits, parser)
    finally:
        if own_parser:
            parser.close()


def writer_lock(settings: Settings):
    """A lock file in the store folder, or the lock record of the Chroma server."""
    return Store(settings.store_dir, settings.chroma_host, settings.chroma_port).writer_lock()


def _ingest(settings, store: Store, embedder_factory, full, dry_run, progress, started, limits,
            parser) -> IngestReport:
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
            raw = read_capped(path, source, limits.max_bytes)
            digest = content_hash(raw, settings)
            if not full and previous.get(source, {}).get("hash") == digest:
                unchanged.append(source)
                continue
            article = parser.parse(raw, path.suffix.lower(), source)
        except LoadError as exc:
            failed.append(exc)
            if source in previous:
                kept.append(source)
            continue
        changed.append((source, digest, article))
    present = {source for source, _ in files}
    removed = tuple(sorted(s for s in previous if s not in present))
    added = tuple(s for s, _, _ in changed if s not in previous)
    updated = tuple(s for s, _, _ in changed if s in previous)
    report = dict(added=added, updated=updated, removed=removed, unchanged=tuple(unchanged),
                  failed=tuple((e.path, e.reason) for e in failed),
                  failure_kinds=tuple((e.path, e.kind, e.details) for e in failed), dry_run=dry_run)
    nothing_to_do = not changed and not removed and manifest is not None and not full
    if dry_run or nothing_to_do:
        keep = {manifest.version} | _previous_kept(store, manifest) if manifest else set()
        if not dry_run and manifest and needs_collecting(store, keep):
            collect_garbage(store, keep)  # leftovers of a killed run; rare, so Chroma opens only then
        chunks = len(manifest.chunk_ids) if manifest else 0
        return IngestReport(**report, chunks=chunks, version=manifest.version if manifest else None,
                            seconds=time.perf_counter() - started)
    if manifest is None and not changed:
        return IngestReport(**report, seconds=time.perf_counter() - started)
    return _build(settings, store, embedder_factory, full, progress, started, manifest, report,
                  changed, unchanged + kept)


def _previous_kept(store: Store, manifest: Manifest) -> set[int]:
    target = rollback_target(store, manifest.version)
    return set() if target is None else {target}


def _build(settings, store: Store, embedder_factory, full, progress, started, manifest, report,
           changed, carried_sources) -> IngestReport:
    timings = {}
    t = time.perf_counter()
    # Removals alone need no model: the new version takes the old one's model and size.
    embedder = embedder_factory() if changed else None
    timings["model_load"] = time.perf_counter() - t
    if embedder is not None and manifest is not None and not full:
        check_model(manifest, embedder.name, embedder.dim)
    model, dim = (embedder.name, embedder.dim) if embedder else (manifest.model, manifest.dim)
    version = max(store.known_versions() + store.unfinished_versions() + [manifest.version if manifest else 0]) + 1
    store.create_version(version, model, dim)

    # Carry over what did not change, with its vectors.
    previous = manifest.articles if manifest else {}
    # (With --full only files that fail now are carried: their last good copy is kept, unless
    # the model changed and their vectors would no longer fit.)
    same_model = manifest is not None and (manifest.model, manifest.dim) == (model, dim)
    carried_sources = carried_sources if same_model else []
    carry_ids = [cid for s in carried_sources for cid in previous[s]["chunks"]]
    t = time.perf_counter()
    progress("copying", 0, len(carry_ids))
    carried = store.copy_chunks(manifest.version, version, carry_ids) if carry_ids else []
    progress("copying", len(carry_ids), len(carry_ids))
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
    chunk_vectors, unit_vectors = _embed(embedder, new_chunks, progress) if changed else ([], [])
    timings["embed"] = time.perf_counter() - t
    t = time.perf_counter()
    progress("writing", 0, 2)
    if new_chunks:
        store.add_chunks(version, new_chunks, chunk_vectors, unit_vectors)
    progress("writing", 1, 2)
    from .lexical import LexicalIndex

    all_chunks = carried + new_chunks
    store.save_lexical(version, LexicalIndex.build(all_chunks))
    progress("writing", 2, 2)
    timings["write"] = time.perf_counter() - t

    stamp = now_iso()
    articles = {s: previous[s] for s in carried_sources}
    for source, digest, article in changed:
        articles[source] = {"hash": digest, "title": article.title, "slug": article.slug,
                            "url": article.url, "chunks": per_article[source], "ingested_at": stamp}
    new_manifest = Manifest(version=version, model=model, dim=dim, articles=articles, published_at=stamp)
    t = time.perf_counter()
    progress("validating", 0, 1)
    validate(store, new_manifest, embedder, [a for _, _, a in changed])
    timings["validate"] = time.perf_counter() - t
    progress("publishing", 0, 2)
    store.write_manifest(new_manifest)
    progress("publishing", 1, 2)
    store.flip(new_manifest)  # the moment readers switch
    progress("publishing", 2, 2)
    progress("cleaning", 0, 1)
    collect_garbage(store, {version} | ({manifest.version} if manifest else set()))
    return IngestReport(**report, chunks=len(all_chunks), embedded=len(new_chunks), version=version,
                        published=True, seconds=time.perf_counter() - started, timings=timings,
                        article_chunks={s: len(ids) for s, ids in per_article.items()})


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
