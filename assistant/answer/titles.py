"""Each article's title against the question (compose.py: articles compete as wholes too).

The titles are embedded once per published version: at start, and after a publish on the first
question that follows it (~40 titles: tens of ms, once), so a question stays one model call.
"""
from __future__ import annotations

import numpy as np


class TitleVectors:
    def __init__(self, embedder):
        self._embedder = embedder
        self._known: tuple | None = None  # (version, sources, their titles' vectors)

    def similarity(self, opened, vector) -> dict[str, float]:
        """source -> its title's cosine similarity to the question's (normalized) vector."""
        sources, vectors = self.vectors(opened)
        return dict(zip(sources, (vectors @ vector).tolist())) if sources else {}

    def vectors(self, opened) -> tuple[list[str], np.ndarray]:
        known = self._known
        if known is None or known[0] != opened.version:
            titles = {chunk.source: chunk.title for chunk in opened.chunks.values()}
            vectors = np.asarray(self._embedder.embed(list(titles.values()))) if titles else np.zeros((0, 0))
            known = self._known = (opened.version, list(titles), vectors)  # whole: threads may be reading
        return known[1], known[2]
