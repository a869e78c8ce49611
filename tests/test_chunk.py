from pathlib import Path

from assistant.ingest.chunk import chunk_article, split_sentences
from assistant.ingest.load import load_article
from assistant.schema import Article, Block, Section

DATA = Path(__file__).parent / "data" / "good"
KNOWLEDGE = Path(__file__).parent.parent / "knowledge"


def test_sentences_split_on_full_stops_but_not_abbreviations():
    text = "Rest helps, e.g. a week off. Strength matters! Dr. Smith agrees? Yes."
    assert split_sentences(text) == ["Rest helps, e.g. a week off.", "Strength matters!",
                                     "Dr. Smith agrees?", "Yes."]


def test_sentences_keep_unit_and_title_abbreviations_with_their_sentence():
    assert split_sentences("The cyst sits approx. 2 in. below the knee crease. Ice it for 10 min. after runs.") == [
        "The cyst sits approx. 2 in. below the knee crease.", "Ice it for 10 min. after runs."]
    assert split_sentences("Call Dr. Smith at the clinic. She sees runners on Mondays.") == [
        "Call Dr. Smith at the clinic.", "She sees runners on Mondays."]
    assert split_sentences('Pain at 3 a.m. is a warning sign. He said "stop." Then he walked home.') == [
        "Pain at 3 a.m. is a warning sign.", 'He said "stop."', "Then he walked home."]


def test_list_items_and_lead_ins_become_units_of_one_block(embedder):
    block = Block("Common signs are:", ("Pain under the heel", "Stiffness in the morning"))
    article = Article("l.md", "l", "List", None, (Section("Signs", (Block("Heel pain is common."), block)),))
    [chunk] = chunk_article(article, embedder.count_tokens, 200)
    # the section's heading comes first: matched as the question the section answers, never quoted
    assert [(u.kind, u.block) for u in chunk.units] == [("heading", -1), ("sentence", 0), ("lead_in", 1),
                                                        ("item", 1), ("item", 1)]
    assert chunk.text == "Heel pain is common.\nCommon signs are:\n- Pain under the heel\n- Stiffness in the morning"


def test_chunks_never_span_sections_and_ids_are_stable(embedder):
    article = load_article(DATA / "it-band.md", "it-band.md")
    first = chunk_article(article, embedder.count_tokens, 200)
    again = chunk_article(article, embedder.count_tokens, 200)
    assert [c.id for c in first] == [c.id for c in again]
    headings = [s.heading for s in article.sections]
    assert [c.heading for c in first] == headings  # small sections: one chunk each
    assert all(c.id.startswith("it-band#") for c in first)


def test_a_long_section_is_split_at_sentences_within_the_budget(embedder):
    sentences = [f"Sentence number {i} says something about running and knees." for i in range(60)]
    article = Article("long.md", "long", "Long", None, (Section("Body", (Block(" ".join(sentences)),)),))
    chunks = chunk_article(article, embedder.count_tokens, 120)
    assert len(chunks) > 3
    assert all(c.units[0].text == "Body" for c in chunks)  # every part carries the heading
    assert [u.text for c in chunks for u in c.content] == sentences
    assert all(embedder.count_tokens(c.embed_text) <= 120 for c in chunks)


def test_no_chunk_of_the_knowledge_base_is_truncated_by_the_model(embedder):
    """Every chunk, with title and heading prepended, fits the model's window (256 word pieces)."""
    for path in sorted(KNOWLEDGE.glob("*.md")):
        for chunk in chunk_article(load_article(path, path.name), embedder.count_tokens, 200):
            assert embedder.count_tokens(chunk.embed_text) <= embedder.max_tokens, chunk.id


def test_a_run_on_sentence_is_cut_to_fit(embedder):
    words = ", ".join(["tight calves and sore shins"] * 80)
    article = Article("r.txt", "r", "Run-on", None, (Section(None, (Block(words),)),))
    chunks = chunk_article(article, embedder.count_tokens, 200)
    assert all(embedder.count_tokens(c.embed_text) <= 200 for c in chunks)
    assert "".join(u.text.replace(" ", "") for c in chunks for u in c.units) == words.replace(" ", "")
