"""The vectors: the one module that talks to Chroma's collections.

Each version is a pair of collections (`kb-v0007-chunks`: one vector per passage, with its text
and metadata; `kb-v0007-units`: one vector per quotable sentence), written once and never
changed. Unchanged passages are copied across versions with their vectors, never re-embedded.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from assistant.errors import StoreError
from assistant.schema import CONTENT, ITEM, SENTENCE, Chunk, Unit

BATCH = 1000


class VectorStore:
    def __init__(self, folder: Path, host: str | None = None, port: int = 8000):
        self.dir, self.host, self.port = Path(folder), host, port
        self._client = None
        # Question-path handles per version: building a langchain_chroma.Chroma object runs
        # pydantic-settings validation (~30 ms) and get_collection costs ~2 ms each; a question
        # should pay neither (measured with bench/profile_ask.py). Versions are write-once, so a
        # handle stays valid until that version is rebuilt or dropped (both forget it).
        self._readers: dict[int, tuple] = {}

    @property
    def client(self):
        if self._client is None:
            from assistant.config import go_offline

            go_offline()
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            try:
                if self.host:
                    self._client = chromadb.HttpClient(host=self.host, port=self.port, settings=chroma_settings)
                else:
                    self.dir.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(path=str(self.dir), settings=chroma_settings)
            except Exception as exc:  # Chroma raises many kinds; all mean "can't open the store"
                raise StoreError(f"cannot open the Chroma store at {self.host or self.dir}: {exc}") from exc
        return self._client

    @staticmethod
    def names(version: int) -> tuple[str, str]:
        return f"kb-v{version:04d}-chunks", f"kb-v{version:04d}-units"

    def create(self, version: int, model: str, dim: int):
        self._readers.pop(version, None)
        self.drop(version)  # leftovers of an interrupted run
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

    def drop(self, version: int) -> None:
        self._readers.pop(version, None)
        for name in self.names(version):
            try:
                self.client.delete_collection(name)
            except Exception:  # already gone: nothing to drop
                pass

    def versions(self) -> set[int]:
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

    def dense_search(self, version: int, vector: np.ndarray, k: int,
                     sources: Iterable[str] = ()) -> list[tuple[Chunk, float]]:
        """Nearest chunks by cosine similarity, through LangChain's Chroma integration; only
        from the given articles when `sources` names some."""
        vectorstore, _ = self._reader(version)
        sources = sorted(sources)
        where = {"source": {"$in": sources}} if sources else None
        found = vectorstore.similarity_search_by_vector_with_relevance_scores(
            embedding=vector.tolist(), k=k, filter=where)
        return [(chunk_from(doc.id, doc.metadata), 1.0 - float(distance)) for doc, distance in found]

    def unit_vectors(self, version: int, chunks: Iterable[Chunk]) -> dict[str, np.ndarray]:
        """Sentence vectors of the given chunks: stored at ingest, so a question costs one model call."""
        _, unit_coll = self._reader(version)
        chunks = list(chunks)
        ids = [f"{c.id}#u{i}" for c in chunks for i in range(len(c.units))]
        got = unit_coll.get(ids=ids, include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"]))
        return {chunk.id: np.asarray([by_id[f"{chunk.id}#u{i}"] for i in range(len(chunk.units))],
                                     dtype=np.float32)
                for chunk in chunks}


def chunk_metadata(chunk: Chunk) -> dict:
    return {"source": chunk.source, "slug": chunk.slug, "title": chunk.title, "url": chunk.url or "",
            "heading": chunk.heading or "", "section": chunk.section, "part": chunk.part,
            "units": json.dumps([[u.text, u.kind, u.block, u.tag] for u in chunk.units])}


def chunk_from(chunk_id: str, meta: dict) -> Chunk:
    units = tuple(_unit(*row) for row in json.loads(meta["units"]))
    return Chunk(id=chunk_id, source=meta["source"], slug=meta["slug"], title=meta["title"],
                 url=meta["url"] or None, heading=meta["heading"] or None, units=units,
                 section=int(meta.get("section", 0)), part=int(meta.get("part", 0)))


def _unit(text: str, kind, block: int, tag: str = CONTENT) -> Unit:
    if isinstance(kind, int):  # a store written before units had kinds: [text, is_item, block]
        kind = ITEM if kind else SENTENCE
    return Unit(text, kind, block, tag)
