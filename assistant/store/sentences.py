"""The sentence vectors of each version, outside Chroma's index (issue 15).

An answer scores the sentences of its ~10 passages against the question; nothing ever searches
sentences by nearest neighbour. Kept in a Chroma collection, one `get` of a few dozen of them
made Chroma load that collection's whole HNSW index into the reader's memory (~200 MB at 2,000
articles, 92,427 sentences). So a local store keeps them as one float32 matrix per version,
`sentences/v0007/vectors.npy` (a row per sentence, passage after passage in the order that
`rows.json` lists); readers keep it open and read an answer's rows with one `pread` per passage.

Versioned with the rest: written by the ingest while the version is marked building, before
its manifest and the pointer; checked before a publish and a rollback (versions.validate);
dropped with the version. Each file is written whole (files.atomic_file), `rows.json` last, so
a version whose `rows.json` is there has its vectors too, unless something damaged them since:
then opening it says so, by version, instead of answering from half a matrix.
"""
from __future__ import annotations

import json
import os
import weakref
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from assistant.errors import StoreError
from assistant.schema import Chunk
from assistant.store.files import atomic_file, remove_tree, write_atomic

VECTORS, ROWS = "vectors.npy", "rows.json"
DTYPE = "<f4"  # float32, little-endian: what np.save writes for the model's vectors here
GET_CHUNKS = 200  # passages per Chroma get (~1,500 sentences)
REBUILD = "rebuild the store with `python ingest.py --full`"


class SentenceMatrix:
    """One version's sentence vectors, read a passage at a time from the open file (os.pread:
    a passage's rows are adjacent, so one read each; the page cache keeps the file for every
    process on the host). Not memory-mapped: on a file system with large folios (ext4 on Linux
    6.x) reading one row maps the pages around it too, and 20 answers at 2,000 articles left
    ~97 MB of the file in the process's resident memory (bench/memory_steps.py)."""

    def __init__(self, version: int, path: Path, offset: int, shape: tuple[int, int],
                 rows: dict[str, tuple[int, int]]):
        self.version, self.rows = version, rows
        self._count, self._dim, self._offset = shape[0], shape[1], offset
        self._row_bytes = shape[1] * np.dtype(DTYPE).itemsize
        self._fd = os.open(path, os.O_RDONLY)  # open for the handle's life: a collected file still reads
        weakref.finalize(self, os.close, self._fd)

    def count(self) -> int:
        return self._count

    def of(self, chunks: Iterable[Chunk]) -> dict[str, np.ndarray]:
        """chunk id -> its sentences' vectors (read-only arrays of a few KB)."""
        out = {}
        for chunk in chunks:
            try:
                start, count = self.rows[chunk.id]
            except KeyError:
                raise StoreError(f"the sentence vectors of version {self.version} lack passage {chunk.id}; "
                                 f"{REBUILD}") from None
            size = count * self._row_bytes
            data = os.pread(self._fd, size, self._offset + start * self._row_bytes)
            if len(data) != size:
                raise StoreError(f"the sentence vectors of version {self.version} are damaged (cut short); {REBUILD}")
            out[chunk.id] = np.frombuffer(data, dtype=DTYPE).reshape(count, self._dim)
        return out


class SentenceFiles:
    """The sentence matrix of each version: a folder per version beside the keyword index."""

    def __init__(self, folder: Path):
        self.dir = Path(folder) / "sentences"

    def folder(self, version: int) -> Path:
        return self.dir / f"v{version:04d}"

    def has(self, version: int) -> bool:
        return (self.folder(version) / ROWS).is_file()

    def versions(self) -> set[int]:
        if not self.dir.is_dir():
            return set()
        return {int(p.name[1:]) for p in self.dir.iterdir() if p.name[:1] == "v" and p.name[1:].isdigit()}

    def save(self, version: int, chunks: Sequence[Chunk], vectors: Sequence[np.ndarray], dim: int) -> None:
        """`vectors[i]`: the rows of `chunks[i]`, one per unit."""
        counts = [len(c.units) for c in chunks]
        if [len(v) for v in vectors] != counts:
            raise StoreError(f"version {version}: sentence vectors do not match the passages' sentences")
        matrix = np.vstack(vectors).astype(np.float32, copy=False) if sum(counts) else np.zeros((0, dim), np.float32)
        folder = self.folder(version)
        with atomic_file(folder / VECTORS) as handle:
            np.save(handle, matrix, allow_pickle=False)
        write_atomic(folder / ROWS, json.dumps({"dim": dim, "ids": [c.id for c in chunks], "counts": counts}))

    def open(self, version: int) -> SentenceMatrix:
        folder = self.folder(version)
        try:
            rows = json.loads((folder / ROWS).read_text(encoding="utf-8"))
            ids, counts, dim = rows["ids"], rows["counts"], int(rows["dim"])
            # mapped only to read and check the header (no row is touched), then let go
            matrix = np.load(folder / VECTORS, mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError, KeyError, TypeError) as exc:  # missing, torn, not JSON, not an .npy
            raise StoreError(f"the sentence vectors of version {version} are missing or damaged ({exc}); "
                             f"{REBUILD}") from exc
        if matrix.dtype != np.dtype(DTYPE) or matrix.shape != (sum(counts), dim) or len(ids) != len(counts):
            raise StoreError(f"the sentence vectors of version {version} are damaged (shape {matrix.shape}, "
                             f"{matrix.dtype}; expected {sum(counts)} x {dim} float32); {REBUILD}")
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).tolist() if counts else []
        try:
            return SentenceMatrix(version, folder / VECTORS, matrix.offset, matrix.shape,
                                  {cid: (start, count) for cid, start, count in zip(ids, starts, counts)})
        except OSError as exc:  # gone between the two looks
            raise StoreError(f"the sentence vectors of version {version} are missing ({exc}); {REBUILD}") from exc

    def drop(self, version: int) -> None:
        remove_tree(self.folder(version))


class ChromaSentences:
    """Sentence vectors in a Chroma units collection, ids `<chunk id>#u<n>`, one `get` per
    answer: server mode, and local stores written before sentence files."""

    def __init__(self, collection):
        self._collection = collection

    def count(self) -> int:
        return self._collection.count()

    def of(self, chunks: Iterable[Chunk]) -> dict[str, np.ndarray]:
        chunks, out = list(chunks), {}
        # An answer's passages are one get; an ingest carrying a whole old version over reads it in parts.
        for start in range(0, len(chunks), GET_CHUNKS):
            part = chunks[start:start + GET_CHUNKS]
            ids = [f"{c.id}#u{i}" for c in part for i in range(len(c.units))]
            got = self._collection.get(ids=ids, include=["embeddings"])
            by_id = dict(zip(got["ids"], got["embeddings"]))
            out.update((chunk.id, np.asarray([by_id[f"{chunk.id}#u{i}"] for i in range(len(chunk.units))],
                                             dtype=np.float32))
                       for chunk in part)
        return out
