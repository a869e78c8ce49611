"""Sync the store with the knowledge folder: new and changed articles are embedded, removed
ones dropped, unchanged ones carried over with their vectors (no model load when nothing
changed). Each run publishes a whole new version and flips the pointer only after checking it.
Then the question path's model is made ready beside the store (the ONNX export, see
embed_export.py), once per model.
"""
from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable

from assistant.config import Settings
from assistant.errors import LoadError
from assistant.ingest.chunk import chunk_article
from assistant.ingest.discover import (
    config_problems,
    content_hash,
    discover,
    pipeline_salt,
)
from assistant.ingest.filler_rules import load_filler
from assistant.ingest.guard import GuardedParser, Limits
from assistant.ingest.load import read_capped
from assistant.ingest.tag import Tagger
from assistant.schema import Article, Chunk
from assistant.store import ArticleEntry, Manifest, Store
from assistant.store.catalog import check_model, now_iso
from assistant.store.versions import (
    begin,
    collect_garbage,
    needs_collecting,
    rollback_target,
    validate,
)

Progress = Callable[[str, int, int], None]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changed:
    source: str
    hash: str
    article: Article


@dataclass(frozen=True)
class Changes:
    """What a run found, compared with the published version, before anything is written."""

    previous: Manifest | None
    changed: tuple[Changed, ...]
    unchanged: tuple[str, ...]
    kept: tuple[str, ...]  # failed now, but their published copy stays (nothing is lost)
    removed: tuple[str, ...]
    failed: tuple[LoadError, ...]

    @property
    def added(self) -> tuple[str, ...]:
        known = self.previous.articles if self.previous else {}
        return tuple(c.source for c in self.changed if c.source not in known)

    @property
    def updated(self) -> tuple[str, ...]:
        known = self.previous.articles if self.previous else {}
        return tuple(c.source for c in self.changed if c.source in known)


@dataclass(frozen=True)
class _Run:
    """What every stage of one run needs."""

    settings: Settings
    store: Store
    full: bool
    progress: Progress
    started: float


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

    @classmethod
    def of(cls, changes: Changes, started: float, **outcome) -> "IngestReport":
        return cls(added=changes.added, updated=changes.updated, removed=changes.removed,
                   unchanged=changes.unchanged, failed=tuple((e.path, e.reason) for e in changes.failed),
                   failure_kinds=tuple((e.path, e.kind, e.details) for e in changes.failed),
                   seconds=time.perf_counter() - started, **outcome)

    def to_json(self) -> dict:
        return {"added": len(self.added), "updated": len(self.updated), "removed": len(self.removed),
                "unchanged": len(self.unchanged), "chunks": self.chunks,
                "failed": [{"path": p, "error": e} for p, e in self.failed],
                "seconds": round(self.seconds, 3), "version": self.version,
                "published": self.published, "dry_run": self.dry_run,
                "timings": {stage: round(seconds, 3) for stage, seconds in self.timings.items()},
                "files": {"added": list(self.added), "updated": list(self.updated),
                          "removed": list(self.removed)}}


def run_ingest(settings: Settings, embedder_factory: Callable, full: bool = False,
               dry_run: bool = False, progress: Progress | None = None, limits: Limits = Limits(),
               parser=None, lock_held: bool = False) -> IngestReport:
    """`parser`: anything with `parse(raw, suffix, source) -> Article` (default: a GuardedParser).
    `lock_held`: the caller already holds the store's writer lock (the staff page writes the
    uploaded file and ingests it under one lock)."""
    store = Store.from_settings(settings)
    run = _Run(settings, store, full, progress or (lambda stage, done, total: None), time.perf_counter())
    own_parser = parser is None
    parser = parser or GuardedParser(limits)
    try:
        with nullcontext() if dry_run or lock_held else store.writer_lock():
            changes = find_changes(run, parser, limits)
            manifest = changes.previous
            nothing_to_do = not changes.changed and not changes.removed and manifest is not None and not full
            if dry_run or nothing_to_do:
                if not dry_run and manifest and needs_collecting(store, _kept_versions(store, manifest)):
                    collect_garbage(store, _kept_versions(store, manifest))  # a killed run's leftovers
                if not dry_run and manifest:
                    store.vectors.search_everything(manifest.version)  # a version from before SEARCH_EF
                timings = {} if dry_run or manifest is None else _question_model(settings)
                return IngestReport.of(changes, run.started, dry_run=dry_run,
                                       chunks=len(manifest.chunk_ids) if manifest else 0,
                                       version=manifest.version if manifest else None, timings=timings)
            if manifest is None and not changes.changed:
                return IngestReport.of(changes, run.started)
            report = _build(run, changes, embedder_factory)
            report.timings.update(_question_model(settings))
            return report
    finally:
        if own_parser:
            parser.close()


def _question_model(settings: Settings) -> dict:
    """The hook: the checked ONNX export where the chat and `ask` look for it (a link to this
    machine's one export of the model; made the first time, ~15 s). After the publish and
    never in its way: if it fails, questions use sentence-transformers (the chat says so)."""
    from assistant.embed_export import ensure_export

    started = time.perf_counter()
    try:
        ensure_export(settings)
    except Exception as exc:  # the export's own failures, a full disk, a lock wait that timed out
        log.warning("the question model was not exported (%s: %s); questions will be embedded with "
                    "sentence-transformers", type(exc).__name__, exc)
    return {"question_model": time.perf_counter() - started}


def find_changes(run: _Run, parser, limits: Limits) -> Changes:
    settings, progress = run.settings, run.progress
    manifest = run.store.catalog.active_manifest()
    previous = manifest.articles if manifest else {}
    files, failed = discover(settings.knowledge_dir)
    failed = config_problems(settings) + list(failed)
    salt = pipeline_salt(settings)
    changed, unchanged, kept = [], [], []
    for index, (source, path) in enumerate(files):
        progress("reading", index + 1, len(files))
        try:
            raw = read_capped(path, source, limits.max_bytes)
            digest = content_hash(raw, salt)
            if not run.full and source in previous and previous[source].hash == digest:
                unchanged.append(source)
                continue
            changed.append(Changed(source, digest, parser.parse(raw, path.suffix.lower(), source)))
        except LoadError as exc:
            failed.append(exc)
            if source in previous:
                kept.append(source)
    present = {source for source, _ in files}
    return Changes(previous=manifest, changed=tuple(changed), unchanged=tuple(unchanged), kept=tuple(kept),
                   removed=tuple(sorted(s for s in previous if s not in present)), failed=tuple(failed))


def _kept_versions(store: Store, manifest: Manifest) -> set[int]:
    target = rollback_target(store, manifest.version)
    return {manifest.version} | (set() if target is None else {target})


def _build(run: _Run, changes: Changes, embedder_factory: Callable) -> IngestReport:
    settings, store, progress = run.settings, run.store, run.progress
    t = time.perf_counter()
    # Removals alone need no model: the new version takes the old one's model and size.
    embedder = embedder_factory() if changes.changed else None
    timings = {"model_load": time.perf_counter() - t}
    manifest = changes.previous
    if embedder is not None and manifest is not None and not run.full:
        check_model(manifest, embedder.name, embedder.dim)
    model, dim = (embedder.name, embedder.dim) if embedder else (manifest.model, manifest.dim)
    catalog = store.catalog
    version = max(catalog.known_versions() + catalog.unfinished_versions() + [manifest.version if manifest else 0]) + 1
    begin(store, version, model, dim)

    # Carry over what did not change, with its vectors. (With --full only files that fail now
    # are carried: their last good copy is kept, unless the model changed and their vectors
    # would no longer fit.)
    previous = manifest.articles if manifest else {}
    same_model = manifest is not None and (manifest.model, manifest.dim) == (model, dim)
    carried_sources = changes.unchanged + changes.kept if same_model else ()
    carry_ids = [cid for s in carried_sources for cid in previous[s].chunks]
    t = time.perf_counter()
    progress("copying", 0, len(carry_ids))
    carried = store.vectors.copy_chunks(manifest.version, version, carry_ids) if carry_ids else []
    progress("copying", len(carry_ids), len(carry_ids))
    timings["copy"] = time.perf_counter() - t

    t = time.perf_counter()
    tagger = Tagger(load_filler(settings.filler_file), embedder.embed) if embedder else None
    known: dict = {}  # sentence -> vector, from the tagger's one model call per article
    per_article = {}
    for c in changes.changed:
        article, vectors = tagger.tag(c.article)
        known.update(vectors)
        per_article[c.source] = chunk_article(article, embedder.count_tokens, settings.chunk_max_tokens)
    new_chunks = [chunk for chunks in per_article.values() for chunk in chunks]
    timings["tag_and_chunk"] = time.perf_counter() - t

    t = time.perf_counter()
    chunk_vectors, unit_vectors = _embed(embedder, new_chunks, progress, known) if changes.changed else ([], [])
    timings["embed"] = time.perf_counter() - t
    t = time.perf_counter()
    progress("writing", 0, 2)
    if new_chunks:
        store.vectors.add_chunks(version, new_chunks, chunk_vectors, unit_vectors)
    progress("writing", 1, 2)
    from assistant.store.lexical import LexicalIndex

    all_chunks = carried + new_chunks
    store.keywords.save(version, LexicalIndex.build(all_chunks))
    store.vectors.write_sentences(version, all_chunks, dict(zip((c.id for c in new_chunks), unit_vectors)),
                                  manifest.version if manifest else None, dim)
    progress("writing", 2, 2)
    timings["write"] = time.perf_counter() - t

    stamp = now_iso()
    articles = {s: previous[s] for s in carried_sources}
    for c in changes.changed:
        articles[c.source] = ArticleEntry(hash=c.hash, title=c.article.title, slug=c.article.slug,
                                          url=c.article.url, chunks=tuple(x.id for x in per_article[c.source]),
                                          ingested_at=stamp)
    new_manifest = Manifest(version=version, model=model, dim=dim, articles=articles, published_at=stamp)
    t = time.perf_counter()
    progress("validating", 0, 1)
    validate(store, new_manifest, embedder, [c.article for c in changes.changed])
    timings["validate"] = time.perf_counter() - t
    progress("publishing", 0, 2)
    catalog.write_manifest(new_manifest)
    progress("publishing", 1, 2)
    catalog.flip(new_manifest)  # the moment readers switch
    progress("publishing", 2, 2)
    progress("cleaning", 0, 1)
    collect_garbage(store, {version} | ({manifest.version} if manifest else set()))
    return IngestReport.of(changes, run.started, chunks=len(all_chunks), embedded=len(new_chunks), version=version,
                           published=True, timings=timings,
                           article_chunks={s: len(chunks) for s, chunks in per_article.items()})


def _embed(embedder, chunks: list[Chunk], progress: Progress, known: dict | None = None, batch: int = 256):
    """Chunk vectors (title and heading prepended) and one vector per unit; a sentence the
    tagger already embedded is not embedded again."""
    import numpy as np

    known = known or {}
    wanted = [c.embed_text for c in chunks] + [u.text for c in chunks for u in c.units]
    todo = list(dict.fromkeys(t for t in wanted if t not in known))
    found = dict(known)
    for start in range(0, len(todo), batch):
        found.update(zip(todo[start:start + batch], embedder.embed(todo[start:start + batch])))
        progress("embedding", min(start + batch, len(todo)), len(todo))
    matrix = np.vstack([found[t] for t in wanted]) if wanted else np.zeros((0, embedder.dim), np.float32)
    chunk_vectors = matrix[:len(chunks)]
    unit_vectors, offset = [], len(chunks)
    for chunk in chunks:
        unit_vectors.append(matrix[offset:offset + len(chunk.units)])
        offset += len(chunk.units)
    return chunk_vectors, unit_vectors
