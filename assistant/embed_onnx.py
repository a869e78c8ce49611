"""The question path's embedder: the model's own tokenizer (`tokenizers`) and the model exported
to ONNX (embed_export.py) on ONNX Runtime. It never imports torch, transformers or
sentence-transformers, which is what keeps the chat process small and its start fast.

The exported graph is sentence-transformers' own forward pass (transformer, mean pooling,
normalisation); the vectors are normalised once more here because `encode(normalize_embeddings=
True)` does the same on top of it. Tokenising mirrors sentence-transformers too: the word
pieces are cut at the model's window (max_seq_length), a batch is padded to its longest text.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

# ONNX Runtime batches are fastest small: with 64 texts of ~200 word pieces the attention
# matrices (64 x 12 heads x 256 x 256 floats) leave the CPU cache (bench/ingest_onnx.py).
BATCH = 16


def model_window(model_path: str | Path) -> int:
    """The word pieces the model reads (sentence-transformers' max_seq_length)."""
    config = Path(model_path) / "sentence_bert_config.json"
    try:
        return int(json.loads(config.read_text(encoding="utf-8"))["max_seq_length"])
    except (OSError, ValueError, KeyError):
        return 512  # BERT's own limit, what sentence-transformers falls back to


class OnnxEmbedder:
    """all-MiniLM-L6-v2 as exported at ingest, on ONNX Runtime (CPU). Same name and vectors as
    SentenceTransformerEmbedder (checked at export to 1e-5), so the store accepts either."""

    def __init__(self, onnx_file: str | Path, model_path: str | Path, name: str, threads: int = 1):
        """`threads`: intra-op threads; 1 for questions (see SMALL_INPUT_THREADS in embed.py:
        two threads wait on each other when another process holds a core), the cores for batches."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: its warnings are about graph rewrites
        self._session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.max_tokens = model_window(model_path)
        tokenizer_file = str(Path(model_path) / "tokenizer.json")
        self._tokenizer = Tokenizer.from_file(tokenizer_file)
        self._tokenizer.no_padding()  # padded here, per batch, to its longest text
        self._tokenizer.enable_truncation(self.max_tokens)
        self._counter = Tokenizer.from_file(tokenizer_file)  # counts whole texts: no window
        self._counter.no_padding()
        self._counter.no_truncation()
        self.name = name
        self.dim = int(self._session.get_outputs()[0].shape[-1])
        self.threads = threads

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # sentence-transformers strips each text before tokenising; the tokenizer ignores the
        # outer whitespace anyway, stripping keeps the two paths visibly the same.
        encodings = self._tokenizer.encode_batch([str(t).strip() for t in texts])
        # Longest first, as sentence-transformers orders a batch: texts of like length share
        # a padded batch, so little work is spent on padding.
        order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            out[rows] = self._run([encodings[i] for i in rows])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def _run(self, encodings) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, :len(encoding.ids)] = encoding.ids
            mask[row, :len(encoding.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]

    def count_tokens(self, text: str) -> int:
        return len(self._counter.encode(text).ids)
