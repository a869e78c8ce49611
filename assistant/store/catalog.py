"""What the records mean: the published versions, their manifests and the pointer readers follow.

A manifest lists every article in one version (content hash, title, passage ids). Publishing is
two writes: the manifest, then the pointer, replaced whole, which is the moment readers switch.
A version is marked "building" while it is written, so a run killed halfway leaves a mark the
next run sees and collects.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Mapping

from assistant.errors import ModelMismatch, StoreEmpty, StoreError


@dataclass(frozen=True)
class ArticleEntry:
    hash: str  # of the file's bytes and the pipeline settings: unchanged -> skipped
    title: str
    slug: str
    url: str | None
    chunks: tuple[str, ...]  # passage ids, in article order
    ingested_at: str = ""


@dataclass(frozen=True)
class Manifest:
    version: int
    model: str
    dim: int
    articles: Mapping[str, ArticleEntry] = field(default_factory=dict)  # source -> entry
    published_at: str = ""

    @property
    def chunk_ids(self) -> list[str]:
        return [cid for entry in self.articles.values() for cid in entry.chunks]

    def to_json(self) -> dict:
        return {"version": self.version, "model": self.model, "dim": self.dim,
                "published_at": self.published_at,
                "articles": {source: {**asdict(entry), "chunks": list(entry.chunks)}
                             for source, entry in self.articles.items()}}

    @classmethod
    def from_json(cls, data: dict) -> "Manifest":
        articles = {source: ArticleEntry(hash=entry["hash"], title=entry["title"], slug=entry["slug"],
                                         url=entry.get("url"), chunks=tuple(entry["chunks"]),
                                         ingested_at=entry.get("ingested_at", ""))
                    for source, entry in data["articles"].items()}
        return cls(version=data["version"], model=data["model"], dim=data["dim"],
                   articles=MappingProxyType(articles), published_at=data.get("published_at", ""))


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Catalog:
    """The pointer, the manifests and the building marks, over file or server records."""

    def __init__(self, records, where: str):
        self.records = records
        self.where = where  # "the store folder …" or "the Chroma server …", for messages

    def stamp(self):
        """Cheap change detector for readers (the pointer file's mtime and size, or the record)."""
        return self.records.stamp()

    def active_version(self) -> int | None:
        text = self.records.read_pointer()
        if text is None:
            return None
        try:
            return int(decode(text, f"the store pointer of {self.where}")["version"])
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"the store pointer of {self.where} is damaged ({exc})") from exc

    def read_manifest(self, version: int) -> Manifest:
        try:
            return Manifest.from_json(decode(self.records.read_manifest(version),
                                             f"the manifest of version {version}"))
        except StoreError:
            raise
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise StoreError(f"the manifest of version {version} is missing or damaged ({exc})") from exc

    def active_manifest(self) -> Manifest | None:
        version = self.active_version()
        return None if version is None else self.read_manifest(version)

    def require_active(self, model: str, dim: int) -> Manifest:
        manifest = self.active_manifest()
        if manifest is None:
            raise StoreEmpty(f"no knowledge base has been published in {self.where} yet; run `python ingest.py`")
        check_model(manifest, model, dim)
        return manifest

    def known_versions(self) -> list[int]:
        return self.records.manifest_versions()

    def unfinished_versions(self) -> list[int]:
        """Versions marked while being built: a run killed mid-build leaves the mark behind."""
        return self.records.building_versions()

    def write_manifest(self, manifest: Manifest) -> None:
        self.records.write_manifest(manifest.version, json.dumps(manifest.to_json(), indent=1))

    def flip(self, manifest: Manifest) -> None:
        """The one moment readers switch: the pointer is replaced whole."""
        self.records.write_pointer(json.dumps(
            {"version": manifest.version, "model": manifest.model, "dim": manifest.dim,
             "published_at": manifest.published_at}))
        self.records.clear_building(manifest.version)

    def publish(self, manifest: Manifest) -> None:
        self.write_manifest(manifest)
        self.flip(manifest)

    def mark_building(self, version: int) -> None:
        self.records.mark_building(version)

    def clear_building(self, version: int) -> None:
        self.records.clear_building(version)

    def forget_manifest(self, version: int) -> None:
        self.records.delete_manifest(version)


def check_model(manifest: Manifest, model: str, dim: int) -> None:
    if manifest.model != model or manifest.dim != dim:
        raise ModelMismatch(
            f"the knowledge base was built with {manifest.model} ({manifest.dim} dimensions) but the "
            f"assistant now uses {model} ({dim}); rebuild it with `python ingest.py --full`")


def decode(text: str, what: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise StoreError(f"{what} is damaged ({exc})") from exc
    if not isinstance(data, dict):
        raise StoreError(f"{what} is damaged (not an object)")
    return data
