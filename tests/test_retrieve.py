from assistant.answer.retrieve import reciprocal_rank_fusion


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
