"""Sentence vectors outside Chroma's index (issue 15): one memory-mapped file per version of a
local store, written by the ingest, carried over for unchanged passages, rolled back and
collected with its version; a missing or torn file is explained, never a traceback; a store
from before the files still answers and the next publish writes one."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.__main__ import main as assistant_main
from assistant.answer.pipeline import Assistant
from assistant.answer.retrieve import Retriever
from assistant.errors import StoreError
from assistant.ingest.run import run_ingest
from assistant.store import Store
from assistant.store.sentences import ROWS, VECTORS
from tests.helpers import run_command

KNEE = "the outside of my knee hurts on long runs"


def rows_of(store: Store, version: int) -> dict[str, np.ndarray]:
    return store.vectors.sentence_files.open(version).of(store.vectors.all_chunks(version))


def test_each_version_has_its_own_file_and_no_sentence_collection(kb, embedder):
    store = Store(kb.store_dir)
    first = store.catalog.active_version()
    chunks = store.vectors.all_chunks(first)
    vectors = rows_of(store, first)
    assert set(vectors) == {c.id for c in chunks}
    assert all(vectors[c.id].shape == (len(c.units), embedder.dim) for c in chunks)
    # the rows are the model's vectors of the passages' sentences (batched at ingest: not bit for bit)
    some = chunks[0]
    assert np.abs(vectors[some.id] - embedder.embed([u.text for u in some.units])).max() < 1e-5
    names = {c if isinstance(c, str) else c.name for c in store.vectors.client.list_collections()}
    assert store.vectors.names(first)[1] not in names  # nothing searches sentences by neighbour

    path = kb.knowledge_dir / "it-band.md"
    path.write_text(path.read_text() + "\nIcing after a long run eases the outside of the knee.\n")
    second = run_ingest(kb, lambda: embedder).version
    carried = rows_of(store, second)
    for chunk in chunks:
        if chunk.source != "it-band.md":  # carried over, not re-embedded: the very same rows
            assert np.array_equal(carried[chunk.id], vectors[chunk.id])
    assert store.vectors.sentence_files.has(first) and store.vectors.sentence_files.has(second)


def test_rollback_reads_the_kept_versions_file_and_old_ones_are_collected(kb, embedder):
    from assistant.store.versions import rollback

    store = Store(kb.store_dir)
    first = store.catalog.active_version()
    (kb.knowledge_dir / "shin-pain.txt").unlink()
    run_ingest(kb, lambda: embedder)
    reader = Retriever(store, embedder.name, embedder.dim)
    assert rollback(store).version == first and reader.refresh()
    shin = [c for c in reader.chunks.values() if c.source == "shin-pain.txt"]
    assert shin and set(store.vectors.unit_vectors(first, shin)) == {c.id for c in shin}
    rollback(store)
    path = kb.knowledge_dir / "it-band.md"
    path.write_text(path.read_text() + "\nA third version.\n")
    third = run_ingest(kb, lambda: embedder).version
    assert store.vectors.sentence_files.versions() == {third - 1, third}  # with their manifests


@pytest.mark.parametrize("kind", ["missing", "torn", "rows missing"])
def test_a_missing_or_torn_file_is_explained(kind, kb, embedder, capsys, monkeypatch):
    store = Store(kb.store_dir)
    folder = store.vectors.sentence_files.folder(store.catalog.active_version())
    if kind == "missing":
        (folder / VECTORS).unlink()
    elif kind == "torn":
        data = (folder / VECTORS).read_bytes()
        (folder / VECTORS).write_bytes(data[:len(data) // 2])
    else:
        (folder / ROWS).unlink()
    with pytest.raises(StoreError, match="sentence vectors of version .* (missing|damaged).*ingest.py --full"):
        Assistant.from_settings(kb, embedder=embedder)
    code, _, err = run_command(assistant_main, ["ask", KNEE], capsys, monkeypatch, kb)
    assert code == 1 and "Traceback" not in err and "sentence vectors" in err, err


def test_a_rollback_to_a_version_with_a_damaged_file_is_refused(kb, embedder):
    from assistant.store.versions import rollback

    store = Store(kb.store_dir)
    first = store.catalog.active_version()
    (kb.knowledge_dir / "shin-pain.txt").unlink()
    second = run_ingest(kb, lambda: embedder).version
    (store.vectors.sentence_files.folder(first) / VECTORS).write_bytes(b"not an array")
    with pytest.raises(StoreError, match=f"sentence vectors of version {first}"):
        rollback(store)
    assert store.catalog.active_version() == second


def test_a_store_from_before_the_files_still_answers_and_the_next_publish_writes_one(kb, embedder):
    """The sentences in a units collection, no file: how every local store was written before."""
    store = Store.from_settings(kb)  # the handle Assistant.from_settings uses
    version = store.catalog.active_version()
    chunks = store.vectors.all_chunks(version)
    vectors = rows_of(store, version)
    expected = Assistant.from_settings(kb, embedder=embedder).ask(KNEE)
    units = store.vectors.client.create_collection(store.vectors.names(version)[1],
                                                   configuration={"hnsw": {"space": "cosine"}})
    units.add(ids=[f"{c.id}#u{i}" for c in chunks for i in range(len(c.units))],
              embeddings=np.vstack([vectors[c.id] for c in chunks]))
    store.vectors.sentence_files.drop(version)
    store.vectors.check_sentences(version, [c.id for c in chunks])  # reopened: now from the collection

    answer = Assistant.from_settings(kb, embedder=embedder).ask(KNEE)
    assert (answer.answer, answer.citations) == (expected.answer, expected.citations)

    path = kb.knowledge_dir / "it-band.md"
    path.write_text(path.read_text() + "\nA new note on knees.\n")
    newer = run_ingest(kb, lambda: embedder).version
    carried = rows_of(store, newer)
    for chunk in chunks:
        if chunk.source != "it-band.md":  # Chroma's copy: float32 rounding at most
            assert np.abs(carried[chunk.id] - vectors[chunk.id]).max() < 1e-7
