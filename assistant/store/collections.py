"""The vectors: the one module that talks to Chroma's collections.

Each version is a collection `kb-v0007-chunks` (one vector per passage, with its text and
metadata) and one vector per quotable sentence, written once and never changed. Unchanged
passages are copied across versions with their vectors, never re-embedded.

Where the sentence vectors live depends on who reads them (issue 15):
- a local store: one matrix file per version beside the Chroma files (sentences.py);
  no Chroma collection, since nothing searches sentences by nearest neighbour and a `get` from
  one loads its whole HNSW index into the reader (~200 MB at 2,000 articles);
- a Chroma server: the collection `kb-v0007-units`, read with `get`, as before. The app
  replicas cannot see the server's folder, and the index then sits in the server's memory,
  not the app's. (A local copy per replica was the other choice: more code, a cache to keep
  right across publishes, for a saving that server mode does not need.)
A local store written before this change has the units collection and no file; it is read
from the collection until the next ingest writes a version with one.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from assistant.errors import StoreError
from assistant.schema import CONTENT, ITEM, SENTENCE, Chunk, Unit
from assistant.store.sentences import REBUILD, ChromaSentences, SentenceFiles

BATCH = 1000
# How many candidates Chroma's HNSW search keeps (its default is 100). HNSW is approximate, and
# below its sync threshold (1,000 items) each process rebuilds the graph from Chroma's log with
# several threads, so two processes could find different neighbours for one question: at 100,
# 0-2 of 120 questions' top 10 differed from the exact top 10 from one process to the next, and
# "is the 10 percent rule legit" was answered in one and "not covered" in another (stop 22). At
# the clinic's scale (~700 passages) a list this long visits every passage: exact, and the same
# in every process (0 of 120, three processes). A store far past it trades exactness for speed.
SEARCH_EF = 1000
KEEP_OPEN = 4  # versions whose sentence files stay open (each holds a file descriptor)
log = logging.getLogger(__name__)


class VectorStore:
    def __init__(self, folder: Path, host: str | None = None, port: int = 8000):
        self.dir, self.host, self.port = Path(folder), host, port
        self._client = None
        # Handles per version, made once: building a langchain_chroma.Chroma object runs
        # pydantic-settings validation (~30 ms) and get_collection costs ~2 ms each; a question
        # should pay neither (measured with bench/profile_ask.py). Versions are write-once, so a
        # handle stays valid until that version is rebuilt or dropped (both forget it).
        self._readers: dict[int, object] = {}  # LangChain wrappers (dense_search)
        self._handles: dict[int, object] = {}  # chunks collections (nearest_ids: the question path)
        self._sentences: dict[int, object] = {}  # SentenceMatrix or ChromaSentences (unit_vectors)
        self.sentence_files = None if host else SentenceFiles(self.dir)

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

    def create(self, version: int, model: str, dim: int) -> None:
        self.drop(version)  # leftovers of an interrupted run
        for name in self.names(version)[:None if self.host else 1]:  # units: server mode only
            self.client.create_collection(name, configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}},
                                          metadata={"model": model, "dim": dim, "version": version})

    def search_everything(self, version: int) -> None:
        """Give a version written before SEARCH_EF its search list (a writer's step: the
        setting is stored with the collection, and a query may change after it)."""
        try:
            collection = self.chunk_collection(version)
        except StoreError:
            return  # a missing version is the readers' to report, in their words
        if (collection.configuration or {}).get("hnsw", {}).get("ef_search", 0) < SEARCH_EF:
            collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
            self._handles.pop(version, None)
            self._readers.pop(version, None)

    def chunk_collection(self, version: int):
        return self._collection(self.names(version)[0], version)

    def _units_collection(self, version: int):
        return self._collection(self.names(version)[1], version)

    def _collection(self, name: str, version: int):
        try:
            return self.client.get_collection(name)
        except Exception as exc:
            raise StoreError(f"knowledge base version {version} is missing from the store ({exc})") from exc

    def drop(self, version: int) -> None:
        for cache in (self._readers, self._handles, self._sentences):
            cache.pop(version, None)
        for name in self.names(version):
            try:
                self.client.delete_collection(name)
            except Exception:  # already gone: nothing to drop
                pass
        if self.sentence_files:
            self.sentence_files.drop(version)

    def versions(self) -> set[int]:
        """Versions that have collections in Chroma or sentence files, published or not."""
        found = set(self.sentence_files.versions()) if self.sentence_files else set()
        for collection in self.client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            if name.startswith("kb-v") and name[4:8].isdigit():
                found.add(int(name[4:8]))
        return found

    def add_chunks(self, version: int, chunks: Sequence[Chunk], chunk_vectors: np.ndarray,
                   unit_vectors: Sequence[np.ndarray]) -> None:
        """The passages; in server mode their sentences too (a local store writes its sentence
        file once the version is whole: write_sentences)."""
        chunk_coll = self.chunk_collection(version)
        for start in range(0, len(chunks), BATCH):
            part = chunks[start:start + BATCH]
            chunk_coll.add(ids=[c.id for c in part], documents=[c.text for c in part],
                           metadatas=[chunk_metadata(c) for c in part],
                           embeddings=chunk_vectors[start:start + BATCH])
        if not self.host:
            return
        unit_coll = self._units_collection(version)
        unit_ids = [f"{c.id}#u{i}" for c in chunks for i in range(len(c.units))]
        unit_matrix = np.vstack(unit_vectors) if unit_vectors else np.zeros((0, 1), np.float32)
        unit_chunk = [c.id for c in chunks for _ in c.units]
        for start in range(0, len(unit_ids), BATCH):
            unit_coll.add(ids=unit_ids[start:start + BATCH],
                          embeddings=unit_matrix[start:start + BATCH],
                          metadatas=[{"chunk": cid} for cid in unit_chunk[start:start + BATCH]])

    def copy_chunks(self, source_version: int, target_version: int, chunk_ids: list[str]) -> list[Chunk]:
        """Carry unchanged chunks into a new version with their vectors (no model call); in
        server mode their sentences too (locally: write_sentences)."""
        old_chunks, new_chunks = self.chunk_collection(source_version), self.chunk_collection(target_version)
        old_units, new_units = ((self._units_collection(source_version), self._units_collection(target_version))
                                if self.host else (None, None))
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
            if not self.host:
                continue
            unit_ids = [f"{c.id}#u{i}" for c in part for i in range(len(c.units))]
            for ustart in range(0, len(unit_ids), BATCH):
                units = old_units.get(ids=unit_ids[ustart:ustart + BATCH], include=["embeddings", "metadatas"])
                new_units.add(ids=units["ids"], embeddings=units["embeddings"], metadatas=units["metadatas"])
        return copied

    def write_sentences(self, version: int, chunks: Sequence[Chunk], new: dict[str, np.ndarray],
                        source_version: int | None, dim: int) -> None:
        """A local store's sentence file of a whole version: rows of `chunks` in order, from
        `new` (chunk id -> vectors embedded by this run) or else `source_version`'s file. In
        server mode add_chunks and copy_chunks already put them in Chroma."""
        if self.host:
            return
        old_ids = [c for c in chunks if c.id not in new]
        old = self.sentences(source_version).of(old_ids) if old_ids else {}
        self.sentence_files.save(version, chunks, [new[c.id] if c.id in new else old[c.id] for c in chunks], dim)

    def check_sentences(self, version: int, chunk_ids: Sequence[str]) -> None:
        """Before a publish or a rollback: the version's sentence vectors open and cover its passages."""
        sentences = self.sentences(version, fresh=True)
        if isinstance(sentences, ChromaSentences):
            return  # server mode, or a store written before sentence files: nothing more to check
        if set(sentences.rows) != set(chunk_ids):
            raise StoreError(f"the sentence vectors of version {version} do not match its passages; {REBUILD}")

    def counts(self, version: int) -> tuple[int, int]:
        """(passages, sentences) of a version."""
        return self.chunk_collection(version).count(), self.sentences(version).count()

    def all_chunks(self, version: int) -> list[Chunk]:
        chunk_coll = self.chunk_collection(version)
        total, chunks, offset = chunk_coll.count(), [], 0
        while offset < total:
            got = chunk_coll.get(include=["metadatas"], limit=BATCH, offset=offset)
            chunks.extend(chunk_from(cid, meta) for cid, meta in zip(got["ids"], got["metadatas"]))
            offset += BATCH
        return chunks

    def _reader(self, version: int):
        """The LangChain vector store over a version's chunks, made once."""
        if version not in self._readers:
            from langchain_chroma import Chroma

            self.chunk_collection(version)  # a missing version says so in our words
            self._readers[version] = Chroma(client=self.client, collection_name=self.names(version)[0],
                                            create_collection_if_not_exists=False)
        return self._readers[version]

    def sentences(self, version: int, fresh: bool = False):
        """A version's sentence vectors as readers gather them (`.of(chunks)`), opened once:
        its file, or the units collection (server mode; a local store from before the files)."""
        if fresh or version not in self._sentences:
            if self.sentence_files and self.sentence_files.has(version):
                found = self.sentence_files.open(version)
            else:
                try:
                    found = ChromaSentences(self._units_collection(version))
                except StoreError:
                    raise StoreError(f"the sentence vectors of version {version} are missing; {REBUILD}") from None
                if self.sentence_files:
                    log.warning("version %s keeps its sentence vectors in Chroma (written before sentence "
                                "files); the next ingest that publishes writes one", version)
            self._sentences.pop(version, None)
            self._sentences[version] = found
            while len(self._sentences) > KEEP_OPEN:  # a long-running chat follows many publishes
                self._sentences.pop(next(iter(self._sentences)))
        return self._sentences[version]

    def dense_search(self, version: int, vector: np.ndarray, k: int,
                     sources: Iterable[str] = ()) -> list[tuple[Chunk, float]]:
        """Nearest chunks by cosine similarity, through LangChain's Chroma integration; only
        from the given articles when `sources` names some."""
        vectorstore = self._reader(version)
        sources = sorted(sources)
        where = {"source": {"$in": sources}} if sources else None
        found = vectorstore.similarity_search_by_vector_with_relevance_scores(
            embedding=vector.tolist(), k=k, filter=where)
        return [(chunk_from(doc.id, doc.metadata), 1.0 - float(distance)) for doc, distance in found]

    def nearest_ids(self, version: int, vector: np.ndarray, k: int,
                    sources: Iterable[str] = ()) -> list[tuple[str, float]]:
        """The question path's dense query: ids of the nearest chunks with cosine similarity.
        The same Chroma query as dense_search (vector, k, filter), asked for distances only,
        straight from Chroma: LangChain's wrapper always fetches every hit's text and metadata
        and builds a Document of it (~1 ms of a ~8 ms answer, bench/answer_floor.py), while a
        reader already holds the passages and wants their ids. The wrapper stays for the publish
        check, which wants whole passages; not importing it keeps ~24 MB out of the chat."""
        if version not in self._handles:
            self._handles[version] = self.chunk_collection(version)
        sources = sorted(sources)
        got = self._handles[version].query(query_embeddings=[vector], n_results=k, include=["distances"],
                                           where={"source": {"$in": sources}} if sources else None)
        return [(cid, 1.0 - float(distance)) for cid, distance in zip(got["ids"][0], got["distances"][0])]

    def unit_vectors(self, version: int, chunks: Iterable[Chunk]) -> dict[str, np.ndarray]:
        """Sentence vectors of the given chunks: stored at ingest, so a question costs one model call."""
        return self.sentences(version).of(chunks)


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
