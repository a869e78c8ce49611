import shutil

import pytest

from assistant.answer.retrieve import reciprocal_rank_fusion
from tests.helpers import ROOT


def test_rrf_golden_example_computed_by_hand():
    # k = 60. a: 1/61 + 1/62 = 0.032522; c: 1/63 + 1/61 = 0.032266; b: 1/62 = 0.016129; d: 1/63 = 0.015873
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]], k=60)
    assert [item for item, _ in fused] == ["a", "c", "b", "d"]
    assert [round(score, 6) for _, score in fused] == [0.032522, 0.032266, 0.016129, 0.015873]


def test_rrf_ties_keep_first_seen_order_and_empty_rankings_are_fine():
    assert [i for i, _ in reciprocal_rank_fusion([["x"], ["y"]])] == ["x", "y"]
    assert reciprocal_rank_fusion([[], []]) == []


def test_dense_lexical_and_fused_find_the_right_article(assistant):
    retriever = assistant.retriever
    question = "sharp pain under my heel with the first steps in the morning"
    vector = assistant.embedder.embed([question])[0]
    dense, lexical = retriever.rankings(question, vector)
    assert retriever.chunks[dense[0][0]].source == "heel-pain.html"
    assert retriever.chunks[lexical[0][0]].source == "heel-pain.html"
    hits = retriever.search(question, vector, passages=3).hits
    assert hits[0].chunk.source == "heel-pain.html"
    assert hits[0].score >= hits[-1].score


@pytest.fixture(scope="module")
def forty_posts(tmp_path_factory, embedder):
    """The bundled articles plus the realistic posts of the measurement sets up to round 5 (40
    posts): a knowledge base the size a clinic's grows to, with look-alike posts on every side of
    a knee. Pinned to those rounds on purpose: with round 6's two posts added (42; one on the
    popliteus, at the back-outside of the knee) the same questions go to the popliteus and peroneal
    posts again at any depth up to 15 (README, "Tuning"): deeper lists did not solve this, they
    moved the edge. This test keeps the 40-post case from coming back; the 42-post one is open."""
    from assistant.answer.pipeline import Assistant
    from assistant.config import Settings
    from assistant.ingest.run import run_ingest

    base = tmp_path_factory.mktemp("forty")
    knowledge = base / "knowledge"
    knowledge.mkdir()
    realistic = ROOT / "tests" / "eval" / "realistic"
    rounds = [realistic / f"fresh{n}" / "articles" for n in (2, 3, 4, 5)]
    for folder in (ROOT / "knowledge", realistic / "articles", *rounds):
        for path in folder.iterdir():
            if path.suffix in {".md", ".txt", ".html", ".yaml"}:
                shutil.copy(path, knowledge / path.name)
    settings = Settings(knowledge_dir=knowledge, store_dir=base / "store")
    report = run_ingest(settings, lambda: embedder)
    assert report.published and not report.failed, report
    return Assistant.from_settings(settings, embedder=embedder)


@pytest.mark.parametrize("question", ["the outside of my knee hurts on long runs",
                                      "outside of my knee starts hurting around mile 4 every run"])
def test_the_it_band_question_finds_its_post_among_forty(forty_posts, question):
    # With ten per list the IT band post was 11th by the model and out of BM25's ten ("outside"
    # fills the ankle, foot and hip posts): runner's knee and the peroneal post answered.
    answer = forty_posts.ask(question)
    assert answer.citations and answer.citations[0].source == "it-band-syndrome.md", answer.citations


def test_the_dense_query_is_exact_among_forty_posts(forty_posts):
    """Chroma's HNSW search is approximate and, below its sync threshold, each process rebuilds
    the graph with several threads: with its default search list one process's nearest passages
    could differ from another's for the same question. The store's list covers every passage
    (collections.SEARCH_EF), so the dense ranking is the exact one by cosine similarity."""
    import numpy as np

    from assistant.store.collections import SEARCH_EF

    store, version = forty_posts.retriever.store.vectors, forty_posts.retriever.version
    collection = store.chunk_collection(version)
    assert collection.configuration["hnsw"]["ef_search"] == SEARCH_EF
    everything = collection.get(include=["embeddings"])
    ids, matrix = everything["ids"], np.asarray(everything["embeddings"], dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    questions = ["is the 10 percent rule legit", "ball of my foot burns on long runs",
                 "how long till i can race after a calf strain", "outer hip hurts lying on that side at night"]
    for question, vector in zip(questions, forty_posts.embedder.embed(questions)):
        exact = [ids[i] for i in np.argsort(-(matrix @ vector), kind="stable")[:10]]
        assert [cid for cid, _ in store.nearest_ids(version, vector, 10)] == exact, question


def test_an_ingest_gives_an_older_version_the_whole_search_list(kb, embedder):
    from assistant.ingest.run import run_ingest
    from assistant.store.collections import SEARCH_EF
    from assistant.store import Store

    store = Store(kb.store_dir)
    version = store.catalog.active_version()
    store.vectors.chunk_collection(version).modify(configuration={"hnsw": {"ef_search": 100}})  # as before stop 22
    report = run_ingest(kb, lambda: embedder)
    assert not report.published  # nothing changed: the same version, its search list widened
    reopened = Store(kb.store_dir).vectors.chunk_collection(version)
    assert reopened.configuration["hnsw"]["ef_search"] == SEARCH_EF


def test_a_sudden_pop_brings_the_posts_own_warning_into_the_answer(forty_posts):
    """Round 12 (spent): "felt something pop in the middle of my arch ... a bruise ... is this my
    plantar fasciitis getting worse" quoted the symptoms list among the look-alike heel and arch
    posts; the post's own "when to see someone" says what a pop and bruising can mean."""
    popped = forty_posts.ask("doing strides on the grass and felt something pop in the middle of my arch. now "
                             "the bottom of my foot is bruised and puffy. is this my plantar fasciitis getting worse?")
    assert popped.citations[0].source == "plantar-fasciitis.md"
    assert "plantar fascia tear" in popped.answer
    plain = forty_posts.ask("is this my plantar fasciitis getting worse, my heel hurts with the first steps in the morning")
    assert "plantar fascia tear" not in plain.answer
