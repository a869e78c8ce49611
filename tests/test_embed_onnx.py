"""The question path on ONNX Runtime (issue 15): the export the ingest makes and checks, the
same vectors as sentence-transformers, no torch in `ask` or the chat, the fallback, the keying."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from assistant.config import Settings
from assistant.embed import (
    SentenceTransformerEmbedder,
    load_batch_embedder,
    load_question_embedder,
)
from assistant.embed_export import (
    ExportFailed,
    check_texts,
    ensure_export,
    export_checked,
)
from assistant.embed_files import (
    RECORD_FILE,
    WEIGHTS_FILE,
    Unusable,
    home,
    model_folder,
    model_key,
    open_checked,
)
from assistant.embed_onnx import OnnxEmbedder
from tests.helpers import DATA, ROOT, cli_env

TORCH_STACK = ("torch", "transformers", "sentence_transformers")
DATAFRAME_STACK = ("pandas", "pyarrow")
QUESTION = "the outside of my knee hurts on long runs"


def export_folder(settings: Settings):
    return home(settings, model_key(model_folder(settings)))


def real_texts() -> list[str]:
    """Passages of the test articles (whole files cut at blank lines) and runner questions."""
    texts = [part.strip() for path in sorted((DATA / "good").iterdir())
             for part in path.read_text(encoding="utf-8", errors="replace").split("\n\n") if part.strip()]
    return texts + [QUESTION, "heel pain in the morning", "can i run a marathon with shin splints??"]


def test_the_ingest_leaves_a_checked_export_beside_the_store(built):
    folder = export_folder(built)
    assert folder.parent == built.store_dir / "models"
    record = json.loads((folder / RECORD_FILE).read_text())
    assert record["texts"] == len(check_texts()) >= 200
    assert max(record["max_abs_difference"].values()) <= 1e-5


def test_onnx_vectors_match_sentence_transformers_on_real_texts(built, embedder):
    onnx = open_checked(built)
    texts = real_texts()
    expected = embedder.embed(texts)
    one_at_a_time = np.vstack([onnx.embed([text]) for text in texts])
    assert np.abs(one_at_a_time - expected).max() <= 1e-5
    assert np.abs(onnx.embed(texts) - expected).max() <= 1e-5  # padded batches
    assert [onnx.count_tokens(t) for t in texts] == [embedder.count_tokens(t) for t in texts]
    assert (onnx.name, onnx.dim, onnx.max_tokens) == (embedder.name, embedder.dim, embedder.max_tokens)


def test_the_assistant_and_the_chat_get_the_onnx_embedder(built):
    from assistant.answer.pipeline import Assistant

    assistant = Assistant.from_settings(built)
    assert isinstance(assistant.embedder, OnnxEmbedder) and assistant.embedder.threads == 1
    assert assistant.ask(QUESTION).citations[0].source == "it-band.md"


def test_the_ingest_batches_on_onnx_runtime_on_every_core_unless_told_otherwise(built):
    from dataclasses import replace

    from assistant.errors import ConfigError

    batches = load_batch_embedder(built)
    assert isinstance(batches, OnnxEmbedder) and batches.threads == len(os.sched_getaffinity(0))
    reference = replace(built, embedder="sentence-transformers")
    assert isinstance(load_batch_embedder(reference), SentenceTransformerEmbedder)
    assert isinstance(load_question_embedder(reference), SentenceTransformerEmbedder)
    with pytest.raises(ConfigError, match="ASSISTANT_EMBEDDER"):
        load_question_embedder(replace(built, embedder="int8"))


PROBE = textwrap.dedent("""
    import contextlib, io, json, runpy, sys
    sys.argv = ["assistant", *sys.argv[1:]]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            runpy.run_module("assistant", run_name="__main__", alter_sys=True)
        except SystemExit as done:
            code = done.code
    print(json.dumps({"code": code, "answer": json.loads(out.getvalue()),
                      "loaded": sorted(m for m in sys.modules if m.split(".")[0] in %r)}))
""" % (TORCH_STACK,))


def test_ask_never_imports_torch_transformers_or_sentence_transformers(built):
    """A fresh process answers a real question; then its sys.modules is read."""
    done = subprocess.run([sys.executable, "-c", PROBE, "ask", "--json", QUESTION], cwd=ROOT, env=cli_env(built),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["code"] in (0, None) and seen["answer"]["citations"][0]["source"] == "it-band.md"
    assert seen["loaded"] == []
    assert "sentence-transformers" not in done.stderr  # no fallback was taken


APP_PROBE = textwrap.dedent("""
    import json, sys
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file("app.py", default_timeout=240).run()
    at.chat_input[0].set_value(%r).run()
    assert not at.exception, at.exception
    reply = "\\n".join(str(m.value) for m in at.chat_message[-1].markdown)
    print(json.dumps({"cited": "IT Band Syndrome in Runners" in reply,
                      "loaded": sorted(m for m in sys.modules if m.split(".")[0] in %r)}))
""" % (QUESTION, TORCH_STACK + DATAFRAME_STACK))


def test_the_chat_page_never_imports_torch_transformers_or_sentence_transformers(built, tmp_path):
    """Nor pandas and pyarrow (~85 MB a server), which st.write_stream would bring in."""
    store = tmp_path / "store"
    shutil.copytree(built.store_dir, store)  # the chat writes its question log into the store
    env = cli_env(built) | {"ASSISTANT_STORE": str(store)}
    done = subprocess.run([sys.executable, "-c", APP_PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.splitlines()[-1]) == {"cited": True, "loaded": []}


def _answer(assistant, question=QUESTION):
    answer = assistant.ask(question)
    return answer.status, answer.answer, [(c.source, c.quote) for c in answer.citations]


@pytest.mark.parametrize("damage", ["corrupted", "missing", "retrained"])
def test_a_broken_or_missing_export_falls_back_to_sentence_transformers_with_the_same_answer(
        kb, built, damage, caplog):
    from assistant.answer.pipeline import Assistant

    folder = export_folder(kb)
    weights = folder / WEIGHTS_FILE
    if damage == "corrupted":  # replaced, never written in place: it may be a hard link
        data = bytearray(weights.read_bytes())
        data[len(data) // 2:len(data) // 2 + 4096] = os.urandom(4096)
        weights.unlink()
        weights.write_bytes(bytes(data))
    elif damage == "missing":
        shutil.rmtree(folder)
    else:  # other weights, and a record that vouches for them: only the probe vectors can tell
        data = bytearray(weights.read_bytes())
        start = (len(data) - 400_000) // 4 * 4  # the last layer's weights (every text uses them) +1%
        part = np.frombuffer(bytes(data[start:start + 400_000]), dtype=np.float32) * np.float32(1.01)
        data[start:start + 400_000] = part.tobytes()
        weights.unlink()
        weights.write_bytes(bytes(data))
        record = json.loads((folder / RECORD_FILE).read_text())
        record["sha256"][WEIGHTS_FILE] = hashlib.sha256(bytes(data)).hexdigest()
        (folder / RECORD_FILE).write_text(json.dumps(record))
    with pytest.raises(Unusable):
        open_checked(kb)
    with caplog.at_level(logging.WARNING, logger="assistant.embed"):
        fallback = Assistant.from_settings(kb)
        Assistant.from_settings(kb)  # the same process asks again: one line, not two
    assert isinstance(fallback.embedder, SentenceTransformerEmbedder)
    warnings = [r for r in caplog.records if "sentence-transformers, not ONNX Runtime" in r.getMessage()]
    assert len(warnings) == 1
    assert ("python ingest.py" in warnings[0].getMessage()) == (damage == "missing")
    assert _answer(fallback) == _answer(Assistant.from_settings(built))


def test_an_ingest_with_nothing_to_do_puts_a_missing_export_back(kb, embedder):
    from assistant.ingest.run import run_ingest

    shutil.rmtree(kb.store_dir / "models")
    report = run_ingest(kb, lambda: embedder)
    assert not report.added and "question_model" in report.timings
    assert isinstance(open_checked(kb), OnnxEmbedder)


def test_a_different_model_is_a_different_file(built, tmp_path):
    """Another model (here one byte of its config changed) has another key, so another folder:
    it never finds this model's export, and falls back until its own is made."""
    other = tmp_path / "model"
    shutil.copytree(model_folder(built), other, copy_function=os.link)
    config = other / "config.json"
    text = config.read_text()
    config.unlink()  # a hard link: replace, don't write through it
    config.write_text(text + "\n")
    other_settings = Settings(knowledge_dir=built.knowledge_dir, store_dir=built.store_dir, model_path=str(other))
    assert model_key(other) != model_key(model_folder(built))
    assert export_folder(other_settings) != export_folder(built)
    with pytest.raises(Unusable) as missing:
        open_checked(other_settings)
    assert missing.value.missing


class _Drifting:
    """A reference that disagrees with the model by 1e-4: the export must refuse to be used."""

    def __init__(self, inner):
        self.inner, self.model = inner, inner.model

    def embed(self, texts):
        return self.inner.embed(texts) + np.float32(1e-4)


def test_an_export_that_does_not_match_is_refused_and_leaves_no_record(embedder, tmp_path):
    model = model_folder(Settings())
    with pytest.raises(ExportFailed, match="differs from sentence-transformers"):
        export_checked(model, tmp_path, model_key(model), _Drifting(embedder))
    assert not (tmp_path / RECORD_FILE).exists()


def test_an_app_on_a_chroma_server_exports_its_own_copy_once(tmp_path):
    """No file in this host's cache: a child process exports it (torch stays out of the app)."""
    settings = Settings(chroma_host="127.0.0.1", model_cache=tmp_path / "cache")
    assert isinstance(load_question_embedder(settings), OnnxEmbedder)
    assert export_folder(settings).parent == tmp_path / "cache"
    assert ensure_export(settings) == export_folder(settings)  # found, not made again
