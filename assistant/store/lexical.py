"""BM25 over the same chunk ids as the vector store (bm25s: sparse matrices, no Python loops).

Text is lowercased, split on word characters, English stop words dropped and words
Snowball-stemmed, so "running", "runs" and "runner" meet. The index is saved beside the
store, one folder per knowledge-base version.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

from .schema import Chunk

IDS_FILE = "chunk_ids.json"


def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def _tokens(texts: list[str], stemmer) -> list[list[str]]:
    import bm25s

    return bm25s.tokenize(texts, lower=True, stopwords="en", stemmer=stemmer,
                          return_ids=False, show_progress=False)


class TermCounter:
    """Content words as BM25 sees them (stemmed, stop words out), for sentence-level overlap."""

    def __init__(self):
        self._stemmer = _stemmer()

    def __call__(self, texts: list[str]) -> list[set[str]]:
        return [set(tokens) for tokens in _tokens(texts, self._stemmer)]


def lexical_text(chunk: Chunk) -> str:
    return chunk.embed_text  # title and heading count as words of the passage


class LexicalIndex:
    def __init__(self, retriever, chunk_ids: list[str]):
        self._retriever = retriever
        self.chunk_ids = chunk_ids
        self._stemmer = _stemmer()
        self._vocab = set(retriever.vocab_dict) if retriever is not None else set()

    @classmethod
    def build(cls, chunks: Sequence[Chunk]) -> "LexicalIndex":
        import bm25s

        ids = [c.id for c in chunks]
        if not chunks:
            return cls(None, ids)
        retriever = bm25s.BM25()
        retriever.index(_tokens([lexical_text(c) for c in chunks], _stemmer()), show_progress=False)
        return cls(retriever, ids)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self._retriever is not None:
            self._retriever.save(str(folder))
        (folder / IDS_FILE).write_text(json.dumps(self.chunk_ids), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        import bm25s

        ids = json.loads((folder / IDS_FILE).read_text(encoding="utf-8"))
        retriever = bm25s.BM25.load(str(folder), mmap=False) if ids else None
        return cls(retriever, ids)

    def search(self, question: str, k: int) -> list[tuple[str, float]]:
        """Best chunk ids for the question with their BM25 scores (zero scores left out)."""
        if self._retriever is None:
            return []
        query = [t for t in _tokens([question], self._stemmer)[0] if t in self._vocab]
        if not query:
            return []
        k = min(k, len(self.chunk_ids))
        docs, scores = self._retriever.retrieve([query], k=k, show_progress=False, n_threads=1)
        return [(self.chunk_ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]
