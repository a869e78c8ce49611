"""Export the packaged model to ONNX and check it against sentence-transformers before any
question uses it. Runs at ingest (the hook in ingest/run.py), or in a child process of an app
on a Chroma server that finds no export on its host (so the app itself never imports torch):

    python -m assistant.embed_export [--model DIR] [--cache DIR]

The graph is sentence-transformers' own forward pass (transformer, pooling, normalisation)
traced by torch's TorchScript exporter, in fp32: int8 was tried and gave cosine ~0.96 against the
stored fp32 vectors, too far to match against them. The check embeds the fixed texts in
embed_check.json (runner questions, triage phrasings, article passages past the model's window,
edge cases) one at a time as a question is, and in batches as an ingest is, and requires every
component within TOLERANCE of sentence-transformers' vectors. Only then is check.json written;
the question path refuses a file without it (embed_files.py).
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np

from assistant.embed_files import (
    CHECKED_FILES,
    EXPORT_RECIPE,
    ONNX_FILE,
    RECORD_FILE,
    TOLERANCE,
    WEIGHTS_FILE,
    Unusable,
    cache_dir,
    file_sha256,
    home,
    model_folder,
    model_key,
    read_checked,
)

log = logging.getLogger(__name__)
CHECK_TEXTS = Path(__file__).with_name("embed_check.json")
PROBES = (1, 12, 193)  # checked again at every load: a word, a question, a passage (one padded batch)
LOCK_TIMEOUT_S = 900  # another process exporting the same model: wait for it, don't export twice


class ExportFailed(Exception):
    """The export could not be made, or did not match sentence-transformers."""


def check_texts() -> list[str]:
    return json.loads(CHECK_TEXTS.read_text(encoding="utf-8"))["texts"]


def ensure_export(settings, reference=None) -> Path:
    """The ingest's hook: the checked export where the question path looks for it (home()),
    linked from this machine's cache, which is made first if it is missing. Cheap when both are
    there (sha256 checks). `reference`: the sentence-transformers embedder, if already loaded."""
    model = model_folder(settings)
    key = model_key(model)
    target = home(settings, key)
    try:
        read_checked(target, key)
        return target
    except Unusable:
        pass
    cached = ensure_cached(settings, reference)
    if target != cached:
        _link_folder(cached, target)
        read_checked(target, key)
    return target


def ensure_cached(settings, reference=None) -> Path:
    """This machine's checked export of `settings`' model, made if missing (one process makes
    it; others wanting it at the same time wait for that one)."""
    from filelock import FileLock

    model = model_folder(settings)
    key = model_key(model)
    cached = cache_dir(settings) / key
    cached.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(cached) + ".lock", timeout=LOCK_TIMEOUT_S):
        try:
            read_checked(cached, key)
            return cached  # made before, or by another process while this one waited
        except Unusable:
            pass
        from assistant.embed import load_embedder

        # The ingest's own model when it has one loaded (load_embedder's cache: same arguments)
        reference = reference or load_embedder(settings.model_path, settings.torch_threads)
        _drop_leftovers(cached)
        work = Path(tempfile.mkdtemp(dir=cached.parent, prefix=f".{key}."))
        work.chmod(0o755)  # mkdtemp makes it private; other users on the host read it too
        try:
            export_checked(model, work, key, reference)
            if cached.exists():
                shutil.rmtree(cached)  # a copy that failed its check
            os.replace(work, cached)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return cached


def _link_folder(source: Path, target: Path) -> None:
    """Hard links where the filesystem allows (the files are never changed in place, only
    replaced whole), copies otherwise; the folder appears whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _drop_leftovers(target)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    work.chmod(0o755)
    try:
        for name in (*CHECKED_FILES, RECORD_FILE):
            try:
                os.link(source / name, work / name)
            except OSError:
                shutil.copy2(source / name, work / name)
        if target.exists():
            shutil.rmtree(target)
        os.replace(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _drop_leftovers(folder: Path) -> None:
    """Half-made copies of `folder` from a process killed while making it (~90 MB each). Only
    called by the one process allowed to make it: under the export's lock, or the ingest's."""
    for leftover in folder.parent.glob(f".{folder.name}.*"):
        shutil.rmtree(leftover, ignore_errors=True)


def export_checked(model: Path, folder: Path, key: str, reference) -> dict:
    """Export into `folder`, check against `reference` (a SentenceTransformerEmbedder of the
    model), and write the record; ExportFailed when it does not match."""
    from assistant.embed import MODEL_NAME
    from assistant.embed_onnx import OnnxEmbedder

    started = time.perf_counter()
    onnx_file = folder / ONNX_FILE
    try:
        export_graph(reference, onnx_file)
    except Exception as exc:  # torch's exporter raises many kinds
        raise ExportFailed(f"exporting {model} to ONNX failed ({type(exc).__name__}: {exc})") from exc
    texts = check_texts()
    expected = reference.embed(texts)
    one_thread = OnnxEmbedder(onnx_file, model, MODEL_NAME, threads=1)
    all_threads = OnnxEmbedder(onnx_file, model, MODEL_NAME, threads=len(os.sched_getaffinity(0)))
    figures = {"one_at_a_time": np.vstack([one_thread.embed([t]) for t in texts]), "batched": all_threads.embed(texts)}
    figures = {way: float(np.abs(got - expected).max()) for way, got in figures.items()}
    if not max(figures.values()) <= TOLERANCE:
        raise ExportFailed(f"the ONNX export of {model} differs from sentence-transformers by "
                           f"{max(figures.values()):.2e} (> {TOLERANCE:g}) on the check texts; not used")
    probes = [texts[i] for i in PROBES]
    record = {"model_key": key, "recipe": EXPORT_RECIPE,
              "sha256": {name: file_sha256(folder / name) for name in CHECKED_FILES},
              "tolerance": TOLERANCE, "texts": len(texts), "max_abs_difference": figures,
              "probes": {"texts": probes, "vectors": expected[list(PROBES)].tolist()},
              "versions": {name: version(name) for name in ("torch", "sentence-transformers", "onnxruntime", "onnx")},
              "seconds": round(time.perf_counter() - started, 1)}
    (folder / RECORD_FILE).write_text(json.dumps(record, indent=1), encoding="utf-8")
    log.info("exported %s to ONNX: max difference %.1e on %d texts", model, max(figures.values()), len(texts))
    return record


def export_graph(reference, onnx_file: Path) -> None:
    """sentence-transformers' forward pass (whatever modules the model lists) as one graph, its
    weights in a file of their own beside it (WEIGHTS_FILE)."""
    import warnings

    import onnx
    import torch

    model = reference.model

    class Forward(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            features = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": token_type_ids}
            return self.model(features)["sentence_embedding"]

    # Traced on a padded batch, so the mask's path through attention and pooling is recorded.
    sample = model.tokenizer(["a runner's knee hurts on long downhill runs", "knee"], padding=True,
                             return_tensors="pt")
    inputs = tuple(sample[name] for name in ("input_ids", "attention_mask", "token_type_ids"))
    axes = {name: {0: "batch", 1: "tokens"} for name in ("input_ids", "attention_mask", "token_type_ids")}
    whole = onnx_file.with_name(".whole.onnx")
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the exporter's deprecation and tracer notes
        torch.onnx.export(Forward().eval(), inputs, str(whole), dynamo=False, opset_version=17,
                          input_names=list(axes), output_names=["sentence_embedding"],
                          dynamic_axes={**axes, "sentence_embedding": {0: "batch"}})
    onnx.save_model(onnx.load(str(whole)), str(onnx_file), save_as_external_data=True,
                    all_tensors_to_one_file=True, location=WEIGHTS_FILE, size_threshold=1024)
    whole.unlink()
    (onnx_file.parent / WEIGHTS_FILE).chmod(0o644)  # onnx writes it private


def export_in_subprocess(settings, timeout: float = LOCK_TIMEOUT_S) -> None:
    """For an app on a Chroma server with no export on its host: made by a child process, so
    torch is never imported into the app. ExportFailed with the child's last words otherwise."""
    import subprocess

    command = [sys.executable, "-m", "assistant.embed_export", "--model", str(model_folder(settings)),
               "--cache", str(cache_dir(settings))]
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ExportFailed(f"the export process did not finish ({exc})") from exc
    if done.returncode != 0:
        raise ExportFailed(f"the export process failed: {done.stderr.strip()[-500:]}")


def main(argv: list[str] | None = None) -> int:
    import argparse

    from assistant.config import Settings, go_offline

    parser = argparse.ArgumentParser(prog="python -m assistant.embed_export",
                                     description="Export the model to ONNX into this machine's cache, checked.")
    parser.add_argument("--model", help="model folder (default: the packaged all-MiniLM-L6-v2)")
    parser.add_argument("--cache", help="cache folder (default: ~/.cache/clinic-assistant/onnx)")
    args = parser.parse_args(argv)
    go_offline()
    settings = Settings.from_env(model_path=args.model, model_cache=Path(args.cache) if args.cache else None)
    try:
        print(ensure_cached(settings))
    except (ExportFailed, Unusable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
