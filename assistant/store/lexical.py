"""BM25 over the same chunk ids as the vector store (bm25s: sparse matrices, no Python loops).

Text is lowercased, split on word characters, English stop words dropped and words
Snowball-stemmed, so "running", "runs" and "runner" meet. The index is saved beside the
store, one folder per knowledge-base version.
"""
from __future__ import annotations

import difflib
import json
import logging
from pathlib import Path
from typing import Sequence

from assistant.schema import Chunk
from assistant.store.files import remove_tree

log = logging.getLogger(__name__)
IDS_FILE = "chunk_ids.json"


def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def _tokens(texts: list[str], stemmer) -> list[list[str]]:
    import bm25s

    return bm25s.tokenize(texts, lower=True, stopwords="en", stemmer=stemmer,
                          return_ids=False, show_progress=False)


TYPO_CUTOFF = 0.8  # difflib ratio for reading a word no passage uses as the passage word nearest to it


class Spelling:
    """Runners misspell the very words that name their problem ("achilies", "sesamoditis"); a
    stemmed word that no passage uses is read as the closest one that does, when it is 6+ letters
    and starts the same way (short words have too many real neighbours: "taper", "tape")."""

    def __init__(self, vocabulary):
        self._by_start: dict[str, list[str]] = {}
        for word in vocabulary:
            if len(word) >= 4:
                self._by_start.setdefault(word[:2], []).append(word)
        self._known = set(vocabulary)

    def __call__(self, term: str) -> str:
        if term in self._known or len(term) < 6:
            return term
        close = difflib.get_close_matches(term, self._by_start.get(term[:2], ()), n=1, cutoff=TYPO_CUTOFF)
        return close[0] if close else term


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
        self._spelling = Spelling(self._vocab)

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
        query = [w for w in (self._spelling(t) for t in _tokens([question], self._stemmer)[0]) if w in self._vocab]
        if not query:
            return []
        k = min(k, len(self.chunk_ids))
        # n_threads=0: in the calling thread (1 would start a thread pool per question, ~0.5 ms)
        docs, scores = self._retriever.retrieve([query], k=k, show_progress=False, n_threads=0)
        return [(self.chunk_ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]


class KeywordFiles:
    """The saved keyword index of each version: a folder per version beside the Chroma files.
    Server mode keeps none: each app replica builds its own from the version's passages."""

    def __init__(self, folder: Path, server: bool = False):
        self.dir, self.server = Path(folder) / "lexical", server

    def folder(self, version: int) -> Path:
        return self.dir / f"v{version:04d}"

    def has(self, version: int) -> bool:
        return self.server or self.folder(version).is_dir()

    def save(self, version: int, index: LexicalIndex) -> None:
        if not self.server:
            index.save(self.folder(version))

    def load(self, version: int, rebuild) -> LexicalIndex:
        """The saved index; `rebuild()` (from the version's chunks) in server mode, or when it is
        missing or torn: it holds nothing the chunks don't, so a reader heals it."""
        if self.server:
            return rebuild()
        try:
            return LexicalIndex.load(self.folder(version))
        except Exception:  # missing or damaged files, whatever bm25s/numpy raise for them
            log.warning("keyword index of version %s unreadable; rebuilt from its passages", version)
            return rebuild()

    def drop(self, version: int) -> None:
        remove_tree(self.folder(version))
