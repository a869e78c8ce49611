"""Ingest and the versioned store, with real files, the real model and a real Chroma store."""
import os
import subprocess
import sys

import pytest

from assistant.answer.retrieve import Retriever
from assistant.config import Settings
from assistant.errors import IngestLocked, ModelMismatch
from assistant.ingest.run import run_ingest
from assistant.store import Store
from tests.helpers import DATA, ROOT, cli_env, make_knowledge

# `kb` (conftest): a private copy of the session's store built from the five test articles.


def no_model():
    raise AssertionError("the model must not be loaded when nothing changed")


def texts(settings):
    store = Store(settings.store_dir)
    return " ".join(c.text for c in store.vectors.all_chunks(store.catalog.active_version()))


def test_second_run_changes_nothing_and_loads_no_model(kb):
    store = Store(kb.store_dir)
    before = (store.catalog.active_version(), sorted(store.catalog.active_manifest().chunk_ids))
    again = run_ingest(kb, no_model)
    assert (len(again.added), len(again.updated), len(again.removed), len(again.unchanged)) == (0, 0, 0, 5)
    assert not again.published
    assert (store.catalog.active_version(), sorted(store.catalog.active_manifest().chunk_ids)) == before


def test_an_edit_updates_only_that_article_and_old_text_is_gone(kb, embedder):
    path = kb.knowledge_dir / "it-band.md"
    path.write_text(path.read_text().replace("clamshells", "monster walks with a band"))
    report = run_ingest(kb, lambda: embedder)
    assert report.updated == ("it-band.md",) and len(report.unchanged) == 4 and report.published
    assert report.embedded < report.chunks  # the other articles were carried over, not re-embedded
    assert "clamshells" not in texts(kb) and "monster walks" in texts(kb)


def test_a_removed_file_is_deleted_from_the_store(kb, embedder):
    (kb.knowledge_dir / "shin-pain.txt").unlink()
    report = run_ingest(kb, lambda: embedder)
    assert report.removed == ("shin-pain.txt",)
    assert "shinbone" not in texts(kb)
    assert "shin-pain.txt" not in Store(kb.store_dir).catalog.active_manifest().articles


def test_bad_files_are_reported_by_name_and_the_good_ones_publish(kb, embedder):
    for name in ("empty.md", "binary.txt", "notes.docx"):
        (kb.knowledge_dir / name).write_bytes((DATA / "bad" / name).read_bytes())
    (kb.knowledge_dir / "new-article.md").write_text("# Calf Raises\n\nCalf raises build the calves for hills.\n")
    report = run_ingest(kb, lambda: embedder)
    assert {p for p, _ in report.failed} == {"empty.md", "binary.txt", "notes.docx"}
    assert report.added == ("new-article.md",) and report.published


def test_a_once_good_file_that_breaks_keeps_its_published_copy(kb, embedder):
    (kb.knowledge_dir / "it-band.md").write_bytes(b"")
    report = run_ingest(kb, no_model)
    assert report.failed == (("it-band.md", "empty file"),)
    assert "IT band" in texts(kb)  # nothing already ingested is lost


def test_full_rebuild_gives_the_same_ids(kb, embedder):
    before = sorted(Store(kb.store_dir).catalog.active_manifest().chunk_ids)
    report = run_ingest(kb, lambda: embedder, full=True)
    assert report.published and report.embedded == report.chunks
    assert sorted(Store(kb.store_dir).catalog.active_manifest().chunk_ids) == before


def test_dry_run_touches_nothing(kb):
    (kb.knowledge_dir / "shin-pain.txt").unlink()
    version = Store(kb.store_dir).catalog.active_version()
    report = run_ingest(kb, no_model, dry_run=True)
    assert report.removed == ("shin-pain.txt",) and not report.published
    assert Store(kb.store_dir).catalog.active_version() == version


def test_old_versions_are_collected_and_the_previous_one_kept(kb, embedder):
    path = kb.knowledge_dir / "it-band.md"
    for n in range(3):
        path.write_text(path.read_text() + f"\nExtra note number {n} about knees.\n")
        run_ingest(kb, lambda: embedder)
    store = Store(kb.store_dir)
    assert store.catalog.known_versions() == [store.catalog.active_version() - 1, store.catalog.active_version()]


def test_a_reader_follows_a_published_flip_without_restarting(kb, embedder):
    store = Store(kb.store_dir)
    reader = Retriever(store, embedder.name, embedder.dim)
    version = reader.version
    (kb.knowledge_dir / "shin-pain.txt").unlink()
    run_ingest(kb, lambda: embedder)
    assert reader.refresh() and reader.version == version + 1
    assert all(c.source != "shin-pain.txt" for c in reader.chunks.values())


def test_a_second_writer_is_refused_and_a_killed_writers_lock_is_gone_with_it(kb):
    # Another process takes the store's writer lock and is then killed: the OS releases it.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from assistant.store import Store; "
         "lock = Store(sys.argv[1]).writer_lock().acquire(); print('held', flush=True); time.sleep(60)",
         str(kb.store_dir)], cwd=ROOT, env=cli_env(), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(IngestLocked, match=f"process {holder.pid}"):
            run_ingest(kb, no_model)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    run_ingest(kb, no_model)  # no stale lock to take over: the kernel dropped it with the process


def test_a_store_built_by_another_model_is_refused_with_an_explanation(kb, embedder):
    class OtherModel:  # fault injection: a different model name and size
        name, dim, max_tokens = "some/other-model", 768, 256

        def count_tokens(self, text):
            return embedder.count_tokens(text)

    (kb.knowledge_dir / "shin-pain.txt").write_text("Shin Pain\n\nA new text about shins for runners.\n")
    with pytest.raises(ModelMismatch, match="--full"):
        run_ingest(kb, OtherModel)


def test_odd_file_names_are_ingested_like_any_other(tmp_path, embedder):
    knowledge = make_knowledge(tmp_path / "k", "it-band.md")
    (knowledge / "héel pain (copy) 2.md").write_text("# Heel\n\nHeel pain text for runners in winter.\n")
    settings = Settings(knowledge_dir=knowledge, store_dir=tmp_path / "s")
    report = run_ingest(settings, lambda: embedder)
    assert set(report.added) == {"it-band.md", "héel pain (copy) 2.md"} and not report.failed
    assert os.path.isdir(tmp_path / "s")


def test_removals_alone_publish_without_loading_the_model(kb):
    (kb.knowledge_dir / "calf-1252.txt").unlink()
    report = run_ingest(kb, no_model)
    assert report.published and report.removed == ("calf-1252.txt",) and report.embedded == 0


def test_rollback_switches_readers_back_and_a_second_rollback_undoes_it(kb, embedder):
    from assistant.errors import StoreError
    from assistant.store.versions import rollback

    store = Store(kb.store_dir)
    with pytest.raises(StoreError, match="nothing to roll back"):
        rollback(store)  # only one version so far
    first = store.catalog.active_version()
    (kb.knowledge_dir / "shin-pain.txt").unlink()
    run_ingest(kb, lambda: embedder)
    reader = Retriever(store, embedder.name, embedder.dim)
    done = rollback(store)
    assert (done.version, done.replaced) == (first, first + 1)
    assert reader.refresh() and any(c.source == "shin-pain.txt" for c in reader.chunks.values())
    assert rollback(store).version == first + 1 and store.catalog.active_version() == first + 1
    # After a rollback the next ingest compares with what is active again, and keeps it for rollback.
    rollback(store)
    again = run_ingest(kb, no_model)
    assert again.removed == ("shin-pain.txt",) and store.catalog.known_versions() == [first, again.version]


def test_guard_rails_name_each_bad_file_and_the_good_ones_publish(tmp_path, embedder):
    import io

    from pypdf import PdfReader, PdfWriter

    from assistant.ingest.guard import Limits
    from tests.pdfgen import HAMSTRING_LINES, make_pdf

    knowledge = make_knowledge(tmp_path / "k", "it-band.md")
    # A real pathological file: pypdf needs seconds for this one-page PDF of 20,000 lines.
    (knowledge / "slow.pdf").write_bytes(make_pdf([f"Knee line {i} of a very long page" for i in range(20000)]))
    writer = PdfWriter()
    for _ in range(4):
        writer.add_page(PdfReader(io.BytesIO(make_pdf(HAMSTRING_LINES))).pages[0])
    pages = io.BytesIO()
    writer.write(pages)
    (knowledge / "four-pages.pdf").write_bytes(pages.getvalue())
    (knowledge / "huge.md").write_text("# Huge\n\n" + "Runners run far. " * 5000)
    settings = Settings(knowledge_dir=knowledge, store_dir=tmp_path / "s")
    report = run_ingest(settings, lambda: embedder, limits=Limits(max_bytes=60_000, max_pdf_pages=3))
    kinds = {path: kind for path, kind, _ in report.failure_kinds}
    assert kinds == {"slow.pdf": "too_large", "four-pages.pdf": "too_many_pages", "huge.md": "too_large"}
    assert report.added == ("it-band.md",) and report.published
    (knowledge / "huge.md").unlink()
    report = run_ingest(settings, no_model, limits=Limits(max_pdf_pages=3, seconds_per_file=0.5))
    kinds = {path: kind for path, kind, _ in report.failure_kinds}
    assert kinds == {"slow.pdf": "timed_out", "four-pages.pdf": "too_many_pages"}
    assert report.unchanged == ("it-band.md",)  # "timed_out": the time cap, not the file, decided


def test_the_same_name_in_another_unicode_form_is_the_same_article(tmp_path, embedder):
    import unicodedata

    knowledge = make_knowledge(tmp_path / "k", "it-band.md")
    decomposed = unicodedata.normalize("NFD", "héel.md")  # how macOS writes names
    (knowledge / decomposed).write_text("# Heel\n\nHeel pain text for runners in winter.\n")
    report = run_ingest(Settings(knowledge_dir=knowledge, store_dir=tmp_path / "s"), lambda: embedder)
    assert "héel.md" in report.added and decomposed not in report.added


def test_two_writers_in_one_process_are_refused_too(kb):
    with Store.from_settings(kb).writer_lock():
        with pytest.raises(IngestLocked, match="in this app"):
            run_ingest(kb, no_model)
    run_ingest(kb, no_model)
