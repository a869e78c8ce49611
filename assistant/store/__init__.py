"""The one place that talks to Chroma.

Blue/green versions: every publish writes a new pair of collections (`kb-v0007-chunks` and
`kb-v0007-units`: one vector per chunk and one per quotable sentence), a manifest of what
went in, and then flips a small pointer that readers follow (a file in the store folder, or a
record in the Chroma server's `kb-meta` collection: see store_meta.py). Unchanged chunks are
copied across versions with their vectors, never re-embedded. The previous version is kept
for rollback.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .errors import ModelMismatch, StoreEmpty, StoreError
from .schema import Chunk, Unit
from .store_meta import FileMeta, ServerMeta, decode, write_atomic  # noqa: F401 (write_atomic: shared)

log = logging.getLogger(__name__)
POINTER = "ACTIVE.json"
BATCH = 1000


@dataclass(frozen=True)
class Manifest:
    version: int
    model: str
    dim: int
    articles: dict  # source -> {"hash", "title", "slug", "url", "chunks": [ids], "ingested_at"}
    published_at: str = ""

    @property
    def chunk_ids(self) -> list[str]:
        return [cid for entry in self.articles.values() for cid in entry["chunks"]]

    def to_json(self) -> dict:
        return {"version": self.version, "model": self.model, "dim": self.dim,
                "published_at": self.published_at, "articles": self.articles}


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, store_dir: Path, chroma_host: str | None = None, chroma_port: int = 8000):
        self.dir = Path(store_dir)
        self._host, self._port = chroma_host, chroma_port
        self._client = None
        self.meta = ServerMeta(lambda: self.client) if chroma_host else FileMeta(self.dir, POINTER)
        # Question-path handles per version: building a langchain_chroma.Chroma object runs
        # pydantic-settings validation (~30 ms) and get_collection costs ~2 ms each; a question
        # should pay neither (measured with bench/profile_ask.py). Versions are write-once, so a
        # handle stays valid until that version is rebuilt or dropped (both forget it).
        self._readers: dict[int, tuple] = {}

    # --- pointer, manifests, markers: files in the folder, or records in the server ---

    @property
    def server(self) -> bool:
        return bool(self._host)

    def lexical_dir(self, version: int) -> Path:
        return self.dir / "lexical" / f"v{version:04d}"

    def has_lexical(self, version: int) -> bool:
        """Server mode keeps no keyword index: each app replica builds it from the passages."""
        return self.server or self.lexical_dir(version).is_dir()

    def save_lexical(self, version: int, index) -> None:
        if not self.server:
            index.save(self.lexical_dir(version))

    def load_lexical(self, version: int, rebuild):
        """The saved keyword index; `rebuild()` (from the version's chunks) in server mode, or
        when it is missing or torn: it holds nothing the chunks don't, so a reader heals it."""
        from .lexical import LexicalIndex

        if self.server:
            return rebuild()
        try:
            return LexicalIndex.load(self.lexical_dir(version))
        except Exception:  # missing or damaged files, whatever bm25s/numpy raise for them
            log.warning("keyword index of version %s unreadable; rebuilt from its passages", version)
            return rebuild()

    def pointer_stamp(self):
        """Cheap change detector for readers (the pointer file's mtime and size, or the record)."""
        return self.meta.stamp()

    def active_version(self) -> int | None:
        text = self.meta.read_pointer()
        if text is None:
            return None
        try:
            return int(decode(text, f"the store pointer of {self.where}")["version"])
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"the store pointer of {self.where} is damaged ({exc})") from exc

    def read_manifest(self, version: int) -> Manifest:
        try:
            data = decode(self.meta.read_manifest(version), f"the manifest of version {version}")
            return Manifest(version=data["version"], model=data["model"], dim=data["dim"],
                            articles=data["articles"], published_at=data.get("published_at", ""))
        except StoreError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as exc:
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
        return self.meta.manifest_versions()

    def publish(self, manifest: Manifest) -> None:
        self.write_manifest(manifest)
        self.flip(manifest)

    def write_manifest(self, manifest: Manifest) -> None:
        self.meta.write_manifest(manifest.version, json.dumps(manifest.to_json(), indent=1))

    def flip(self, manifest: Manifest) -> None:
        """The one moment readers switch: the pointer is replaced whole."""
        self.meta.write_pointer(json.dumps(
            {"version": manifest.version, "model": manifest.model, "dim": manifest.dim,
             "published_at": manifest.published_at}))
        self.meta.clear_building(manifest.version)

    def unfinished_versions(self) -> list[int]:
        """Versions marked while being built: a run killed mid-build leaves the mark behind, so
        the next run knows there are collections to collect."""
        return self.meta.building_versions()

    def writer_lock(self):
        """One writer at a time: a lock file here, or a lock record in the Chroma server."""
        if self.server:
            from .store_meta import ServerLock

            return ServerLock(self.meta, f"chroma://{self._host}:{self._port}")
        from .lock import WriterLock

        return WriterLock(self.dir / "ingest.lock")

    @property
    def where(self) -> str:
        return f"the Chroma server {self._host}:{self._port}" if self.server else str(self.dir)

    # --- Chroma ----------------------------------------------------------------------

    @property
    def client(self):
        if self._client is None:
            from .config import go_offline

            go_offline()
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            try:
                if self._host:
                    self._client = chromadb.HttpClient(host=self._host, port=self._port,
                                                       settings=chroma_settings)
                else:
                    self.dir.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(path=str(self.dir), settings=chroma_settings)
            except Exception as exc:  # Chroma raises many kinds; all mean "can't open the store"
                raise StoreError(f"cannot open the Chroma store at {self._host or self.dir}: {exc}") from exc
        return self._client

    @staticmethod
    def names(version: int) -> tuple[str, str]:
        return f"kb-v{version:04d}-chunks", f"kb-v{version:04d}-units"

    def create_version(self, version: int, model: str, dim: int):
        self._readers.pop(version, None)
        self.meta.mark_building(version)
        for name in self.names(version):
            try:
                self.client.delete_collection(name)  # leftovers of an interrupted run
            except Exception:
                pass
        return tuple(
            self.client.create_collection(
                name, configuration={"hnsw": {"space": "cosine"}},
                metadata={"model": model, "dim": dim, "version": version})
            for name in self.names(version))

    def collections(self, version: int):
        try:
            return tuple(self.client.get_collection(name) for name in self.names(version))
        except Exception as exc:
            raise StoreError(f"knowledge base version {version} is missing from the store ({exc})") from exc

    def drop_version(self, version: int) -> None:
        self._readers.pop(version, None)
        # Marker first, manifest next: a run killed mid-drop leaves a version that is no rollback
        # target and that the next run finishes collecting.
        self.meta.mark_building(version)
        self.meta.delete_manifest(version)
        for name in self.names(version):
            try:
                self.client.delete_collection(name)
            except Exception:
                pass
        lexical = self.lexical_dir(version)
        if lexical.is_dir():
            for path in sorted(lexical.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            lexical.rmdir()
        self.meta.clear_building(version)

    def collection_versions(self) -> set[int]:
        """Versions that have collections in Chroma, published or not."""
        found = set()
        for collection in self.client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            if name.startswith("kb-v") and name[4:8].isdigit():
                found.add(int(name[4:8]))
        return found

    def add_chunks(self, version: int, chunks: Sequence[Chunk], chunk_vectors: np.ndarray,
                   unit_vectors: Sequence[np.ndarray]) -> None:
        chunk_coll, unit_coll = self.collections(version)
        for start in range(0, len(chunks), BATCH):
            part = chunks[start:start + BATCH]
            chunk_coll.add(ids=[c.id for c in part], documents=[c.text for c in part],
                           metadatas=[chunk_metadata(c) for c in part],
                           embeddings=chunk_vectors[start:start + BATCH])
        unit_ids = [f"{c.id}#u{i}" for c in chunks for i in range(len(c.units))]
        unit_matrix = np.vstack(unit_vectors) if unit_vectors else np.zeros((0, 1), np.float32)
        unit_chunk = [c.id for c in chunks for _ in c.units]
        for start in range(0, len(unit_ids), BATCH):
            unit_coll.add(ids=unit_ids[start:start + BATCH],
                          embeddings=unit_matrix[start:start + BATCH],
                          metadatas=[{"chunk": cid} for cid in unit_chunk[start:start + BATCH]])

    def copy_chunks(self, source_version: int, target_version: int, chunk_ids: list[str]) -> list[Chunk]:
        """Carry unchanged chunks into a new version with their vectors (no model call)."""
        old_chunks, old_units = self.collections(source_version)
        new_chunks, new_units = self.collections(target_version)
        copied: list[Chunk] = []
        for start in range(0, len(chunk_ids), BATCH):
            got = old_chunks.get(ids=chunk_ids[start:start + BATCH],
                                 include=["embeddings", "documents", "metadatas"])
            if len(got["ids"]) != len(chunk_ids[start:start + BATCH]):
                raise StoreError(f"version {source_version} is missing chunks it lists; run a --full ingest")
            new_chunks.add(ids=got["ids"], embeddings=got["embeddings"],
                           documents=got["documents"], metadatas=got["metadatas"])
            part = [chunk_from(cid, meta) for cid, meta in zip(got["ids"], got["metadatas"])]
            copied.extend(part)
            unit_ids = [f"{c.id}#u{i}" for c in part for i in range(len(c.units))]
            for ustart in range(0, len(unit_ids), BATCH):
                units = old_units.get(ids=unit_ids[ustart:ustart + BATCH], include=["embeddings", "metadatas"])
                new_units.add(ids=units["ids"], embeddings=units["embeddings"], metadatas=units["metadatas"])
        return copied

    def counts(self, version: int) -> tuple[int, int]:
        chunk_coll, unit_coll = self.collections(version)
        return chunk_coll.count(), unit_coll.count()

    def all_chunks(self, version: int) -> list[Chunk]:
        chunk_coll, _ = self.collections(version)
        total, chunks, offset = chunk_coll.count(), [], 0
        while offset < total:
            got = chunk_coll.get(include=["metadatas"], limit=BATCH, offset=offset)
            chunks.extend(chunk_from(cid, meta) for cid, meta in zip(got["ids"], got["metadatas"]))
            offset += BATCH
        return chunks

    def _reader(self, version: int):
        """(LangChain vector store over the chunks, units collection) of a version, made once."""
        if version not in self._readers:
            from langchain_chroma import Chroma

            chunk_name, _ = self.names(version)
            _, unit_coll = self.collections(version)
            vectorstore = Chroma(client=self.client, collection_name=chunk_name,
                                 create_collection_if_not_exists=False)
            self._readers[version] = (vectorstore, unit_coll)
        return self._readers[version]

    def dense_search(self, version: int, vector: np.ndarray, k: int) -> list[tuple[Chunk, float]]:
        """Nearest chunks by cosine similarity, through LangChain's Chroma integration."""
        vectorstore, _ = self._reader(version)
        found = vectorstore.similarity_search_by_vector_with_relevance_scores(
            embedding=vector.tolist(), k=k)
        return [(chunk_from(doc.id, doc.metadata), 1.0 - float(distance)) for doc, distance in found]

    def unit_vectors(self, version: int, chunks: Iterable[Chunk]) -> dict[str, np.ndarray]:
        """Sentence vectors of the given chunks: stored at ingest, so a question costs one model call."""
        _, unit_coll = self._reader(version)
        chunks = list(chunks)
        ids = [f"{c.id}#u{i}" for c in chunks for i in range(len(c.units))]
        got = unit_coll.get(ids=ids, include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"]))
        out = {}
        for chunk in chunks:
            rows = [by_id[f"{chunk.id}#u{i}"] for i in range(len(chunk.units))]
            out[chunk.id] = np.asarray(rows, dtype=np.float32)
        return out


def check_model(manifest: Manifest, model: str, dim: int) -> None:
    if manifest.model != model or manifest.dim != dim:
        raise ModelMismatch(
            f"the knowledge base was built with {manifest.model} ({manifest.dim} dimensions) but the "
            f"assistant now uses {model} ({dim}); rebuild it with `python ingest.py --full`")


def chunk_metadata(chunk: Chunk) -> dict:
    return {"source": chunk.source, "slug": chunk.slug, "title": chunk.title, "url": chunk.url or "",
            "heading": chunk.heading or "",
            "units": json.dumps([[u.text, int(u.is_item), u.block] for u in chunk.units])}


def chunk_from(chunk_id: str, meta: dict) -> Chunk:
    units = tuple(Unit(text, bool(is_item), block) for text, is_item, block in json.loads(meta["units"]))
    return Chunk(id=chunk_id, source=meta["source"], slug=meta["slug"], title=meta["title"],
                 url=meta["url"] or None, heading=meta["heading"] or None, units=units)
