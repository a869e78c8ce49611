"""Where the exported model is kept, what proves it was checked, and opening it (no torch here).

An export lives in a folder named by the model's key (a hash of the model's files and of the
export recipe), so a different model, or the same model exported another way, is a different
folder and can never be taken for this one:

    model.onnx    the graph (embed_export.py made it) ...
    model.onnx.data   ... and its weights beside it: ONNX Runtime then maps them instead of
                  parsing a 90 MB protobuf (~85 MB less peak memory, ~100 ms less to open)
    check.json    written only after the export matched sentence-transformers on the fixed texts:
                  the files' sha256, the figures of that check, and a few probe vectors

Where the question path looks for it:
- a local store: `<store>/models/<key>/`, beside the store, so every app on the store finds it;
- a Chroma server: the machine's own cache (`Settings.model_cache`, default
  ~/.cache/clinic-assistant/onnx/<key>/): the server holds no files, so each app host keeps
  its own copy, exported once (embed_export.py).
The cache also holds the one export per machine that ingests link into their stores.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

import numpy as np

# Part of every key: a change to how the graph is made (embed_export.py) makes a new folder.
EXPORT_RECIPE = "st-forward|torchscript-exporter|opset17|v1"
TOLERANCE = 1e-5  # max abs difference per vector component against sentence-transformers
ONNX_FILE, WEIGHTS_FILE, RECORD_FILE = "model.onnx", "model.onnx.data", "check.json"
CHECKED_FILES = (ONNX_FILE, WEIGHTS_FILE)

_memo: dict = {}  # (path, file identity) -> digest: hashing 90 MB costs ~60 ms
_embedders: dict = {}  # (weights' sha256, threads) -> OnnxEmbedder: one session per file content
_guard = threading.Lock()


class Unusable(Exception):
    """The export is missing or failed a check; `missing` tells the two apart."""

    def __init__(self, reason: str, missing: bool = False):
        super().__init__(reason)
        self.missing = missing


def model_folder(settings) -> Path:
    from assistant.embed import bundled_model_path

    return Path(settings.model_path or bundled_model_path())


def model_key(model_path: str | Path) -> str:
    """Hash of every file of the model (names and bytes) and of the export recipe."""
    folder = Path(model_path)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    identity = (str(folder.resolve()), tuple((str(p), *_stat(p)) for p in files))
    if identity not in _memo:
        digest = hashlib.sha256(EXPORT_RECIPE.encode())
        for path in files:
            digest.update(f"\0{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(file_sha256(path).encode())
        _memo[identity] = digest.hexdigest()[:20]
    return _memo[identity]


def file_sha256(path: Path) -> str:
    identity = (str(Path(path).resolve()), *_stat(path))
    if identity not in _memo:
        with open(path, "rb") as handle:
            _memo[identity] = hashlib.file_digest(handle, "sha256").hexdigest()
    return _memo[identity]


def _stat(path: Path) -> tuple:
    info = os.stat(path)
    return info.st_ino, info.st_size, info.st_mtime_ns


def cache_dir(settings) -> Path:
    return Path(settings.model_cache or Path.home() / ".cache" / "clinic-assistant" / "onnx")


def home(settings, key: str) -> Path:
    """The folder the question path reads (see the module's docstring)."""
    return cache_dir(settings) / key if settings.chroma_host else Path(settings.store_dir) / "models" / key


def read_checked(folder: Path, key: str) -> dict:
    """The check record of the export in `folder`, after proving the file is the one checked."""
    record_file = folder / RECORD_FILE
    if not all((folder / name).is_file() for name in (*CHECKED_FILES, RECORD_FILE)):
        raise Unusable(f"no exported model in {folder}", missing=True)
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
        expected, tolerance = dict(record["sha256"]), float(record["tolerance"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise Unusable(f"the check record {record_file} is damaged ({exc})") from exc
    if record.get("model_key") != key or tolerance > TOLERANCE:
        raise Unusable(f"{record_file} is for another model or a looser check")
    for name in CHECKED_FILES:
        if file_sha256(folder / name) != expected.get(name):
            raise Unusable(f"{folder / name} is not the file that passed its check (sha256 differs)")
    return record


def open_checked(settings, threads: int = 1):
    """The OnnxEmbedder for `settings`' model and store, or Unusable saying why not.

    The file must be the one that passed the export's check (its sha256), and must still give
    the probe vectors recorded then (the check at load: a damaged file, or a runtime that
    computes differently, is caught here before any question is answered)."""
    from assistant.embed import MODEL_NAME
    from assistant.embed_onnx import OnnxEmbedder

    model = model_folder(settings)
    key = model_key(model)
    folder = home(settings, key)
    record = read_checked(folder, key)
    with _guard:
        cached = _embedders.get((record["sha256"][WEIGHTS_FILE], threads))
        if cached is not None:
            return cached
        try:
            embedder = OnnxEmbedder(folder / ONNX_FILE, model, MODEL_NAME, threads)
            probes = record["probes"]
            got = embedder.embed(probes["texts"])
            worst = float(np.abs(got - np.asarray(probes["vectors"], dtype=np.float32)).max())
        except Exception as exc:  # ONNX Runtime raises its own kinds for a file it cannot run
            raise Unusable(f"{folder / ONNX_FILE} cannot be run ({type(exc).__name__}: {exc})") from exc
        if not worst <= TOLERANCE:
            raise Unusable(f"{folder / ONNX_FILE} no longer gives the checked vectors (off by {worst:.2e})")
        _embedders[(record["sha256"][WEIGHTS_FILE], threads)] = embedder
        return embedder
