"""The life of a knowledge-base version: begun, checked, published, rolled back, collected.

Two versions are kept: the active one and the one it replaced (the rollback target).
Everything else — older versions and the half-built leftovers of killed runs — is collected.
"""
from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import StoreError
from assistant.store import Manifest, Store

TITLE_CHECK_DEPTH = 50  # passages searched when checking a new article is findable by its title


@dataclass(frozen=True)
class Rollback:
    version: int  # now active
    replaced: int | None  # was active; kept, so a second rollback switches back (None: the pointer was damaged)
    published_at: str


def begin(store: Store, version: int, model: str, dim: int) -> None:
    """Marked first, then made: a run killed in between leaves a mark the next run collects."""
    store.catalog.mark_building(version)
    store.vectors.create(version, model, dim)


def drop(store: Store, version: int) -> None:
    """Mark first, manifest next: a run killed mid-drop leaves a version that is no rollback
    target and that the next run finishes collecting."""
    store.catalog.mark_building(version)
    store.catalog.forget_manifest(version)
    store.vectors.drop(version)
    store.keywords.drop(version)
    store.catalog.clear_building(version)


def validate(store: Store, manifest: Manifest, embedder=None, changed=()) -> None:
    """Before a flip: every expected chunk is there, and each changed article is findable by
    its own title (a broken embedding or a wrong model shows up here, not in front of runners)."""
    expected = manifest.chunk_ids
    chunk_count, _ = store.vectors.counts(manifest.version)
    if chunk_count != len(expected) or len(set(expected)) != len(expected):
        raise StoreError(f"version {manifest.version} has {chunk_count} chunks, expected {len(expected)}; "
                         "nothing was published")
    if not store.keywords.has(manifest.version):
        raise StoreError(f"version {manifest.version} has no keyword index; nothing was published")
    store.vectors.check_sentences(manifest.version, expected)
    if not changed:
        return
    vectors = embedder.embed([a.title for a in changed])
    for article, vector in zip(changed, vectors):
        # 50, not 10: a clinic's "part 1" and "part 2" of one topic may crowd each other out of
        # the first few places; a broken embedding is not found anywhere near the top.
        found = {c.source for c, _ in store.vectors.dense_search(manifest.version, vector, TITLE_CHECK_DEPTH)}
        if article.source not in found:
            raise StoreError(f"'{article.title}' ({article.source}) could not be found by its own title "
                             "in the new version; nothing was published")


def needs_collecting(store: Store, keep: set[int]) -> bool:
    """Cheap (no Chroma): are there versions or leftovers besides the kept ones?"""
    return bool(set(store.catalog.known_versions()) - keep or store.catalog.unfinished_versions())


def collect_garbage(store: Store, keep: set[int]) -> None:
    for version in sorted((set(store.catalog.known_versions()) | set(store.catalog.unfinished_versions())) - keep):
        drop(store, version)
    # Collections of runs killed before they wrote a marker or a manifest.
    for version in store.vectors.versions() - keep:
        drop(store, version)


def rollback(store: Store) -> Rollback:
    """Point readers back at the other kept version, after checking it is whole. A damaged
    pointer is repaired: readers go to the newest kept version that is whole."""
    try:
        active = store.catalog.active_manifest()
    except StoreError:
        return _repair(store)
    if active is None:
        raise StoreError("nothing has been published yet, so there is nothing to roll back to")
    version = rollback_target(store, active.version)
    if version is None:
        raise StoreError("no earlier version is kept, so there is nothing to roll back to")
    target = store.catalog.read_manifest(version)
    validate(store, target)
    store.catalog.flip(target)
    return Rollback(version=target.version, replaced=active.version, published_at=target.published_at)


def _repair(store: Store) -> Rollback:
    unfinished = set(store.catalog.unfinished_versions())
    for version in sorted(set(store.catalog.known_versions()) - unfinished, reverse=True):
        try:
            target = store.catalog.read_manifest(version)
            validate(store, target)
        except StoreError:
            continue
        store.catalog.flip(target)
        return Rollback(version=target.version, replaced=None, published_at=target.published_at)
    raise StoreError("no kept version is whole; rebuild the store with `python ingest.py --full`")


def rollback_target(store: Store, active: int) -> int | None:
    """The other kept version; a killed run's manifest (never flipped to) is not one."""
    unfinished = set(store.catalog.unfinished_versions())
    others = [v for v in store.catalog.known_versions() if v != active and v not in unfinished]
    return max(others) if others else None
